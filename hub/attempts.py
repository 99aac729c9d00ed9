"""Attempts at guessing, counted in the database: enrolment codes and fleet logins per client
address and minute, so that the limit holds however many hub instances share the database."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import case, delete
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from hub import Clock
from hub.db import Database
from hub.models import Attempt


class Attempts:
    """A fixed one-minute window per (route, address): `per_minute` attempts, then wait."""

    def __init__(self, db: Database, clock: Clock, per_minute: int) -> None:
        self._db = db
        self._clock = clock
        self._per_minute = per_minute
        self._swept = -1
        self._lock = threading.Lock()

    def take(self, route: str, address: str) -> float | None:
        """Count one attempt: None when it may go, else the seconds until the next minute.

        Blocking (one short write transaction): call it off the event loop."""
        now = self._clock()
        minute = int(now // 60)
        key = f"{route} {address}"[:128]
        insert: Any = sqlite_insert if self._db.is_sqlite else pg_insert
        values = insert(Attempt).values(key=key, minute=minute, count=1)
        same_minute = Attempt.minute == values.excluded.minute
        statement = values.on_conflict_do_update(
            index_elements=[Attempt.key],
            set_={
                "count": case((same_minute, Attempt.count + 1), else_=1),
                "minute": values.excluded.minute,
            },
        ).returning(Attempt.count)
        with self._db.write() as connection:
            count = int(connection.execute(statement).scalar_one())
            with self._lock:
                sweep = self._swept != minute
                self._swept = minute
            if sweep:  # once a minute per process: forget the windows that are over
                connection.execute(delete(Attempt).where(Attempt.minute < minute - 1))
        if count <= self._per_minute:
            return None
        return max(1.0, 60.0 * (minute + 1) - now)
