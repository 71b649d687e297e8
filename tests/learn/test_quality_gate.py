"""The quality gate: cross-validated extraction quality may not fall below the recorded floors.

Three folds over the real annotated pages in ../shared/corpus (dev + train): each fold trains every
learned step on the other real pages only (data/training is left out to keep `make test` to minutes;
`make cv` measures the shipped configuration) and extracts the held-out pages. The floors in
quality_floors.json sit a little under what was measured this way ("measured"), to allow for floating-point
differences between machines, and only move up (raise them when a change improves them).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bioatlas.learn.corpus import shared_corpus
from bioatlas.learn.crossval import cross_validate

FLOORS = json.loads((Path(__file__).with_name("quality_floors.json")).read_text(encoding="utf-8"))
AREAS = {"entities": "entities", "events": "events", "figures": "figures", "boilerplate": "boilerplate lines"}


@pytest.fixture(scope="module")
def results() -> dict:
    if not (shared_corpus() / "score.py").exists():
        pytest.fail(f"the shared annotated corpus is missing at {shared_corpus()} (set BIOATLAS_CORPUS_DIR)")
    return cross_validate(k=FLOORS["folds"], with_own=False, log=False)


@pytest.mark.parametrize("area", sorted(AREAS))
def test_cross_validated_f1_holds_its_floor(results: dict, area: str) -> None:
    f1 = results["all"][AREAS[area]]["f1"]
    assert f1 >= FLOORS["f1"][area], f"{area}: cross-validated F1 {f1:.3f} < floor {FLOORS['f1'][area]:.3f}"


def test_titles_and_dates_hold_their_floors(results: dict) -> None:
    for name in ("title", "published date"):
        assert results["all"][name] >= FLOORS["accuracy"][name], (name, results["all"][name])


def test_every_language_is_measured(results: dict) -> None:
    langs = set(results) - {"all"}
    assert {"en", "fr", "de", "nl", "ja", "ko", "zh-Hans", "zh-Hant"} <= langs
