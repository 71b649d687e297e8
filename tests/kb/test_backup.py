"""`bioatlas backup` / `bioatlas restore`: a round trip keeps every row of every table (SQLite to SQLite,
PostgreSQL to PostgreSQL, SQLite to PostgreSQL), and a damaged backup or a kb that is not empty is refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from bioatlas.cli import main
from bioatlas.kb import schema as t
from bioatlas.kb.backup import MANIFEST, BackupError, backed_up_tables, backup, restore
from bioatlas.kb.export import export
from bioatlas.kb.ingest import ingest_paths
from bioatlas.kb.queries import decide_merge, search, undo_merge
from bioatlas.kb.store import Store
from tests.conftest import EXAMPLES

_COUNTER = iter(range(10_000))


def _new_url(kind: str, folder: Path, server: Any) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder}/kb{next(_COUNTER)}.db"
    return str(server.create_database(f"b{next(_COUNTER)}"))


def _entity(store: Store, name: str) -> str:
    with store.engine.connect() as conn:
        found = conn.execute(select(t.aliases.c.entity_id).where(t.aliases.c.alias == name)).scalars().first()
    assert found, name
    return str(found)


def _fill(store: Store) -> None:
    """The example corpus (eight languages), user decisions of every kind, an organisation and a user."""
    report = ingest_paths(store, [str(EXAMPLES)])
    assert report.statuses["added"] >= 20
    decide_merge(store, _entity(store, "列日"), _entity(store, "Clarity Pharmaceuticals"), "analyst", "rejected")
    merged = decide_merge(store, _entity(store, "Roche"), _entity(store, "AstraZeneca"), "analyst", "merged")
    undo_merge(store, merged["id"])
    decide_merge(store, _entity(store, "Genopole"), _entity(store, "Eurasanté"), "analyst", "merged")
    with store.write() as conn:
        conn.execute(insert(t.organisations).values(id="org1", name="Agence Wallonne 瓦隆", created_at="2026-01-01"))
        conn.execute(
            insert(t.users).values(
                id="u1", name="analyste", password_hash="$argon2id$x", role="analyst", org_id="org1", created_at="x"
            )
        )


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory, postgres_server: Any) -> dict[str, Store]:
    folder = tmp_path_factory.mktemp("sources")
    stores = {}
    for kind in ("sqlite", "postgresql"):
        store = Store(_new_url(kind, folder, postgres_server))
        _fill(store)
        stores[kind] = store
    return stores


def _table_rows(store: Store) -> dict[str, list[dict[str, Any]]]:
    with store.engine.connect() as conn:
        return {
            table.name: [
                dict(r._mapping)
                for r in conn.execute(select(table).order_by(*(table.primary_key.columns or table.columns)))
            ]
            for table in backed_up_tables()
        }


def _search_ids(store: Store, query: str) -> tuple[list[str], list[str]]:
    result = search(store, query, limit=100)
    return sorted(d["id"] for d in result["documents"]), sorted(e["id"] for e in result["entities"])


@pytest.mark.parametrize(
    "source,target", [("sqlite", "sqlite"), ("postgresql", "postgresql"), ("sqlite", "postgresql")]
)
def test_round_trip_keeps_every_row_of_every_table(sources, source, target, tmp_path, postgres_server):
    original = sources[source]
    path = tmp_path / "kb.zip"
    manifest = backup(original, path)
    assert {s.name for s in manifest.tables} >= {"documents", "claims", "aliases", "merges", "ingest_log", "users"}
    copy = Store(_new_url(target, tmp_path, postgres_server))
    restore(copy, path)

    before, after = _table_rows(original), _table_rows(copy)
    assert before.keys() == after.keys()
    for name in before:
        assert len(after[name]) == len(before[name]), name
        assert after[name] == before[name], f"table {name} differs after the round trip"
    assert any(r["decision"] == "rejected" for r in after["merges"])
    assert any(r["undone_at"] for r in after["merges"] if r["by"] == "analyst")
    for word in ("生物", "醫藥", "entreprises", "Liège"):
        found = _search_ids(copy, word)
        assert found[0], f"no document found for {word!r} after the restore"
        if source == target:
            assert found == _search_ids(original, word)
        else:  # the two databases rank differently; the same documents and entities are found
            assert set(found[0]) == set(_search_ids(original, word)[0])
    # The ingest log goes on after the restored lines (PostgreSQL's serial ids too).
    copy.log_skipped("after-restore", "x.txt", "test")
    with copy.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.ingest_log)).scalar() == len(before["ingest_log"]) + 1


def test_restore_refuses_a_kb_that_is_not_empty_unless_replace(sources, tmp_path):
    path = tmp_path / "kb.zip"
    backup(sources["sqlite"], path)
    target = Store(f"sqlite:///{tmp_path}/other.db")
    with target.write() as conn:
        conn.execute(insert(t.organisations).values(id="o", name="Stiftung Biotech 生技", created_at="x"))
    with pytest.raises(BackupError, match="not empty"):
        restore(target, path)
    restore(target, path, replace=True)
    assert _table_rows(target) == _table_rows(sources["sqlite"])


def _damage(path: Path, out: Path, member: str, change: Any) -> None:
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info.filename, change(data) if info.filename == member else data)


def test_a_damaged_or_truncated_backup_is_refused_and_nothing_is_written(sources, tmp_path, capsys):
    path = tmp_path / "kb.zip"
    backup(sources["sqlite"], path)
    edited = tmp_path / "edited.zip"
    # One claim changed (a French value): the claims table's checksum no longer matches.
    _damage(path, edited, "claims.jsonl", lambda data: data.replace(b"Li\xc3\xa8ge", b"Liege", 1))
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    missing_rows = tmp_path / "missing.zip"
    _damage(path, missing_rows, "merges.jsonl", lambda data: b"".join(data.splitlines(keepends=True)[:-1]))
    for bad, message in [(edited, "checksum"), (truncated, "truncated"), (missing_rows, "damaged")]:
        target = f"sqlite:///{tmp_path}/{bad.stem}.db"
        assert main(["restore", str(bad), "--db", target]) == 2
        assert message in capsys.readouterr().err
        store = Store(target)
        assert all(not rows for rows in _table_rows(store).values()), f"{bad.name}: rows were written"


def test_cli_backup_and_restore(sources, tmp_path, capsys):
    path = tmp_path / "cli.zip"
    source_url = str(sources["sqlite"].engine.url)
    assert main(["backup", str(path), "--db", source_url]) == 0
    manifest = json.loads(zipfile.ZipFile(path).read(MANIFEST))
    assert manifest["schema_revision"] and manifest["bioatlas_version"]
    assert all(len(table["sha256"]) == 64 for table in manifest["tables"])
    target = f"sqlite:///{tmp_path}/cli.db"
    assert main(["restore", str(path), "--db", target]) == 0
    assert "search index rebuilt" in capsys.readouterr().err
    assert main(["restore", str(path), "--db", target]) == 2
    assert "--replace" in capsys.readouterr().err


def test_export_includes_aliases_the_ingest_log_and_decisions(sources, tmp_path):
    counts = export(sources["sqlite"], tmp_path / "out", "jsonl")
    assert counts["aliases"] > 0 and counts["ingest_log"] > 0 and counts["merges"] > 0
    aliases = [json.loads(line) for line in (tmp_path / "out" / "aliases.jsonl").open(encoding="utf-8")]
    assert {"列日", "Liège"} <= {a["alias"] for a in aliases}


def test_a_backup_from_a_newer_schema_is_refused(sources, tmp_path):
    path = tmp_path / "kb.zip"
    backup(sources["sqlite"], path)
    newer = tmp_path / "newer.zip"

    def later(data: bytes) -> bytes:
        manifest = json.loads(data)
        manifest["schema_revision"] = "9999"
        return json.dumps(manifest).encode()

    _damage(path, newer, MANIFEST, later)
    with pytest.raises(BackupError, match="newer"):
        restore(Store(f"sqlite:///{tmp_path}/new.db"), newer)


def test_replacing_a_kb_leaves_no_meaning_vectors_of_its_old_pages(sources, tmp_path):
    """Vectors are derived like the search index: a restore over a kb with other pages keeps only the restored
    pages' vectors (a French and a Chinese page of the other kb must leave nothing behind)."""
    from bioatlas.kb.vectors import document_vectors

    path = tmp_path / "kb.zip"
    backup(sources["sqlite"], path)
    target = Store(f"sqlite:///{tmp_path}/other.db")
    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "fr.txt").write_text("Genopole accueille une nouvelle biotech à Évry.", encoding="utf-8")
    (pages / "zh.txt").write_text("苏州工业园区新增一家生物医药企业。", encoding="utf-8")
    ingest_paths(target, [str(pages)])
    restore(target, path, replace=True)
    with target.engine.connect() as conn:
        documents = set(conn.execute(select(t.documents.c.id)).scalars())
        vectors = set(conn.execute(select(document_vectors.c.document_id)).scalars())
    assert vectors <= documents and not any("fr.txt" in d or "zh.txt" in d for d in vectors)
