"""Golden test: reading the bundled example corpus gives the reviewed languages, titles, dates and furniture."""

from __future__ import annotations

import json

from tests.golden.regenerate import GOLDEN, compute


def test_example_corpus_matches_golden():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    actual = json.loads(json.dumps(compute(), ensure_ascii=False))
    assert sorted(actual) == sorted(expected)
    for doc_id, view in expected.items():
        assert actual[doc_id] == view, doc_id


def test_example_corpus_covers_the_languages():
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    main = {v["languages"][0] for v in expected.values() if v.get("languages")}
    assert {"en", "fr", "de", "nl", "ja", "ko", "zh-Hans", "zh-Hant"} <= main
    assert any(v.get("languages") == ["zh-Hant", "en"] for v in expected.values())
