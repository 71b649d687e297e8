"""Corrections: a user's recorded judgement that overrides an extracted event or figure (date, type, a role, a
value, unit or entity, or a rejection) wherever it is shown, without editing the claim rows; undone like merges.

Revision ID: 0005_corrections
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_corrections"
down_revision = "0004"  # 0004_event_groups.py


def upgrade() -> None:
    ts = sa.String(32)
    op.create_table(
        "corrections",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("target", sa.String(8), nullable=False),
        sa.Column("target_id", sa.String(64), nullable=False),
        sa.Column("field", sa.String(16), nullable=False),
        sa.Column("role", sa.String(16)),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("reason", sa.Text),
        sa.Column("by", sa.String(80), nullable=False),
        sa.Column("org_id", sa.String(32)),
        sa.Column("at", ts, nullable=False),
        sa.Column("undone_at", ts),
        sa.Column("undone_by", sa.String(80)),
    )
    op.create_index("ix_corrections_target_id", "corrections", ["target_id"])
    op.create_index("ix_corrections_org_id", "corrections", ["org_id"])


def downgrade() -> None:
    op.drop_index("ix_corrections_org_id", "corrections")
    op.drop_index("ix_corrections_target_id", "corrections")
    op.drop_table("corrections")
