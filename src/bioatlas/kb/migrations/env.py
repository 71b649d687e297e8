"""Alembic environment: migrations run on the connection `bioatlas.kb.migrate.upgrade` holds the lock on, inside
its transaction (a connection of its own only when Alembic is driven some other way)."""

from __future__ import annotations

from alembic import context

from bioatlas.kb.schema import metadata

connection = context.config.attributes.get("connection")
if connection is not None:
    context.configure(connection=connection, target_metadata=metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    engine = context.config.attributes["engine"]
    with engine.begin() as own:
        context.configure(connection=own, target_metadata=metadata)
        with context.begin_transaction():
            context.run_migrations()
