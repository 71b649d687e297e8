"""Train every shipped model from scratch, in order, deterministically.

    python -m bioatlas.learn.train                 # train + dev + data/training -> src/bioatlas/models
    python -m bioatlas.learn.train --parts train --out out/models-score

Each learned step has a module with `train(pages, out) -> dict` that writes its file(s) into `out`.
They run in pipeline order, each inside `using_models(out)`, so a later step trains on what the earlier
ones now produce (events on the entities the tagger finds, not on the gold entities).
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any

from bioatlas.learn.corpus import Page, own_pages, real_pages
from bioatlas.learn.models import PACKAGE_MODELS, using_models

# Pipeline order: cleaning (line classifier), entities, figures, events.
STEPS: tuple[str, ...] = (
    "bioatlas.learn.line_model",
    "bioatlas.learn.entity_tagger",
    "bioatlas.learn.figure_model",
    "bioatlas.learn.event_model",
)


def train_all(pages: list[Page], out: Path, log: bool = True, steps: tuple[str, ...] | None = None) -> dict[str, Any]:
    """Train the learned steps (all, or those named in `steps`, e.g. ("entity_tagger",)) into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    report: dict[str, Any] = {}
    with using_models(out):
        for name in STEPS:
            if steps is not None and name.rsplit(".", 1)[1] not in steps:
                continue
            started = time.perf_counter()
            stats = importlib.import_module(name).train(pages, out)
            stats["seconds"] = round(time.perf_counter() - started, 1)
            report[name.rsplit(".", 1)[1]] = stats
            if log:
                print(f"trained {name.rsplit('.', 1)[1]}: {json.dumps(stats, ensure_ascii=False)}", file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="train,dev", help="parts of the shared corpus to train on")
    ap.add_argument("--no-own", action="store_true", help="leave out the project's own pages in data/training")
    ap.add_argument("--out", type=Path, default=PACKAGE_MODELS)
    args = ap.parse_args(argv)
    pages = real_pages(tuple(p for p in args.parts.split(",") if p))
    if not args.no_own:
        pages += own_pages()
    if not pages:
        print("no annotated pages found (is ../shared/corpus beside the repository?)", file=sys.stderr)
        return 2
    print(f"training on {len(pages)} pages ({sum(p.real for p in pages)} real)", file=sys.stderr)
    train_all(pages, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
