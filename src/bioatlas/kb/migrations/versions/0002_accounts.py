"""Accounts and organisations: users, sessions, API tokens; documents and ingest-log lines owned by an organisation.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    ts = sa.String(32)
    op.create_table(
        "organisations",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("created_at", ts, nullable=False),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("name", sa.String(80), nullable=False, unique=True),
        sa.Column("password_hash", sa.Text),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("org_id", sa.String(32), sa.ForeignKey("organisations.id")),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("disabled_at", ts),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("expires_at", ts, nullable=False),
    )
    op.create_index("ix_sessions_user_id", "sessions", ["user_id"])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(32), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", ts, nullable=False),
        sa.Column("last_used_at", ts),
        sa.Column("revoked_at", ts),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    with op.batch_alter_table("documents") as batch:
        batch.add_column(sa.Column("org_id", sa.String(32)))
    op.create_index("ix_documents_org_id", "documents", ["org_id"])
    with op.batch_alter_table("ingest_log") as batch:
        batch.add_column(sa.Column("org_id", sa.String(32)))
        batch.add_column(sa.Column("user_name", sa.String(80)))
    op.create_index("ix_ingest_log_org_id", "ingest_log", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_ingest_log_org_id", "ingest_log")
    with op.batch_alter_table("ingest_log") as batch:
        batch.drop_column("user_name")
        batch.drop_column("org_id")
    op.drop_index("ix_documents_org_id", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_column("org_id")
    for table in ("api_tokens", "sessions", "users", "organisations"):
        op.drop_table(table)
