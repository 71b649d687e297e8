"""Reports of one event grouped by family of type, key participant and year (the sentence's, else the page's):
stored group keys are recomputed (`kb.event_view.rekey_events`); no table changes.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"


def upgrade() -> None:
    from bioatlas.kb.event_view import rekey_events

    rekey_events(op.get_bind())


def downgrade() -> None:
    """The older grouping is not restored: the keys stay valid group ids for the older code."""
