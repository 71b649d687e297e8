"""Writers at the same moment lose nothing: processes opening one new database (the migrations), two `bioatlas
ingest` runs on one new SQLite file and one new PostgreSQL database, and 20 uploads while an ingest runs."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bioatlas.ingest.readers import read_bytes_as
from bioatlas.kb import schema as t
from bioatlas.kb.ingest import ingest_records
from bioatlas.kb.migrate import current_revision, head_revision
from bioatlas.kb.store import Store, normalise_url

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 120  # seconds a subprocess may take before the test gives up on it (a hang, not a measurement)

OPEN_AT_ONCE = """
import os, sys, time
from bioatlas.kb.store import Store
open(sys.argv[2] + ".ready" + sys.argv[3], "w").close()
while not os.path.exists(sys.argv[2]):
    time.sleep(0.002)
Store(sys.argv[1]).engine.dispose()
"""

PAGES = {
    "zh-Hans": "苏州工业园区生物医药产业园第{n}号项目签约，德国企业Lindqvist Biologics GmbH将在园区设立研发中心，投资{n}亿元。",
    "zh-Hant": "新竹生醫園區第{n}期擴建完成，瑞士公司Aurentis Therapeutics宣布在園區設立亞洲總部，聘用{n}名研究人員。",
    "fr": "Le pôle Eurasanté accueille le projet numéro {n} : la société Cardiolys Pharma installe à Lille un "
    "laboratoire de {n} chercheurs.",
    "de": "Im BioPark Regensburg eröffnet die Varmund Diagnostics GmbH ihr Labor Nummer {n} mit {n} Mitarbeitern.",
}


def _record(n: int, language: str) -> dict[str, str]:
    return {"id": f"{language}-{n}", "url": f"https://example.org/{language}/{n}", "text": PAGES[language].format(n=n)}


def _feed(path: Path, records: list[dict[str, str]]) -> str:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return str(path)


def _documents(url: str) -> list[str]:
    store = Store(url)
    try:
        with store.engine.connect() as conn:
            return sorted(conn.execute(select(t.documents.c.url)).scalars())
    finally:
        store.engine.dispose()


def _ingest_process(url: str, *inputs: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bioatlas.cli", "ingest", *inputs, "--db", url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[int, str]:
    _, err = process.communicate(timeout=TIMEOUT)
    return process.returncode, err


def test_processes_opening_one_new_database_at_once_all_migrate_it(db_url, tmp_path):
    go = tmp_path / "go"
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT_ONCE, db_url, str(go), str(n)],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    deadline = time.monotonic() + TIMEOUT
    while len(list(tmp_path.glob("go.ready*"))) < len(processes) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()  # every process has imported bioatlas: they open the store at the same moment
    failures = [p.communicate(timeout=TIMEOUT)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * len(processes), "\n".join(failures)
    store = Store(db_url)
    with store.engine.connect() as conn:
        assert current_revision(conn) == head_revision()


@pytest.mark.parametrize("overlap", [False, True], ids=["distinct-inputs", "overlapping-inputs"])
def test_two_ingests_into_one_new_database_both_store_everything(db_url, tmp_path, overlap):
    first = [_record(n, lang) for n, lang in enumerate(["zh-Hans", "zh-Hant", "fr"], start=1)]
    second = [_record(n, lang) for n, lang in enumerate(["de", "zh-Hans", "fr"], start=4)]
    if overlap:
        second += first[:2]  # both runs read these two pages
    a = _ingest_process(db_url, _feed(tmp_path / "a.jsonl", first))
    b = _ingest_process(db_url, _feed(tmp_path / "b.jsonl", second))
    (code_a, err_a), (code_b, err_b) = _finish(a), _finish(b)
    assert (code_a, code_b) == (0, 0), err_a + err_b
    expected = sorted({r["url"] for r in first + second})
    assert _documents(db_url) == expected  # each once: the id is the primary key, the urls are distinct
    store = Store(db_url)
    with store.engine.connect() as conn:
        statuses = dict(conn.execute(select(t.ingest_log.c.status, func.count()).group_by(t.ingest_log.c.status)).all())
    assert statuses.get("added") == len(expected) and "skipped" not in statuses
    assert statuses.get("unchanged", 0) == (2 if overlap else 0)


def test_twenty_uploads_while_an_ingest_runs_lose_nothing(tmp_path):
    url = f"sqlite:///{tmp_path}/kb.db"
    cli_pages = [_record(n, lang) for n in range(100, 104) for lang in ("fr", "zh-Hant")]
    ingest = _ingest_process(url, _feed(tmp_path / "cli.jsonl", cli_pages))
    store = Store(url)
    languages = ["zh-Hans", "zh-Hant", "fr", "de"]
    uploads = [_record(n, languages[n % 4]) for n in range(20)]
    errors: list[BaseException] = []
    statuses: list[str] = []

    def upload(record: dict[str, Any]) -> None:
        try:
            data = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
            report = ingest_records(store, read_bytes_as(f"upload-{record['id']}.jsonl", data, 1 << 20))
            statuses.extend(report.statuses.elements())
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=upload, args=(r,)) for r in uploads]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
    code, err = _finish(ingest)
    assert not errors, errors
    assert code == 0, err
    assert sorted(statuses) == ["added"] * 20
    stored = _documents(str(normalise_url(url)))
    assert stored == sorted(r["url"] for r in uploads + cli_pages)
