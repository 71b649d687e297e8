"""The kb keeps every document and judgement intact: concurrent stores of one document, repeated and undone merge
decisions, "not the same" over an automatic merge, and entities left with no claims. SQLite and PostgreSQL."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bioatlas.kb import schema as t
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.queries import NotFound, decide_merge, entity_page, events_list, search, undo_merge
from bioatlas.kb.store import Store
from bioatlas.model import Document
from bioatlas.pipeline import process, read_inputs

KITO_EN = (
    "Spin-offs from the University of Liège such as Kitozyme and Mithra grew fast. Kytozyme, "
    "the company making chitosan ingredients, opened new markets with AWEX's help."
)
KITO_FR = "La société Kitozyme, installée à Liège, a levé 5 millions d'euros auprès de la région wallonne."
ZH_HANS = "苏州生物医药产业园宣布，德国公司Quellbrunn Biotech GmbH将在园区设立研发中心。"
ZH_HANT = "蘇州生物醫藥產業園表示，Quellbrunn Biotech GmbH的研發中心將於明年啟用。"
DE_TEXT = (
    "Die Quellbrunn Biotech GmbH aus Heidelberg eröffnet ein Labor in Suzhou mit 40 Forschern. "
    "Auch die Morvantis Pharma AG aus Mannheim zieht nach Suzhou."
)
FR_TEXT = "La société Morvantis Pharma, basée à Mannheim, ouvre un laboratoire à Suzhou."


def _feed(folder: Path, name: str, records: list[dict[str, str]]) -> str:
    path = folder / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return str(path)


def _documents(folder: Path, records: list[dict[str, str]]) -> list[Document]:
    docs = []
    for result in read_inputs([_feed(folder, "docs.jsonl", records)]):
        doc = process(result)
        assert isinstance(doc, Document)
        docs.append(doc)
    return docs


def _count(store: Store, table: t.Table) -> int:  # type: ignore[name-defined]
    with store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _entity_id(store: Store, query: str, kind: str = "company") -> str:
    found = [e for e in search(store, query)["entities"] if e["type"] == kind]
    assert found, f"no {kind} for {query!r}"
    return str(found[0]["id"])


# ---------------------------------------------------------------- one document stored by several writers at once


def test_the_same_document_stored_at_once_by_several_writers_is_stored_once(db_url, tmp_path):
    docs = _documents(
        tmp_path,
        [
            {"id": "zh", "url": "https://example.cn/quellbrunn", "text": ZH_HANS},
            {"id": "de", "url": "https://example.de/quellbrunn", "text": DE_TEXT},
        ],
    )
    stores = [Store(db_url) for _ in range(6)]  # the schema exists: this is the race on an existing kb
    for store in stores:
        store.load_reference()
    barrier = threading.Barrier(len(stores))
    statuses: list[str] = []
    errors: list[BaseException] = []

    def write(store: Store, n: int) -> None:
        try:
            barrier.wait()
            for doc in docs if n % 2 else reversed(docs):
                statuses.append(store.ingest(doc, f"run{n}"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert sorted(statuses) == ["added", "added"] + ["unchanged"] * 10
    store = stores[0]
    assert _count(store, t.documents) == 2
    with store.engine.connect() as conn:
        claim_docs = conn.execute(select(t.claims.c.document_id).where(t.claims.c.document_id.is_not(None))).all()
        ids = conn.execute(select(t.claims.c.id)).scalars().all()
    assert len(ids) == len(set(ids)) and {r.document_id for r in claim_docs} == {
        d for d in store.engine.connect().execute(select(t.documents.c.id)).scalars()
    }


# ---------------------------------------------------------------- merge decisions


@pytest.fixture
def kito(db_url, tmp_path) -> Store:
    store = Store(db_url)
    feed = _feed(
        tmp_path,
        "kito.jsonl",
        [
            {"id": "en", "url": "https://example.be/kito", "published": "2021-05-01", "text": KITO_EN},
            {"id": "fr", "url": "https://example.fr/kito", "published": "2021-06-01", "text": KITO_FR},
        ],
    )
    assert ingest_paths(store, [feed]).statuses["added"] == 2
    return store


def _auto_merge(store: Store) -> dict:
    page = entity_page(store, _entity_id(store, "Kitozyme"))
    merges = [m for m in page["merges"] if m["by"] == "auto" and m["decision"] == "merged"]
    pair = [m for m in merges if {m["from_name"].lower(), m["to_name"].lower()} == {"kitozyme", "kytozyme"}]
    assert pair, page["merges"]
    return pair[0]


def test_posting_the_same_decision_twice_returns_the_first(kito):
    kito_id = _entity_id(kito, "Kitozyme")
    liege = _entity_id(kito, "Liège", "place")
    first = decide_merge(kito, kito_id, liege, by="analyst", decision="rejected")
    again = decide_merge(kito, kito_id, liege, by="analyst", decision="rejected")
    assert again["id"] == first["id"] and again["at"] == first["at"]
    with kito.engine.connect() as conn:
        rows = conn.execute(select(t.merges).where(t.merges.c.by == "analyst")).all()
    assert len(rows) == 1


def test_undoing_twice_keeps_the_first_undo(kito):
    merge = _auto_merge(kito)
    first = undo_merge(kito, merge["id"])
    second = undo_merge(kito, merge["id"])
    assert second["undone_at"] == first["undone_at"] and second["already_undone"] is True
    assert first["already_undone"] is False
    with pytest.raises(NotFound):
        undo_merge(kito, "no-such-decision")


def test_not_the_same_overrides_an_automatic_merge_everywhere(kito, tmp_path):
    merge = _auto_merge(kito)
    variant, main = merge["from_id"], merge["to_id"]
    assert entity_page(kito, variant)["entity"]["id"] == main  # the automatic merge applies
    decide_merge(kito, main, variant, by="analyst", decision="rejected")  # either direction says "not the same"

    assert entity_page(kito, variant)["entity"]["id"] == variant
    assert variant not in entity_page(kito, main)["merged_ids"]
    listed = {e["id"] for e in search(kito, "Kytozyme")["entities"]}
    assert variant in listed
    # A new version of the page that spelled both does not bring the automatic merge back.
    feed = _feed(tmp_path, "v2.jsonl", [{"id": "en", "url": "https://example.be/kito", "text": KITO_EN + " Encore."}])
    assert ingest_paths(kito, [feed]).statuses == {"updated": 1}
    assert entity_page(kito, variant)["entity"]["id"] == variant

    # The latest user decision wins; undoing it brings back the one before.
    merged = decide_merge(kito, variant, main, by="analyst", decision="merged")
    assert entity_page(kito, variant)["entity"]["id"] == main
    undo_merge(kito, merged["id"])
    assert entity_page(kito, variant)["entity"]["id"] == variant


def test_not_the_same_separates_event_roles(db_url, tmp_path):
    store = Store(db_url)
    feed = _feed(
        tmp_path,
        "ev.jsonl",
        [{"id": "fr", "url": "https://example.fr/kito", "published": "2021-06-01", "text": KITO_EN + " " + KITO_FR}],
    )
    ingest_paths(store, [feed])
    merge = _auto_merge(store)
    decide_merge(store, merge["from_id"], merge["to_id"], by="analyst", decision="rejected")
    for event in events_list(store)["events"]:
        for members in event["roles"].values():
            for m in members:  # a role names the entity the page named, not the one it was merged into
                assert m["id"] != merge["to_id"] or m["name"].lower() != "kytozyme"
    assert entity_page(store, merge["from_id"])["entity"]["name"].lower() == "kytozyme"


# ---------------------------------------------------------------- entities left with no claims


def _own_entities(store: Store) -> dict[str, str]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(t.entities.c.name, t.entities.c.id).where(t.entities.c.id.like("ent:%")))
        return {r.name: r.id for r in rows}


def test_entities_left_without_claims_are_removed(db_url, tmp_path):
    store = Store(db_url)
    first = _feed(
        tmp_path,
        "v1.jsonl",
        [
            {"id": "zh", "url": "https://example.cn/park", "text": ZH_HANS},
            {"id": "de", "url": "https://example.de/lab", "text": DE_TEXT},
            {"id": "fr", "url": "https://example.fr/lab", "text": FR_TEXT},
        ],
    )
    ingest_paths(store, [first])
    before = _own_entities(store)
    assert {"Quellbrunn Biotech GmbH", "Quellbrunn Biotech", "Morvantis Pharma AG", "Morvantis Pharma"} <= set(before)
    # A user has judged one of them: that entity stays, whatever becomes of its claims.
    decide_merge(
        store, before["Quellbrunn Biotech GmbH"], before["Morvantis Pharma"], by="analyst", decision="rejected"
    )
    # New versions of the Chinese and German pages no longer name either company; the French page still names one.
    second = _feed(
        tmp_path,
        "v2.jsonl",
        [
            {"id": "zh", "url": "https://example.cn/park", "text": "蘇州生物醫藥產業園今年擴建二期。"},
            {"id": "de", "url": "https://example.de/lab", "text": "Das Labor in Suzhou wird im Herbst eröffnet."},
        ],
    )
    assert ingest_paths(store, [second]).statuses == {"updated": 2}
    after = _own_entities(store)
    assert set(after) & set(before) == {"Quellbrunn Biotech GmbH", "Morvantis Pharma"}
    gone = [before["Quellbrunn Biotech"], before["Morvantis Pharma AG"]]
    with store.engine.connect() as conn:
        for table, column in [(t.aliases, t.aliases.c.entity_id), (t.claims, t.claims.c.entity_id)]:
            assert not conn.execute(select(func.count()).select_from(table).where(column.in_(gone))).scalar()
        named = t.merges.c.from_id.in_(gone) | t.merges.c.to_id.in_(gone)
        assert not conn.execute(select(func.count()).select_from(t.merges).where(named)).scalar()
    assert entity_page(store, after["Morvantis Pharma"])["claims"] > 0


def test_a_chain_of_automatic_merges_stops_before_an_entity_judged_different(db_url):
    from bioatlas.kb.resolve import redirects

    store = Store(db_url)
    rows = [
        {"id": f"m{n}", "from_id": a, "to_id": b, "score": 0.95, "decision": "merged", "by": "auto", "at": "2026-01-01"}
        for n, (a, b) in enumerate([("ent:a", "ent:b"), ("ent:b", "ent:c")])
    ]
    with store.write() as conn:
        conn.execute(t.merges.insert(), rows)
        assert redirects(conn) == {"ent:a": "ent:c", "ent:b": "ent:c"}
        judged = {"id": "u1", "from_id": "ent:c", "to_id": "ent:a", "score": 1.0, "decision": "rejected"}
        conn.execute(t.merges.insert().values(**judged, by="analyste", at="2026-02-01"))
        assert redirects(conn) == {"ent:a": "ent:b", "ent:b": "ent:c"}
