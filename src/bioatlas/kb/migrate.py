"""Schema migrations with Alembic, run programmatically when a store is opened.

Several processes may open one new database at the same moment (two `bioatlas ingest` runs, a server and an
ingest), so the upgrade is serialised: on PostgreSQL by an advisory lock held by the transaction that runs the
migrations, on SQLite by taking the write lock (`BEGIN IMMEDIATE`) before them. Whoever gets the lock second
finds the schema at head and has nothing left to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, text
from sqlalchemy.engine import Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
MIGRATION_LOCK = 0x62696F61746C6173  # "bioatlas": the advisory lock key on PostgreSQL


def alembic_config(engine: Engine | None = None, connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if engine is not None:
        config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
        config.attributes["engine"] = engine
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The revision this version of bioatlas expects."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def known_revision(revision: str | None) -> bool:
    """Whether this version of bioatlas has the migration `revision` (None: an empty database)."""
    if revision is None:
        return True
    try:
        return ScriptDirectory.from_config(alembic_config()).get_revision(revision) is not None
    except Exception:  # alembic raises its own errors for unknown or malformed revisions
        return False


def current_revision(conn: Connection) -> str | None:
    """The revision a database is at (None: no schema yet)."""
    return MigrationContext.configure(conn).get_current_revision()


def lock_for_writing(conn: Connection, key: int) -> None:
    """Hold a database-wide lock until `conn`'s transaction ends: an advisory lock on PostgreSQL, the write lock
    on SQLite (the statement must be the transaction's first)."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> None:
    """Bring the schema to head; safe when several processes open one new database at once."""
    head = head_revision()
    with engine.connect() as conn:
        if current_revision(conn) == head:
            return
    with engine.begin() as conn:
        lock_for_writing(conn, MIGRATION_LOCK)
        if current_revision(conn) == head:  # another process migrated while this one waited for the lock
            return
        command.upgrade(alembic_config(engine, conn), "head")
