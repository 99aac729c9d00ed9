"""The hub feed's cursor and ETag, kept in the `sources` row named "hub"."""

from __future__ import annotations

from sqlalchemy import Engine, insert, select, update

from kiosk.offline.models import SourceState

HUB_SOURCE = "hub"


def load_cursor(engine: Engine) -> tuple[str | None, str | None]:
    """The stored (cursor, etag) of the hub feed; (None, None) before the first sync."""
    with engine.connect() as connection:
        row = connection.execute(
            select(SourceState.cursor, SourceState.etag).where(SourceState.name == HUB_SOURCE)
        ).first()
    return (row.cursor, row.etag) if row is not None else (None, None)


def save_cursor(engine: Engine, cursor: str, etag: str | None, now: int) -> None:
    """Store the cursor and ETag of the last page applied."""
    values = {"cursor": cursor, "etag": etag, "last_import_ts": now}
    with engine.begin() as connection:
        updated = connection.execute(
            update(SourceState).where(SourceState.name == HUB_SOURCE).values(**values)
        )
        if not updated.rowcount:
            connection.execute(insert(SourceState).values(name=HUB_SOURCE, **values))
