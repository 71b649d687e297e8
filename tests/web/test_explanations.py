"""Answer explanations in the UI language: `match/` gives each indicator a code and values (its English `detail`
stays for the API), the answer pages word them in the page's language, and reference entities carry their name in
that language."""

from __future__ import annotations

import html
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas.web.i18n import Translator

AU_RADIOPHARMA = {"sector": "radiopharma", "stage": "clinical", "origin": "AU", "need": "gmp,clinical-trials,eu-market"}
ENGLISH = ("sectors in the focus of local organisations", "services found", "landings or expansions reported")
TRANSLATED = {
    "zh-Hans": ("个属于当地机构的重点领域", "项服务中的"),
    "zh-Hant": ("個屬於當地機構的重點領域", "項服務中的"),
    "fr": ("secteurs au cœur des organisations locales", "services trouvés"),
    "de": ("Branchen im Fokus lokaler Organisationen", "Dienstleistungen gefunden"),
}


def _details(page: str) -> str:
    """The text of every indicator explanation on a page."""
    parts = page.split('<span class="detail">')[1:]
    return html.unescape(" | ".join(p.split("</span>", 1)[0] for p in parts))


def test_the_api_keeps_english_details_and_adds_codes_and_values(client: TestClient) -> None:
    data = client.get("/api/land", params=AU_RADIOPHARMA).json()
    indicators = [i for r in data["results"] for i in r["indicators"]]
    assert indicators and all(i["code"] for i in indicators)
    sector = next(i for i in indicators if i["code"] == "sector_focus")
    assert "sectors in the focus of local organisations" in sector["detail"]
    assert set(sector["values"]) == {"matched", "wanted", "reports"}
    assert all(isinstance(v, int) for v in sector["values"].values())


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "fr", "de"])
def test_the_land_page_explains_in_the_ui_language(client: TestClient, lang: str) -> None:
    page = client.get("/land", params={**AU_RADIOPHARMA, "lang": lang})
    assert page.status_code == 200
    details = _details(page.text)
    assert details, "no indicator explanations on the page"
    for phrase in ENGLISH:
        assert phrase not in details, (lang, phrase)
    for phrase in TRANSLATED[lang]:
        assert phrase in details, (lang, phrase)


def test_the_english_land_page_words_them_as_the_api_does(client: TestClient) -> None:
    api = client.get("/api/land", params=AU_RADIOPHARMA).json()
    details = _details(client.get("/land", params={**AU_RADIOPHARMA, "lang": "en"}).text)
    sector = next(i["detail"] for r in api["results"] for i in r["indicators"] if i["code"] == "sector_focus")
    assert sector in details


def test_prospects_and_markets_explain_in_chinese_and_french(client: TestClient) -> None:
    zh = _details(client.get("/prospects", params={"for": "Hong Kong Science Park", "lang": "zh-Hant"}).text)
    assert zh and "funding events" not in zh and "landings or expansions" not in zh
    assert "融資" in zh or "進駐或擴張" in zh
    fr = _details(client.get("/prospects", params={"for": "Hong Kong Science Park", "lang": "fr"}).text)
    assert "levées de fonds" in fr and "funding events" not in fr
    markets = client.get("/markets", params={"alliance": "MAGIA", "lang": "zh-Hans"})
    if markets.status_code == 200 and '<span class="detail">' in markets.text:
        assert "partnerships with the alliance" not in _details(markets.text)


def test_entity_names_in_the_ui_language(client: TestClient) -> None:
    hans = client.get("/pathway", params={"location": "Liège", "lang": "zh-Hans"}).text
    hant = client.get("/pathway", params={"location": "Liège", "lang": "zh-Hant"}).text
    assert "列日" in hans.split("<h2>", 1)[1].split("</h2>", 1)[0]
    assert "列日" in hant.split("<h2>", 1)[1].split("</h2>", 1)[0]
    de = client.get("/pathway", params={"location": "Liège", "lang": "de"}).text
    assert "Lüttich" in de.split("<h2>", 1)[1].split("</h2>", 1)[0]
    t = Translator("ja")
    assert t.name({"id": "ref:liege", "name": "Liège"}) == "リエージュ"
    assert t.name({"id": "ent:unknown", "name": "Acme Bio"}) == "Acme Bio"  # not from reference data: as the kb has it


def test_an_indicator_without_code_keeps_its_detail() -> None:
    t = Translator("fr")
    assert t.explain({"detail": "old English text"}) == "old English text"
    assert t.explain({"code": "nothing_known", "detail": "kept"}) == "kept"
    words: dict[str, Any] = {"code": "services_found", "values": {"found": 1, "wanted": 3, "missing": ["wet-lab"]}}
    assert t.explain(words) == "services trouvés : 1 sur 3 ; introuvables : laboratoires"
    assert Translator("zh-Hans").explain({"code": "funding_events", "values": {"n": 2, "raised": []}}) == "2 轮融资"
