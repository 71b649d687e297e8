"""The four answers through the test client: /api/land, /api/pathway, /api/prospects(.csv), /api/markets and their
pages — results, cited evidence, weights, the one error shape, forms given back with a message, translations."""

from __future__ import annotations

import csv
import html
import io
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient

from bioatlas.web.catalogs import COMPLETE, STRINGS
from bioatlas.web.highlight import mark_evidence, parse_span

AU_RADIOPHARMA = {
    "sector": "radiopharma",
    "stage": "clinical",
    "origin": "AU",
    "need": "gmp,clinical-trials,eu-market",
}
MAGIA_MEMBERS = {"BioWin", "Lyonbiopôle", "BioPmed", "Life Science Nord"}


def assert_error(response: Any, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status and body["error"]["code"] == code
    message: str = body["error"]["message"]
    assert message
    return message


def text_of(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def all_evidence(value: Any) -> list[dict[str, Any]]:
    """Every piece of evidence in an answer, wherever it is nested."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in ("evidence", "reports") and isinstance(item, list):
                found.extend(e for e in item if isinstance(e, dict))
            else:
                found.extend(all_evidence(item))
    elif isinstance(value, list):
        for item in value:
            found.extend(all_evidence(item))
    return found


@pytest.fixture(scope="module")
def land_result(client: TestClient) -> dict[str, Any]:
    response = client.get("/api/land", params=AU_RADIOPHARMA)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()
    return data


def rank_of(result: dict[str, Any], entity_id: str) -> int:
    ranks = [r["rank"] for r in result["results"] if r["id"] == entity_id]
    assert ranks, f"{entity_id} not in {[r['id'] for r in result['results']]}"
    return int(ranks[0])


# ------------------------------------------------------------------------------------------------------------ land


def test_land_puts_liege_or_wallonia_in_the_top_three_with_a_clarity_landing_cited(
    client: TestClient, land_result: dict[str, Any]
) -> None:
    top = land_result["results"][:3]
    assert {"Liège", "Wallonia"} & {r["name"] for r in top}, [r["name"] for r in top]
    assert land_result["profile"] == {
        "sectors": ["radiopharma"],
        "stage": "clinical",
        "origin": "AU",
        "needs": ["clinical-trials", "eu-market", "gmp"],
        "include_origin": False,
    }
    belgian = next(r for r in top if r["name"] in ("Liège", "Wallonia"))
    track = next(i for i in belgian["indicators"] if i["name"] == "track_record")
    cited = [e for e in track["evidence"] if e["kind"] == "document" and "Clarity" in (e.get("title") or e["label"])]
    assert cited, track["evidence"]
    page = client.get(cited[0]["page"])
    assert page.status_code == 200
    assert '<mark class="evidence" id="evidence">' in page.text
    assert cited[0]["page"].endswith("#evidence") and "mark=" in cited[0]["page"]


def test_land_results_are_explained_and_every_piece_of_evidence_has_a_page(
    client: TestClient, land_result: dict[str, Any]
) -> None:
    assert land_result["count"] >= len(land_result["results"]) >= 3
    for r in land_result["results"]:
        low, high = r["rank_range"]
        assert low <= r["rank"] <= high
        assert [i["name"] for i in r["indicators"]] == list(land_result["weights"])
        for indicator in r["indicators"]:
            assert indicator["missing"] == (indicator["value"] is None)
            assert indicator["detail"]
    evidence = all_evidence(land_result)
    assert evidence
    for e in evidence:
        if e["kind"] == "document":
            assert e["page"].startswith("/document/"), e
        elif e.get("reference"):
            assert e["reference"].split(":")[0].endswith(".csv"), e
            if "entity_id" in e:
                assert e["page"] == "/entity/" + e["entity_id"] and e["entity_id"].startswith("ref:")
    references = {e["entity_id"] for e in evidence if e.get("entity_id")}
    assert "ref:awex" in references  # the Walloon agency, cited from organisations.csv:awex
    for entity_id in sorted(references)[:3]:
        assert client.get(f"/api/entity/{entity_id}").status_code == 200


def test_raising_the_track_record_weight_does_not_lower_liege(client: TestClient, land_result: dict[str, Any]) -> None:
    before = rank_of(land_result, "ref:liege")
    for raised in ({"w_track_record": "3"}, {"weights": "track_record=3"}, {"w_track_record": "1,5"}):
        after = client.get("/api/land", params={**AU_RADIOPHARMA, **raised}).json()
        assert rank_of(after, "ref:liege") <= before, raised
    three = client.get("/api/land", params={**AU_RADIOPHARMA, "w_track_record": "3"}).json()
    assert three["weights"]["track_record"] == 3.0
    assert next(i for i in three["results"][0]["indicators"] if i["name"] == "track_record")["weight"] == 3.0


def test_land_takes_repeated_or_comma_separated_values_and_a_limit(client: TestClient) -> None:
    repeated = client.get(
        "/api/land",
        params=[("sector", "radiopharma"), ("stage", "clinical"), ("origin", "au"), ("need", "gmp"), ("need", "eu")],
    ).json()
    commas = client.get("/api/land", params={**AU_RADIOPHARMA, "need": "gmp,eu", "limit": "3"}).json()
    assert len(commas["results"]) == 3
    assert [r["id"] for r in repeated["results"][:3]] == [r["id"] for r in commas["results"]]
    assert repeated["profile"]["origin"] == "AU"


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"sector": "radiopharma,astrology"}, "astrology"),
        ({"stage": "retired"}, "stage"),
        ({"need": "unicorns"}, "unicorns"),
        ({"origin": "Australia"}, "two-letter"),
        ({"w_sector": "abc"}, "number"),
        ({"w_sector": "-1"}, "0 to 100"),
        ({"w_sector": "nan"}, "0 to 100"),
        ({"weights": "charm=2"}, "charm"),
        ({"weights": "sector=lots"}, "number"),
        (
            {
                "w_sector": "0",
                "w_ecosystem": "0",
                "w_track_record": "0",
                "w_services": "0",
                "w_support": "0",
                "w_market_access": "0",
            },
            "at least one",
        ),
        ({"limit": "0"}, "1 to 100"),
        ({"limit": "many"}, "whole number"),
    ],
)
def test_land_refuses_bad_input_in_the_one_error_shape(client: TestClient, params: dict[str, str], words: str) -> None:
    assert words in assert_error(client.get("/api/land", params=params), 400, "bad_input")


# --------------------------------------------------------------------------------------------------------- pathway


def test_pathway_for_liege_covers_rd_support_and_lists_the_stages(client: TestClient) -> None:
    data = client.get("/api/pathway", params={"location": "Liège"}).json()
    assert data["location"]["name"] == "Liège"
    stages = {s["stage"]: s for s in data["stages"]}
    assert list(stages) == ["rd-support", "preclinical", "clinical", "production", "market-access"]
    rd = stages["rd-support"]
    assert rd["covered"] and rd["providers"]
    assert any(p["local"] for p in rd["providers"])
    for provider in rd["providers"]:
        assert client.get(f"/api/entity/{provider['entity']['id']}").status_code == 200
        assert provider["evidence"][0]["reference"].startswith("organisations.csv:")
    assert data["uncovered"] == [s["label"] for s in data["stages"] if not s["covered"]]


def test_pathway_in_chinese_and_by_sector(client: TestClient) -> None:
    lieri = client.get("/api/pathway", params={"location": "列日"}).json()
    assert lieri["location"]["id"] == "ref:liege"
    medtech = client.get("/api/pathway", params={"location": "Liège", "sector": "medtech"}).json()
    assert medtech["sector"] == "medtech" and "medical-imaging" in medtech["sectors_considered"]


def test_pathway_errors(client: TestClient) -> None:
    assert "Atlantis" in assert_error(client.get("/api/pathway", params={"location": "Atlantis"}), 404, "not_found")
    assert_error(client.get("/api/pathway"), 400, "bad_input")
    assert_error(client.get("/api/pathway", params={"location": "  "}), 400, "bad_input")
    assert_error(client.get("/api/pathway", params={"location": "Liège", "sector": "astrology"}), 400, "bad_input")


# ------------------------------------------------------------------------------------------------------- prospects


def test_prospects_for_hong_kong_science_park_and_the_csv(client: TestClient) -> None:
    params = {"for": "Hong Kong Science Park"}
    data = client.get("/api/prospects", params=params).json()
    assert data["for"]["name"].startswith("Hong Kong Science")  # the park's operator, HKSTP, by its alias
    assert data["results"], data
    assert all(r["type"] == "company" for r in data["results"])
    assert all(e["page"] for e in all_evidence(data) if e["kind"] == "document")
    response = client.get("/api/prospects.csv", params=params)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert re.fullmatch(
        r'attachment; filename="prospects-hong-kong-science[a-z-]*\.csv"', response.headers["content-disposition"]
    )
    assert response.text.startswith("\ufeff")  # a byte-order mark: spreadsheets read the names right
    rows = list(csv.DictReader(io.StringIO(response.text.removeprefix("\ufeff"))))
    assert [r["company"] for r in rows] == [r["name"] for r in data["results"]]
    assert {"rank", "company", "country", "score", "fit", "sources", "kb_id"} <= set(rows[0])


def test_prospects_limit_since_and_errors(client: TestClient) -> None:
    two = client.get("/api/prospects", params={"for": "Hong Kong Science Park", "limit": 2}).json()
    assert len(two["results"]) <= 2
    everything = client.get("/api/prospects", params={"for": "Hong Kong Science Park"}).json()
    later = client.get("/api/prospects", params={"for": "Hong Kong Science Park", "since": "2100"}).json()
    assert later["count"] == 0 < everything["count"]  # a date in the future: nothing, and a notice says why
    assert later["notice"]["code"] == "since_in_future"
    assert_error(client.get("/api/prospects", params={"for": "Atlantis Park"}), 404, "not_found")
    assert_error(
        client.get("/api/prospects", params={"for": "Hong Kong Science Park", "since": "May"}), 400, "bad_input"
    )
    assert_error(
        client.get("/api/prospects.csv", params={"for": "Hong Kong Science Park", "w_fit": "x"}), 400, "bad_input"
    )
    assert_error(client.get("/api/prospects"), 400, "bad_input")


def test_prospect_cells_cannot_become_spreadsheet_formulas() -> None:
    """The prospects file (web download and `bioatlas prospects --csv` alike): a name, a reason or a source that a
    spreadsheet would run is kept as text."""
    from bioatlas.api.exports import PROSPECT_COLUMNS
    from bioatlas.match.prospects import prospects_csv_rows
    from bioatlas.tabular import to_csv

    result = {
        "results": [
            {
                "rank": 1,
                "name": '=HYPERLINK("http://evil")',
                "country": None,
                "score": 0.5,
                "id": "ent:x",
                "indicators": [
                    {"name": n, "detail": "-1 things", "evidence": [{"kind": "document", "source": "@src"}]}
                    for n in ("fit", "funding", "expansion", "ties")
                ],
            }
        ]
    }
    text = to_csv(prospects_csv_rows(result), PROSPECT_COLUMNS).decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["company"].startswith("'=") and row["fit"] == "'-1 things" and row["sources"] == "'@src"
    assert row["score"] == "0.5"
    assert to_csv([], PROSPECT_COLUMNS).decode("utf-8-sig").startswith("rank,company")


# --------------------------------------------------------------------------------------------------------- markets


def test_markets_for_magia_in_medtech_lists_its_four_members_and_countries(client: TestClient) -> None:
    data = client.get("/api/markets", params={"alliance": "MAGIA", "sector": "medtech"}).json()
    names = {m["name"] for m in data["members"]}
    for member in MAGIA_MEMBERS:
        assert any(member.casefold() in name.casefold() for name in names), (member, names)
    assert len(data["members"]) == 4
    assert data["results"], data
    member_countries = {m["country"] for m in data["members"]}
    for country in data["results"]:
        assert country["country"] not in member_countries
        assert country["rank_range"][0] <= country["rank"] <= country["rank_range"][1]
    linked = [c for c in data["results"] if c.get("entity_id")]
    assert linked and client.get(f"/api/entity/{linked[0]['entity_id']}").status_code == 200


def test_markets_errors(client: TestClient) -> None:
    assert_error(client.get("/api/markets", params={"alliance": "Atlantis League"}), 404, "not_found")
    assert_error(client.get("/api/markets", params={"alliance": "MAGIA", "sector": "astrology"}), 400, "bad_input")
    assert_error(client.get("/api/markets", params={"alliance": "MAGIA", "w_inbound": "-2"}), 400, "bad_input")


def test_the_answers_are_documented(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/land", "/api/pathway", "/api/prospects", "/api/prospects.csv", "/api/markets"):
        assert path in schema["paths"], path
    land_params = {p["name"] for p in schema["paths"]["/api/land"]["get"]["parameters"]}
    assert {"sector", "stage", "origin", "need", "weights", "w_track_record", "w_market_access"} <= land_params
    prospects_params = {p["name"] for p in schema["paths"]["/api/prospects"]["get"]["parameters"]}
    assert {"for", "since", "limit", "w_fit"} <= prospects_params


# ----------------------------------------------------------------------------------------------------------- pages


@pytest.mark.parametrize("path", ["/land", "/pathway", "/prospects", "/markets"])
def test_empty_forms_are_in_the_nav_and_ask_nothing_yet(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert f'<a href="{path}" aria-current="page">' in page.text
    assert 'id="results"' not in page.text and 'class="json-link"' not in page.text
    assert "style=" not in page.text and "<script" not in page.text  # CSP: no inline style or script


def test_land_page_shows_the_ranking_with_evidence_links(client: TestClient, land_result: dict[str, Any]) -> None:
    page = client.get("/land", params=AU_RADIOPHARMA)
    assert page.status_code == 200
    body = page.text
    for r in land_result["results"]:
        assert f'data-id="{r["id"]}" data-rank="{r["rank"]}"' in body
    assert 'class="stability stable"' in body and "missing data" not in body.split('id="results"')[0]
    assert 'href="/entity/ref:awex"><code>organisations.csv:awex</code>' in body
    links = re.findall(r'class="doc-link" href="([^"]+)"', body)
    assert links and all("mark=" in html.unescape(link) for link in links)
    assert 'value="radiopharma" checked' in body and 'value="AU" selected' in body
    assert 'name="need" value="gmp-production" checked' in body  # "gmp" is the same need
    twin = re.search(r'<a class="json-link" href="([^"]+)"', body)
    assert twin and client.get(html.unescape(twin.group(1))).json()["results"] == land_result["results"]


def test_land_page_with_bad_input_gives_the_form_back_with_the_message(client: TestClient) -> None:
    page = client.get("/land", params={"sector": "radiopharma,astrology", "w_sector": "2", "origin": "AU"})
    assert page.status_code == 400
    assert 'role="alert"' in page.text and "astrology" in text_of(page.text)
    assert 'id="land-form"' in page.text and 'id="results"' not in page.text
    assert 'name="w_sector" id="w_sector" value="2"' in page.text  # what was typed is kept
    weight = client.get("/land", params={"w_track_record": "heavy"})
    assert weight.status_code == 400 and "track_record" in text_of(weight.text)


def test_pathway_page_highlights_uncovered_stages(client: TestClient) -> None:
    api = client.get("/api/pathway", params={"location": "Liège"}).json()
    page = client.get("/pathway", params={"location": "Liège"}).text
    assert 'class="stage covered" id="stage-rd-support"' in page
    for stage in api["stages"]:
        assert f'class="stage {"covered" if stage["covered"] else "uncovered"}" id="stage-{stage["stage"]}"' in page
    if api["uncovered"]:
        assert 'class="notice uncovered-summary"' in page
    assert 'class="provider local"' in page


def test_pathway_page_for_an_unknown_place_says_so(client: TestClient) -> None:
    page = client.get("/pathway", params={"location": "<script>alert(1)</script>"})
    assert page.status_code == 404
    assert "<script>alert(1)</script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text  # in the message and back in the field, as text
    assert 'id="pathway-form"' in page.text


def test_prospects_page_links_the_csv(client: TestClient) -> None:
    page = client.get("/prospects", params={"for": "Hong Kong Science Park", "w_fit": "2"}).text
    found = re.search(r'class="button secondary csv-link" href="([^"]+)"', page)
    assert found
    url = html.unescape(found.group(1))
    assert urlsplit(url).path == "/api/prospects.csv"
    assert parse_qs(urlsplit(url).query) == {"for": ["Hong Kong Science Park"], "w_fit": ["2"]}
    assert client.get(url).headers["content-type"].startswith("text/csv")
    assert 'class="ranked"' in page


def test_markets_page_lists_members_and_countries(client: TestClient) -> None:
    page = client.get("/markets", params={"alliance": "MAGIA", "sector": "medtech"}).text
    members = text_of(page.split('id="members"')[1].split("</section>")[0])
    for member in ("BioWin", "Lyonbiopôle", "bioPmed", "Life Science Nord"):
        assert member in members
    assert 'class="ranked"' in page and 'value="medtech" selected' in page


@pytest.mark.parametrize("lang", COMPLETE)
def test_answer_pages_in_every_complete_language(client: TestClient, lang: str) -> None:
    strings = STRINGS[lang]
    try:
        land_page = html.unescape(client.get("/land", params={**AU_RADIOPHARMA, "lang": lang}).text)
        pathway_page = html.unescape(client.get("/pathway", params={"location": "Liège", "lang": lang}).text)
    finally:
        client.cookies.clear()  # ?lang= is remembered in a cookie: do not leave it to the next test
    for key in ("land_title", "land_w_track_record", "nav_land", "nav_pathway", "nav_prospects", "nav_markets"):
        assert strings[key] in land_page, key
    assert strings["stage_clinical"] in land_page
    assert strings["pathway_rd-support"] in pathway_page


# -------------------------------------------------------------------------------------------- the marked evidence


def test_document_page_marks_the_evidence_span(client: TestClient, land_result: dict[str, Any]) -> None:
    evidence = next(e for e in all_evidence(land_result) if e["kind"] == "document" and e["end"] - e["start"] > 20)
    doc = client.get(f"/api/document/{evidence['document_id']}").json()["document"]
    span = doc["text"][evidence["start"] : evidence["end"]].split("\n")[0]
    page = client.get(evidence["page"]).text
    marked = re.search(r'<mark class="evidence" id="evidence">(.*?)</mark>', page, flags=re.S)
    assert marked
    assert span in html.unescape(re.sub(r"<[^>]+>", "", marked.group(1)))
    assert "evidence is marked" in page
    plain = client.get(f"/document/{evidence['document_id']}").text
    assert "<mark" not in plain
    for bad in ("abc", "30-10", "0-99999999", "-5-10"):
        response = client.get(f"/document/{evidence['document_id']}", params={"mark": bad})
        assert response.status_code == 200 and 'id="evidence"' not in response.text


def test_mark_evidence_keeps_mentions_whole_escapes_and_splits_paragraphs() -> None:
    text = "Acme <b>Bio</b> opened in Liège.\n\nIt hires 40 people."
    mentions = [
        {"start": 0, "end": 15, "entity_id": "ent:acme", "type": "company", "method": "test"},
        {"start": 26, "end": 31, "entity_id": "ref:liege", "type": "place", "method": "test"},
    ]
    assert text[0:15] == "Acme <b>Bio</b>" and text[26:31] == "Liège"
    out = mark_evidence(text, mentions, 3, 28)  # starts and ends inside mentions: widened to both
    assert out is not None
    assert out.startswith('<p><mark class="evidence" id="evidence"><a class="mention company"')
    assert "&lt;b&gt;Bio&lt;/b&gt;" in out and "<b>" not in out
    assert "Liège</a></mark>." in out
    across = mark_evidence(text, mentions, 20, 45)
    assert across is not None and '</mark></p><p><mark class="evidence">It hires' in across
    assert mark_evidence(text, mentions, 5, 500) is None
    assert parse_span("12-40") == (12, 40) and parse_span("40-12") is None and parse_span("x") is None


# ------------------------------------------------------------------------------------------- bad parameters (#10)


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/api/land", {"sector": "radiopharma", "w_sector": "1e308"}, "w_sector"),
        ("/api/land", {"sector": "radiopharma", "w_track_record": "-2"}, "w_track_record"),
        ("/api/land", {"sector": "radiopharma", "w_services": "NaN"}, "w_services"),
        ("/api/land", {"sector": "radiopharma", "weights": "sector=1e308"}, "weights"),
        ("/api/land", {"sector": "radiopharma", "origin": "XX"}, "origin"),
        ("/api/land", {"sector": "radiopharma", "origin": "Australie"}, "origin"),
        ("/api/land", {"sector": "astrologie"}, "sector"),
        ("/api/land", {"sector": "radiopharma", "need": "strand"}, "need"),
        ("/api/land", {"sector": "radiopharma", "stage": "rentner"}, "stage"),
        ("/api/prospects", {"for": "香港科學園", "since": "2017-13"}, "since"),
        ("/api/prospects", {"for": "香港科學園", "since": "2017-02-30"}, "since"),
        ("/api/prospects", {"for": "香港科學園", "w_fit": "1e308"}, "w_fit"),
        ("/api/markets", {"alliance": "MAGIA", "sector": "astrologie"}, "sector"),
        ("/api/markets", {"alliance": "MAGIA", "w_inbound": "inf"}, "w_inbound"),
        ("/api/pathway", {"location": "列日", "sector": "astrologie"}, "sector"),
        ("/api/events", {"from": "2017-13"}, "from"),
        ("/api/events", {"to": "abc"}, "to"),
        ("/api/events", {"from": "2020", "to": "2017"}, "from"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(
    client: TestClient, path: str, params: dict[str, str], parameter: str
) -> None:
    message = assert_error(client.get(path, params=params), 400, "bad_input")
    assert message.startswith(f"{parameter}:"), message


def test_a_bad_parameter_on_a_page_gives_the_message(client: TestClient) -> None:
    events = client.get("/events", params={"from": "2017-13"})
    assert events.status_code == 400 and "from: '2017-13' is not a date" in text_of(events.text)
    land_page = client.get("/land", params={"sector": "radiopharma", "origin": "XX"})
    assert land_page.status_code == 400 and "origin: unknown country 'XX'" in text_of(land_page.text)
    assert client.get("/api/land", params={"sector": "radiopharma", "origin": "HK"}).status_code == 200


def test_good_dates_and_weights_still_answer(client: TestClient) -> None:
    assert client.get("/api/events", params={"from": "2017-03", "to": "2017-12-31"}).status_code == 200
    ok = client.get("/api/land", params={"sector": "radiopharma", "w_sector": "1,5", "w_support": "100"})
    assert ok.status_code == 200 and ok.json()["weights"]["sector"] == 1.5


@pytest.mark.parametrize("asked", ["AWEX", "Invest in Wallonia"])
def test_prospects_page_for_an_agency_lists_who_is_already_here(client: TestClient, asked: str) -> None:
    api = client.get("/api/prospects", params={"for": asked}).json()
    clarity = next(a for a in api["already_here"] if a["name"] == "Clarity Pharmaceuticals")
    assert "landed" in clarity["reasons"] and all(e["page"] for e in clarity["evidence"])
    assert "Clarity Pharmaceuticals" not in [r["name"] for r in api["results"]]
    page = client.get("/prospects", params={"for": asked, "lang": "fr"})
    assert page.status_code == 200
    assert 'id="already-here"' in page.text and "Déjà présentes" in page.text
    assert f'data-id="{clarity["id"]}" data-reasons="' in page.text


def test_prospects_page_says_a_future_since_gives_nothing(client: TestClient) -> None:
    page = client.get("/prospects", params={"for": "香港科技园", "since": "2099", "lang": "zh-Hant"})
    assert page.status_code == 200
    assert "沒有事件能晚於或等於 2099" in page.text
    assert 'id="already-here"' in page.text  # Roche and AstraZeneca are there whatever the date


@pytest.mark.parametrize(
    ("path", "params", "odd"),
    [
        ("/api/land", {"sector": "radiopharma", "needs": "eu-market"}, "needs"),
        ("/api/prospects", {"for": "香港科學園", "depuis": "2020"}, "depuis"),
        ("/api/markets", {"alliance": "MAGIA", "sektor": "medtech"}, "sektor"),
        ("/api/events", {"place": "列日", "von": "2017"}, "von"),
        ("/api/search", {"q": "罗氏", "query": "Roche"}, "query"),
    ],
)
def test_an_unknown_parameter_is_a_400_naming_it(client: TestClient, path: str, params: dict, odd: str) -> None:
    response = client.get(path, params=params)
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith(f"{odd}: unknown parameter")
    known = {k: v for k, v in params.items() if k != odd}
    assert client.get(path, params={**known, "lang": "fr"}).status_code == 200
