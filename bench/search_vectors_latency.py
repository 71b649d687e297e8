"""Search latency with the meaning part on, and the cost of embedding documents, on a large SQLite kb.

    python bench/search_vectors_latency.py [--kb out/bench/kb-100000.sqlite] [--queries 300] [--keep]

Works on a copy of the kb (made with SQLite's backup API in a temporary folder, deleted at the end unless
--keep): opening it applies the migrations, then every document is given its vector (`vectors.backfill`, timed:
characters/s of document text embedded, the ingest cost of vectors), then the queries of
bench/search_queries.json and generated ones (names, topics in eight languages, no-match) are asked in turn;
prints p50/p95/max of the whole search, of the words-only search, and of the meaning part alone (query encoding
+ cosine over the matrix).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import func, select  # noqa: E402

from bioatlas.access import COMMAND_LINE  # noqa: E402
from bioatlas.kb import schema as t  # noqa: E402
from bioatlas.kb import search as search_module  # noqa: E402
from bioatlas.kb import vectors  # noqa: E402
from bioatlas.kb.queries import search  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.kb.visibility import Scope  # noqa: E402

EXTRA = [
    "Liège",
    "列日",
    "Roche",
    "罗氏",
    "Samsung Biologics",
    "biotech company opens a European headquarters",
    "usine de production de vaccins",
    "Ansiedlung eines Pharmaunternehmens",
    "生物医药产业园 投资",
    "研究開発拠点の開設",
    "바이오 클러스터 협력",
    "nieuw laboratorium op het campus",
    "football transfer news",
]


def percentiles(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def copy_kb(source: Path, folder: Path) -> Path:
    target = folder / "kb.sqlite"
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kb", type=Path, default=ROOT / "out" / "bench" / "kb-100000.sqlite")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--keep", action="store_true", help="keep the copy (its path is printed)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bioatlas-vectors-"))
    try:
        started = time.perf_counter()
        path = copy_kb(args.kb, folder)
        store = Store(f"sqlite:///{path}")
        print(f"copied and migrated {args.kb.name} in {time.perf_counter() - started:.0f} s")
        with store.engine.connect() as conn:
            docs = conn.execute(select(func.count()).select_from(t.documents)).scalar_one()
            chars = conn.execute(
                select(func.sum(func.min(func.length(t.documents.c.text) + 1, vectors.DOCUMENT_CHARS)))
            ).scalar_one()
        vectors.document_encoder()  # the per-piece table, loaded (or derived) once
        started = time.perf_counter()
        embedded = vectors.backfill(store.engine)
        took = time.perf_counter() - started
        print(
            f"{docs:,} documents; {embedded:,} embedded in {took:.0f} s: {embedded / took:,.0f} documents/s, "
            f"{chars / took:,.0f} characters/s of document text (title and first {vectors.DOCUMENT_CHARS:,} "
            "characters, stored included)"
        )
        judged = [q["q"] for q in json.loads((ROOT / "bench" / "search_queries.json").read_text())["queries"]]
        pool = judged + EXTRA
        rng = random.Random(7)
        queries = [rng.choice(pool) for _ in range(args.queries)]
        search(store, "warm up")
        threshold = search_module.MEANING_MIN
        timings: dict[str, list[float]] = {"hybrid": [], "words only": [], "meaning part": []}
        for q in queries:
            started = time.perf_counter()
            search(store, q)
            timings["hybrid"].append(time.perf_counter() - started)
            search_module.MEANING_MIN = 2.0
            started = time.perf_counter()
            search(store, q)
            timings["words only"].append(time.perf_counter() - started)
            search_module.MEANING_MIN = threshold
            with store.engine.connect() as conn:
                started = time.perf_counter()
                search_module.meaning_matches(conn, q, Scope(COMMAND_LINE, False))
                timings["meaning part"].append(time.perf_counter() - started)
        for label, samples in timings.items():
            print(f"{label:13} {len(samples)} searches: {percentiles(samples)}")
        if args.keep:
            print(f"kept {path}")
            folder = Path()
    finally:
        if folder != Path():
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
