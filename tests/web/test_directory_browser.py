"""The directory in real Chromium: filtered from its form, paged, in English, Chinese and French, at a phone's
width (390 px) and a laptop's (1280 px), without sideways scrolling. Screenshots go to
`out/screenshots/directory-<lang>-<width>.png` for review."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bioatlas.web.catalogs import STRINGS

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"
WIDTHS = (390, 1280)


def _sideways(pg: Any) -> int:
    """How many pixels the page is wider than the window (0: no horizontal scroll)."""
    return int(pg.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "fr"])
@pytest.mark.parametrize("width", WIDTHS)
def test_directory_fits_the_screen_in_every_language(browser: Any, live_server: str, lang: str, width: int) -> None:
    context = browser.new_context(base_url=live_server, viewport={"width": width, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    try:
        pg.goto(f"/directory?lang={lang}&sort=events")
        assert pg.locator("h1").inner_text() == STRINGS[lang]["directory_title"]
        assert pg.locator("table.directory tbody tr").count() == 50
        assert _sideways(pg) == 0, f"{lang} at {width}px scrolls sideways"
        SHOTS.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(SHOTS / f"directory-{lang}-{width}.png"), full_page=False)
        pg.goto(f"/directory?lang={lang}&place=Belgium&type=company")  # long names, headquarters, funding
        assert _sideways(pg) == 0, f"{lang} at {width}px scrolls sideways with Belgian companies"
        assert not errors, errors
    finally:
        context.close()


def test_filter_and_page_from_the_form(page: Any) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/directory?lang=fr")
    page.locator("input[name=type][value=company]").check()
    page.locator("input[name=place]").fill("Wallonie")
    page.locator("select[name=sort]").select_option("name")
    page.locator("form.directory-filters button[type=submit]").click()
    page.wait_for_url(re.compile(r"/directory\?.*place=Wallonie"))
    names = page.locator("table.directory td.name a.entity").all_inner_texts()
    assert "Mithra Pharmaceuticals" in names and "Clarity Pharmaceuticals" in names  # a Liège company; a landing
    assert set(page.locator("table.directory span.badge").all_inner_texts()) == {"entreprise"}
    assert _sideways(page) == 0
    page.goto("/directory?lang=fr&type=company&per_page=20")
    first = page.locator("table.directory td.name a.entity").all_inner_texts()
    page.locator("a[rel=next]").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert "type=company" in page.url and "per_page=20" in page.url
    assert re.search(r"Page 2 sur \d+$", page.locator("p.count").inner_text())
    assert not set(first) & set(page.locator("table.directory td.name a.entity").all_inner_texts())
    assert not page.watch.errors and not page.watch.console_errors
