"""Document vectors for search by meaning (`kb/vectors.py`): one row per document, float16 bytes, a growing `seq`
that tells the in-memory index when to reload. Derived data like the full-text index: documents stored before
this migration get their vector on the first search (or `python -m bioatlas.kb.vectors backfill`).

Revision ID: 0006_vectors
Revises: 0005_corrections
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_vectors"
down_revision = "0005_corrections"


def upgrade() -> None:
    op.create_table(
        "document_vectors",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("document_id", sa.String(32), nullable=False),
        sa.Column("model", sa.String(32), nullable=False),
        sa.Column("vector", sa.LargeBinary, nullable=False),
    )
    op.create_index("ix_document_vectors_document_id", "document_vectors", ["document_id"], unique=True)


def downgrade() -> None:
    op.drop_table("document_vectors")
