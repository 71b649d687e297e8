"""Who undid a merge decision (an undo is a decision too, recorded with its user).

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    with op.batch_alter_table("merges") as batch:
        batch.add_column(sa.Column("undone_by", sa.String(80)))


def downgrade() -> None:
    with op.batch_alter_table("merges") as batch:
        batch.drop_column("undone_by")
