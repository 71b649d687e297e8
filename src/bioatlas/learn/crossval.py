"""Leave-pages-out cross-validation over the real annotated pages (dev + train).

    python -m bioatlas.learn.crossval [--folds 5] [--json out/cv.json]

The real pages are split into k groups by a hash of their id; for each group every model is trained on
the other real pages plus the project's own pages, and the group is extracted with those models. The
pooled predictions are scored with the corpus's own `score.py`, overall and per main language.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from bioatlas.learn.corpus import Page, folds, own_pages, real_pages, shared_corpus
from bioatlas.learn.models import using_models
from bioatlas.learn.train import train_all


def score_module() -> ModuleType:
    path = shared_corpus() / "score.py"
    spec = importlib.util.spec_from_file_location("bioatlas_corpus_score", path)
    if spec is None or spec.loader is None:
        raise FileNotFoundError(path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extract_page(page: Page) -> dict[str, Any]:
    """What `bioatlas extract --format json` writes for this page, with the current models."""
    from bioatlas.learn.corpus import to_document
    from bioatlas.pipeline import extract, prepare

    try:
        doc = extract(prepare(to_document(page)))
    except ValueError:
        return {"id": page.id}
    out = doc.to_json()
    out["id"] = page.id
    return out


def score_pages(
    pages: list[Page], predict: Callable[[Page], dict[str, Any]], by_language: bool = True
) -> dict[str, Any]:
    """Score predictions for `pages` with score.py: overall, and per main language."""
    scorer = score_module()
    preds = {p.id: predict(p) for p in pages}
    groups: dict[str, list[Page]] = {"all": pages}
    if by_language:
        for p in pages:
            groups.setdefault(p.language, []).append(p)
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, group in groups.items():
            gold_dir, pred_dir = Path(tmp, name, "gold"), Path(tmp, name, "pred")
            gold_dir.mkdir(parents=True)
            pred_dir.mkdir(parents=True)
            for p in group:
                (gold_dir / f"{p.id}.gold.json").write_text(json.dumps(p.gold, ensure_ascii=False), encoding="utf-8")
                (pred_dir / f"{p.id}.json").write_text(json.dumps(preds[p.id], ensure_ascii=False), encoding="utf-8")
            with contextlib.redirect_stdout(io.StringIO()):
                results[name] = scorer.score(gold_dir, pred_dir, False)
    return results


def cross_validate(
    k: int = 5,
    with_own: bool = True,
    log: bool = True,
    steps: tuple[str, ...] | None = None,
    pred_dir: Path | None = None,
) -> dict[str, Any]:
    real = real_pages()
    own = own_pages() if with_own else []
    preds: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, held_out in enumerate(folds(real, k)):
            held = {p.id for p in held_out}
            fold_dir = Path(tmp, f"fold{i}")
            train_all([p for p in real if p.id not in held] + own, fold_dir, log=False, steps=steps)
            with using_models(fold_dir):
                for page in held_out:
                    preds[page.id] = extract_page(page)
            if log:
                print(f"fold {i + 1}/{k} done ({len(held_out)} pages)", file=sys.stderr)
    if pred_dir is not None:
        pred_dir.mkdir(parents=True, exist_ok=True)
        for pid, pred in preds.items():
            (pred_dir / f"{pid}.json").write_text(json.dumps(pred, ensure_ascii=False, indent=1), encoding="utf-8")
    return score_pages(real, lambda p: preds[p.id])


AREAS = {
    "entities": "entities",
    "events": "events",
    "figures": "figures",
    "boilerplate": "boilerplate lines",
}


def table(results: dict[str, Any]) -> str:
    """A Markdown table: F1 per area, overall and per language, plus title and date accuracy."""
    head = (
        "| pages | n | entities | events | figures | boilerplate | titles | dates |\n|---|---|---|---|---|---|---|---|"
    )
    rows = []
    for name, r in results.items():
        cells = [f"{r[key]['f1']:.2f}" for key in AREAS.values()]
        cells += [f"{r.get('title'):.2f}" if r.get("title") is not None else "–"]
        cells += [f"{r.get('published date'):.2f}" if r.get("published date") is not None else "–"]
        rows.append(f"| {name} | {r['documents']} | " + " | ".join(cells) + " |")
    return head + "\n" + "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--no-own", action="store_true", help="train without the project's own pages")
    ap.add_argument("--json", type=Path, help="also write the results as JSON here")
    ap.add_argument("--steps", help="train only these steps (comma-separated, e.g. entity_tagger)")
    ap.add_argument("--pred-dir", type=Path, help="also write every held-out prediction here")
    args = ap.parse_args(argv)
    steps = tuple(args.steps.split(",")) if args.steps else None
    results = cross_validate(args.folds, with_own=not args.no_own, steps=steps, pred_dir=args.pred_dir)
    print(table(results))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
