"""The land backtest's machinery (bench/land_backtest.py) on five short pages written for it, in Simplified and
Traditional Chinese, French and German, each reporting a real, public landing (Eli Lilly at Suzhou Industrial
Park told in both scripts, AstraZeneca in Wuxi, Catalent in Gosselies, Clarity Pharmaceuticals in Liège).

Checked: a hidden landing is really hidden (none of the pages reporting it is in the kb the question is asked
on, every other page is), both reports of one landing are hidden together, and the rank recorded is the rank of
the first hit in `rank_locations`' answer on that kb.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from bioatlas.kb.store import Store
from bioatlas.match.knowledge import Knowledge
from bioatlas.match.land import rank_locations

ROOT = Path(__file__).resolve().parents[2]
PAGES = Path(__file__).resolve().parent / "backtest_pages"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("land_backtest", ROOT / "bench" / "land_backtest.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


bench = _bench()


@pytest.fixture(scope="module")
def backtest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    pages = bench.read_pages([PAGES])
    cases = bench.collect_cases(pages)
    seen: list[dict[str, Any]] = []

    def inspect(hidden: frozenset[str], store: Store, kb: Knowledge, outcomes: list[Any]) -> None:
        answers: dict[Any, list[str]] = {}
        for outcome in outcomes:
            profile, _ = bench.profile_for(outcome.case, outcome.variant, "")
            answer = rank_locations(kb, profile, limit=1000)
            answers[(outcome.case.page, outcome.variant)] = [item["id"] for item in answer["results"]]
        record: dict[Any, Any] = {"hidden": hidden, "stored": bench.stored_documents(store), "kb": kb}
        seen.append({**record, "outcomes": outcomes, **answers})

    outcomes = bench.run(pages, cases, tmp_path_factory.mktemp("backtest"), inspect)
    return {"pages": {p.name: p for p in pages}, "cases": cases, "outcomes": outcomes, "seen": seen}


def _case(backtest: dict[str, Any], page: str) -> Any:
    return next(c for c in backtest["cases"] if c.page == page)


def test_every_gold_landing_is_a_case_with_its_truth_from_the_gold(backtest: dict[str, Any]) -> None:
    cases = {c.page: c for c in backtest["cases"]}
    assert set(cases) == {p.name for p in backtest["pages"].values()}
    assert (cases["zh-hant-lilly-suzhou"].company, cases["zh-hant-lilly-suzhou"].origin) == ("Eli Lilly", "US")
    assert cases["de-clarity-luettich"].destination == "Liège" and cases["de-clarity-luettich"].origin == "AU"
    assert cases["fr-catalent-gosselies"].destination_country == "BE"
    assert all(c.kind == "landing" for c in cases.values())


def test_both_reports_of_one_landing_are_hidden_together(backtest: dict[str, Any]) -> None:
    pages = backtest["pages"]
    both = {pages["zh-hans-lilly-suzhou"].key, pages["zh-hant-lilly-suzhou"].key}
    assert _case(backtest, "zh-hans-lilly-suzhou").hidden == both  # 礼来 / 禮來: one landing, two scripts
    assert _case(backtest, "zh-hant-lilly-suzhou").hidden == both
    assert _case(backtest, "fr-catalent-gosselies").hidden == {pages["fr-catalent-gosselies"].key}


def test_a_hidden_page_is_never_in_the_kb_the_question_is_asked_on(backtest: dict[str, Any]) -> None:
    every = {p.key for p in backtest["pages"].values()}
    assert len(backtest["seen"]) == 4  # the two Lilly reports share one held-out kb
    for kb_seen in backtest["seen"]:
        assert not kb_seen["stored"] & kb_seen["hidden"]
        assert kb_seen["stored"] == every - kb_seen["hidden"]
        kb = kb_seen["kb"]
        for outcome in kb_seen["outcomes"]:
            assert outcome.case.hidden == kb_seen["hidden"]
            named = kb.named(outcome.case.company)  # the company's own landing left no event in this kb
            assert not [e for e in kb.events_of(named, ["company"]) if e.type in ("landing", "expansion")]


def test_the_rank_recorded_is_the_rank_in_the_answer(backtest: dict[str, Any]) -> None:
    ranked = 0
    for kb_seen in backtest["seen"]:
        kb = kb_seen["kb"]
        for outcome in kb_seen["outcomes"]:
            ids = kb_seen[(outcome.case.page, outcome.variant)]
            targets = set(outcome.targets)
            assert outcome.candidates == len(ids)
            if outcome.rank is None:
                assert not any(bench.is_hit(kb, i, targets) for i in ids)
                assert outcome.reason in ("unknown place", "not a candidate", "excluded as origin", "outside markets")
                continue
            ranked += 1
            assert ids[outcome.rank - 1] == outcome.hit and bench.is_hit(kb, outcome.hit, targets)
            assert not any(bench.is_hit(kb, i, targets) for i in ids[: outcome.rank - 1])
            if outcome.exact_rank is not None:
                assert ids[outcome.exact_rank - 1] in targets and outcome.exact_rank >= outcome.rank
    assert ranked, "no destination was ranked at all"


def test_a_place_known_from_another_report_is_ranked_and_a_place_left_empty_is_not(backtest: dict[str, Any]) -> None:
    by = {(o.case.page, o.variant): o for o in backtest["outcomes"]}
    catalent = by[("fr-catalent-gosselies", "market")]
    assert catalent.needs == ["eu-market"] and catalent.sectors_from == "reference"
    assert catalent.rank is not None, "Clarity's Walloon landing leaves Wallonia, which contains Gosselies"
    assert bench.geography().contains(catalent.hit, "ref:gosselies")
    lilly = by[("zh-hans-lilly-suzhou", "no-market")]
    assert "ref:sip" in lilly.targets
    if lilly.rank is None:
        assert lilly.reason == "not a candidate"
    else:  # Jiangsu, from AstraZeneca's landing in Wuxi, contains the park
        assert lilly.hit == "ref:jiangsu" and lilly.exact_rank is None


def test_the_summary_counts_unranked_cases_as_misses() -> None:
    case = bench.Case("landing", "p", "C", ["C"], "US", "US", "D", ["D"], "place", "BE", "")
    rows = [
        bench.Outcome(case, "market", [], "none", [], rank, None, None, None, None, 0, []) for rank in (1, 3, None, 12)
    ]
    figures = bench.summary(rows)
    assert figures["cases"] == 4 and figures["ranked"] == 3
    assert (figures["hit@1"], figures["hit@5"], figures["hit@10"]) == (0.25, 0.5, 0.5)
    assert figures["mrr"] == round((1 + 1 / 3 + 1 / 12) / 4, 3) and figures["median_rank"] == 3
