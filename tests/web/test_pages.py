"""HTML pages through the test client: content, JSON twins, error pages, languages and security headers."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas.web.app import create_app
from bioatlas.web.security import script_hash
from tests.web.conftest import web_settings

WEB = Path(__file__).resolve().parents[2] / "src" / "bioatlas" / "web"


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def json_twin(page: str) -> str | None:
    found = re.search(r'<a class="json-link" href="([^"]+)"', page)
    return html.unescape(found.group(1)) if found else None


@pytest.mark.parametrize("path", ["/search?q=Liège", "/events?type=funding", "/map", "/ingest"])
def test_every_page_links_its_json_twin(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200 and page.headers["content-type"] == "text/html; charset=utf-8"
    twin = json_twin(page.text)
    assert twin is not None and twin.startswith("/api/")
    assert client.get(twin).status_code == 200


def test_entity_and_document_pages_show_the_same_data_as_their_twins(
    client: TestClient, analyst_client: TestClient, clarity: dict[str, Any]
) -> None:
    page = client.get(f"/entity/{clarity['id']}").text
    data = client.get(json_twin(page) or "").json()
    assert data["entity"]["id"] == clarity["id"]
    body = text_of(page)
    for figure in data["figures"]:
        assert figure["evidence"] in body
    for language in data["names"]:
        assert language in body
    assert 'action="/api/merges"' not in page and "/login?next=" in page  # anonymous: a link to log in instead
    analyst_page = analyst_client.get(f"/entity/{clarity['id']}").text
    assert 'action="/api/merges"' in analyst_page and 'name="from_id"' in analyst_page
    doc_id = data["figures"][0]["document_id"]
    doc_page = client.get(f"/document/{doc_id}").text
    doc = client.get(json_twin(doc_page) or "").json()
    assert doc["document"]["id"] == doc_id
    assert 'class="mention' in doc_page
    assert all(r["text"] in text_of(doc_page) for r in doc["removed"])


def test_search_page_shows_results_and_snippets(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Liège"}).text
    assert "<mark>Liège</mark>" in page
    assert "Clarity Pharmaceuticals chooses Liège for its first European subsidiary" in text_of(page)


def test_bare_search_goes_home_and_home_has_the_form(client: TestClient) -> None:
    response = client.get("/search", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/"
    home = client.get("/").text
    assert 'action="/search"' in home and 'name="q"' in home


def test_error_pages_are_friendly_html_with_the_same_message(client: TestClient) -> None:
    page = client.get("/entity/ent:nope")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    message = client.get("/api/entity/ent:nope").json()["error"]["message"]
    assert message in text_of(page.text)
    assert 'data-code="not_found"' in page.text
    bad = client.get("/search", params={"q": "!!!"})
    assert bad.status_code == 400 and 'data-code="bad_query"' in bad.text
    assert 'action="/search"' in bad.text  # the search box is right there to try again
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "/no/such/page" in text_of(missing.text)


def test_events_page_filters_and_keeps_the_form_filled(client: TestClient) -> None:
    page = client.get("/events", params={"type": "funding"}).text
    types = set(re.findall(r'<article class="event" data-type="([a-z]+)"', page))
    assert types == {"funding"}
    assert re.search(r'value="funding" checked', page)


def test_map_page_draws_one_svg_point_per_place(client: TestClient) -> None:
    page = client.get("/map").text
    points = client.get("/api/map").json()["points"]
    assert '<svg id="offline-map"' in page
    assert page.count("<circle ") == len(points) >= 1
    assert "/static/map/land-110m.svg" in page
    assert "leaflet" not in page  # no tile URL: no Leaflet, the page needs nothing from the network


def test_map_uses_vendored_leaflet_only_with_a_tile_url(kb_url: str) -> None:
    tiles = "https://{s}.tiles.example.org/{z}/{x}/{y}.png"
    with TestClient(create_app(kb_url, settings=web_settings(tile_url=tiles))) as client:
        response = client.get("/map")
        assert '<script src="/static/vendor/leaflet/leaflet.js"></script>' in response.text
        assert 'data-tile-url="https://{s}.tiles.example.org/{z}/{x}/{y}.png"' in response.text
        assert '<svg id="offline-map"' in response.text  # still there when tiles cannot load
        assert "img-src 'self' data: https://*.tiles.example.org" in response.headers["content-security-policy"]
        assert client.get("/api/map").json()["tile_url"] == tiles
        assert client.get("/static/vendor/leaflet/leaflet.js").status_code == 200


# ------------------------------------------------------------------------------------------------------- i18n


@pytest.mark.parametrize(
    ("headers", "params", "expected"),
    [
        ({}, {}, "Search"),
        ({"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}, {}, "Recherche"),
        ({"Accept-Language": "de-DE"}, {}, "Suche"),
        ({"Accept-Language": "zh-CN,zh;q=0.9"}, {}, "搜索"),
        ({"Accept-Language": "zh-TW"}, {}, "搜尋"),
        ({"Accept-Language": "ja"}, {}, "検索"),
        ({"Accept-Language": "sv-SE"}, {}, "Search"),
        ({"Accept-Language": "fr"}, {"lang": "zh-Hant"}, "搜尋"),
    ],
)
def test_ui_language_follows_query_then_browser(
    client: TestClient, headers: dict[str, str], params: dict[str, str], expected: str
) -> None:
    client.cookies.clear()
    page = client.get("/ingest", headers=headers, params=params).text
    assert f'<a href="/">{expected}</a>' in page


def test_language_choice_is_remembered_in_a_cookie(client: TestClient) -> None:
    client.cookies.clear()
    first = client.get("/", params={"lang": "ja"})
    assert first.cookies.get("lang") == "ja"
    later = client.get("/events", headers={"Accept-Language": "en"}).text
    assert '<html lang="ja">' in later and "イベント" in later
    client.cookies.clear()


def test_language_switcher_keeps_the_page_and_its_query(client: TestClient) -> None:
    page = client.get("/search", params={"q": "Liège", "lang": "en"}).text
    links = {html.unescape(u) for u in re.findall(r'<a href="([^"]+)" hreflang=', page)}
    assert "/search?q=Li%C3%A8ge&lang=fr" in links and "/search?q=Li%C3%A8ge&lang=zh-Hans" in links
    client.cookies.clear()


def test_dates_are_iso_whatever_the_language(client: TestClient, clarity: dict[str, Any]) -> None:
    for lang in ("fr", "de", "ja", "zh-Hant"):
        page = client.get("/events", params={"lang": lang}).text
        assert re.search(r"<time[^>]*>\d{4}-\d{2}(-\d{2})?</time>", page)
    client.cookies.clear()


# --------------------------------------------------------------------------------------------------- security


def test_pages_and_api_send_a_strict_content_security_policy(client: TestClient) -> None:
    for path in ("/", "/search?q=Liège", "/api/search?q=Liège", "/api/entity/nope", "/static/css/bioatlas.css"):
        policy = client.get(path).headers["content-security-policy"]
        assert "script-src 'self'" in policy and "default-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy and "http" not in policy
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy


def test_api_docs_use_vendored_swagger_and_allow_only_their_own_script(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    page = response.text
    assert (
        "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page and "/static/vendor/swagger-ui/swagger-ui.css" in page
    )
    assert not re.search(r'(src|href)="(https?:)?//', page), "the docs page must load nothing from the internet"
    inline = re.findall(r"<script>(.*?)</script>", page, flags=re.S)
    assert len(inline) == 1 and "/api/openapi.json" in inline[0]
    policy = response.headers["content-security-policy"]
    assert f"'sha256-{script_hash(inline[0])}'" in policy and "unsafe-inline" not in policy
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css"):
        assert client.get(f"/static/vendor/swagger-ui/{asset}").status_code == 200
    assert client.get("/redoc").status_code == 404


def test_templates_load_nothing_remote_and_run_no_inline_script() -> None:
    for template in (WEB / "templates").glob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", source), f"inline script in {template.name}"
        assert not re.search(r'(src|href)="(https?:)?//', source), f"remote asset in {template.name}"
        assert " on" + "click=" not in source and "style=" not in source, template.name
        assert "|safe" not in source.replace("data.html|safe", "").replace("d.snippet|safe", ""), template.name


def test_static_assets_are_vendored(client: TestClient) -> None:
    for path in (
        "/static/css/bioatlas.css",
        "/static/map/land-110m.svg",
        "/static/vendor/leaflet/leaflet.css",
        "/static/js/tilemap.js",
        "/static/favicon.svg",
    ):
        assert client.get(path).status_code == 200, path
    for css in (WEB / "static" / "css").glob("*.css"):
        assert "@import" not in css.read_text() and "url(http" not in css.read_text()


def test_hostile_upload_from_the_form_is_escaped(
    client: TestClient, analyst_client: TestClient, hostile_jsonl: bytes
) -> None:
    response = analyst_client.post(
        "/ingest", files=[("files", ("hostile-form.jsonl", hostile_jsonl, "application/json"))]
    )
    assert response.status_code == 200
    assert "hostile-form.jsonl" in text_of(response.text)
    doc_id = re.search(r'<a href="/document/([^"]+)">hostile-form.jsonl', response.text)
    assert doc_id, "the result links the new document"
    page = client.get(f"/document/{doc_id.group(1)}").text
    title = re.search(r"<h1>(.*?)</h1>", page, flags=re.S)
    assert title and "&lt;img src=x onerror=alert(&#39;title&#39;)&gt;" in title.group(1)
    assert "<img" not in page and "<script>alert" not in page


def test_form_posts_from_other_sites_are_refused(client: TestClient) -> None:
    response = client.post(
        "/ingest", files=[("files", ("x.txt", b"hello", "text/plain"))], headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403
