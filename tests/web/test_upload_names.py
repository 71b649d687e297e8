"""Uploads with hostile file names, a gzip bomb and a slow page: the batch is read to its end, each problem reported."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from bioatlas import accounts
from bioatlas.kb.store import Store
from bioatlas.web.app import create_app
from tests.web.conftest import web_settings

ANALYST = "Dupont"
FR = "L'Université de Liège a réalisé une levée de fonds à Liège, près du parc scientifique."
ZH_HANS = "苏州工业园区生物医药产业园三期正式开园，首批入驻企业二十一家。"
ZH_HANT = "香港科技園公司與羅氏簽署戰略合作協議，共同推動大灣區生命健康科技發展。"


@pytest.fixture
def analyst(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    """A fresh kb and an analyst's token: uploads need a user that may write. Ingest reads its limits from the
    environment."""
    monkeypatch.setenv("BIOATLAS_MAX_DECOMPRESSED_BYTES", "1000000")
    url = f"sqlite:///{tmp_path}/kb.db"
    store = Store(url)
    accounts.create_user(store, ANALYST, "Mot-de-passe-assez-long", "analyst")
    token = accounts.create_token(store, ANALYST, "upload tests")
    store.engine.dispose()
    app = create_app(url, settings=web_settings())
    with TestClient(app, headers={"Authorization": f"Bearer {token}"}) as client:
        yield client


def test_hostile_names_and_a_bomb_in_one_batch_then_a_good_file(analyst: TestClient) -> None:
    files = [
        ("files", ("x" * 300 + ".txt", FR.encode("cp1252"), "text/plain")),
        ("files", ("nul\x00name.txt", ZH_HANS.encode("gbk"), "text/plain")),
        ("files", ("../../../etc/passwd.txt", ZH_HANT.encode("big5"), "text/plain")),
        ("files", ("..", b"Die Universit\xe4t K\xf6ln gr\xfcndet ein Zentrum.", "text/plain")),
        ("files", ("bomb.jsonl.gz", gzip.compress(b"\n" * 30_000_000, 9), "application/gzip")),
        ("files", ("good.txt", (ZH_HANT + "\n\n" + FR).encode("utf-8"), "text/plain")),
    ]
    response = analyst.post("/api/ingest", files=files)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["statuses"].get("added") == 5, body
    sources = [e["source"] for e in body["entries"]]
    assert "good.txt" in sources
    for source in sources:
        assert "\x00" not in source and "/" not in source and len(source) <= 120 and source != ".."
    [cut] = body["skipped"]
    assert cut["source"] == "bomb.jsonl.gz" and "BIOATLAS_MAX_DECOMPRESSED_BYTES" in cut["reason"]


def test_a_slow_upload_is_skipped_and_the_batch_goes_on(analyst: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    warm = analyst.post("/api/ingest", files=[("files", ("warm.txt", FR.encode(), "text/plain"))])
    assert warm.status_code == 201, warm.text
    long_text = "\n\n".join(f"{FR} {i}\n\n{ZH_HANT}{i}" for i in range(2000))
    monkeypatch.setenv("BIOATLAS_MAX_SECONDS_PER_DOCUMENT", "0.05")
    files = [
        ("files", ("long.txt", long_text.encode(), "text/plain")),
        ("files", ("short.txt", ZH_HANS.encode(), "text/plain")),
    ]
    body = analyst.post("/api/ingest", files=files).json()
    slow = [s for s in body["skipped"] if s["source"] == "long.txt"]
    assert slow and "BIOATLAS_MAX_SECONDS_PER_DOCUMENT" in slow[0]["reason"]
    statuses = {e["source"]: e["status"] for e in body["entries"]}
    assert statuses["long.txt"] == "skipped" and "short.txt" in statuses  # read after (at 0.05 s it may go too)
