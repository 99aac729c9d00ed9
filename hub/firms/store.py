"""The `firms` table and its harvests: pages of firms upserted under the harvest that saw
them; a complete harvest then removes what it did not see (a firm La Bonne Boîte withdrew
disappears from the terminals at their next sync); an incomplete one removes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict
from typing import Any

import orjson
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from hub import Clock
from hub.db import Database
from hub.firms.client import FirmHit
from hub.models import Firm, FirmHarvest

ERRORS_KEPT = 10  # the first messages of a harvest, for the fleet page
FIRM_HARVESTS_DAYS = 90  # how long the record of a harvest is kept (the retention purge)
_CHUNK = 500


class FirmStore:
    """Writes and reads the harvested firms."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def start_run(self) -> int:
        """A new harvest's id (every firm it sees is stamped with it)."""
        with self._db.write() as connection:
            new_id = connection.execute(
                insert(FirmHarvest).values(
                    started_at=int(self._clock()),
                    complete=False,
                    queries=0,
                    calls=0,
                    firms=0,
                    removed=0,
                    errors=0,
                )
            ).inserted_primary_key
        assert new_id is not None
        return int(new_id[0])

    def upsert(self, run: int, firms: Iterable[FirmHit]) -> None:
        """Store a page of firms as seen by harvest `run` (a known one takes the new data)."""
        rows = [
            asdict(firm) | {"first_seen_run": run, "last_seen_run": run}
            for firm in {(f.siret, f.rome): f for f in firms}.values()
        ]
        if not rows:
            return
        with self._db.write() as connection:
            dialect = sqlite if connection.dialect.name == "sqlite" else postgresql
            for start in range(0, len(rows), _CHUNK):
                statement = dialect.insert(Firm)
                changed = {
                    column: statement.excluded[column]
                    for column in rows[0]
                    if column not in ("siret", "rome", "first_seen_run")
                }
                connection.execute(
                    statement.on_conflict_do_update(
                        index_elements=[Firm.siret, Firm.rome], set_=changed
                    ),
                    rows[start : start + _CHUNK],
                )

    def finish_run(
        self,
        run: int,
        *,
        complete: bool,
        queries: int,
        calls: int,
        found: int,
        errors: list[str],
        kept_romes: Iterable[str] = (),
    ) -> int:
        """Record the harvest; when complete, remove the firms it did not see, except those
        of `kept_romes` (trades whose query was refused: not seen is not gone). How many
        were removed."""
        removed = 0
        with self._db.write() as connection:
            if complete:
                statement = delete(Firm).where(Firm.last_seen_run < run)
                kept = sorted(set(kept_romes))
                if kept:
                    statement = statement.where(Firm.rome.not_in(kept))
                removed = connection.execute(statement).rowcount or 0
            connection.execute(
                update(FirmHarvest)
                .where(FirmHarvest.id == run)
                .values(
                    finished_at=int(self._clock()),
                    complete=complete,
                    queries=queries,
                    calls=calls,
                    firms=found,
                    removed=removed,
                    errors=len(errors),
                    error_text=orjson.dumps(errors[:ERRORS_KEPT]).decode() if errors else None,
                )
            )
        return removed

    def last_run(self) -> dict[str, Any] | None:
        """The latest finished harvest, for operators; None before the first."""
        with self._db.read() as connection:
            row = (
                connection.execute(
                    select(FirmHarvest.__table__)
                    .where(FirmHarvest.finished_at.is_not(None))
                    .order_by(FirmHarvest.id.desc())
                    .limit(1)
                )
                .mappings()
                .first()
            )
        if row is None:
            return None
        run = dict(row)
        run["error_text"] = orjson.loads(run["error_text"]) if run["error_text"] else []
        return run

    def purge(self, older_than: int) -> int:
        """Forget the harvests that started before `older_than` (epoch s), but the latest
        complete one (it dates the firms terminals get) and the latest of all (the fleet page
        shows it). How many were forgotten."""
        with self._db.write() as connection:
            keep = [
                connection.scalar(select(func.max(FirmHarvest.id)).where(*where))
                for where in ((FirmHarvest.complete.is_(True),), ())
            ]
            return int(
                connection.execute(
                    delete(FirmHarvest).where(
                        FirmHarvest.started_at < older_than,
                        FirmHarvest.id.not_in([k for k in keep if k is not None]),
                    )
                ).rowcount
            )

    def count(self) -> int:
        """How many firms the hub has (distinct SIRETs)."""
        with self._db.read() as connection:
            return int(connection.scalar(select(func.count(func.distinct(Firm.siret)))) or 0)

    def fleet_status(self, configured: bool) -> dict[str, Any]:
        """What the fleet page says about the firms: configured, the last harvest, count."""
        return {"configured": configured, "last": self.last_run(), "count": self.count()}
