"""One knowledge base for the web tests: examples/corpus ingested once per session into a temporary SQLite file.

The same app serves the API tests (TestClient) and the browser tests (uvicorn on a free loopback port, driven by
Debian's chromium through the `playwright` package).
"""

from __future__ import annotations

import json
import os
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


@pytest.fixture(scope="session")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("kb")
    url = f"sqlite:///{folder}/kb.db"
    store = Store(url)
    report = ingest_paths(store, [str(EXAMPLES)])
    assert report.statuses["added"] >= 20, report.summary()
    assert queries.map_points(store), "the example corpus should put located places on the map"
    store.engine.dispose()
    return url


@pytest.fixture(scope="session")
def app(kb_url: str) -> FastAPI:
    return create_app(kb_url, settings=Settings(tile_url=""))  # the offline map, whatever the environment says


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


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
