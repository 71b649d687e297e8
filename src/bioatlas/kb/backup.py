"""`bioatlas backup` / `bioatlas restore`: the whole kb in one file, and back.

A backup is a zip holding one JSONL file per table of `schema.metadata` (every table, so tables added later are
included without a change here) and `manifest.json`: the format, the schema revision, the bioatlas version, and
per table its columns, row count and SHA-256. Rows are read in one consistent snapshot and streamed in batches, so
memory stays bounded whatever the size of the kb. The search index is derived data: it is not backed up but
rebuilt from the documents on restore.

A restore checks the manifest, then inserts every table in dependency order inside one transaction while checking
each table's row count and checksum; any mismatch (a corrupt or truncated file) rolls everything back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text

import bioatlas
from bioatlas.kb import schema as t
from bioatlas.kb.migrate import current_revision, known_revision
from bioatlas.kb.store import Store, index_document
from bioatlas.kb.vectors import document_vectors

FORMAT = "bioatlas-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000
DERIVED = {t.search_index.name}  # rebuilt from the documents, never backed up


class BackupError(ValueError):
    """A backup that cannot be written or restored; the message says why in a user's words."""


@dataclass(slots=True)
class TableSummary:
    name: str
    columns: list[str]
    rows: int = 0
    sha256: str = ""


@dataclass(slots=True)
class Manifest:
    revision: str | None
    bioatlas_version: str
    created_at: str
    dialect: str
    tables: list[TableSummary] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": self.revision,
            "bioatlas_version": self.bioatlas_version,
            "created_at": self.created_at,
            "dialect": self.dialect,
            "tables": [{"name": s.name, "columns": s.columns, "rows": s.rows, "sha256": s.sha256} for s in self.tables],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
            raise BackupError("this is not a bioatlas backup (or one of a format this version cannot read)")
        return cls(
            revision=data.get("schema_revision"),
            bioatlas_version=str(data.get("bioatlas_version")),
            created_at=str(data.get("created_at")),
            dialect=str(data.get("dialect")),
            tables=[
                TableSummary(d["name"], list(d["columns"]), int(d["rows"]), str(d["sha256"])) for d in data["tables"]
            ],
        )


def backed_up_tables() -> list[Table]:
    """Every table of the kb in dependency order (a table after those it refers to)."""
    return [table for table in t.metadata.sorted_tables if table.name not in DERIVED]


def _line(row: dict[str, Any]) -> bytes:
    return (json.dumps(row, ensure_ascii=False, sort_keys=True, allow_nan=False) + "\n").encode("utf-8")


def _snapshot(conn: Connection) -> None:
    """Read every table as of one moment, while ingests may go on."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN")  # a read transaction: one WAL snapshot for every table
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def backup(store: Store, out: Path, batch: int = BATCH) -> Manifest:
    """Write the whole kb to `out` (a zip); written beside it first and renamed, so `out` is never half-written."""
    partial = out.with_name(out.name + ".part")
    with store.engine.connect() as conn:
        _snapshot(conn)
        manifest = Manifest(
            revision=current_revision(conn),
            bioatlas_version=bioatlas.__version__,
            created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            dialect=conn.dialect.name,
        )
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
                for table in backed_up_tables():
                    summary = TableSummary(table.name, [c.name for c in table.columns])
                    digest = hashlib.sha256()
                    order = [c for c in table.primary_key.columns] or list(table.columns)
                    result = conn.execution_options(yield_per=batch).execute(select(table).order_by(*order))
                    with archive.open(f"{table.name}.jsonl", "w", force_zip64=True) as member:
                        for row in result:
                            line = _line(dict(row._mapping))
                            digest.update(line)
                            member.write(line)
                            summary.rows += 1
                    summary.sha256 = digest.hexdigest()
                    manifest.tables.append(summary)
                archive.writestr(MANIFEST, json.dumps(manifest.to_json(), indent=1, ensure_ascii=False))
            os.replace(partial, out)
        finally:
            partial.unlink(missing_ok=True)
            conn.rollback()
    return manifest


def read_manifest(path: Path) -> Manifest:
    try:
        with zipfile.ZipFile(path) as archive:
            return Manifest.from_json(json.loads(archive.read(MANIFEST)))
    except FileNotFoundError:
        raise BackupError(f"no backup file at {path}") from None
    except (zipfile.BadZipFile, EOFError):
        raise BackupError(f"{path} is not a complete backup (truncated or not a zip file)") from None
    except KeyError:
        raise BackupError(f"{path} has no manifest: not a bioatlas backup, or a damaged one") from None
    except (ValueError, TypeError) as exc:
        raise BackupError(f"the manifest of {path} is damaged ({exc})") from None


def _rows(member: IO[bytes], summary: TableSummary, batch: int) -> Iterator[list[dict[str, Any]]]:
    """A table's rows in batches; the count and checksum are checked at the end of the stream."""
    digest = hashlib.sha256()
    count = 0
    chunk: list[dict[str, Any]] = []
    for line in member:
        digest.update(line)
        count += 1
        try:
            chunk.append(json.loads(line))
        except ValueError:
            raise BackupError(f"table {summary.name}: row {count} is damaged") from None
        if len(chunk) >= batch:
            yield chunk
            chunk = []
    if count != summary.rows or digest.hexdigest() != summary.sha256:
        raise BackupError(
            f"table {summary.name}: {count} rows where the manifest says {summary.rows}, or a different checksum: "
            "the backup is damaged; nothing was restored"
        )
    if chunk:
        yield chunk


def row_counts(conn: Connection) -> dict[str, int]:
    return {
        table.name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
        for table in backed_up_tables()
    }


def _clear(conn: Connection) -> None:
    for table in reversed(backed_up_tables()):
        conn.execute(delete(table))
    conn.execute(delete(document_vectors))  # derived like the search index: recomputed for what is restored
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("DELETE FROM search_fts")
    else:
        conn.execute(delete(t.search_index))


def _reset_sequences(conn: Connection) -> None:
    """PostgreSQL: serial ids (the ingest log's) continue after the restored ones; SQLite does this by itself."""
    if conn.dialect.name != "postgresql":
        return
    for table in backed_up_tables():
        for column in table.primary_key.columns:
            sequence = conn.execute(
                text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": table.name, "column": column.name}
            ).scalar()
            if sequence:
                top = conn.execute(select(func.max(column))).scalar()
                conn.execute(
                    text("SELECT setval(:seq, :value, :called)"),
                    {"seq": sequence, "value": top or 1, "called": top is not None},
                )


def rebuild_search_index(conn: Connection, batch: int = BATCH) -> int:
    """Index every document again (SQLite `search_fts`, PostgreSQL `search_index`), a batch of documents at a
    time."""
    n, last = 0, ""
    while True:
        rows = conn.execute(
            select(t.documents.c.id, t.documents.c.title, t.documents.c.text)
            .where(t.documents.c.id > last)
            .order_by(t.documents.c.id)
            .limit(batch)
        ).all()
        for row in rows:
            index_document(conn, row.id, row.title, row.text)
        n += len(rows)
        if len(rows) < batch:
            return n
        last = rows[-1].id


def restore(store: Store, path: Path, replace: bool = False, batch: int = BATCH) -> Manifest:
    """Restore a backup into `store`, which must be empty unless `replace` (then it is cleared in the same
    transaction). All or nothing: a damaged backup leaves the kb as it was."""
    manifest = read_manifest(path)
    if not known_revision(manifest.revision):
        raise BackupError(
            f"the backup's schema ({manifest.revision}) is newer than this version of bioatlas knows: "
            f"restore it with bioatlas {manifest.bioatlas_version} or later"
        )
    known = {table.name: table for table in backed_up_tables()}
    for summary in manifest.tables:
        table = known.get(summary.name)
        if table is None:
            raise BackupError(
                f"the backup has a table {summary.name!r} this version of bioatlas does not know: "
                f"restore it with bioatlas {manifest.bioatlas_version} or later"
            )
        unknown = set(summary.columns) - {c.name for c in table.columns}
        if unknown:
            raise BackupError(
                f"table {summary.name} of the backup has columns this version does not know "
                f"({', '.join(sorted(unknown))}): restore it with bioatlas {manifest.bioatlas_version} or later"
            )
    with zipfile.ZipFile(path) as archive, store.write() as conn:
        if not replace:
            filled = {name: n for name, n in row_counts(conn).items() if n}
            if filled:
                listed = ", ".join(f"{name} ({n})" for name, n in sorted(filled.items()))
                raise BackupError(
                    f"the kb is not empty ({listed}): restore into a new database, or pass --replace to clear it first"
                )
        else:
            _clear(conn)
        order = {table.name: i for i, table in enumerate(backed_up_tables())}
        for summary in sorted(manifest.tables, key=lambda s: order[s.name]):
            table = known[summary.name]
            try:
                member = archive.open(f"{summary.name}.jsonl")
            except KeyError:
                raise BackupError(f"the backup has no data for table {summary.name}: it is damaged") from None
            try:
                with member:
                    for chunk in _rows(member, summary, batch):
                        conn.execute(insert(table), chunk)
            except (zipfile.BadZipFile, EOFError, OSError) as exc:
                raise BackupError(
                    f"table {summary.name}: the backup is damaged ({exc}); nothing was restored"
                ) from None
        _reset_sequences(conn)
        rebuild_search_index(conn, batch)
    return manifest
