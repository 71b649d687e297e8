"""Accounts over real HTTP: roles, tokens, login and logout, CSRF tokens, JSON content types, the Host allow-list,
rate-limited logins, private reading, and every write recorded under the real user's name."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from bioatlas import accounts
from bioatlas.kb import schema as t
from bioatlas.kb.store import Store
from bioatlas.web.app import create_app
from bioatlas.web.catalogs import STRINGS
from tests.web.conftest import ADMIN, ANALYST, EXAMPLES, PASSWORDS, VIEWER, web_settings


def error_of(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.text[:300])
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return dict(body["error"])


@pytest.fixture
def fresh(app: FastAPI) -> Iterator[TestClient]:
    """A client of its own (its own cookies) on the public-read app."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def store(kb_url: str) -> Iterator[Store]:
    kb = Store(kb_url)
    yield kb
    kb.engine.dispose()


@pytest.fixture(scope="module")
def viewer_token(store: Store) -> str:
    return accounts.create_token(store, VIEWER, "lecture seule")


@pytest.fixture(scope="module")
def private_app(kb_url: str) -> FastAPI:
    """The same kb, served without public reading (the default): everything needs a login."""
    return create_app(kb_url, settings=web_settings(public_read=False))


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def merge_rows(store: Store) -> int:
    with store.engine.connect() as conn:
        return len(conn.execute(select(t.merges.c.id)).all())


# ---------------------------------------------------------------------------------------------------- roles


def test_anonymous_readers_cannot_write(client: TestClient, two_entities: tuple[str, str], store: Store) -> None:
    keep, other = two_entities
    before = merge_rows(store)
    assert "log in" in error_of(client.post("/api/merges", json={"from_id": other, "to_id": keep}), 401)["message"]
    error_of(client.post("/api/merges/whatever/undo"), 401)
    error_of(client.post("/api/ingest", files=[("files", ("x.txt", b"Biolake in Wuhan.", "text/plain"))]), 401)
    form = client.post("/ingest", files=[("files", ("x.txt", b"Biolake.", "text/plain"))], follow_redirects=False)
    assert form.status_code == 303 and form.headers["location"].startswith("/login?next=")  # a person: log in
    assert merge_rows(store) == before


def test_a_viewer_reads_but_cannot_write(
    client: TestClient, viewer_token: str, two_entities: tuple[str, str], store: Store
) -> None:
    keep, other = two_entities
    before = merge_rows(store)
    assert client.get("/api/search", params={"q": "Liège"}, headers=bearer(viewer_token)).status_code == 200
    refused = client.post("/api/merges", json={"from_id": other, "to_id": keep}, headers=bearer(viewer_token))
    assert "viewer" in error_of(refused, 403)["message"]
    upload = [("files", ("note.txt", b"Genopole et Biolake.", "text/plain"))]
    error_of(client.post("/api/ingest", files=upload, headers=bearer(viewer_token)), 403)
    error_of(client.get("/api/users", headers=bearer(viewer_token)), 403)
    assert merge_rows(store) == before


def test_merges_record_the_logged_in_user_not_the_by_field(
    analyst_client: TestClient, two_entities: tuple[str, str]
) -> None:
    keep, other = two_entities
    created = analyst_client.post("/api/merges", json={"from_id": other, "to_id": keep, "by": "Mallory"})
    assert created.status_code == 201, created.text
    try:
        assert created.json()["by"] == ANALYST
        merges = analyst_client.get(f"/api/entity/{keep}").json()["merges"]
        assert [m["by"] for m in merges if m["id"] == created.json()["id"]] == [ANALYST]
        assert all(m["by"] != "Mallory" for m in merges)
    finally:
        undone = analyst_client.post(f"/api/merges/{created.json()['id']}/undo")
    assert undone.status_code == 200 and undone.json()["undone_by"] == ANALYST
    merges = analyst_client.get(f"/api/entity/{keep}").json()["merges"]
    assert [m["undone_by"] for m in merges if m["id"] == created.json()["id"]] == [ANALYST]


def test_uploads_record_the_user_and_their_organisation(client: TestClient, store: Store) -> None:
    accounts.create_user(store, "Dubois", "mot-de-passe-solide", "analyst", org="Société Générale de Biotech")
    token = accounts.create_token(store, "Dubois", "téléversement")
    text = "Société Générale de Biotech ouvre un laboratoire à Lyon.\n\n里昂生物科技园迎来新公司。"
    response = client.post(
        "/api/ingest", files=[("files", ("lyon.txt", text.encode(), "text/plain"))], headers=bearer(token)
    )
    assert response.status_code == 201, response.text
    run_id = response.json()["run_id"]
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.ingest_log).where(t.ingest_log.c.run_id == run_id)).mappings().all()
        doc_orgs = {
            conn.execute(select(t.documents.c.org_id).where(t.documents.c.id == r["document_id"])).scalar()
            for r in rows
            if r["document_id"]
        }
    assert rows and {r["user_name"] for r in rows} == {"Dubois"}
    org_id = accounts.create_org(store, "Société Générale de Biotech")
    assert {r["org_id"] for r in rows} == {org_id} and doc_orgs == {org_id}


def test_an_admin_manages_users_from_the_web(fresh: TestClient, log_in: Any, store: Store) -> None:
    csrf = log_in(fresh, ADMIN)
    page = fresh.get("/admin/users")
    assert page.status_code == 200 and ANALYST in page.text and VIEWER in page.text
    assert "password_hash" not in page.text and "$argon2" not in page.text
    added = fresh.post(
        "/admin/users",
        data={
            "csrf_token": csrf,
            "name": "王小红",
            "password": "王小红的密码足够长了",
            "role": "analyst",
            "org": "上海张江生物医药基地",
        },
    )
    assert added.status_code == 200 and "王小红" in added.text
    user = accounts.get_user(store, "王小红")
    assert user and user["role"] == "analyst" and user["org"] == "上海张江生物医药基地"
    changed = fresh.post(
        "/admin/users/change",
        data={"csrf_token": csrf, "name": "王小红", "action": "role", "role": "viewer"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    fresh.post("/admin/users/change", data={"csrf_token": csrf, "name": "王小红", "action": "disable"})
    user = accounts.get_user(store, "王小红")
    assert user and user["role"] == "viewer" and user["disabled"]
    myself = fresh.post("/admin/users/change", data={"csrf_token": csrf, "name": ADMIN, "action": "disable"})
    assert myself.status_code == 400 and not accounts.get_user(store, ADMIN)["disabled"]  # type: ignore[index]
    short = fresh.post("/admin/users", data={"csrf_token": csrf, "name": "Kurz", "password": "kurz", "role": "viewer"})
    assert short.status_code == 400 and "10 characters" in short.text


def test_only_admins_see_the_user_pages(fresh: TestClient, log_in: Any, analyst_client: TestClient) -> None:
    error_of(analyst_client.get("/api/users"), 403)
    assert analyst_client.get("/admin/users").status_code == 403
    anonymous = fresh.get("/admin/users", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/login?next=%2Fadmin%2Fusers"
    log_in(fresh, ADMIN)
    assert fresh.get("/api/users").json()["users"]


# ------------------------------------------------------------------------------------------- tokens and users


def test_revoked_tokens_and_disabled_users_are_refused(client: TestClient, store: Store) -> None:
    accounts.create_user(store, "Schäfer", "Schäfers-Passwort", "analyst")
    first = accounts.create_token(store, "Schäfer", "erstes")
    second = accounts.create_token(store, "Schäfer", "zweites")
    assert client.get("/api/me", headers=bearer(first)).json()["user"] == "Schäfer"
    accounts.revoke_token(store, accounts.token_id(first))
    assert "revoked" in error_of(client.get("/api/me", headers=bearer(first)), 401)["message"]
    assert client.get("/api/me", headers=bearer(second)).status_code == 200
    accounts.disable_user(store, "Schäfer")
    error_of(client.get("/api/me", headers=bearer(second)), 401)
    error_of(client.get("/api/search", params={"q": "x"}, headers=bearer("bat_made-up")), 401)
    error_of(client.get("/api/search", params={"q": "x"}, headers={"Authorization": "Basic YWRtaW46YWRtaW4="}), 401)
    assert accounts.authenticate(store, "Schäfer", "Schäfers-Passwort") is None


def test_tokens_are_made_on_the_account_page_shown_once_and_revoked(fresh: TestClient, log_in: Any) -> None:
    csrf = log_in(fresh, VIEWER)
    made = fresh.post("/account/tokens", data={"csrf_token": csrf, "name": "我的腳本"})
    token = re.search(r'<code id="new-token">([^<]+)</code>', made.text)
    assert made.status_code == 200 and token
    assert fresh.get("/api/me", headers=bearer(token.group(1))).json()["user"] == VIEWER
    listed = fresh.get("/account").text
    assert "我的腳本" in listed and token.group(1) not in listed  # shown once only
    token_id = accounts.token_id(token.group(1))
    fresh.post("/account/tokens/revoke", data={"csrf_token": csrf, "token_id": token_id})
    error_of(fresh.get("/api/me", headers=bearer(token.group(1))), 401)


# -------------------------------------------------------------------------------------------- login and logout


def login_form(test_client: TestClient) -> str:
    page = test_client.get("/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found
    return found.group(1)


def test_login_and_logout_round_trip(fresh: TestClient, log_in: Any) -> None:
    csrf = log_in(fresh, ANALYST)
    cookie = fresh.cookies.get("bioatlas_session")
    assert cookie and fresh.get("/api/me").json()["user"] == ANALYST
    header = fresh.get("/").text
    assert '<a class="user" href="/account"' in header and 'action="/logout"' in header
    out = fresh.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303 and "bioatlas_session" not in fresh.cookies
    error_of(fresh.get("/api/me"), 401)
    fresh.cookies.set("bioatlas_session", cookie)  # the old cookie, copied before logging out, is worth nothing
    error_of(fresh.get("/api/me"), 401)


def test_session_cookie_flags(app: FastAPI, kb_url: str) -> None:
    for secure in (False, True):
        settings = web_settings(secure_cookies=secure)
        with TestClient(create_app(kb_url, settings=settings), base_url="https://testserver") as test_client:
            response = test_client.post(
                "/login",
                data={"username": ANALYST, "password": PASSWORDS[ANALYST], "csrf_token": login_form(test_client)},
                follow_redirects=False,
            )
            cookie = response.headers["set-cookie"].lower()
            assert response.status_code == 303 and "bioatlas_session=" in cookie
            assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=1209600" in cookie
            assert ("secure" in cookie) is secure


def test_wrong_passwords_and_unknown_users_get_the_same_answer(fresh: TestClient) -> None:
    answers = []
    for name, password in ((ANALYST, "not-the-password"), ("nobody-at-all", "not-the-password")):
        response = fresh.post("/login", data={"username": name, "password": password, "csrf_token": login_form(fresh)})
        assert response.status_code == 401 and "bioatlas_session" not in fresh.cookies
        answers.append(re.search(r'id="login-error">([^<]+)<', response.text).group(1))  # type: ignore[union-attr]
    assert answers[0] == answers[1] and "password" in answers[0]


def test_login_needs_its_pre_session_token(fresh: TestClient) -> None:
    login_form(fresh)
    forged = fresh.post("/login", data={"username": ANALYST, "password": PASSWORDS[ANALYST], "csrf_token": "guess"})
    assert forged.status_code == 403 and "bioatlas_session" not in fresh.cookies
    fresh.cookies.clear()
    blind = fresh.post("/login", data={"username": ANALYST, "password": PASSWORDS[ANALYST], "csrf_token": ""})
    assert blind.status_code == 403 and "bioatlas_session" not in fresh.cookies


def test_failed_logins_are_limited_per_user_name(kb_url: str, store: Store) -> None:
    accounts.create_user(store, "Lefèvre", "le-bon-mot-de-passe", "viewer")
    with TestClient(create_app(kb_url, settings=web_settings())) as test_client:
        for _ in range(10):
            data = {"username": "Lefèvre", "password": "mauvais-mot", "csrf_token": login_form(test_client)}
            assert test_client.post("/login", data=data).status_code == 401
        data = {"username": "Lefèvre", "password": "le-bon-mot-de-passe", "csrf_token": login_form(test_client)}
        refused = test_client.post("/login", data=data, follow_redirects=False)
        assert refused.status_code == 429 and "bioatlas_session" not in test_client.cookies
        data = {"username": ANALYST, "password": PASSWORDS[ANALYST], "csrf_token": login_form(test_client)}
        assert test_client.post("/login", data=data, follow_redirects=False).status_code == 303  # others still can


def test_login_goes_back_only_to_a_page_of_this_site(fresh: TestClient) -> None:
    for target, expected in (("/events?type=funding", "/events?type=funding"), ("https://evil.example/", "/")):
        fresh.cookies.clear()
        data = {"username": ANALYST, "password": PASSWORDS[ANALYST], "csrf_token": login_form(fresh), "next": target}
        response = fresh.post("/login", data=data, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == expected


# ---------------------------------------------------------------------------------------------- CSRF and JSON


def test_form_posts_need_the_session_csrf_token(
    fresh: TestClient, log_in: Any, two_entities: tuple[str, str], store: Store
) -> None:
    keep, other = two_entities
    csrf = log_in(fresh, ANALYST)
    form = {"from_id": other, "to_id": keep, "decision": "rejected"}
    before = merge_rows(store)
    error_of(fresh.post("/api/merges", data=form), 403)
    error_of(fresh.post("/api/merges", data=form | {"csrf_token": "x" * 43}), 403)
    upload = fresh.post("/ingest", files=[("files", ("x.txt", b"Biolake.", "text/plain"))], data={"csrf_token": "no"})
    assert upload.status_code == 403
    assert merge_rows(store) == before
    done = fresh.post("/api/merges", data=form | {"csrf_token": csrf}, follow_redirects=False)
    assert done.status_code == 303 and merge_rows(store) == before + 1
    merge_id = next(m["id"] for m in fresh.get(f"/api/entity/{keep}").json()["merges"] if not m["undone_at"])
    error_of(fresh.post(f"/api/merges/{merge_id}/undo", data={"next": "/"}), 403)
    assert fresh.post(f"/api/merges/{merge_id}/undo", data={"csrf_token": csrf}, follow_redirects=False).is_redirect


def test_json_needs_a_json_content_type_and_our_origin(
    fresh: TestClient, log_in: Any, analyst_client: TestClient, two_entities: tuple[str, str], store: Store
) -> None:
    keep, other = two_entities
    body = json.dumps({"from_id": other, "to_id": keep})
    before = merge_rows(store)
    plain = analyst_client.post("/api/merges", content=body, headers={"Content-Type": "text/plain"})
    assert "application/json" in error_of(plain, 415)["message"]
    csrf = log_in(fresh, ANALYST)
    json_headers = {"Content-Type": "application/json", "X-CSRF-Token": csrf}
    foreign = fresh.post("/api/merges", content=body, headers=json_headers | {"Origin": "http://127.0.0.1:9"})
    error_of(foreign, 403)
    error_of(fresh.post("/api/merges", content=body, headers=json_headers | {"Origin": "null"}), 403)
    error_of(fresh.post("/api/merges", content=body, headers=json_headers | {"Sec-Fetch-Site": "same-site"}), 403)
    error_of(fresh.post("/api/merges", content=body, headers={"Content-Type": "application/json"}), 403)  # no token
    assert merge_rows(store) == before
    ours = fresh.post("/api/merges", content=body, headers=json_headers | {"Origin": "http://testserver"})
    assert ours.status_code == 201 and ours.json()["by"] == ANALYST
    fresh.post(f"/api/merges/{ours.json()['id']}/undo", headers={"X-CSRF-Token": csrf})


# ------------------------------------------------------------------------------------------------ hosts, reading


def test_unknown_hosts_are_refused(client: TestClient) -> None:
    for host in ("attacker.example", "attacker.example:8000", "127.0.0.2", "localhost.attacker.example"):
        refused = client.get("/api/search", params={"q": "Liège"}, headers={"Host": host})
        assert error_of(refused, 400)["code"] == "unknown_host"
    for host in ("testserver", "localhost:8000", "127.0.0.1:65000", "[::1]:8000", "LOCALHOST"):
        assert client.get("/api/search", params={"q": "Liège"}, headers={"Host": host}).status_code == 200, host


def test_without_public_reading_everything_needs_a_login(private_app: FastAPI, viewer_token: str) -> None:
    with TestClient(private_app) as test_client:
        home = test_client.get("/", follow_redirects=False)
        assert home.status_code == 303 and home.headers["location"] == "/login?next=%2F"
        page = test_client.get("/events?type=funding", follow_redirects=False)
        assert page.headers["location"] == "/login?next=%2Fevents%3Ftype%3Dfunding"
        assert error_of(test_client.get("/api/search", params={"q": "Liège"}), 401)["code"] == "unauthorized"
        assert test_client.get("/docs", follow_redirects=False).status_code == 303
        assert test_client.get("/login").status_code == 200
        assert test_client.get("/static/css/bioatlas.css").status_code == 200
        found = test_client.get("/api/search", params={"q": "Liège"}, headers=bearer(viewer_token))
        assert found.status_code == 200 and found.json()["total"] > 0


# ---------------------------------------------------------------------------------------------- what pages show


def test_pages_never_show_server_paths(client: TestClient, analyst_client: TestClient) -> None:
    folder = str(EXAMPLES)
    ingest_page = client.get("/ingest").text
    assert folder not in ingest_page and "/tmp/" not in ingest_page
    documents = client.get("/api/search", params={"q": "Liège"}).json()["documents"]
    assert documents
    for doc in documents[:5]:
        page = client.get(f"/document/{doc['id']}").text
        assert folder not in page, doc["id"]
    results = client.get("/search", params={"q": "Liège"}).text
    assert folder not in results
    uploaded = analyst_client.post("/ingest", files=[("files", ("Zusammenfassung.txt", "Müller in Köln.".encode()))])
    assert "Zusammenfassung.txt" in uploaded.text and "/tmp" not in uploaded.text


def test_account_pages_in_every_ui_language(fresh: TestClient, log_in: Any) -> None:
    for code in STRINGS:
        assert {k for k in STRINGS["en"] if not k.endswith("_one")} <= set(STRINGS[code]), code
    assert "登入" in fresh.get("/login", params={"lang": "zh-Hant"}).text
    assert "登录" in fresh.get("/login", params={"lang": "zh-Hans"}).text
    assert "Mot de passe" in fresh.get("/login", params={"lang": "fr"}).text
    log_in(fresh, ADMIN)
    assert "Abmelden" in fresh.get("/account", params={"lang": "de"}).text
    assert "使用者" in fresh.get("/admin/users", params={"lang": "zh-Hant"}).text


def test_the_json_api_never_shows_server_paths(client: TestClient, analyst_client: TestClient) -> None:
    """The JSON twins carry a document's URL or file name (`feed.jsonl:2`), never the folders it was read from."""
    folder = str(EXAMPLES)
    answers = [
        client.get("/api/search", params={"q": "Liège"}),
        client.get("/api/search", params={"q": "羅氏"}),
        client.get("/api/events"),
        client.get("/api/ingest"),
        client.get("/api/prospects", params={"for": "Hong Kong Science Park"}),
        client.get("/api/land", params={"sector": "radiopharma", "need": "eu-market"}),
    ]
    documents = answers[0].json()["documents"] + answers[1].json()["documents"]
    answers += [client.get(f"/api/document/{d['id']}") for d in documents[:6]]
    entities = answers[0].json()["entities"][:3] + answers[1].json()["entities"][:3]
    answers += [client.get(f"/api/entity/{e['id']}") for e in entities]
    for answer in answers:
        assert answer.status_code == 200, answer.url
        assert folder not in answer.text and str(EXAMPLES.parent) not in answer.text, answer.url
    sources = {d["source"] for d in documents}
    assert sources and all("/" not in s or s.startswith("http") for s in sources), sources
    uploaded = analyst_client.post("/api/ingest", files=[("files", ("Bericht.txt", "Müller in Köln.".encode()))])
    assert "/tmp" not in uploaded.text and "Bericht.txt" in uploaded.text
