"""Initial schema: documents, entities, claims, aliases, events, figures, merges, ingest log, search.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    bind = op.get_bind()
    ts = sa.String(32)
    op.create_table(
        "documents",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("source", sa.Text),
        sa.Column("url", sa.Text),
        sa.Column("title", sa.Text),
        sa.Column("published", sa.String(10)),
        sa.Column("languages", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("paragraphs", sa.Text, nullable=False),
        sa.Column("boilerplate", sa.Text, nullable=False),
        sa.Column("removed", sa.Text, nullable=False),
        sa.Column("first_seen", ts, nullable=False),
        sa.Column("last_seen", ts, nullable=False),
    )
    op.create_table(
        "entities",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2)),
        sa.Column("reference", sa.Text),
        sa.Column("lat", sa.Float),
        sa.Column("lon", sa.Float),
        sa.Column("created_at", ts, nullable=False),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("prop", sa.String(32), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("language", sa.String(8)),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id")),
        sa.Column("reference", sa.Text),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("first_seen", ts, nullable=False),
        sa.Column("last_seen", ts, nullable=False),
    )
    op.create_index("ix_claims_entity_id", "claims", ["entity_id"])
    op.create_index("ix_claims_document_id", "claims", ["document_id"])
    op.create_table(
        "aliases",
        sa.Column("entity_id", sa.String(64), primary_key=True),
        sa.Column("folded", sa.String(255), primary_key=True),
        sa.Column("alias", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
    )
    op.create_index("ix_aliases_folded", "aliases", ["folded"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("event_key", sa.String(32), nullable=False),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("type", sa.String(16), nullable=False),
        sa.Column("date", sa.String(10)),
        sa.Column("amount", sa.Float),
        sa.Column("currency", sa.String(3)),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("language", sa.String(8)),
    )
    op.create_index("ix_events_event_key", "events", ["event_key"])
    op.create_index("ix_events_document_id", "events", ["document_id"])
    op.create_table(
        "event_roles",
        sa.Column("event_id", sa.String(32), sa.ForeignKey("events.id"), primary_key=True),
        sa.Column("role", sa.String(16), primary_key=True),
        sa.Column("entity_id", sa.String(64), primary_key=True),
    )
    op.create_index("ix_event_roles_entity", "event_roles", ["entity_id"])
    op.create_table(
        "figures",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("document_id", sa.String(32), sa.ForeignKey("documents.id"), nullable=False),
        sa.Column("entity_id", sa.String(64)),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.String(16), nullable=False),
        sa.Column("what", sa.Text),
        sa.Column("evidence", sa.Text),
        sa.Column("qualifier", sa.String(32)),
        sa.Column("date", sa.String(10)),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("language", sa.String(8)),
    )
    op.create_index("ix_figures_document_id", "figures", ["document_id"])
    op.create_index("ix_figures_entity_id", "figures", ["entity_id"])
    op.create_table(
        "merges",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("from_id", sa.String(64), nullable=False),
        sa.Column("to_id", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("decision", sa.String(16), nullable=False),
        sa.Column("by", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("at", ts, nullable=False),
        sa.Column("undone_at", ts),
    )
    op.create_index("ix_merges_from_id", "merges", ["from_id"])
    op.create_table(
        "ingest_log",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("document_id", sa.String(32)),
        sa.Column("at", ts, nullable=False),
    )
    op.create_index("ix_ingest_log_run_id", "ingest_log", ["run_id"])
    if bind.dialect.name == "sqlite":
        # CJK text is indexed with every character as a token (see bioatlas.folding.index_text).
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(document_id UNINDEXED, title, body, "
            "tokenize = 'unicode61 remove_diacritics 2')"
        )
    else:
        op.create_table(
            "search_index",
            sa.Column("document_id", sa.String(32), primary_key=True),
            sa.Column("body", sa.Text, nullable=False),
        )
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_search_index_trgm ON search_index USING gin (body gin_trgm_ops)")


def downgrade() -> None:
    for table in (
        "ingest_log",
        "merges",
        "figures",
        "event_roles",
        "events",
        "aliases",
        "claims",
        "entities",
        "documents",
    ):
        op.drop_table(table)
    op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute("DROP TABLE IF EXISTS search_index")
