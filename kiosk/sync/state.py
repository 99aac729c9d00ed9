"""The hub feed's cursor and ETag, kept in the `sources` row named "hub"."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select, update

from kiosk.offline.models import SourceState
from kiosk.offline.offers import upsert_source

HUB_SOURCE = "hub"


def load_cursor(engine: Engine) -> tuple[str | None, str | None]:
    """The stored (cursor, etag) of the hub feed; (None, None) before the first sync."""
    with engine.connect() as connection:
        row = connection.execute(
            select(SourceState.cursor, SourceState.etag).where(SourceState.name == HUB_SOURCE)
        ).first()
    return (row.cursor, row.etag) if row is not None else (None, None)


def save_cursor(connection: Connection, cursor: str, etag: str | None, now: int) -> None:
    """Store the cursor and ETag of a page, in the transaction that applies the page."""
    upsert_source(connection, HUB_SOURCE, cursor=cursor, etag=etag, last_import_ts=now)


def mark_up_to_date(engine: Engine, now: int) -> None:
    """The hub said nothing changed (304): the offers are as fresh as `now`."""
    with engine.begin() as connection:
        connection.execute(
            update(SourceState).where(SourceState.name == HUB_SOURCE).values(last_import_ts=now)
        )


def last_sync(engine: Engine) -> int | None:
    """When the hub feed was last brought up to date (UTC epoch seconds), or None."""
    with engine.connect() as connection:
        return connection.scalar(
            select(SourceState.last_import_ts).where(SourceState.name == HUB_SOURCE)
        )


def full_refreshes(engine: Engine) -> dict[str, float | None]:
    """When each source was last fully refreshed (epoch seconds), by name."""
    with engine.connect() as connection:
        rows = connection.execute(select(SourceState.name, SourceState.last_full_refresh_ts))
        return {name: when for name, when in rows}
