"""Alembic environment: run in-process on a connection handed over by hub.db."""

from __future__ import annotations

from alembic import context

from hub.models import HubBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=HubBase.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite rebuilds tables to alter
)
with context.begin_transaction():
    context.run_migrations()
