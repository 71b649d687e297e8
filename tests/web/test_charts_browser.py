"""The charts in real Chromium: each chart page draws a visible SVG at a phone's width (390 px) and a laptop's
(1280 px), in English, Chinese and French, the chart inside the window (no sideways scroll); the map zooms and its
markers do not cover each other. Screenshots go to `out/screenshots/chart-<page>-<lang>-<width>.png` for review."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from bioatlas.web.catalogs import STRINGS

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
WIDTHS = (390, 1280)
# page name -> (address, the chart's selector, whether the whole page must fit: on /events, /land and /pathway a
# form's select or an indicator table is still wider than a phone, which another part of the work fits; their
# charts must fit whatever the page does)
PAGES = {
    "events": ("/events?place=Belgium", "svg.chart.timeline", False),
    "flows": ("/flows", "svg.chart.flows", True),
    "map": ("/map?type=landing", "svg#offline-map", True),
    "pathway": ("/pathway?location=Liège", "svg.chart.pathway", False),
    "land": ("/land?sector=radiopharma", "svg.chart.comparison", False),
}


def _sideways(pg: Any) -> int:
    return int(pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def _open(browser: Any, live_server: str, width: int) -> tuple[Any, Any, list[str]]:
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.on("dialog", lambda dialog: (errors.append(dialog.message), dialog.dismiss()))
    return context, pg, errors


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "fr"])
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(PAGES))
def test_chart_is_visible_and_fits(browser: Any, live_server: str, name: str, lang: str, width: int) -> None:
    path, selector, whole_page = PAGES[name]
    context, pg, errors = _open(browser, live_server, width)
    try:
        pg.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
        chart = pg.locator(f"{selector}:visible").first
        chart.scroll_into_view_if_needed()
        box = chart.bounding_box()
        assert box and box["width"] > 200 and box["height"] > 40, box
        window = int(pg.evaluate("document.documentElement.clientWidth"))
        assert box["x"] >= 0 and box["x"] + box["width"] <= window + 1, f"{name} chart overflows at {width}px"
        if whole_page:
            assert _sideways(pg) == 0, f"{name} scrolls sideways at {width}px in {lang}"
        title = chart.locator("title").first.text_content() or ""
        if name != "map":
            assert title.strip() and title in set(STRINGS[lang].values()), title
        assert not errors, errors
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"chart-{name}-{lang}-{width}.png"))
    finally:
        context.close()


def test_entity_timeline_in_traditional_chinese(browser: Any, live_server: str, clarity: dict[str, Any]) -> None:
    for width in WIDTHS:
        context, pg, errors = _open(browser, live_server, width)
        try:
            pg.goto(f"/entity/{clarity['id']}?lang=zh-Hant")
            chart = pg.locator("svg.chart.timeline")
            chart.scroll_into_view_if_needed()
            assert chart.is_visible()
            assert (chart.locator("title").first.text_content() or "") == STRINGS["zh-Hant"]["chart_timeline_title"]
            assert chart.locator("rect.mark").count() >= 1
            box = chart.bounding_box()  # the names table of the page is another part's to fit; the chart must fit
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, box
            assert not errors, errors
            pg.screenshot(path=str(SHOTS / f"chart-entity-zh-Hant-{width}.png"))
        finally:
            context.close()


def test_pathway_shows_a_row_on_laptops_and_a_column_on_phones(browser: Any, live_server: str) -> None:
    for width, visible in ((1280, "#pathway-row"), (390, "#pathway-column")):
        context, pg, errors = _open(browser, live_server, width)
        try:
            pg.goto("/pathway?location=Liège&lang=fr")
            assert not errors, errors
            assert pg.locator(visible).is_visible()
            assert pg.locator("svg.chart.pathway:visible").count() == 1
            stages = pg.locator(f"{visible} g.stage")
            assert stages.count() == pg.locator("ol.pathway li.stage").count() >= 4
            first = pg.locator(f"{visible} a").first
            first.click()  # a stage leads to its section of the page
            assert "#stage-" in pg.url
        finally:
            context.close()


def test_map_zooms_spreads_points_and_keeps_counts(browser: Any, live_server: str) -> None:
    context, pg, errors = _open(browser, live_server, 1280)
    try:
        pg.goto("/map?type=landing&lang=fr")
        svg = pg.locator("svg#offline-map")
        svg.scroll_into_view_if_needed()
        before = svg.get_attribute("viewBox")
        circles = svg.locator("a.point circle")
        assert circles.count() == len(pg.request.get("/api/map?type=landing").json()["points"]) >= 3

        def overlaps() -> int:
            return int(
                pg.evaluate(
                    """() => { const c = [...document.querySelectorAll('#offline-map a.point circle')]
                      .map(e => e.getBoundingClientRect()).map(r => [r.x + r.width / 2, r.y + r.height / 2, r.width / 2]);
                      let n = 0; for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) {
                        if (Math.hypot(c[i][0] - c[j][0], c[i][1] - c[j][1]) < c[i][2] + c[j][2] - 1) n++; }
                      return n; }"""
                )
            )

        assert overlaps() == 0
        radius = float(circles.first.get_attribute("r") or 0)
        pg.get_by_role("button", name=STRINGS["fr"]["map_zoom_in"]).click()
        pg.get_by_role("button", name=STRINGS["fr"]["map_zoom_in"]).click()
        after = svg.get_attribute("viewBox")
        assert before != after
        assert float((after or "0 0 0 0").split()[2]) == pytest.approx(float((before or "0 0 0 0").split()[2]) / 4)
        assert float(circles.first.get_attribute("r") or 0) == pytest.approx(radius / 4, rel=1e-3)  # same size
        assert overlaps() == 0
        pg.get_by_role("button", name=STRINGS["fr"]["map_zoom_reset"]).click()
        assert [float(v) for v in (svg.get_attribute("viewBox") or "").split()] == [
            float(v) for v in (before or "").split()
        ]
        first_row = pg.locator("table.points-table tbody tr").first
        count = int(first_row.locator("td.num a").inner_text())
        first_row.locator("td.num a").click()  # the count links to the events it counts, with the same filters
        pg.wait_for_url("**/events?*type=landing*")
        assert pg.locator("article.event").count() == count
        assert not errors, errors
    finally:
        context.close()
