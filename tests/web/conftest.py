"""One knowledge base for the web tests: examples/corpus ingested once per session into a temporary SQLite file.

The same app serves the API tests (TestClient) and the browser tests (uvicorn on a free loopback port, driven by
Debian's chromium through the `playwright` package). The app lets anyone read (BIOATLAS_PUBLIC_READ) and answers to
the TestClient's host name; `client` is anonymous, `analyst_client` writes with an analyst's API token, `log_in`
logs a client in through the login form, and `analyst_page` is a browser page logged in as the analyst.
"""

from __future__ import annotations

import json
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bioatlas import accounts
from bioatlas.kb import queries
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.store import Store
from bioatlas.settings import Settings
from bioatlas.web.app import create_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "corpus"
CHROMIUM = os.environ.get("BIOATLAS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

HOSTILE = {
    "id": "hostile-page",
    "title": "Hostile <img src=x onerror=alert('title')> headline",
    "url": "javascript:alert('url')",
    "published": "2024-01-02",
    "text": (
        "Acmexyz Biotherapeutics <script>alert('xss')</script> opened a laboratory in Liège.\n\n"
        "The company said <img src=x onerror=alert(1)> it will hire 40 researchers "
        '<a href="javascript:alert(2)">here</a>.'
    ),
}


TEST_HOSTS = ("127.0.0.1", "localhost", "[::1]", "testserver")  # TestClient sends Host: testserver
ANALYST = "Müller"  # writes to the shared kb (no organisation)
VIEWER = "陳美玲"  # reads only
ADMIN = "李明"
PASSWORDS = {ANALYST: "Passwort-für-Müller", VIEWER: "讀者的密碼很長很長很長", ADMIN: "管理员的密码足够长足够长"}


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("kb")
    url = f"sqlite:///{folder}/kb.db"
    store = Store(url)
    accounts.create_user(store, ANALYST, PASSWORDS[ANALYST], "analyst")
    accounts.create_user(store, VIEWER, PASSWORDS[VIEWER], "viewer")
    accounts.create_user(store, ADMIN, PASSWORDS[ADMIN], "admin")
    report = ingest_paths(store, [str(EXAMPLES)])
    assert report.statuses["added"] >= 20, report.summary()
    assert queries.map_points(store), "the example corpus should put located places on the map"
    store.engine.dispose()
    return url


def web_settings(**changes: Any) -> Settings:
    """Settings for a test app: the offline map, public reading, the test hosts, whatever the environment says."""
    values: dict[str, Any] = {"tile_url": "", "public_read": True, "allowed_hosts": TEST_HOSTS, "secure_cookies": False}
    return Settings(**(values | changes))


@pytest.fixture(scope="session")
def app(kb_url: str) -> FastAPI:
    return create_app(kb_url, settings=web_settings())


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    """Anonymous: reads the shared kb (public reading is on), cannot write."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def analyst_token(kb_url: str) -> str:
    store = Store(kb_url)
    token = accounts.create_token(store, ANALYST, "web tests")
    store.engine.dispose()
    return token


@pytest.fixture(scope="session")
def analyst_client(app: FastAPI, analyst_token: str) -> Iterator[TestClient]:
    """The analyst, by API token (as a script would): may ingest, merge and undo."""
    with TestClient(app, headers={"Authorization": f"Bearer {analyst_token}"}) as test_client:
        yield test_client


def _hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    assert found, f"no hidden field {name} in the page"
    return found.group(1)


@pytest.fixture(scope="session")
def log_in() -> Any:
    """`log_in(client, name, password=None)`: log in through the login form; returns the session's CSRF token."""

    def run(test_client: TestClient, name: str, password: str | None = None) -> str:
        form = test_client.get("/login")
        assert form.status_code == 200, form.text
        response = test_client.post(
            "/login",
            data={
                "username": name,
                "password": password or PASSWORDS[name],
                "csrf_token": _hidden(form.text, "csrf_token"),
                "next": "/account",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        account = test_client.get("/account")
        assert account.status_code == 200 and name in account.text
        return _hidden(account.text, "csrf_token")

    return run


@pytest.fixture
def lenient_client(app: FastAPI) -> Iterator[TestClient]:
    """A client that returns 500 responses instead of raising, to check what a user gets on a bug."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def hostile_jsonl() -> bytes:
    """A JSONL record whose title, URL and text try to run script in the page that shows them."""
    return (json.dumps(HOSTILE, ensure_ascii=False) + "\n").encode("utf-8")


@pytest.fixture(scope="session")
def clarity(client: TestClient) -> dict[str, Any]:
    """The entity Clarity Pharmaceuticals (named in English, French and Chinese pages of the corpus)."""
    found = client.get("/api/search", params={"q": "Clarity Pharmaceuticals"}).json()["entities"]
    matches = [e for e in found if e["name"] == "Clarity Pharmaceuticals"]
    assert matches, f"no entity named Clarity Pharmaceuticals among {[e['name'] for e in found]}"
    return matches[0]


@pytest.fixture(scope="session")
def two_entities(client: TestClient, clarity: dict[str, Any]) -> tuple[str, str]:
    """Two entities that take part in events (not Clarity, whose page other tests read), for merge tests."""
    ids: list[str] = []
    for event in client.get("/api/events").json()["events"]:
        for members in event["roles"].values():
            ids.extend(m["id"] for m in members if m["id"] not in ids and m["id"] != clarity["id"])
    assert len(ids) >= 2, ids
    return ids[-1], ids[-2]


# ---------------------------------------------------------------------------------------------- browser fixtures


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: FastAPI) -> Iterator[str]:
    """Run an app with uvicorn in a background thread on a free loopback port; yields its base URL."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the web server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def serve_app() -> Any:
    """`serve` for tests that need a second server (e.g. with other settings)."""
    return serve


@pytest.fixture(scope="session")
def live_server(app: FastAPI) -> Iterator[str]:
    with serve(app) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"chromium is required for the browser tests and was not found at {CHROMIUM}: "
            "install it with `apt-get install -y chromium` (never `playwright install`)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def log_in_page(pg: Any, name: str, password: str | None = None) -> None:
    """Log a browser page in through the login form."""
    pg.goto("/login")
    pg.locator("#username").fill(name)
    pg.locator("#password").fill(password or PASSWORDS[name])
    pg.locator("#login-form button[type=submit]").click()
    pg.wait_for_url(re.compile(r"/$"))
    assert pg.locator("header .who a.user").inner_text() == name


class PageWatch:
    """What a page did that it must not: dialogs (alert), script errors, console errors (CSP violations)."""

    def __init__(self) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []


@pytest.fixture
def page(browser: Any, live_server: str) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server, locale="en-GB")
    context.set_default_timeout(10_000)
    pg = context.new_page()
    watch = PageWatch()

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(dialog.message)
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    pg.on("console", lambda msg: watch.console_errors.append(msg.text) if msg.type == "error" else None)
    pg.watch = watch
    yield pg
    context.close()


@pytest.fixture
def analyst_page(page: Any) -> Any:
    """A browser page logged in as the analyst (a session cookie, forms carry the CSRF token)."""
    log_in_page(page, ANALYST)
    return page
