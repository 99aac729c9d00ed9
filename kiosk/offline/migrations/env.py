"""Alembic environment: always run in-process on a connection handed over by kiosk.offline.db."""

from __future__ import annotations

from alembic import context

from kiosk.offline.models import OffersBase, OutboxBase

_METADATA = {"offers": OffersBase.metadata, "outbox": OutboxBase.metadata}

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=_METADATA[context.config.attributes["schema"]],
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables safely
)
with context.begin_transaction():
    context.run_migrations()
