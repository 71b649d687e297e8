"""The JSON API: data of every resource, the one error shape, malformed searches, uploads and merges."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from bioatlas.kb import queries
from tests.web.conftest import ANALYST


def assert_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "code", "message"}
    assert body["error"]["status"] == status
    assert body["error"]["code"] == code
    assert isinstance(body["error"]["message"], str) and body["error"]["message"]
    return body["error"]


# ---------------------------------------------------------------------------------------------------- search


def test_search_in_english_finds_the_liege_pages(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "Liège"}).json()
    titles = [d["title"] for d in data["documents"]]
    assert "Clarity Pharmaceuticals chooses Liège for its first European subsidiary" in titles
    assert data["total"] >= 2
    assert any("<mark>Liège</mark>" in d["snippet"] for d in data["documents"])
    assert data["notice"] is None


def test_search_in_chinese_finds_the_traditional_page_for_lieri(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "列日"}).json()
    assert any("列日" in (d["title"] or "") for d in data["documents"]), data["documents"]


def test_simplified_roche_finds_traditional_pages(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": "罗氏"}).json()
    titles = [d["title"] or "" for d in data["documents"]]
    assert any("羅氏" in title for title in titles), titles  # 罗氏 (simplified) finds 羅氏 (traditional)
    assert any("罗氏" in title for title in titles), titles


def test_search_pages_through_results(client: TestClient) -> None:
    first = client.get("/api/search", params={"q": "Liège", "limit": 1}).json()
    second = client.get("/api/search", params={"q": "Liège", "limit": 1, "offset": 1}).json()
    assert len(first["documents"]) == len(second["documents"]) == 1
    assert first["documents"][0]["id"] != second["documents"][0]["id"]


MALFORMED = [
    '"foo AND (',
    '"unbalanced',
    "NEAR(a b)",
    "a OR",
    "((((",
    "***",
    "!!!",
    "?",
    "%",
    "'",
    "\\",
    "^",
    "-",
    " ",
    "",
    "x" * 600,
    "列" * 600,
    "Liège" + ")" * 50,
]


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_searches_get_a_message_or_results_never_a_500(client: TestClient, query: str) -> None:
    response = client.get("/api/search", params={"q": query})
    if response.status_code == 200:
        assert "documents" in response.json()
    else:
        error = assert_error(response, 400, "bad_query")
        assert "Traceback" not in error["message"] and "fts5" not in error["message"].lower()
    page = client.get("/search", params={"q": query})
    assert page.status_code in (200, 400)
    assert page.headers["content-type"].startswith("text/html")


def test_operators_are_searched_as_words_with_a_notice(client: TestClient) -> None:
    data = client.get("/api/search", params={"q": '"Clarity AND ('}).json()
    assert "operators" in data["notice"] and "quote" in data["notice"]


def test_too_long_and_empty_searches_say_why(client: TestClient) -> None:
    assert "500" in assert_error(client.get("/api/search", params={"q": "x" * 600}), 400, "bad_query")["message"]
    assert assert_error(client.get("/api/search", params={"q": "!!!"}), 400, "bad_query")["message"]


# ------------------------------------------------------------------------------------------- entities and documents


def test_entity_json_has_names_figures_events_and_evidence(client: TestClient, clarity: dict[str, Any]) -> None:
    data = client.get(f"/api/entity/{clarity['id']}").json()
    assert data["entity"]["name"] == "Clarity Pharmaceuticals"
    assert len(data["names"]) >= 2  # named in pages of several languages
    assert data["figures"], "Clarity's pages give amounts"
    for figure in data["figures"]:
        assert figure["evidence"] and figure["document_id"]
        assert client.get(f"/api/document/{figure['document_id']}").status_code == 200
    assert data["events"] and all(e["reports"] for e in data["events"])
    assert {"related", "conflicts", "merges", "sources"} <= data.keys()


def test_entity_ids_work_with_an_encoded_colon(client: TestClient, clarity: dict[str, Any]) -> None:
    encoded = quote(clarity["id"], safe="")
    assert ":" not in encoded
    assert client.get(f"/api/entity/{encoded}").json()["entity"]["id"] == clarity["id"]
    assert client.get(f"/entity/{encoded}").status_code == 200


def test_document_json_has_highlighted_html_and_boilerplate(client: TestClient) -> None:
    docs = client.get("/api/search", params={"q": "Clarity Pharmaceuticals chooses"}).json()["documents"]
    doc_id = next(d["id"] for d in docs if d["title"].startswith("Clarity Pharmaceuticals chooses"))
    data = client.get(f"/api/document/{doc_id}").json()
    assert 'class="mention' in data["html"]
    assert "Skip to main content" in data["boilerplate"]
    assert any(r["reason"].startswith("boilerplate") for r in data["removed"])
    assert data["document"]["languages"] == ["en"]


def test_unknown_ids_are_404_in_the_error_shape(client: TestClient) -> None:
    assert "nope" in assert_error(client.get("/api/entity/ent:nope"), 404, "not_found")["message"]
    assert_error(client.get("/api/document/nope"), 404, "not_found")
    assert_error(client.get("/api/nothing-here"), 404, "not_found")


def test_invalid_parameters_are_422_in_the_error_shape(client: TestClient) -> None:
    assert "limit" in assert_error(client.get("/api/search?q=a&limit=0"), 422, "invalid_input")["message"]
    assert "q" in assert_error(client.get("/api/search"), 422, "invalid_input")["message"]
    # a date filter that is no date is a 400 naming the parameter (issue 10), like every answer's parameters
    assert "from: 'March'" in assert_error(client.get("/api/events?from=March"), 400, "bad_input")["message"]
    assert_error(client.get("/api/events?type=party"), 422, "invalid_input")


def test_wrong_method_is_405_in_the_error_shape(client: TestClient) -> None:
    assert_error(client.post("/api/search"), 405, "method_not_allowed")


def test_unexpected_errors_are_500_in_the_error_shape(lenient_client: TestClient, monkeypatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database exploded with secret details")

    monkeypatch.setattr(queries, "map_points", broken)
    error = assert_error(lenient_client.get("/api/map"), 500, "internal_error")
    assert "secret" not in error["message"]
    page = lenient_client.get("/map")
    assert page.status_code == 500 and "secret" not in page.text
    assert "Content-Security-Policy" in page.headers


# ---------------------------------------------------------------------------------------------- events and map


def test_events_filter_by_type(client: TestClient) -> None:
    everything = client.get("/api/events").json()
    funding = client.get("/api/events", params={"type": "funding"}).json()
    assert funding["events"] and all(e["type"] == "funding" for e in funding["events"])
    assert funding["count"] < everything["count"]
    both = client.get("/api/events", params=[("type", "funding"), ("type", "landing")]).json()
    assert {e["type"] for e in both["events"]} == {"funding", "landing"}
    for event in everything["events"]:
        assert event["reports"] and all(r["evidence"] and r["document_id"] for r in event["reports"])


def test_events_filter_by_date_and_place(client: TestClient, clarity: dict[str, Any]) -> None:
    dated = client.get("/api/events", params={"from": "2020", "to": "2023-12"}).json()
    assert dated["events"] and all("2020" <= e["date"] <= "2023-12-31" for e in dated["events"])
    here = client.get("/api/events", params={"place": clarity["id"]}).json()
    assert here["events"] and all(
        any(m["id"] == clarity["id"] for members in e["roles"].values() for m in members) for e in here["events"]
    )
    blank = client.get("/api/events", params={"place": "", "from": "", "sector": ""}).json()  # an empty HTML form
    assert blank["count"] == client.get("/api/events").json()["count"]


def test_map_lists_located_entities_with_event_counts(client: TestClient) -> None:
    data = client.get("/api/map").json()
    assert data["count"] == len(data["points"]) >= 1
    for point in data["points"]:
        assert -90 <= point["lat"] <= 90 and -180 <= point["lon"] <= 180 and point["events"] >= 1
    assert data["tile_url"] is None


# ------------------------------------------------------------------------------------------------------ ingest


def test_ingest_log_lists_what_was_read(client: TestClient) -> None:
    data = client.get("/api/ingest").json()
    assert data["documents"] >= 20
    assert data["totals"]["added"] >= 20
    assert {"source", "status", "reason", "at"} <= data["entries"][0].keys()


def test_upload_ingests_good_files_and_reports_bad_ones(client: TestClient, analyst_client: TestClient) -> None:
    files = [
        ("files", ("blank.txt", b"   \n  ", "text/plain")),
        ("files", ("note.txt", "Genopole signe un accord avec Biolake à Wuhan.".encode(), "text/plain")),
        ("files", ("broken.jsonl", b'{"text": "ok"\nnot json\n', "application/x-ndjson")),
    ]
    response = analyst_client.post("/api/ingest", files=files)
    assert response.status_code == 201, response.text
    result = response.json()
    reasons = {s["source"]: s["reason"] for s in result["skipped"]}
    assert "blank.txt" in reasons and "whitespace" in reasons["blank.txt"]
    assert any(source.startswith("broken.jsonl") and "JSON" in reason for source, reason in reasons.items())
    assert result["statuses"].get("added", 0) + result["statuses"].get("unchanged", 0) >= 1
    log = client.get("/api/ingest").json()
    assert any(e["source"] == "blank.txt" and e["status"] == "skipped" for e in log["entries"])


def test_upload_needs_a_file(analyst_client: TestClient) -> None:
    assert_error(analyst_client.post("/api/ingest"), 422, "invalid_input")
    empty_choice = analyst_client.post("/api/ingest", files=[("files", ("", b"", "application/octet-stream"))])
    assert empty_choice.status_code in (400, 422)
    assert set(empty_choice.json()) == {"error"}


def test_hostile_document_is_stored_and_shown_as_text(
    client: TestClient, analyst_client: TestClient, hostile_jsonl: bytes
) -> None:
    response = analyst_client.post(
        "/api/ingest", files=[("files", ("hostile.jsonl", hostile_jsonl, "application/json"))]
    )
    assert response.status_code == 201, response.text
    doc_id = next(e["document_id"] for e in response.json()["entries"] if e["document_id"])
    data = client.get(f"/api/document/{doc_id}").json()
    # Kept as the page said it (in the text, or in what cleaning removed)...
    assert "<img src=x onerror=alert(1)>" in data["document"]["text"]
    assert "<script>alert('xss')</script>" in data["document"]["text"] + " ".join(data["boilerplate"])
    # ...and escaped wherever the kb hands out HTML.
    assert "<img" not in data["html"] and "&lt;img src=x onerror=alert(1)&gt;" in data["html"]
    page = client.get(f"/document/{doc_id}").text
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert" in page
    assert 'href="javascript:' not in page
    results = client.get("/search", params={"q": "Acmexyz"}).text
    assert "Acmexyz" in results and "<script>alert" not in results and "<img src=x" not in results


# ------------------------------------------------------------------------------------------------------ merges


def test_merge_and_undo_round_trip(
    client: TestClient, analyst_client: TestClient, two_entities: tuple[str, str]
) -> None:
    keep, other = two_entities
    created = analyst_client.post("/api/merges", json={"from_id": other, "to_id": keep, "by": "someone else"})
    assert created.status_code == 201, created.text
    merge = created.json()
    try:
        assert merge["decision"] == "merged" and merge["by"] == ANALYST  # the token's user, not the request's `by`
        merged = client.get(f"/api/entity/{other}").json()
        assert merged["entity"]["id"] == keep and other in merged["merged_ids"]
        page = client.get(f"/entity/{other}", follow_redirects=False)
        assert page.status_code == 307 and page.headers["location"] == f"/entity/{quote(keep, safe=':')}"
        assert any(m["id"] == merge["id"] for m in client.get(f"/api/entity/{keep}").json()["merges"])
    finally:
        undone = analyst_client.post(f"/api/merges/{merge['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undone_at"]
    assert client.get(f"/api/entity/{other}").json()["entity"]["id"] == other


def test_not_the_same_is_recorded_without_merging(
    client: TestClient, analyst_client: TestClient, two_entities: tuple[str, str]
) -> None:
    keep, other = two_entities
    created = analyst_client.post("/api/merges", json={"from_id": other, "to_id": keep, "decision": "rejected"})
    assert created.status_code == 201 and created.json()["decision"] == "rejected"
    assert client.get(f"/api/entity/{other}").json()["entity"]["id"] == other
    analyst_client.post(f"/api/merges/{created.json()['id']}/undo")


def test_merge_forms_redirect_back_and_refuse_other_sites(
    client: TestClient, analyst_client: TestClient, two_entities: tuple[str, str]
) -> None:
    keep, other = two_entities
    form = {"from_id": other, "to_id": keep, "decision": "rejected", "next": f"/entity/{keep}"}
    response = analyst_client.post("/api/merges", data=form, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/entity/{keep}"  # the form's next
    merges = client.get(f"/api/entity/{keep}").json()["merges"]
    merge_id = next(m["id"] for m in merges if m["by"] == ANALYST and not m["undone_at"])
    undo = analyst_client.post(
        f"/api/merges/{merge_id}/undo", data={"next": "https://evil.example/"}, follow_redirects=False
    )
    assert undo.status_code == 303 and undo.headers["location"].startswith("/entity/")  # never another site
    foreign = analyst_client.post("/api/merges", data=form, headers={"Origin": "https://evil.example"})
    assert_error(foreign, 403, "forbidden")


def test_merge_errors_use_the_error_shape(analyst_client: TestClient) -> None:
    client = analyst_client
    assert_error(client.post("/api/merges", json={"from_id": "ent:nope", "to_id": "ent:nada"}), 404, "not_found")
    assert_error(client.post("/api/merges", json={"from_id": "a"}), 422, "invalid_input")
    itself = assert_error(client.post("/api/merges", json={"from_id": "a", "to_id": "a"}), 422, "invalid_input")
    assert "itself" in itself["message"]
    assert_error(
        client.post("/api/merges", json={"from_id": "a", "to_id": "b", "decision": "maybe"}), 422, "invalid_input"
    )
    assert_error(
        client.post("/api/merges", content=b"{not json", headers={"content-type": "application/json"}),
        400,
        "bad_request",
    )
    assert_error(client.post("/api/merges/nope/undo"), 404, "not_found")


# ----------------------------------------------------------------------------------------------- OpenAPI docs


def test_openapi_documents_every_route_and_the_error_shape(client: TestClient) -> None:
    schema = client.get("/api/openapi.json").json()
    paths = set(schema["paths"])
    assert {
        "/api/search",
        "/api/entity/{entity_id}",
        "/api/events",
        "/api/document/{doc_id}",
        "/api/map",
        "/api/ingest",
        "/api/merges",
        "/api/merges/{merge_id}/undo",
    } <= paths
    assert not any(p.startswith(("/entity", "/search", "/docs")) for p in paths)  # HTML pages are not API
    assert "ErrorBody" in schema["components"]["schemas"]
