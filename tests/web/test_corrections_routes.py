"""Corrections over HTTP: `POST /api/corrections`, undo, history; who may correct (analysts, admins), the CSRF token
of a logged-in session, bad input as a 400 naming the field, corrected values on the pages with who/when/why in
the UI languages, organisation-private corrections; also the merge form's name suggestions and citation links
that land on the marked sentence."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bioatlas import accounts
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.web.app import create_app
from tests.kb.test_corrections import BASEL, CLARITY, LIEGE, PAGES, ROCHE
from tests.web.conftest import web_settings

ANALYST, VIEWER, ADMIN = "Jürgen Müller", "陳美玲", "Administratrice"
AMELIE, BOWEN = "Amélie Dubois", "王博文"
PASSWORD = "un mot de passe assez long 長長的密碼"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("corrections-web")
    url = f"sqlite:///{folder}/kb.db"
    store = Store(url)
    feed = folder / "feed.jsonl"
    feed.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAGES), encoding="utf-8")
    assert ingest_paths(store, [str(feed)]).statuses["added"] == len(PAGES)
    accounts.create_user(store, ANALYST, PASSWORD, "analyst")
    accounts.create_user(store, VIEWER, PASSWORD, "viewer")
    accounts.create_user(store, ADMIN, PASSWORD, "admin")
    accounts.create_user(store, AMELIE, PASSWORD, "analyst", org="Agence wallonne")
    accounts.create_user(store, BOWEN, PASSWORD, "analyst", org="苏州生物园")
    tokens = {name: accounts.create_token(store, name, "tests") for name in (ANALYST, VIEWER, ADMIN, AMELIE, BOWEN)}
    with TestClient(create_app(url, settings=web_settings())) as client:
        yield {"client": client, "tokens": tokens, "store": store}
    store.engine.dispose()


def _as(world: dict[str, Any], name: str) -> dict[str, str]:
    return bearer(world["tokens"][name])


def _event(client: TestClient, company: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    events = client.get("/api/events", headers=headers or {}).json()["events"]
    [event] = [e for e in events if company in {m["id"] for m in e["roles"].get("company", [])}]
    return event


def _undo_all(world: dict[str, Any]) -> None:
    client = world["client"]
    for name in (ADMIN, AMELIE, BOWEN):
        for c in client.get("/api/corrections", headers=_as(world, name)).json()["corrections"]:
            if c["may_undo"]:
                assert client.post(f"/api/corrections/{c['id']}/undo", headers=_as(world, name)).status_code == 200


@pytest.fixture
def clean(world: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield world
    _undo_all(world)


def _active(client: TestClient, headers: dict[str, str] | None = None) -> list[dict[str, Any]]:
    listed = client.get("/api/corrections", headers=headers or {}).json()["corrections"]
    return [c for c in listed if not c["undone_at"]]


def _map_count(client: TestClient, entity_id: str) -> int:
    return next((p["events"] for p in client.get("/api/map").json()["points"] if p["id"] == entity_id), 0)


def test_a_date_corrected_through_the_api_shows_on_every_page_and_undo_restores_it(clean: dict[str, Any]) -> None:
    client = clean["client"]
    event = _event(client, CLARITY)
    made = client.post(
        "/api/corrections",
        json={"event": event["id"], "field": "date", "value": "2020-11-30", "reason": "新闻稿日期为2020年11月30日"},
        headers=_as(clean, ANALYST),
    )
    assert made.status_code == 201, made.text
    [row] = made.json()["corrections"]
    assert (row["by"], row["old_value"], row["new_value"]) == (ANALYST, "2021-05-12", "2020-11-30")
    assert _event(client, CLARITY)["date"] == "2020-11-30"
    document_id = event["reports"][0]["document_id"]
    for page in ("/events", f"/entity/{CLARITY}", f"/entity/{LIEGE}", f"/document/{document_id}"):
        html = client.get(page, params={"lang": "zh-Hans"}).text
        assert 'class="date corrected"' in html and "2020-11-30" in html, page
        assert "已更正" in html and "新闻稿日期为2020年11月30日" in html, page
    history = client.get("/corrections", params={"event": event["id"], "lang": "zh-Hant"}).text
    assert "更正紀錄" in history and "新闻稿日期为2020年11月30日" in history and ANALYST in history
    undone = client.post(f"/api/corrections/{row['id']}/undo", headers=_as(clean, ANALYST))
    assert undone.status_code == 200 and undone.json()["undone_by"] == ANALYST
    assert _event(client, CLARITY)["date"] == "2021-05-12"
    assert 'class="date corrected"' not in client.get(f"/entity/{CLARITY}").text
    [listed] = client.get("/api/corrections", params={"event": event["id"]}).json()["corrections"]
    assert listed["undone_by"] == ANALYST and not listed["may_undo"]


def test_a_rejected_event_leaves_the_lists_and_the_map_counts(clean: dict[str, Any]) -> None:
    client = clean["client"]
    event = _event(client, ROCHE)
    count = client.get("/api/events").json()["count"]
    assert _map_count(client, BASEL) == 1
    made = client.post(
        "/api/corrections",
        json={"event": event["id"], "field": "reject", "reason": "Ce n'est pas une extension : article mal lu"},
        headers=_as(clean, ADMIN),
    )
    assert made.status_code == 201 and made.json()["rejected"]
    assert client.get("/api/events").json()["count"] == count - 1
    assert _map_count(client, BASEL) == 0
    assert event["id"] not in {e["id"] for e in client.get(f"/api/entity/{ROCHE}").json()["events"]}
    assert "Ce n&#39;est pas une extension" in client.get("/corrections", params={"lang": "fr"}).text


def test_viewers_and_anonymous_readers_cannot_correct(world: dict[str, Any]) -> None:
    client = world["client"]
    body = {"event": _event(client, CLARITY)["id"], "field": "date", "value": "2019"}
    refused = client.post("/api/corrections", json=body, headers=_as(world, VIEWER))
    assert refused.status_code == 403 and "viewer" in refused.json()["error"]["message"]
    assert client.post("/api/corrections", json=body).status_code == 401
    assert _active(client) == []
    assert 'class="correct"' not in client.get("/events", headers=_as(world, VIEWER)).text


def _log_in(client: TestClient, name: str) -> str:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]*)"', form.text)
    assert token
    done = client.post(
        "/login",
        data={"username": name, "password": PASSWORD, "csrf_token": token.group(1), "next": "/events"},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.text
    page = client.get("/events").text
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, "an analyst's events page has the Correct forms, with the session's token"
    return found.group(1)


def test_form_posts_need_the_sessions_csrf_token(world: dict[str, Any]) -> None:
    with TestClient(create_app(world["store"].url, settings=web_settings())) as fresh:
        csrf = _log_in(fresh, AMELIE)
        event = _event(fresh, CLARITY)
        form = {"event": event["id"], "field": "type", "value": "expansion", "next": "/events"}
        assert fresh.post("/api/corrections", data=form).status_code == 403
        assert fresh.post("/api/corrections", data=form | {"csrf_token": "x" * 43}).status_code == 403
        assert fresh.post("/api/corrections", json=form).status_code == 403  # JSON with the cookie: token needed too
        assert _active(fresh) == []
        done = fresh.post("/api/corrections", data=form | {"csrf_token": csrf}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == "/events"
        [row] = _active(fresh)
        undo = fresh.post(f"/api/corrections/{row['id']}/undo", data={"next": "/corrections"})
        assert undo.status_code == 403  # undo needs the token as well
        undone = fresh.post(
            f"/api/corrections/{row['id']}/undo",
            data={"csrf_token": csrf, "next": "/corrections"},
            follow_redirects=False,
        )
        assert undone.status_code == 303 and _active(fresh) == []


@pytest.mark.parametrize(
    "body,field",
    [
        ({"event": "ffffffffffffffff", "field": "date", "value": "2021"}, "event"),
        ({"field": "date", "value": "2021-13"}, "value"),
        ({"field": "role", "role": "Pilot", "add": "Basel"}, "role"),
        ({"field": "date", "value": ["2021"]}, "value"),
        ({"field": "type", "value": "fusion"}, "value"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(world: dict[str, Any], body: dict[str, Any], field: str) -> None:
    client = world["client"]
    asked = {"event": _event(client, CLARITY)["id"], **body}
    response = client.post("/api/corrections", json=asked, headers=_as(world, ANALYST))
    assert response.status_code == 400, response.text
    assert response.json()["error"]["message"].startswith(f"{field}")
    assert _active(client) == []


def test_a_non_numeric_figure_value_is_a_400(world: dict[str, Any]) -> None:
    client = world["client"]
    [figure] = client.get(f"/api/entity/{ROCHE}").json()["figures"]
    response = client.post(
        "/api/corrections",
        json={"figure": figure["id"], "field": "value", "value": "douze cents"},
        headers=_as(world, ANALYST),
    )
    assert response.status_code == 400 and response.json()["error"]["message"].startswith("value: 'douze cents'")
    bad_filter = client.get("/api/corrections", params={"entity": "ent:nobody"})
    assert bad_filter.status_code == 400 and bad_filter.json()["error"]["message"].startswith("entity")
    assert client.get("/api/corrections", params={"entitiy": ROCHE}).status_code == 400


def test_an_organisations_correction_is_invisible_to_another_organisation(clean: dict[str, Any]) -> None:
    client = clean["client"]
    event = _event(client, CLARITY)
    made = client.post(
        "/api/corrections",
        json={
            "event": event["id"],
            "field": "role",
            "role": "location",
            "remove": LIEGE,
            "add": "Basel",
            "reason": "Standort laut Pressemitteilung: Basel",
        },
        headers=_as(clean, AMELIE),
    )
    assert made.status_code == 201, made.text
    assert made.json()["corrections"][0]["org_id"] is not None
    moved = _event(client, CLARITY, _as(clean, AMELIE))
    assert [m["id"] for m in moved["roles"]["location"]] == [BASEL]
    for other in ({}, _as(clean, BOWEN), _as(clean, ANALYST)):
        assert [m["id"] for m in _event(client, CLARITY, other)["roles"]["location"]] == [LIEGE]
        assert all(c["org_id"] is None for c in client.get("/api/corrections", headers=other).json()["corrections"])
        page = client.get("/corrections", headers=other).text
        assert "Standort laut Pressemitteilung" not in page
    [mine] = _active(client, _as(clean, AMELIE))
    assert mine["names"][BASEL]["name"] == "Basel"
    refused = client.post(f"/api/corrections/{mine['id']}/undo", headers=_as(clean, BOWEN))
    assert refused.status_code == 404
    everyone = client.post(
        "/api/corrections",
        json={"event": event["id"], "field": "date", "value": "2021", "scope": "everyone"},
        headers=_as(clean, AMELIE),
    )
    assert everyone.status_code == 403  # only an admin corrects for every organisation


def test_entities_are_suggested_by_name_and_the_merge_form_takes_a_name(world: dict[str, Any]) -> None:
    client = world["client"]
    found = client.get("/api/entities/suggest", params={"q": "列日"}).json()["entities"]
    assert found[0]["id"] == LIEGE and found[0]["label"] == f"Liège [{LIEGE}]"
    assert client.get("/api/entities/suggest", params={"q": "Lüttich"}).status_code == 200
    page = client.get(f"/entity/{CLARITY}", headers=_as(world, ANALYST)).text
    assert "data-suggest" in page and "/static/js/suggest.js" in page
    merged = client.post(
        "/api/merges", json={"from_id": "Nirgendwo-Stadt", "to_id": CLARITY}, headers=_as(world, ANALYST)
    )
    assert merged.status_code == 400 and merged.json()["error"]["message"].startswith("from_id: no entity named")


def test_citation_links_land_on_the_marked_sentence(world: dict[str, Any]) -> None:
    client = world["client"]
    for page in (f"/entity/{CLARITY}", "/events", f"/entity/{ROCHE}"):
        links = re.findall(r'class="doc-link" href="(/document/[^"]+)"', client.get(page).text)
        assert links and all(re.search(r"\?mark=\d+-\d+#evidence$", link) for link in links), (page, links)
        target = client.get(links[0].replace("&amp;", "&").split("#")[0]).text
        assert 'id="evidence"' in target
