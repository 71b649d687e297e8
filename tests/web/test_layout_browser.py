"""Every page of the web UI in real Chromium at a phone's width (390 px) and a laptop's (1280 px): no page scrolls
sideways, the closed menu takes one line on a phone and opens to links that work, and the top menu stands on one line
at 1280 px in every UI language. One logged-in admin (so the account and user pages render and the header carries
the most) and one anonymous reader share the session's browser and kb; each keeps one tab per width.

Screenshots go to `out/screenshots/layout/<lang>-<width>-<page>.png` for review (not committed). The test Chromium may
lack CJK fonts: Chinese then shows as boxes of the same width, which changes nothing measured here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect

from bioatlas.web.i18n import Translator
from tests.web.conftest import ADMIN, log_in_page

SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots" / "layout"
PHONE, LAPTOP = 390, 1280
CLOSED_MENU_MAX = 56  # px: the bar with the menu closed, on a phone
ALL_LANGUAGES = ("en", "fr", "de", "nl", "zh-Hans", "zh-Hant", "ja", "ko")

# What the page measures in one round trip: sideways overflow, the bar's height, where each menu link stands.
MEASURE = """() => {
  const header = document.querySelector('header.topbar');
  const links = [...document.querySelectorAll('header nav li')];
  const shown = links.filter(li => li.checkVisibility({visibilityProperty: true}));
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => { const r = el.getBoundingClientRect(); return r.width > 0 && r.right > window.innerWidth + 1; })
    .filter(el => !el.closest('[style*="overflow"], .table-scroll, table, .chart-box'))
    .slice(0, 5).map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    header: header.getBoundingClientRect().height,
    tops: [...new Set(shown.map(li => li.offsetTop))],
    shown: shown.length,
    links: links.length,
    wide: wide,
  };
}"""


# The bar's items from left to right: brand, menu links, the user's name or log-in link and menu, the language menu.
BAR_ITEMS = """() => [...document.querySelectorAll(
    'header a.brand, header nav li, header .who > a, header .account-menu > summary, header .lang-menu > summary')]
  .map(el => { const r = el.getBoundingClientRect();
    return {item: el.textContent.trim().slice(0, 20), left: r.left, right: r.right, middle: (r.top + r.bottom) / 2}; })
"""


@pytest.fixture(scope="module")
def document_id(client: TestClient) -> str:
    found = client.get("/api/search", params={"q": "Clarity Pharmaceuticals chooses Liège"}).json()["documents"]
    assert found, "the example corpus should hold the Clarity landing report"
    return str(found[0]["id"])


@pytest.fixture(scope="module")
def pages(clarity: dict[str, Any], document_id: str) -> dict[str, str]:
    """Every page of the UI, each with content that makes it long or wide (results, tables, forms, charts)."""
    return {
        "home": "/",
        "search": "/search?q=Li%C3%A8ge",
        "entity": f"/entity/{clarity['id']}",
        "events": "/events",
        "document": f"/document/{document_id}",
        "map": "/map",
        "land": "/land?sector=radiopharma&stage=clinical&origin=AU",
        "pathway": "/pathway?location=Li%C3%A8ge",
        "prospects": "/prospects?for=Hong+Kong+Science+Park",
        "markets": "/markets?alliance=MAGIA&sector=medtech",
        "ingest": "/ingest",
        "login": "/login",
        "account": "/account",
        "users": "/admin/users",
        "corrections": "/corrections",
        "directory": "/directory",
        "flows": "/flows",
    }


class Tabs:
    """One browser context (one reader, logged in or not) with one tab per window width, reused across tests."""

    def __init__(self, browser: Any, base_url: str, user: str | None) -> None:
        self.context = browser.new_context(base_url=base_url, viewport={"width": LAPTOP, "height": 900})
        self.context.set_default_timeout(15_000)
        self.errors: list[str] = []
        self.tabs: dict[int, Page] = {}
        if user:
            log_in_page(self.tab(LAPTOP), user)  # at 1280 px, where the user's name stands in the bar

    def tab(self, width: int) -> Page:
        if width not in self.tabs:
            pg = self.context.new_page()
            pg.set_viewport_size({"width": width, "height": 900})
            pg.on("pageerror", lambda exc: self.errors.append(str(exc)))
            pg.on("console", lambda msg: self.errors.append(msg.text) if msg.type == "error" else None)
            self.tabs[width] = pg
        return self.tabs[width]


@pytest.fixture(scope="module")
def admin(browser: Any, live_server: str) -> Iterator[Tabs]:
    tabs = Tabs(browser, live_server, ADMIN)
    yield tabs
    tabs.context.close()


@pytest.fixture(scope="module")
def reader(browser: Any, live_server: str) -> Iterator[Tabs]:
    tabs = Tabs(browser, live_server, None)
    yield tabs
    tabs.context.close()


def visit(pg: Page, path: str, lang: str) -> dict[str, Any]:
    response = pg.goto(f"{path}{'&' if '?' in path else '?'}lang={lang}")
    assert response is not None and response.status < 400, f"{path} answered {response and response.status}"
    measured: dict[str, Any] = pg.evaluate(MEASURE)
    return measured


def shoot(pg: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


@pytest.mark.parametrize("lang", ["en", "zh-Hans", "zh-Hant", "fr"])
@pytest.mark.parametrize("width", [PHONE, LAPTOP])
def test_no_page_scrolls_sideways(admin: Tabs, pages: dict[str, str], lang: str, width: int) -> None:
    pg = admin.tab(width)
    problems = []
    for name, path in pages.items():
        got = visit(pg, path, lang)
        shoot(pg, f"{lang}-{width}-{name}")
        if got["scrollWidth"] > got["innerWidth"]:
            problems.append(f"{name}: {got['scrollWidth']}px wide in a {got['innerWidth']}px window ({got['wide']})")
        if width == PHONE:
            if got["header"] > CLOSED_MENU_MAX:
                problems.append(f"{name}: the closed menu is {got['header']}px tall")
            if got["shown"]:
                problems.append(f"{name}: {got['shown']} menu links show before the menu is opened")
        else:
            if got["shown"] != got["links"] or len(got["tops"]) != 1 or got["header"] > CLOSED_MENU_MAX:
                problems.append(f"{name}: the menu is not one line ({got})")
    assert not problems, "\n".join(problems)
    assert not admin.errors, admin.errors


@pytest.mark.parametrize("lang", ALL_LANGUAGES)
def test_the_top_menu_is_one_line_at_1280_px(admin: Tabs, reader: Tabs, lang: str) -> None:
    for who, tabs in (("admin", admin), ("reader", reader)):
        pg = tabs.tab(LAPTOP)
        got = visit(pg, "/directory", lang)
        assert got["shown"] == got["links"] == 10, f"{who} in {lang}: not every menu link shows ({got})"
        assert len(got["tops"]) == 1, f"{who} in {lang}: the menu wraps onto {len(got['tops'])} lines"
        assert got["header"] <= CLOSED_MENU_MAX, f"{who} in {lang}: the bar is {got['header']}px tall"
        assert got["scrollWidth"] <= got["innerWidth"], f"{who} in {lang}: the page scrolls sideways ({got})"
        # the brand, the menu, the user's links and the language menu side by side in the bar, none over another
        boxes = pg.evaluate(BAR_ITEMS)
        for left, right in pairwise(boxes):
            assert left["right"] <= right["left"] + 0.5, f"{who} in {lang}: {left} overlaps {right}"
        assert boxes[-1]["right"] <= LAPTOP and len({round(box["middle"]) for box in boxes}) == 1, boxes
        shoot(pg, f"menu-{who}-{lang}-{LAPTOP}")
    assert not admin.errors and not reader.errors, admin.errors + reader.errors


@pytest.mark.parametrize("lang", ["en", "zh-Hant", "zh-Hans", "fr"])
def test_the_phone_menu_opens_and_its_links_work(admin: Tabs, reader: Tabs, lang: str) -> None:
    t = Translator(lang)
    pg = reader.tab(PHONE)
    visit(pg, "/", lang)
    menu = pg.locator("header details.site-menu")
    events_link = menu.locator("nav").get_by_role("link", name=t("nav_events"), exact=True)
    expect(events_link).to_be_hidden()
    menu.locator("summary").click()
    expect(events_link).to_be_visible()
    opened = pg.evaluate(MEASURE)
    assert opened["shown"] == opened["links"] == 10, opened
    assert opened["scrollWidth"] <= PHONE, f"the open menu widens the page: {opened}"
    panel = menu.locator(".menu-panel").bounding_box()
    assert panel is not None and panel["x"] >= 0 and panel["x"] + panel["width"] <= PHONE, panel
    expect(menu.get_by_role("link", name=t("log_in"))).to_be_visible()
    shoot(pg, f"menu-open-reader-{lang}-{PHONE}")
    events_link.click()
    pg.wait_for_url(re.compile(r"/events"))
    expect(pg.get_by_role("heading", level=1)).to_have_text(t("events_title"))
    expect(pg.locator("header details.site-menu")).not_to_have_attribute("open", "")  # a new page: closed again

    # A logged-in admin finds the account, user and API links in the same panel.
    pg = admin.tab(PHONE)
    visit(pg, "/events", lang)
    pg.locator("header details.site-menu > summary").click()
    who = pg.locator("header .who")
    expect(who.locator("a.user")).to_have_text(ADMIN)
    expect(who.get_by_role("button", name=t("log_out"))).to_be_visible()
    expect(who.get_by_role("link", name=t("nav_docs"))).to_be_visible()
    assert pg.evaluate("document.documentElement.scrollWidth") <= PHONE
    shoot(pg, f"menu-open-admin-{lang}-{PHONE}")
    who.get_by_role("link", name=t("nav_users")).click()
    pg.wait_for_url(re.compile(r"/admin/users"))
    expect(pg.locator("table.users")).to_be_visible()
    assert not admin.errors and not reader.errors, admin.errors + reader.errors


def test_the_account_menu_at_1280_px(admin: Tabs) -> None:
    pg = admin.tab(LAPTOP)
    visit(pg, "/map", "de")
    t = Translator("de")
    account = pg.locator("header details.account-menu")
    expect(account.get_by_role("button", name=t("log_out"))).to_be_hidden()
    account.locator("summary").click()
    expect(account.get_by_role("button", name=t("log_out"))).to_be_visible()
    account.get_by_role("link", name=t("nav_docs")).click()
    pg.wait_for_url(re.compile(r"/docs"))
    expect(pg.locator(".swagger-ui")).to_be_visible()
