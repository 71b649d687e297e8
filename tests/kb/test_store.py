"""The knowledge base on SQLite and on a real PostgreSQL server: the same tests, parametrised by URL."""

from __future__ import annotations

import json

import pytest

from bioatlas.kb.export import export
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.queries import decide_merge, entity_page, events_list, ingest_log, search, undo_merge
from bioatlas.kb.search import QueryError
from bioatlas.kb.store import Store

ZH_LIEGE = (
    "列日大力吸引外國生技公司。澳洲公司Clarity Pharmaceuticals在瓦隆尼亞外貿投資總署（AWEX）協助下進駐列日，"
    "專注核醫領域。列日目前有72家生命科學公司。"
)
EN_LIEGE = (
    "Clarity Pharmaceuticals, a young Australian radiopharmaceutical company, has settled in Liège with the "
    "support of AWEX. Liège currently has 72 companies active in the life sciences."
)
FR_LIEGE = (
    "La société australienne Clarity Pharmaceuticals s'installe à Liège avec le soutien de l'AWEX. "
    "Liège compte aujourd'hui 75 entreprises actives dans les sciences de la vie."
)
EN_KITO = (
    "Spin-offs from the University of Liège such as Kitozyme and Mithra grew fast. Kytozyme, "
    "the company making chitosan ingredients, opened new markets with AWEX's help."
)
ZH_ROCHE = "香港科技園公司與羅氏簽署戰略合作協議，雙方將推動大灣區生命健康科技的發展。"
DE_BIOM = "Die Münchner Clusterorganisation BioM und die Osaka Bio Headquarters unterzeichnen eine Vereinbarung."


def _feed(tmp_path, name: str, records: list[dict]) -> str:
    path = tmp_path / name
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    return str(path)


@pytest.fixture
def store(db_url, tmp_path):
    store = Store(db_url)
    feed = _feed(
        tmp_path,
        "feed.jsonl",
        [
            {"id": "zh-liege", "url": "https://example.tw/liege", "published": "2017-03-09", "text": ZH_LIEGE},
            {"id": "en-liege", "url": "https://example.be/liege", "published": "2017-03-10", "text": EN_LIEGE},
            {"id": "fr-liege", "url": "https://example.fr/liege", "published": "2017-03-10", "text": FR_LIEGE},
            {"id": "en-kito", "url": "https://example.be/kito", "text": EN_KITO},
            {"id": "zh-roche", "url": "https://example.hk/roche", "published": "2023-01-18", "text": ZH_ROCHE},
            {"id": "de-biom", "url": "https://example.de/biom", "text": DE_BIOM},
        ],
    )
    report = ingest_paths(store, [feed])
    assert report.statuses["added"] == 6
    return store


def _entity(store: Store, query: str, kind: str) -> dict:
    result = search(store, query)
    matches = [e for e in result["entities"] if e["type"] == kind]
    assert matches, f"no {kind} entity found for {query!r}: {result['entities']}"
    return entity_page(store, matches[0]["id"])


def test_ingesting_twice_changes_nothing(store, tmp_path):
    before = ingest_log(store)["documents"]
    feed = _feed(
        tmp_path,
        "again.jsonl",
        [{"id": "x", "url": "https://example.be/liege", "published": "2017-03-10", "text": EN_LIEGE}],
    )
    report = ingest_paths(store, [feed])
    assert report.statuses == {"unchanged": 1}
    assert ingest_log(store)["documents"] == before


def test_new_version_replaces_the_page_claims(store, tmp_path):
    changed = EN_LIEGE.replace("AWEX", "the Walloon export agency").replace("72", "80")
    feed = _feed(tmp_path, "v2.jsonl", [{"id": "x", "url": "https://example.be/liege", "text": changed}])
    assert ingest_paths(store, [feed]).statuses == {"updated": 1}
    page = _entity(store, "Liège", "place")
    values = {f["value"] for f in page["figures"] if f["unit"] == "companies"}
    assert 80 in values and ingest_log(store)["documents"] == 6


def test_liege_is_one_entity_across_scripts_and_languages(store):
    page = _entity(store, "Liège", "place")
    names = {n for names in page["names"].values() for n in names}
    assert {"列日", "Liège"} <= names
    assert page["entity"]["country"] == "BE"
    assert _entity(store, "列日", "place")["entity"]["id"] == page["entity"]["id"]
    assert _entity(store, "Liege", "place")["entity"]["id"] == page["entity"]["id"]


def test_roche_found_from_either_script(store):
    simplified = _entity(store, "罗氏", "company")
    traditional = _entity(store, "羅氏", "company")
    assert simplified["entity"]["id"] == traditional["entity"]["id"]
    assert simplified["entity"]["name"] == "Roche"


def test_kitozyme_kytozyme_flagged_with_score(store):
    page = _entity(store, "Kitozyme", "company")
    pairs = [m for m in page["merges"] if {m["from_name"].lower(), m["to_name"].lower()} == {"kitozyme", "kytozyme"}]
    assert pairs and 0.8 <= pairs[0]["score"] < 1.0 and pairs[0]["by"] == "auto"
    assert "probably the same" in pairs[0]["reason"]


def test_merge_can_be_undone(store):
    page = _entity(store, "Kitozyme", "company")
    merge = next(m for m in page["merges"] if "Kytozyme" in (m["from_name"], m["to_name"]))
    undo_merge(store, merge["id"])
    split = _entity(store, "Kytozyme", "company")
    assert split["entity"]["name"] == "Kytozyme"
    redo = decide_merge(store, merge["from_id"], merge["to_id"], by="analyst")
    assert redo["by"] == "analyst"
    assert _entity(store, "Kytozyme", "company")["entity"]["id"] == merge["to_id"]


def test_same_landing_in_three_languages_is_one_event(store):
    landings = [
        e
        for e in events_list(store, types=["landing"])["events"]
        if any(m["name"].startswith("Clarity") for m in e["roles"].get("company", []))
    ]
    assert len(landings) == 1
    assert len(landings[0]["reports"]) >= 2
    assert {r["language"] for r in landings[0]["reports"]} >= {"en", "fr"}


def test_conflicting_figures_are_both_kept_and_shown(store):
    page = _entity(store, "Liège", "place")
    conflicts = [c for c in page["conflicts"] if c["kind"] == "figure" and c["unit"] == "companies"]
    assert conflicts
    assert {c["value"] for c in conflicts[0]["claims"]} >= {72, 75}


@pytest.mark.parametrize("query", ["Liège", "liege", "列日", "罗氏", "羅氏", "BioM"])
def test_search_finds_pages_in_every_script(store, query):
    result = search(store, query)
    assert result["documents"], query
    assert "<mark>" in result["documents"][0]["snippet"]


def test_search_for_liege_finds_the_chinese_page(store):
    sources = {d["source"] for d in search(store, "Liège")["documents"]}
    assert "https://example.tw/liege" in sources


@pytest.mark.parametrize("query", ['"unbalanced', "foo AND (bar", "NEAR(a b)", "***", "Liège OR"])
def test_malformed_queries_get_a_clear_answer(store, query):
    try:
        result = search(store, query)
    except QueryError as exc:
        assert str(exc)
    else:
        assert result["notice"]  # the query ran, and the user is told what was ignored


def test_empty_query_is_refused_with_a_message(store):
    with pytest.raises(QueryError, match="at least one"):
        search(store, "  !!! ")


def test_skipped_inputs_are_logged(store, tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    ingest_paths(store, [str(bad)])
    log = ingest_log(store)
    assert log["totals"]["skipped"] == 1
    assert any(e["status"] == "skipped" and "binary" in e["reason"] for e in log["entries"])


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export(store, tmp_path, fmt):
    counts = export(store, tmp_path / "out", fmt)
    assert counts["documents"] == 6 and counts["entities"] > 0 and counts["claims"] > 0
    assert (tmp_path / "out" / f"events.{fmt}").exists()


def test_translation_name_discrepancy_is_a_visible_conflict(db_url, tmp_path):
    from tests.extract.test_entities import BILINGUAL

    store = Store(db_url)
    ingest_paths(
        store, [_feed(tmp_path, "bi.jsonl", [{"id": "bi", "url": "https://example.cn/bda", "text": BILINGUAL}])]
    )
    page = _entity(store, "Liu Keng", "person")
    assert {"孔磊", "Liu Keng"} <= {n for names in page["names"].values() for n in names}
    assert any(c["kind"] == "name" and "孔磊" in c["note"] for c in page["conflicts"])


def test_parquet_is_written_in_batches_and_reads_back_as_the_tables_rows(store, tmp_path, monkeypatch):
    """Parquet is written a batch at a time (bounded memory at any kb size): with batches of 3 rows every table
    still reads back row for row, Chinese, French and German text, empty values and numbers included."""
    import pyarrow.parquet as pq
    from sqlalchemy import select

    from bioatlas.kb import export as exporting

    monkeypatch.setattr(exporting, "PARQUET_BATCH", 3)
    counts = export(store, tmp_path / "out", "parquet")
    with store.engine.connect() as conn:
        for name, table in exporting.TABLES.items():
            written = pq.ParquetFile(tmp_path / "out" / f"{name}.parquet")
            rows = written.read().to_pylist()
            assert rows == [dict(r._mapping) for r in conn.execute(select(table))], name
            assert counts[name] == len(rows)
            if len(rows) > 3:
                assert written.num_row_groups == -(-len(rows) // 3), name
    texts = " ".join(str(d["text"]) for d in pq.read_table(tmp_path / "out" / "documents.parquet").to_pylist())
    assert any(ord(ch) >= 0x4E00 for ch in texts)
