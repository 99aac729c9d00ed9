"""Alembic environment: always run in-process on a connection handed over by kiosk.offline.db."""

from __future__ import annotations

from alembic import context

from kiosk.offline.models import OffersBase

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=OffersBase.metadata,
    render_as_batch=True,  # SQLite cannot ALTER most things; batch mode rebuilds tables safely
)
with context.begin_transaction():
    context.run_migrations()
