"""The web UI in a real browser (Debian's chromium driven by playwright), used the way an analyst would."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page, expect

from bioatlas.web.app import create_app
from tests.web.conftest import ANALYST, web_settings


def search_from_form(page: Page, query: str) -> None:
    page.goto("/")
    page.get_by_role("searchbox").fill(query)
    page.get_by_role("searchbox").press("Enter")
    expect(page.locator("section.documents h2")).to_be_visible()


def result_titles(page: Page) -> list[str]:
    return page.locator(".result h3 a").all_inner_texts()


def assert_clean(page: Page) -> None:
    watch = page.watch  # type: ignore[attr-defined]
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
    assert watch.errors == [], f"script errors: {watch.errors}"
    assert watch.console_errors == [], f"console errors (CSP violations show here): {watch.console_errors}"


def test_search_in_english_from_the_form(page: Page) -> None:
    search_from_form(page, "Liège")
    expect(page).to_have_url(re.compile(r"/search\?q=Li(%C3%A8|è)ge"))
    assert "Clarity Pharmaceuticals chooses Liège for its first European subsidiary" in result_titles(page)
    expect(page.locator(".snippet mark").filter(has_text=re.compile("^liège$", re.IGNORECASE)).first).to_be_visible()
    assert_clean(page)


def test_search_in_chinese_from_the_form(page: Page) -> None:
    search_from_form(page, "罗氏")
    titles = result_titles(page)
    assert any("羅氏" in title for title in titles), titles  # simplified query, traditional page
    search_from_form(page, "列日")
    assert any("列日" in title for title in result_titles(page))
    assert_clean(page)


def test_entity_page_from_search(page: Page, clarity: dict[str, Any]) -> None:
    search_from_form(page, "Clarity Pharmaceuticals")
    page.locator("section.entities").get_by_role("link", name="Clarity Pharmaceuticals", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clarity Pharmaceuticals")
    languages = page.locator("#names th .lang-tag").all_inner_texts()
    assert len(languages) >= 2 and "en" in languages, languages
    expect(page.locator("#figures blockquote.evidence").first).to_be_visible()
    expect(page.locator("#timeline article.event").first).to_be_visible()
    expect(page.locator("p.login-to-write a")).to_be_visible()  # anonymous readers are offered a log-in, no form
    assert_clean(page)
    page.locator("#figures a.doc-link").first.click()
    expect(page).to_have_url(re.compile(r"/document/"))
    expect(page.locator("article.doc-text")).to_be_visible()


def test_document_page_highlights_mentions_and_shows_boilerplate(page: Page) -> None:
    search_from_form(page, "Clarity Pharmaceuticals chooses Liège")
    page.get_by_role("link", name="Clarity Pharmaceuticals chooses Liège for its first European subsidiary").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Clarity Pharmaceuticals chooses Liège")
    mentions = page.locator("article.doc-text a.mention")
    expect(mentions.first).to_be_visible()
    assert "Clarity Pharmaceuticals" in mentions.all_inner_texts()
    boilerplate = page.locator("#boilerplate")
    boilerplate.locator("summary").click()
    expect(boilerplate.get_by_role("cell", name="Skip to main content")).to_be_visible()
    expect(boilerplate).to_contain_text("boilerplate: skip link")
    assert_clean(page)
    page.locator("article.doc-text a.mention", has_text="Clarity Pharmaceuticals").first.click()
    expect(page).to_have_url(re.compile(r"/entity/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Clarity Pharmaceuticals")


def test_map_draws_points_offline(page: Page) -> None:
    expected = page.request.get("/api/map").json()["count"]
    page.goto("/map")
    svg = page.locator("svg#offline-map")
    expect(svg).to_be_visible()
    expect(svg.locator("circle")).to_have_count(expected)
    assert expected >= 1
    box = svg.bounding_box()
    assert box and box["width"] > 300 and box["height"] > 150
    assert page.locator("svg#offline-map image.land").count() == 1
    assert_clean(page)  # the land outline came from this server: no network needed
    svg.locator("a.point").first.click()
    expect(page).to_have_url(re.compile(r"/entity/"))


def test_tile_map_uses_vendored_leaflet_and_still_works_without_tiles(
    browser: Any, kb_url: str, serve_app: Any
) -> None:
    # Tiles from a path that does not exist: the page must still show both maps.
    app = create_app(kb_url, settings=web_settings(tile_url="/no-tiles/{z}/{x}/{y}.png"))
    with serve_app(app) as base_url:
        context = browser.new_context(base_url=base_url)
        try:
            page = context.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            expected = page.request.get("/api/map").json()["count"]
            page.goto("/map")
            expect(page.locator("#tile-map.leaflet-container")).to_be_visible()
            expect(page.locator("#tile-map path.tile-point")).to_have_count(expected)
            expect(page.locator("svg#offline-map circle")).to_have_count(expected)
            assert errors == []
        finally:
            context.close()


def test_events_page_filters_by_type(page: Page) -> None:
    page.goto("/events")
    everything = page.locator("article.event").count()
    page.get_by_label("funding").check()
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"type=funding"))
    events = page.locator("article.event")
    expect(events.first).to_be_visible()
    kinds = {events.nth(i).get_attribute("data-type") for i in range(events.count())}
    assert kinds == {"funding"} and events.count() < everything
    expect(page.get_by_label("funding")).to_be_checked()
    expect(events.first.locator("blockquote.evidence").first).to_be_attached()
    assert_clean(page)


def test_ingest_page_lists_a_skipped_upload(analyst_page: Page) -> None:
    page = analyst_page
    page.goto("/ingest")
    page.locator("#files").set_input_files(
        [
            {"name": "blank-upload.txt", "mimeType": "text/plain", "buffer": b"  \n \n"},
            {"name": "good-upload.txt", "mimeType": "text/plain", "buffer": "Lyonbiopôle signe avec BioWin.".encode()},
        ]
    )
    page.get_by_role("button", name="Upload and ingest").click()
    result = page.locator("#result")
    expect(result).to_contain_text("blank-upload.txt")
    expect(result.locator("ul.skipped")).to_contain_text("whitespace")
    row = page.locator("#log tr", has_text="blank-upload.txt").first
    expect(row).to_contain_text("skipped")
    assert_clean(page)


def test_hostile_document_is_shown_as_text(analyst_page: Page, hostile_jsonl: bytes) -> None:
    page = analyst_page
    page.goto("/ingest")
    page.locator("#files").set_input_files(
        [{"name": "hostile-browser.jsonl", "mimeType": "application/json", "buffer": hostile_jsonl}]
    )
    page.get_by_role("button", name="Upload and ingest").click()
    page.locator("#result").get_by_role("link", name="hostile-browser.jsonl").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("<img src=x onerror=alert('title')>")
    expect(page.locator("article.doc-text")).to_contain_text("<img src=x onerror=alert(1)>")
    expect(page.locator("article.doc-text")).to_contain_text("<script>alert('xss')</script>")
    page.wait_for_timeout(300)  # give any injected handler the time to fire
    assert page.locator("main img, main script, main iframe").count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    assert_clean(page)


def test_language_switcher_and_browser_language(page: Page, browser: Any, live_server: str) -> None:
    page.goto("/")
    page.locator("details.lang-menu summary").click()
    page.get_by_role("link", name="Français").click()
    expect(page.locator("header nav")).to_contain_text("Recherche")
    page.get_by_role("link", name="Événements").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Événements")  # remembered in a cookie
    context = browser.new_context(base_url=live_server, locale="zh-TW")
    try:
        taiwan = context.new_page()
        taiwan.goto("/map")
        expect(taiwan.get_by_role("heading", level=1)).to_have_text("地圖")
        expect(taiwan.locator("html")).to_have_attribute("lang", "zh-Hant")
    finally:
        context.close()


def test_api_docs_work_offline(page: Page) -> None:
    page.goto("/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    expect(page.locator(".swagger-ui")).to_contain_text("/api/search")
    assert_clean(page)  # the inline start-up script is allowed by its hash, nothing else is needed


def test_merge_and_undo_from_the_entity_page(analyst_page: Page, two_entities: tuple[str, str]) -> None:
    page = analyst_page
    keep, other = two_entities
    page.goto(f"/entity/{keep}")
    page.locator("#from_id").fill(other)
    page.get_by_role("button", name="Same entity: merge into this one").click()
    merge = page.locator("#merges li.merge:not(.undone)", has_text=ANALYST)  # the logged-in user decided
    expect(merge).to_be_visible()
    merge.get_by_role("button", name="Undo").click()
    expect(page.locator("#merges li.merge.undone", has_text=ANALYST).first).to_be_visible()
    page.goto(f"/entity/{other}")
    expect(page).to_have_url(re.compile(re.escape(other.split(":")[-1])))
    assert_clean(page)
