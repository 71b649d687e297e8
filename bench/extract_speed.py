"""Whole-extract speed on real, varied pages: reading, cleaning, languages, entities, figures, events.

    taskset -c 0 python bench/extract_speed.py [--repeat 3]

Every page is distinct: the real annotated pages in ../shared/corpus (dev and train), the example
corpus, and the project's own training pages in data/training, each read once per run (no page repeated,
so no cache can help). Prints pages/s, characters/s (median of the repeats) and peak memory, with the
shipped models. Target (issue 8): at least 50,000 characters/s on one core, under 1 GB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.ingest.readers import Document, read_path  # noqa: E402
from bioatlas.pipeline import process  # noqa: E402


def pages() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpus"
    folders = [shared / "dev", shared / "train", ROOT / "examples" / "corpus", ROOT / "data" / "training"]
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found += sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".html") and p.is_file())
    if not found:
        raise SystemExit("no pages found")
    return found


def run(paths: list[Path]) -> tuple[float, int, int]:
    chars = docs = 0
    start = time.perf_counter()
    for path in paths:
        for record in read_path(path, 50_000_000):
            if isinstance(record, Document):
                chars += len(record.raw)
            docs += isinstance(process(record), Document)
    return time.perf_counter() - start, docs, chars


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = pages()
    run(paths[:20])  # warm-up: load language models, reference data and the shipped models
    timings = [run(paths) for _ in range(args.repeat)]
    seconds = statistics.median(t for t, _, _ in timings)
    _, docs, chars = timings[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"whole extract: {docs} distinct pages, {chars:,} characters, median of {args.repeat} runs")
    print(f"pages/s:      {docs / seconds:,.1f}")
    print(f"characters/s: {chars / seconds:,.0f}")
    print(f"peak memory:  {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
