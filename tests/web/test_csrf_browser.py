"""Cross-site request forgery in a real browser (Debian's chromium): an analyst is logged in to bioatlas, then opens
another site's page (served from another loopback port, so the browser treats it as the same *site* and sends the
SameSite=Lax session cookie along). That page tries, by itself, a form-posted merge, a text/plain JSON merge, an
undo and two uploads. The kb must not change; the same actions from bioatlas's own pages must work. A request that
names another host (DNS rebinding) is refused."""

from __future__ import annotations

import http.client
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from bioatlas.kb import schema as t
from bioatlas.kb.store import Store
from tests.web.conftest import ANALYST

ATTACK = """<!doctype html>
<html><head><meta charset="utf-8"><title>Win a prize</title></head>
<body>
<h1>Congratulations!</h1>
<iframe name="sink-merge"></iframe><iframe name="sink-undo"></iframe><iframe name="sink-upload"></iframe>
<form id="merge" method="post" action="{target}/api/merges" target="sink-merge">
  <input name="from_id" value="{other}"><input name="to_id" value="{keep}"><input name="decision" value="merged">
</form>
<form id="undo" method="post" action="{target}/api/merges/{merge_id}/undo" target="sink-undo"></form>
<form id="upload" method="post" action="{target}/ingest" enctype="multipart/form-data" target="sink-upload">
  <input type="file" name="files" id="files">
</form>
<script>
const target = {target_json};
const loaded = name => new Promise(resolve => document.querySelector(`iframe[name="${{name}}"]`)
  .addEventListener("load", resolve, {{once: true}}));
async function attack() {{
  const waits = [loaded("sink-merge"), loaded("sink-undo"), loaded("sink-upload")];
  document.getElementById("merge").submit();
  document.getElementById("undo").submit();
  const files = new DataTransfer();
  files.items.add(new File(["Evil Corp acquires Genopole. 邪恶公司收购列日园区。"], "evil-form.txt", {{type: "text/plain"}}));
  document.getElementById("files").files = files.files;
  document.getElementById("upload").submit();
  const body = new FormData();
  body.append("files", new File(["Evil Corp rachète Biolake."], "evil-fetch.txt", {{type: "text/plain"}}));
  waits.push(fetch(target + "/api/ingest", {{method: "POST", mode: "no-cors", credentials: "include", body}}));
  waits.push(fetch(target + "/api/merges", {{
    method: "POST", mode: "no-cors", credentials: "include",
    headers: {{"Content-Type": "text/plain"}},
    body: JSON.stringify({{from_id: {other_json}, to_id: {keep_json}, decision: "merged", by: "attacker"}}),
  }}));
  await Promise.allSettled(waits);
  window.attackDone = true;
}}
attack();
</script>
</body></html>
"""


def _attacker_server(html: str) -> tuple[ThreadingHTTPServer, str]:
    body = html.encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def counts(store: Store, merge_id: str) -> dict[str, Any]:
    with store.engine.connect() as conn:
        return {
            "merges": conn.execute(select(func.count()).select_from(t.merges)).scalar(),
            "documents": conn.execute(select(func.count()).select_from(t.documents)).scalar(),
            "undone_at": conn.execute(select(t.merges.c.undone_at).where(t.merges.c.id == merge_id)).scalar(),
        }


@pytest.fixture
def store(kb_url: str) -> Iterator[Store]:
    kb = Store(kb_url)
    yield kb
    kb.engine.dispose()


def test_another_sites_page_cannot_change_the_kb_but_our_pages_can(
    analyst_page: Page,
    analyst_client: TestClient,
    live_server: str,
    two_entities: tuple[str, str],
    store: Store,
) -> None:
    page = analyst_page
    keep, other = two_entities
    standing = analyst_client.post("/api/merges", json={"from_id": other, "to_id": keep, "decision": "rejected"})
    assert standing.status_code == 201, standing.text
    merge_id = standing.json()["id"]
    html = ATTACK.format(
        target=live_server,
        target_json=json.dumps(live_server),
        keep=keep,
        other=other,
        keep_json=json.dumps(keep),
        other_json=json.dumps(other),
        merge_id=merge_id,
    )
    server, attacker = _attacker_server(html)
    answers: list[tuple[str, str, int]] = []
    page.on(
        "response",
        lambda r: answers.append((r.request.method, r.url, r.status)) if r.url.startswith(live_server) else None,
    )
    try:
        before = counts(store, merge_id)
        assert before["undone_at"] is None
        page.goto(attacker + "/prize.html")
        page.wait_for_function("window.attackDone === true")
        after = counts(store, merge_id)
    finally:
        server.shutdown()
        server.server_close()
    assert after == before, (before, after, answers)  # no merge, no undo, no document
    posts = [(url, status) for method, url, status in answers if method == "POST"]
    assert posts and all(status == 403 for _url, status in posts), posts  # each refused (no-cors ones are opaque)

    # The same logged-in analyst, on bioatlas's own pages: merge, undo and upload all work.
    page.goto(f"{live_server}/entity/{keep}")
    standing_rows = page.locator("#merges li.merge:not(.undone)")
    open_before = standing_rows.count()
    assert open_before >= 1  # the standing decision the attacker page tried to undo
    page.locator("#from_id").fill(other)
    page.get_by_role("button", name="Same entity: merge into this one").click()
    expect(standing_rows).to_have_count(open_before + 1)
    expect(page.locator("#merges li.merge:not(.undone)", has_text=ANALYST).first).to_be_visible()
    assert counts(store, merge_id)["merges"] == before["merges"] + 1
    for left in range(open_before + 1, 0, -1):
        standing_rows.first.get_by_role("button", name="Undo").click()
        expect(standing_rows).to_have_count(left - 1)
    assert counts(store, merge_id)["undone_at"] is not None
    page.goto(f"{live_server}/ingest")
    page.locator("#files").set_input_files(
        [{"name": "eigene-seite.txt", "mimeType": "text/plain", "buffer": "Müller besucht 列日 und 臺北.".encode()}]
    )
    page.get_by_role("button", name="Upload and ingest").click()
    expect(page.locator("#result")).to_contain_text("eigene-seite.txt")
    assert counts(store, merge_id)["documents"] == before["documents"] + 1


def test_dns_rebinding_host_is_refused(live_server: str) -> None:
    port = urlsplit(live_server).port
    for host in (f"attacker.example:{port}", "attacker.example"):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        try:
            conn.request("GET", "/api/search?q=Li%C3%A8ge", headers={"Host": host})
            response = conn.getresponse()
            assert response.status == 400
            assert json.loads(response.read())["error"]["code"] == "unknown_host"
        finally:
            conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", "/api/search?q=Li%C3%A8ge", headers={"Host": f"127.0.0.1:{port}"})
        assert conn.getresponse().status == 200
    finally:
        conn.close()
