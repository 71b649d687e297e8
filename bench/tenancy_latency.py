"""What seeing only one's own organisation costs: search and entity pages as the command line (no filter), as an
anonymous reader and as an organisation's user, on a generated kb whose documents are shared or belong to one of
two organisations (SQLite).

    python bench/tenancy_latency.py [--docs 30000] [--db /tmp/bioatlas-tenancy.db] [--rounds 5]

The documents are those of bench/search_latency.py; every third is shared, the others alternate between two
organisations. Prints p50/p95 per viewer for the search queries, the entity page of Liège (which every
organisation's documents name) and the map.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from search_latency import QUERIES, make_document, percentile  # noqa: E402

from bioatlas.access import ANONYMOUS, COMMAND_LINE, Viewer  # noqa: E402
from bioatlas.kb import queries  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402

ORGS = ("org-a", "org-b")


def timed(rounds: int, call: Callable[..., object], *args: object, **kwargs: object) -> list[float]:
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        call(*args, **kwargs)
        out.append((time.perf_counter() - start) * 1000)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=30_000)
    parser.add_argument("--db", default="/tmp/bioatlas-tenancy.db")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    Path(args.db).unlink(missing_ok=True)
    store = Store(f"sqlite:///{args.db}")
    store.load_reference()
    rng = random.Random(7)
    for i in range(args.docs):
        doc = make_document(i, rng)
        doc.org = None if i % 3 == 0 else ORGS[i % 2]
        store.ingest(doc, "bench")
    print(f"{args.docs:,} documents: a third shared, the rest split between {len(ORGS)} organisations")
    viewers = {
        "command line (no filter)": COMMAND_LINE,
        "anonymous (shared only)": ANONYMOUS,
        "org-a user": Viewer(user="a", role="analyst", org="org-a"),
    }
    for label, viewer in viewers.items():
        search = [t for q in QUERIES for t in timed(args.rounds, queries.search, store, q, limit=20, viewer=viewer)]
        entity = timed(args.rounds, queries.entity_page, store, "ref:liege", viewer=viewer)
        points = timed(args.rounds, queries.map_points, store, viewer=viewer)
        print(
            f"{label:<26} search p50 {statistics.median(search):6.1f} ms  p95 {percentile(search, 0.95):6.1f} ms | "
            f"entity page p50 {statistics.median(entity):7.1f} ms | map p50 {statistics.median(points):6.1f} ms"
        )


if __name__ == "__main__":
    main()
