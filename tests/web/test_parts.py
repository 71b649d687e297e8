"""The small pieces of the web layer on their own: languages, UI strings, the map layout, filters."""

from __future__ import annotations

import re
import string
from typing import get_args

import pytest

from bioatlas.api.params import EventType
from bioatlas.model import ENTITY_TYPES, EVENT_TYPES
from bioatlas.web.catalogs import COMPLETE, LANGUAGE_NAMES, STRINGS
from bioatlas.web.i18n import Translator, choose_language, match_language, parse_accept_language
from bioatlas.web.land_outline import land_svg
from bioatlas.web.mapview import layout, project
from bioatlas.web.render import http_url, number, path_id
from bioatlas.web.security import content_security_policy, tile_source


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("fr-BE", "fr"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh_hant", "zh-Hant"),
        ("ja-JP", "ja"),
        ("ko-KR", "ko"),
        ("nl", "nl"),
        ("sv", None),
        ("", None),
        (None, None),
    ],
)
def test_match_language(tag: str | None, expected: str | None) -> None:
    assert match_language(tag) == expected


def test_accept_language_order_and_quality() -> None:
    assert parse_accept_language("sv;q=1.0, de;q=0.5, zh-TW;q=0.8, fr;q=0") == ["zh-Hant", "de"]
    assert parse_accept_language("en-US,en;q=0.9,ja;q=0.8") == ["en", "ja"]
    assert parse_accept_language("garbage;q=x, ,;;") == []
    assert choose_language("xx", "ja", "fr") == "ja"
    assert choose_language(None, None, None) == "en"


EN = STRINGS["en"]


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_complete_languages_have_every_string_with_the_same_placeholders() -> None:
    assert set(COMPLETE) >= {"en", "fr", "de", "zh-Hans", "zh-Hant", "ja"}
    assert set(LANGUAGE_NAMES) == set(STRINGS)
    for lang in COMPLETE:
        missing = {key for key in set(EN) - set(STRINGS[lang]) if not key.endswith("_one")}  # singulars: optional
        assert lang == "en" or missing <= {"app_name", "json"}, f"{lang} lacks {sorted(missing)}"
    for lang, table in STRINGS.items():
        assert set(table) <= set(EN), f"{lang} has keys English lacks: {set(table) - set(EN)}"
        for key, text in table.items():
            assert _placeholders(text) == _placeholders(EN[key]), (lang, key)


def test_kb_values_have_labels() -> None:
    for kind in ENTITY_TYPES:
        assert f"type_{kind}" in EN
    for kind in EVENT_TYPES:
        assert f"event_{kind}" in EN
    t = Translator("fr")
    assert t.label("event", "funding") == "financement"
    assert t.label("event", "something-new") == "something-new"
    assert t.plural("reports", 1) == "1 source" and t.plural("reports", 3) == "3 sources"
    assert Translator("ja").plural("reports", 1) == "1 件の報道"
    assert Translator("nl")("no_such_key") == "no_such_key"


def test_event_type_parameter_matches_the_model() -> None:
    assert set(get_args(EventType)) == set(EVENT_TYPES)


def test_projection_and_layout() -> None:
    assert project(0, 0) == (180, 90)
    assert project(90, -180) == (0, 0)
    empty = layout([])
    assert (empty.width, empty.height, empty.points) == (360, 180, [])
    points = [
        {"id": "ref:liege", "name": "Liège", "type": "place", "lat": 50.63, "lon": 5.57, "events": 4},
        {"id": "ref:leiden", "name": "Leiden", "type": "place", "lat": 52.16, "lon": 4.49, "events": 1},
        {"id": "ref:kobe", "name": "神戸", "type": "place", "lat": 34.69, "lon": 135.19, "events": 2},
        {"id": "ref:nowhere", "name": "No place", "type": "place", "lat": None, "lon": None, "events": 3},
    ]
    view = layout(points)
    assert [p.id for p in view.points] == ["ref:liege", "ref:kobe", "ref:leiden"]  # biggest drawn first
    assert abs(view.width - 2 * view.height) < 1e-6
    assert view.x >= 0 and view.y >= 0 and view.x + view.width <= 360 and view.y + view.height <= 180
    for p in view.points:
        assert view.x <= p.x <= view.x + view.width and view.y <= p.y <= view.y + view.height
    radii = {p.id: p.r for p in view.points}
    assert radii["ref:liege"] > radii["ref:kobe"] > radii["ref:leiden"]
    assert re.fullmatch(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+", view.view_box)
    assert any(p.labelled for p in view.points)


def test_display_filters() -> None:
    assert path_id("ent:abc/def?x") == "ent:abc%2Fdef%3Fx"
    assert http_url("https://example.org/a") == "https://example.org/a"
    for unsafe in ("javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,x", "examples/corpus/a.txt", None):
        assert http_url(unsafe) is None
    assert number(875000.0) == "875\u202f000" and number(2.5) == "2.5" and number(None) == ""


def test_tile_sources_for_the_policy() -> None:
    assert tile_source("https://{s}.tile.example.org/{z}/{x}/{y}.png") == "https://*.tile.example.org"
    assert tile_source("http://127.0.0.1:8080/tiles/{z}/{x}/{y}.png") == "http://127.0.0.1:8080"
    assert tile_source("/tiles/{z}/{x}/{y}.png") is None
    assert "img-src 'self' data:;" in content_security_policy("/tiles/{z}/{x}/{y}.png")


def test_land_outline_unwraps_rings_across_the_antimeridian() -> None:
    # One ring from 170°E to 170°W (across 180°) and one ordinary ring, quantised with scale 1 and no offset.
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[170, 60], [-340, 0], [0, -10], [340, 0], [0, 10]], [[10, 10], [1, 0], [0, 1], [-1, -1]]],
        "objects": {"land": {"geometries": [{"type": "Polygon", "arcs": [[0]]}, {"type": "Polygon", "arcs": [[1]]}]}},
    }
    svg = land_svg(topology)
    paths = re.findall(r"M[^MZ]+Z", svg)
    assert len(paths) == 3  # the crossing ring is drawn twice, shifted by 360°
    for path in paths:
        xs = [float(x) for x in re.findall(r"([-\d.]+) [-\d.]+", path)]
        assert max(xs) - min(xs) < 180, path  # no segment runs across the whole map
    assert 'viewBox="0 0 360 180"' in svg
