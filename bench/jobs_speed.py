"""Reading and extraction with 1 and 2 worker processes (`--jobs`), on the pages we wrote (examples/corpus and
data/training, each read `--repeat` times), and an ingest into a new SQLite kb with each.

    python bench/jobs_speed.py [--repeat 3]

Prints documents/s and characters/s for each, and the ratio of 2 workers to 1 (measured in one run).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from bioatlas.kb.ingest import ingest_paths  # noqa: E402
from bioatlas.kb.store import Store  # noqa: E402
from bioatlas.model import Document  # noqa: E402
from bioatlas.pipeline import process_all, read_inputs  # noqa: E402

INPUTS = [str(ROOT / "examples" / "corpus"), str(ROOT / "data" / "training")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    inputs = INPUTS * args.repeat
    rates = {}
    for jobs in (1, 2):
        start = time.perf_counter()
        done = [r for r in process_all(read_inputs(inputs), jobs=jobs) if isinstance(r, Document)]
        seconds = time.perf_counter() - start
        chars = sum(len(d.text) for d in done)
        rates[jobs] = len(done) / seconds
        print(
            f"extract, {jobs} job(s): {len(done)} documents in {seconds:.1f} s = {rates[jobs]:.1f} documents/s, "
            f"{chars / seconds:,.0f} characters/s"
        )
    print(f"extract: 2 workers / 1 = {rates[2] / rates[1]:.2f}x")
    for jobs in (1, 2):
        with tempfile.TemporaryDirectory() as folder:
            store = Store(f"sqlite:///{folder}/kb.db")
            start = time.perf_counter()
            report = ingest_paths(store, INPUTS, jobs=jobs)
            seconds = time.perf_counter() - start
            print(f"ingest, {jobs} job(s): {sum(report.statuses.values())} inputs in {seconds:.1f} s")


if __name__ == "__main__":
    main()
