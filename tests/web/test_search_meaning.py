"""The search API and page return the fused list: pages found by their words and pages found by meaning, in any
language, and nothing for a query about nothing in the kb (example corpus, real HTTP through TestClient)."""

from __future__ import annotations

import html

from fastapi.testclient import TestClient

FRENCH = "Pékin annonce un parc international d'innovation en biotechnologie"


def test_api_a_french_query_finds_the_simplified_chinese_page_by_meaning(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": FRENCH})
    assert response.status_code == 200
    first = response.json()["documents"][0]
    assert first["source"].endswith("zh-hans-yizhuang-biopark.txt"), first
    assert first["matched"] == ["meaning"] and 0.3 < first["similarity"] <= 1.0


def test_api_a_traditional_chinese_query_finds_the_english_page(client: TestClient) -> None:
    documents = client.get("/api/search", params={"q": "新加坡的生物醫學研究園區"}).json()["documents"]
    assert documents[0]["source"].endswith("en-biopolis-singapore.txt"), [d["source"] for d in documents]


def test_api_a_query_about_nothing_in_the_kb_returns_nothing(client: TestClient) -> None:
    for query in ("football transfer news", "明天天氣預報", "Fußball Bundesliga Ergebnisse"):
        data = client.get("/api/search", params={"q": query}).json()
        assert data["documents"] == [] and data["total"] == 0, (query, data["documents"][:2])


def test_api_a_name_is_found_by_its_words_first(client: TestClient) -> None:
    documents = client.get("/api/search", params={"q": "列日"}).json()["documents"]
    assert documents and all("words" in d["matched"] for d in documents[:3]), documents[:3]


def test_the_search_page_lists_the_page_found_by_meaning(client: TestClient) -> None:
    api = client.get("/api/search", params={"q": FRENCH}).json()["documents"][0]
    page = client.get("/search", params={"q": FRENCH})
    assert page.status_code == 200
    assert html.escape(api["title"]) in page.text or api["title"] in page.text


def test_the_search_page_says_which_pages_were_found_by_meaning_in_the_ui_language(client: TestClient) -> None:
    for lang, label in (("fr", "trouvé par le sens"), ("zh-Hans", "按语义找到"), ("zh-Hant", "依語義找到")):
        page = client.get("/search", params={"q": FRENCH, "lang": lang})
        assert page.status_code == 200 and label in page.text, lang
    by_name = client.get("/search", params={"q": "列日", "lang": "fr"})  # found by their words: no such label
    documents = client.get("/api/search", params={"q": "列日"}).json()["documents"]
    assert by_name.text.count("trouvé par le sens") == sum(1 for d in documents if "words" not in d["matched"])
