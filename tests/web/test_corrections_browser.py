"""Correcting an event in a real browser (Debian's chromium): an analyst opens the event's "Correct" form on the
events page (in French), types a new date and a reason, saves; the page comes back with the corrected date marked,
the entity page shows it too, the history page lists it and undoes it. The name suggestions fill the role form's
list as the analyst types (列日 → Liège). At 390 px the open form does not scroll the page sideways."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bioatlas import accounts
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.web.app import create_app
from tests.kb.test_corrections import CLARITY, PAGES
from tests.web.conftest import web_settings

ANALYST, PASSWORD = "Amélie Dubois", "un mot de passe assez long 長長的密碼"
SHOTS = Path(__file__).resolve().parents[2] / "out" / "screenshots"  # for review (git-ignored)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, serve_app: Any) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("corrections-browser")
    url = f"sqlite:///{folder}/kb.db"
    store = Store(url)
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAGES), encoding="utf-8")
    assert ingest_paths(store, [str(feed)]).statuses["added"] == len(PAGES)
    accounts.create_user(store, ANALYST, PASSWORD, "analyst")
    with serve_app(create_app(url, settings=web_settings())) as base:
        yield base
    store.engine.dispose()


@pytest.fixture
def analyst(browser: Any, site: str) -> Iterator[Page]:
    context = browser.new_context(base_url=site, locale="fr-BE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    pg.goto("/login")
    pg.locator("#username").fill(ANALYST)
    pg.locator("#password").fill(PASSWORD)
    pg.locator("#login-form button[type=submit]").click()
    pg.wait_for_url(re.compile(r"/$"))
    yield pg
    assert errors == [], errors  # no script error, no CSP violation
    context.close()


def _clarity_card(pg: Page) -> Any:
    return pg.locator("article.event").filter(has=pg.locator(f'a[href="/entity/{CLARITY}"]'))


def test_an_analyst_corrects_a_date_through_the_page_and_undoes_it(analyst: Page) -> None:
    pg = analyst
    pg.goto("/events?lang=fr")
    card = _clarity_card(pg)
    expect(card.locator("time.date")).to_have_text("2021-05-12*")
    card.locator("details.correct > summary").click()
    form = card.locator('form[data-field="date"]')
    form.locator('input[name="value"]').fill("2020-11-30")
    form.locator('input[name="reason"]').fill("Le communiqué officiel date du 30 novembre 2020")
    form.locator("button[type=submit]").click()
    pg.wait_for_url(re.compile(r"/events\?lang=fr$"))
    card = _clarity_card(pg)
    expect(card.locator("time.date.corrected")).to_have_text("2020-11-30")
    expect(card.locator(".correction-mark")).to_contain_text("Le communiqué officiel date du 30 novembre 2020")
    expect(card.locator(".correction-mark .badge.corrected")).to_have_text("corrigé")
    SHOTS.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SHOTS / "correction-event-fr.png"))
    pg.goto(f"/entity/{CLARITY}?lang=zh-Hans")
    expect(pg.locator("#timeline time.date.corrected")).to_have_text("2020-11-30")
    pg.goto("/corrections?lang=zh-Hant")
    row = pg.locator("tr.correction").first
    expect(row).to_contain_text("Le communiqué officiel date du 30 novembre 2020")
    row.locator("button[type=submit]").click()
    expect(pg.locator("tr.correction.undone")).to_have_count(1)
    expect(pg.locator("tr.correction.undone .undone-at")).to_contain_text("由 Amélie Dubois 於")
    pg.goto("/events?lang=fr")
    expect(_clarity_card(pg).locator("time.date")).to_have_text("2021-05-12*")


def test_the_role_form_suggests_names_and_fits_a_phone(analyst: Page) -> None:
    pg = analyst
    pg.set_viewport_size({"width": 390, "height": 844})
    pg.goto("/events?lang=zh-Hans")
    card = _clarity_card(pg)
    card.locator("details.correct > summary").click()
    add = card.locator('form[data-field="role"] input[name="add"]')
    add.fill("列日")
    list_id = add.get_attribute("list")
    expect(pg.locator(f'datalist[id="{list_id}"] option[value="Liège [ref:liege]"]')).to_have_count(1)
    wide = pg.evaluate("document.documentElement.scrollWidth")
    assert wide <= 390, f"the page scrolls sideways at 390 px: {wide}px wide"
    SHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SHOTS / "correction-form-390-zh-Hans.png"), full_page=False)
