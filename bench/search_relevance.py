"""Search relevance on the shared corpus: nDCG@10 per query kind, words only vs words + meaning (hybrid).

    python bench/search_relevance.py [--db out/bench/search-relevance.sqlite] [--show]

Ingests the pages of ../shared/corpus/train and dev into a kb of its own (kept for the next run), then asks the
queries of bench/search_queries.json (written and judged by hand before looking at any result) and prints
nDCG@10 overall and per kind (entity, variant, cross-language, topical), and how many no-match queries returned
anything (they should return nothing). Words only is the same search with the meaning threshold above any
cosine, so no page is found by meaning.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import select  # noqa: E402

from bioatlas.kb import schema as t  # noqa: E402
from bioatlas.kb import search as search_module  # noqa: E402
from bioatlas.kb.ingest import ingest_paths  # noqa: E402
from bioatlas.kb.queries import search  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
QUERIES = ROOT / "bench" / "search_queries.json"


def ndcg(ranked: list[str], grades: dict[str, int], k: int = 10) -> float:
    dcg = sum(grades.get(d, 0) / math.log2(i + 2) for i, d in enumerate(ranked[:k]))
    ideal = sorted(grades.values(), reverse=True)[:k]
    best = sum(g / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / best if best else 0.0


def build(db: Path) -> Store:
    pages = sorted(str(p) for part in ("train", "dev") for p in (CORPUS / part).glob("*.txt"))
    store = Store(f"sqlite:///{db}")
    with store.engine.connect() as conn:
        stored = conn.execute(select(t.documents.c.id)).all()
    if len(stored) < len(pages):
        started = time.perf_counter()
        report = ingest_paths(store, pages)
        print(f"ingested {len(pages)} pages in {time.perf_counter() - started:.0f} s: {report.summary()}")
    return store


def page_names(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.documents.c.id, t.documents.c.source)).all()
    return {r.id: Path(r.source or "").stem for r in rows}


def run(store: Store, queries: list[dict], names: dict[str, str], show: bool) -> dict[str, list[float]]:
    by_kind: dict[str, list[float]] = defaultdict(list)
    for q in queries:
        try:
            found = [names.get(d["id"], d["id"]) for d in search(store, q["q"], limit=10)["documents"]]
        except search_module.QueryError:
            found = []
        if q["kind"] == "nomatch":
            by_kind["nomatch"].append(float(len(found)))
        else:
            by_kind[q["kind"]].append(ndcg(found, q["rel"]))
        if show:
            print(f"  {q['kind']:8} {q['q'][:50]:50} {found[:6]}")
    return by_kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, default=ROOT / "out" / "bench" / "search-relevance.sqlite")
    parser.add_argument("--show", action="store_true", help="print each query's first results")
    args = parser.parse_args()
    args.db.parent.mkdir(parents=True, exist_ok=True)
    store = build(args.db)
    names = page_names(store)
    queries = json.loads(QUERIES.read_text(encoding="utf-8"))["queries"]
    search(store, "warm up")  # loads the encoders and the vectors (and embeds pages stored without one)
    threshold = search_module.MEANING_MIN
    results = {}
    for label, minimum in (("words only", 2.0), ("hybrid", threshold)):
        search_module.MEANING_MIN = minimum
        print(label)
        results[label] = run(store, queries, names, args.show)
    search_module.MEANING_MIN = threshold
    kinds = ["entity", "variant", "cross", "topical"]
    print(f"\n{'nDCG@10':12}" + "".join(f"{k:>10}" for k in [*kinds, "overall"]) + "   no-match queries with results")
    for label, by_kind in results.items():
        judged = [v for k in kinds for v in by_kind[k]]
        cells = [statistics.mean(by_kind[k]) for k in kinds] + [statistics.mean(judged)]
        nomatch = by_kind["nomatch"]
        print(
            f"{label:12}"
            + "".join(f"{c:10.3f}" for c in cells)
            + f"   {sum(1 for n in nomatch if n)} of {len(nomatch)}"
        )


if __name__ == "__main__":
    main()
