"""Reading speed: readers + cleaning + languages + title/date over >= 2,000 documents on one core.

    python bench/read_speed.py [--docs 2000] [--repeat 3] [--full]

Documents are built from the example corpus (and ../shared/corpus/dev when it is there), each made
distinct by a numbered suffix so no cache can help. Prints documents/s, characters/s (median of the
repeats) and peak memory. `--full` runs the whole pipeline, extraction included (issue 3's figure).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.ingest.readers import Document, read_path  # noqa: E402
from bioatlas.pipeline import process  # noqa: E402


def source_texts() -> list[str]:
    folders = [ROOT / "examples" / "corpus", ROOT.parent / "shared" / "corpus" / "dev"]
    texts = []
    for folder in folders:
        if folder.is_dir():
            for path in sorted(folder.glob("*.txt")):
                texts.append(path.read_bytes().decode("utf-8", errors="ignore"))
    if not texts:
        raise SystemExit("no source pages found")
    return texts


def build(folder: Path, n: int) -> list[Path]:
    texts = source_texts()
    paths = []
    for i in range(n):
        path = folder / f"doc-{i:05d}.txt"
        path.write_text(texts[i % len(texts)] + f"\n\nRef. {i}\n", encoding="utf-8")
        paths.append(path)
    return paths


def run(paths: list[Path], full: bool) -> tuple[float, int, int]:
    chars = 0
    docs = 0
    start = time.perf_counter()
    for path in paths:
        for record in read_path(path, 50_000_000):
            if isinstance(record, Document):
                chars += len(record.raw)
            result = process(record, with_extraction=full)
            docs += isinstance(result, Document)
    return time.perf_counter() - start, docs, chars


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--full", action="store_true", help="include entity/figure/event extraction")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = build(Path(tmp), args.docs)
        run(paths[:50], args.full)  # warm-up: load language models and reference data
        timings = [run(paths, args.full) for _ in range(args.repeat)]
    seconds = statistics.median(t for t, _, _ in timings)
    _, docs, chars = timings[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    stage = "full pipeline (reading through events)" if args.full else "readers + cleaning + languages + metadata"
    print(f"{stage}: {docs} documents, {chars:,} characters, median of {args.repeat} runs")
    print(f"documents/s:  {docs / seconds:,.0f}")
    print(f"characters/s: {chars / seconds:,.0f}")
    print(f"peak memory:  {peak_mb:,.0f} MB")


if __name__ == "__main__":
    main()
