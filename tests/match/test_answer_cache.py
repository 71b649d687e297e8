"""The answers' cached kb and worker processes: a cached kb follows every change to the kb (an ingest, a merge
decision, an undo), is never shared between organisations, and answers computed in worker processes are exactly
the answers computed in the server's own process — for the shared kb and for one organisation's user."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from bioatlas import accounts
from bioatlas.access import ANONYMOUS, Viewer
from bioatlas.api import answers
from bioatlas.kb import queries
from bioatlas.kb import schema as t
from bioatlas.kb.ingest import ingest_records
from bioatlas.kb.store import Store
from bioatlas.match.knowledge import load_knowledge
from bioatlas.pipeline import read_inputs
from bioatlas.settings import Settings
from bioatlas.web.app import create_app

SHARED = [
    {
        "id": "quellarix-fr",
        "url": "https://cache-test.example/quellarix",
        "published": "2024-05-02",
        "title": "Quellarix Radiopharma s'installe à Liège",
        "text": "La société australienne Quellarix Radiopharma, basée à Sydney, s'installe à Liège avec le soutien "
        "de l'AWEX. L'entreprise y prépare des essais cliniques de radiopharmaceutiques.",
    },
    {
        "id": "suzhou-zh",
        "url": "https://cache-test.example/suzhou",
        "published": "2024-06-11",
        "title": "生物医药企业落户苏州工业园区",
        "text": "苏州工业园区生物医药产业园迎来新企业，园区内已有500家生物医药企业。",
    },
]
LATER = {  # ingested during a test: another Australian radiopharma lands in Liège the same year
    "id": "veltrana-fr",
    "url": "https://cache-test.example/veltrana",
    "published": "2024-09-20",
    "title": "Veltrana Pharma s'installe à Liège",
    "text": "La société australienne Veltrana Pharma, basée à Melbourne, s'installe à Liège avec le soutien de "
    "l'AWEX. L'entreprise y prépare des essais cliniques de radiopharmaceutiques.",
}
ORG_A = {  # an organisation named in Simplified Chinese
    "id": "org-a-zh",
    "url": "https://cache-test.example/a/yunshanrui",
    "published": "2025-03-01",
    "title": "云杉瑞生物落户列日",
    "text": "澳大利亚云杉瑞生物科技有限公司正式落户列日，将建设放射性药物临床试验中心。",
}
ORG_B = {  # an organisation named in French
    "id": "org-b-fr",
    "url": "https://cache-test.example/b/zorbelline",
    "published": "2025-03-02",
    "title": "Zorbelline Therapeutics s'installe à Liège",
    "text": "La société australienne Zorbelline Therapeutics s'installe à Liège et y mènera des essais cliniques.",
}
LAND = answers.LandForm(["radiopharma"], "clinical", "AU", ["eu-market", "clinical-trials"], limit="100")
LAND_QUERY = {"sector": "radiopharma", "stage": "clinical", "origin": "AU", "need": "eu-market,clinical-trials"}


def _ingest(store: Store, folder: Path, record: dict[str, Any], org: str | None = None) -> str:
    """Store one page; returns its kb document id."""
    path = folder / f"{record['id']}.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = ingest_records(store, read_inputs([str(path)]), org=org, user="tester" if org else None)
    assert report.statuses["added"] == 1, report.summary()
    with store.engine.connect() as conn:
        found = conn.execute(select(t.documents.c.id).where(t.documents.c.url == record["url"])).scalar()
    assert found
    return str(found)


def _land(store: Store, viewer: Viewer = ANONYMOUS) -> dict[str, Any]:
    return answers.land_answer(store, LAND, viewer=viewer)


def _company(store: Store, name: str) -> str:
    found = [e for e in queries.search(store, name)["entities"] if e["type"] == "company"]
    assert found, f"no company {name} in {queries.search(store, name)['entities']}"
    return str(found[0]["id"])


def _dump(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    kb = Store(f"sqlite:///{tmp_path}/kb.db")
    for record in SHARED:
        _ingest(kb, tmp_path, record)
    yield kb
    kb.engine.dispose()


def test_an_ingest_reloads_the_kb_and_changes_the_answer(store: Store, tmp_path: Path) -> None:
    kb = load_knowledge(store)
    assert load_knowledge(store) is kb, "unchanged kb: the loaded copy is reused"
    before = _land(store)
    later = _ingest(store, tmp_path, LATER)
    assert load_knowledge(store) is not kb
    after = _land(store)
    assert later not in _dump(before) and later in _dump(after), "the new landing is cited once ingested"


def test_a_merge_and_its_undo_change_the_answer_and_change_it_back(store: Store, tmp_path: Path) -> None:
    _ingest(store, tmp_path, LATER)
    quellarix, veltrana = _company(store, "Quellarix"), _company(store, "Veltrana")
    kb = load_knowledge(store)
    before = _land(store)
    separate = [len(e.reports) for e in kb.events_of({quellarix, veltrana}, roles=("company",))]
    decision = queries.decide_merge(store, veltrana, quellarix, by="Müller")
    merged_kb = load_knowledge(store)
    assert merged_kb is not kb and veltrana not in merged_kb.entities
    merged = _land(store)
    assert _dump(merged) != _dump(before)
    together = [len(e.reports) for e in merged_kb.events_of({quellarix}, roles=("company",))]
    assert sum(together) == sum(separate) and len(together) < len(separate), "two landings became one company's"
    queries.undo_merge(store, decision["id"], by="Müller")
    undone_kb = load_knowledge(store)
    assert undone_kb is not merged_kb and veltrana in undone_kb.entities
    assert _dump(_land(store)) == _dump(before), "after the undo the answer is the one before the merge"


def test_two_organisations_never_share_a_cached_kb(store: Store, tmp_path: Path) -> None:
    org_a = accounts.create_org(store, "苏州生物园")
    org_b = accounts.create_org(store, "Agence wallonne de l'innovation")
    a_doc = _ingest(store, tmp_path, ORG_A, org_a)
    b_doc = _ingest(store, tmp_path, ORG_B, org_b)
    a = Viewer(user="mei", role="analyst", org=org_a, org_name="苏州生物园")
    b = Viewer(user="amelie", role="analyst", org=org_b, org_name="Agence wallonne de l'innovation")
    for _ in range(2):  # asked in turn, each gets its own kb every time
        kb_a, kb_b, kb_shared = load_knowledge(store, a), load_knowledge(store, b), load_knowledge(store, ANONYMOUS)
        assert len({id(kb_a), id(kb_b), id(kb_shared)}) == 3
        land_a, land_b, land_shared = _dump(_land(store, a)), _dump(_land(store, b)), _dump(_land(store, ANONYMOUS))
        assert a_doc in land_a and b_doc not in land_a
        assert b_doc in land_b and a_doc not in land_b
        assert a_doc not in land_shared and b_doc not in land_shared
        b_names = {e.name for e in kb_b.entities.values()}
        assert any("Zorbelline" in n for n in b_names) and not any("Zorbelline" in n for n in map(str, kb_a.entities))
    again = Viewer(user="li", role="viewer", org=org_a, org_name="苏州生物园")
    assert load_knowledge(store, again) is load_knowledge(store, a), "one copy per set of visible organisations"


def _settings() -> Settings:
    return Settings(tile_url="", public_read=True, allowed_hosts=("testserver",), secure_cookies=False)


def test_answers_from_worker_processes_are_the_answers_in_process(store: Store, tmp_path: Path) -> None:
    org = accounts.create_org(store, "苏州生物园")
    org_doc = _ingest(store, tmp_path, ORG_A, org)
    accounts.create_user(store, "陳美玲", "讀者的密碼很長很長很長", "viewer", org="苏州生物园")
    token = accounts.create_token(store, "陳美玲", "cache tests")
    asked = [
        ("/api/land", LAND_QUERY),
        ("/api/land", {"sector": "astrologie"}),  # a 400, with the same message
        ("/api/pathway", {"location": "Lüttich"}),
        ("/api/pathway", {"location": "列日", "sector": "radiopharma"}),
        ("/api/prospects", {"for": "AWEX"}),
        ("/api/prospects", {"for": "苏州工业园区"}),
        ("/api/prospects", {"for": "Nulle Part"}),  # a 404
        ("/api/markets", {"alliance": "MAGIA"}),
    ]
    in_process = create_app(store.url, settings=_settings())
    pooled = create_app(store.url, settings=_settings(), answer_workers=1)
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(in_process) as local, TestClient(pooled) as workers:
        for who in ({}, headers):
            for path, params in asked:
                here = local.get(path, params=params, headers=who)
                there = workers.get(path, params=params, headers=who)
                assert there.status_code == here.status_code, (path, params, there.text)
                assert there.json() == here.json(), (path, params)
        for page, params in (
            ("/land", LAND_QUERY),
            ("/prospects", {"for": "AWEX"}),
            ("/pathway", {"location": "列日"}),
        ):
            shown = workers.get(page, params=params)  # the pages ask the workers too
            first = local.get("/api" + page, params=params).json()
            results = first.get("results") or [first.get("location") or first["for"]]
            assert shown.status_code == 200 and html.escape(results[0]["name"]) in shown.text, (page, results[0])
        mine = workers.get("/api/land", params=LAND_QUERY, headers=headers).json()
        assert org_doc in _dump(mine), "the organisation's user gets its own page through the workers"
        assert org_doc not in _dump(workers.get("/api/land", params=LAND_QUERY).json())
        later = _ingest(store, tmp_path, LATER)
        assert later in _dump(workers.get("/api/land", params=LAND_QUERY).json()), "workers see a new ingest"


def test_warming_lays_out_every_aggregate_the_answers_read(store: Store) -> None:
    """What a worker does ahead of questions (at start and after each kb change): the kb is loaded for the shared
    viewer with the aggregates of land, prospects and markets, and the answers then read those same objects."""
    from bioatlas.api.answer_pool import _warm_in_worker
    from bioatlas.match import land
    from bioatlas.match.knowledge import forget_loaded

    forget_loaded()
    _warm_in_worker(store.url)
    kb = load_knowledge(Store(store.url), ANONYMOUS)  # the kb the worker loaded, from its cache
    kept = kb._indices["once"]
    for aggregate in ("land.facts", "prospects.table", "prospects.event_rows", "markets.sector_reports"):
        assert aggregate in kept, aggregate
    facts = kept["land.facts"]
    assert land.all_location_facts(kb) is facts
    assert any(f.ent.name == "Liège" for f in facts)
