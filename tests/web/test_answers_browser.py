"""The four answer pages in a real browser (Debian's chromium): fill each form, submit, read and follow the results."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

MAGIA_MEMBERS = ("BioWin", "Lyonbiopôle", "bioPmed", "Life Science Nord")


def assert_clean(page: Page, status: int | None = None) -> None:
    """No dialog, no script error, no console error (CSP violations show there) but the page's own status."""
    watch = page.watch  # type: ignore[attr-defined]
    assert watch.dialogs == [], f"a dialog opened: {watch.dialogs}"
    assert watch.errors == [], f"script errors: {watch.errors}"
    expected = f"the server responded with a status of {status}" if status else None
    others = [e for e in watch.console_errors if not (expected and expected in e)]
    assert others == [], f"console errors (CSP violations show here): {others}"


def liege_rank(page: Page) -> int:
    liege = page.locator('li.ranked[data-id="ref:liege"]')
    expect(liege).to_be_visible()
    return int(liege.get_attribute("data-rank") or "0")


def test_land_form_ranks_liege_or_wallonia_and_cites_clarity(page: Page) -> None:
    page.goto("/land")
    page.get_by_label("Radiopharmaceuticals").check()
    page.locator("#stage").select_option("clinical")
    page.locator("#origin").select_option("AU")
    for need in ("GMP production", "clinical trials", "European Union"):
        page.get_by_label(need, exact=True).check()
    page.get_by_role("button", name="Rank locations").click()
    expect(page).to_have_url(re.compile(r"sector=radiopharma.*stage=clinical.*origin=AU"))
    ranked = page.locator("li.ranked")
    expect(ranked.first).to_be_visible()
    top3 = [ranked.nth(i).get_attribute("data-id") for i in range(3)]
    assert {"ref:liege", "ref:wallonia"} & set(top3), top3
    expect(ranked.first.locator(".stability")).to_be_visible()
    belgian = page.locator('li.ranked[data-id="ref:liege"], li.ranked[data-id="ref:wallonia"]').first
    track = belgian.locator('tr[data-indicator="track_record"]')
    expect(track.locator("td.value")).not_to_have_text("missing data")
    before = liege_rank(page)
    assert_clean(page)

    # Raising the weight of the track record keeps Liège where it was, or higher.
    expect(page.locator("#w_track_record")).to_have_value("1")
    page.locator("#w_track_record").fill("3")
    page.get_by_role("button", name="Rank locations").click()
    expect(page).to_have_url(re.compile(r"w_track_record=3"))
    expect(page.locator("#w_track_record")).to_have_value("3")
    assert liege_rank(page) <= before
    expect(page.locator('li.ranked[data-id="ref:liege"] tr[data-indicator="track_record"] td.weight')).to_have_text(
        "×3"
    )

    # A landing report of Clarity Pharmaceuticals is cited: open it, with the sentence marked.
    belgian = page.locator('li.ranked[data-id="ref:liege"], li.ranked[data-id="ref:wallonia"]').first
    cited = belgian.locator('tr[data-indicator="track_record"] ul.evidence-list').first
    cited.locator("li.ev-document", has_text="Clarity").first.locator("a.doc-link").click()
    expect(page).to_have_url(re.compile(r"/document/[^?]+\?mark=\d+-\d+#evidence"))
    expect(page.locator("article.doc-text mark#evidence")).to_be_visible()
    expect(page.locator("article.doc-text")).to_contain_text("Clarity")
    assert_clean(page)


def test_land_form_gives_bad_input_back_with_a_message(page: Page) -> None:
    page.goto("/land?sector=astrology&origin=AU")
    expect(page.get_by_role("alert")).to_contain_text("astrology")
    expect(page.locator("#land-form")).to_be_visible()
    expect(page.locator("li.ranked")).to_have_count(0)
    assert_clean(page, status=400)


def test_pathway_form_for_liege(page: Page) -> None:
    page.goto("/pathway")
    page.get_by_label("Location").fill("Liège")
    page.get_by_role("button", name="Show the pathway").click()
    expect(page.get_by_role("heading", level=2)).to_have_text("Concept to market in Liège")
    stages = page.locator("ol.pathway > li.stage")
    expect(stages).to_have_count(5)
    rd = page.locator("#stage-rd-support")
    expect(rd).to_have_class(re.compile(r"\bcovered\b"))
    expect(rd.locator(".stage-status")).to_contain_text("covered")
    expect(rd.locator("li.provider.local").first).to_be_visible()
    uncovered = page.locator("li.stage.uncovered")
    if uncovered.count():
        expect(page.locator(".uncovered-summary")).to_be_visible()
        expect(uncovered.first.locator(".stage-status")).to_contain_text("not covered")
    assert_clean(page)
    rd.locator("li.provider.local a.entity").first.click()
    expect(page).to_have_url(re.compile(r"/entity/ref:"))


def test_prospects_form_for_hong_kong_science_park_and_the_csv(page: Page) -> None:
    page.goto("/prospects")
    page.get_by_label("Park, cluster or agency").fill("Hong Kong Science Park")
    page.get_by_role("button", name="Rank companies").click()
    companies = page.locator("li.ranked")
    expect(companies.first).to_be_visible()
    expect(companies.first.locator("h3 a.entity")).to_be_visible()
    expect(companies.first.locator('tr[data-indicator="fit"]')).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("prospects-hong-kong-science")
    path = download.path()
    assert path is not None
    lines = path.read_text(encoding="utf-8-sig").splitlines()  # the file starts with a byte-order mark
    assert lines[0].startswith("rank,company,country,score")
    assert len(lines) - 1 == companies.count()
    assert_clean(page)


def test_markets_form_for_magia_in_medtech(page: Page) -> None:
    page.goto("/markets")
    page.get_by_label("Alliance or cluster").fill("MAGIA")
    page.locator("#sector").select_option("medtech")
    page.get_by_role("button", name="Rank markets").click()
    members = page.locator("ul.members li")
    expect(members).to_have_count(4)
    for member in MAGIA_MEMBERS:
        expect(page.locator("ul.members")).to_contain_text(member)
    countries = page.locator("li.ranked")
    expect(countries.first).to_be_visible()
    expect(countries.first.locator("table.indicators")).to_be_visible()
    assert_clean(page)


def test_answer_pages_in_japanese(page: Page) -> None:
    page.goto("/pathway?location=Li%C3%A8ge&lang=ja")
    expect(page.get_by_role("heading", level=1)).to_have_text("研究から市場へ")
    expect(page.locator("#stage-rd-support h3")).to_contain_text("研究開発支援")
    page.locator("header nav").get_by_role("link", name="進出先").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("どこに進出すべきか？")
    assert_clean(page)
