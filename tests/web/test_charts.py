"""The SVG builders of `web.charts` and the map layout on their own: well-formed SVG whatever the data, every
label escaped, nothing drawn out of its box, markers that do not cover each other."""

from __future__ import annotations

import itertools
import math
import xml.etree.ElementTree as ET

import pytest

from bioatlas.web import charts
from bioatlas.web.mapview import layout

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert('x')</script> & \"Ünïcode\" 生物科技 生物科技"


def parse(svg: str) -> ET.Element:
    """The SVG as XML (raises when it is not well formed), after checking no markup leaked through."""
    assert "<script" not in svg, "a label was written as markup"
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img" and root.get("aria-labelledby")
    assert root.find(f"{SVG}title") is not None and root.find(f"{SVG}desc") is not None
    return root


def texts(root: ET.Element) -> str:
    return " ".join("".join(el.itertext()) for el in root.iter(f"{SVG}text"))


def view_width(root: ET.Element) -> float:
    return float((root.get("viewBox") or "").split()[2])


def test_timeline_escapes_hostile_labels_and_keeps_their_text() -> None:
    series = [charts.Series("landing", HOSTILE), charts.Series("funding<b>", "financement")]
    svg = charts.timeline_svg(
        ["2017", "2019"],
        series,
        {("2017", "landing"): 3, ("2019", "funding<b>"): 1},
        title=HOSTILE,
        desc=HOSTILE,
        axis_years="Année",
        axis_count="Événements",
        empty="rien",
    )
    root = parse(svg)
    assert root.findtext(f"{SVG}title") == HOSTILE  # escaped in the markup, the same text once read
    assert HOSTILE in texts(root)  # the legend
    marks = [r for r in root.iter(f"{SVG}rect") if "mark" in (r.get("class") or "")]
    assert len(marks) == 2
    assert {m.findtext(f"{SVG}title") for m in marks} == {f"2017 · {HOSTILE}: 3", "2019 · financement: 1"}
    assert "2018" in texts(root)  # a year without events is a gap, not left out


def test_timeline_of_nothing_says_so() -> None:
    root = parse(charts.timeline_svg([], [], {}, title="t", desc="d", axis_years="y", axis_count="n", empty="无事件"))
    assert "无事件" in texts(root)
    assert not list(root.iter(f"{SVG}rect"))


def test_timeline_of_one_year() -> None:
    root = parse(
        charts.timeline_svg(
            ["2021"],
            [charts.Series("landing", "landing")],
            {("2021", "landing"): 1},
            title="t",
            desc="d",
            axis_years="y",
            axis_count="n",
            empty="e",
        )
    )
    bars = [r for r in root.iter(f"{SVG}rect") if "mark" in (r.get("class") or "")]
    assert len(bars) == 1 and float(bars[0].get("height") or 0) > 0
    assert "2021" in texts(root)


def test_timeline_with_many_types_and_a_century_keeps_inside_its_box() -> None:
    kinds = [charts.Series(f"type{i}", f"Catégorie numéro {i}") for i in range(12)]
    counts = {(str(y), k.key): (y * 7 + i) % 5 for y in range(1900, 2026) for i, k in enumerate(kinds)}
    years = sorted({y for y, _ in counts})
    root = parse(
        charts.timeline_svg(years, kinds, counts, title="t", desc="d", axis_years="y", axis_count="n", empty="e")
    )
    width = view_width(root)
    assert width <= 720  # shrinks to a phone's width without unreadable crowding
    for el in root.iter(f"{SVG}rect"):
        x, w = float(el.get("x") or 0), float(el.get("width") or 0)
        assert w >= 0 and x + w <= width + 1
    legend = "".join(root.find(f"{SVG}g").itertext())  # type: ignore[union-attr]
    assert all(k.label in legend for k in kinds)  # twelve colours: the palette repeats, every name is written
    assert "≤1946" in texts(root)  # years beyond MAX_YEARS fold into the first bar, said on its label
    folded = sum(n for (y, _), n in counts.items() if int(y) <= 1946)
    first = next(g for g in root.iter(f"{SVG}g") if g.get("data-year") == "1946")
    assert sum(int(t.text or 0) for t in first.iter(f"{SVG}text") if t.get("class") == "total") == folded


def test_flows_escape_names_and_gather_the_rest() -> None:
    flows = [
        charts.Flow(f"Origin {i}", HOSTILE if i == 0 else f"Dest {i}", 20 - i, f"/events?place={i}") for i in range(15)
    ]
    root = parse(
        charts.flow_svg(
            flows,
            title="Flux",
            desc="d",
            origin_title="Origine",
            destination_title="Destination",
            empty="rien",
            other="autres",
            most=5,
        )
    )
    nodes = [t for t in root.iter(f"{SVG}text") if t.find(f"{SVG}tspan") is not None]
    labels = ["".join(t.itertext()) for t in nodes]
    assert sum("autres" in label for label in labels) == 2  # one "other" on each side
    assert len(nodes) == 12  # five busiest and "other", on both sides
    bands = list(root.iter(f"{SVG}path"))
    assert any((b.findtext(f"{SVG}title") or "").startswith("Origin 0 → <script>") for b in bands)
    links = [a.get("href") for a in root.iter(f"{SVG}a")]
    assert "/events?place=0" in links


def test_flows_of_nothing() -> None:
    root = parse(
        charts.flow_svg([], title="t", desc="d", origin_title="o", destination_title="d", empty="没有", other="x")
    )
    assert "没有" in texts(root)


def test_pathway_stages_in_a_row_and_a_column() -> None:
    stages = [
        charts.Stage("discovery", "Soutien à la R&D", True, 3, "couverte", "3 prestataires", "#stage-discovery"),
        charts.Stage("clinical", HOSTILE, False, 0, "non couverte", "0 prestataire"),
    ]
    for vertical in (False, True):
        root = parse(charts.pathway_svg(stages, title="t", desc="d", vertical=vertical))
        groups = [g for g in root.iter(f"{SVG}g") if g.get("data-stage")]
        assert [g.get("class") for g in groups] == ["stage covered", "stage uncovered"]
        assert "Soutien à la R&D" in texts(root)
        assert [a.get("href") for a in root.iter(f"{SVG}a")] == ["#stage-discovery"]


def test_comparison_writes_missing_values_and_escapes_names() -> None:
    measures = [
        charts.Measure("score", "Score", [0.8, 0.5]),
        charts.Measure("talent", "Talents", [None, 0.25]),
    ]
    root = parse(
        charts.comparison_svg(
            [HOSTILE, "Liège"], measures, title="t", desc="d", missing="données manquantes", empty="e"
        )
    )
    assert "données manquantes" in texts(root)
    assert len([r for r in root.iter(f"{SVG}rect") if r.get("class") == "mark"]) == 3
    assert "0.25" in texts(root)


@pytest.mark.parametrize("text", ["Liège", "列日生物科技园区", "Biotechnologie-Zentrum Nordrhein-Westfalen"])
def test_wrap_and_clip_stay_within_the_width(text: str) -> None:
    for line in charts.wrap(text, 100):
        assert charts.text_width(line) <= 100 or len(line) == 1
    assert charts.text_width(charts.clip(text, 60)) <= 60


def test_map_markers_do_not_cover_each_other() -> None:
    # twelve places within a few kilometres (a science park district), two at the very same spot
    points = [
        {
            "id": f"ref:p{i}",
            "name": f"Park {i}",
            "type": "park" if i % 2 else "place",
            "lat": 50.6 + i * 0.01,
            "lon": 5.5 + (i % 3) * 0.01,
            "events": 1 + i,
        }
        for i in range(12)
    ] + [{"id": "ref:same", "name": "Same spot", "type": "place", "lat": 50.6, "lon": 5.5, "events": 1}]
    view = layout(points)
    for a, b in itertools.combinations(view.points, 2):
        assert math.hypot(a.shown_x - b.shown_x, a.shown_y - b.shown_y) >= a.r + b.r - 1e-6, (a.id, b.id)
    busiest = max(view.points, key=lambda p: p.events)
    assert not busiest.moved  # the busiest place stays where it is
    assert any(p.moved for p in view.points)
    assert {p.marker for p in view.points} == {"circle", "square"}
    assert layout(points).points[0].dx == view.points[0].dx  # the same layout on every run
