"""The outbox: sealed applications queued → sending → delivered (deleted) or parked with a reason.

Every write commits with `synchronous=FULL` before it returns: once `enqueue` has returned,
the application survives a crash or a power cut. Nothing here can read an application: the
rows hold HPKE-sealed bodies that only the hub can open.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, delete, func, insert, select, update

from kiosk.offline.db import OUTBOX, open_database
from kiosk.offline.models import QueuedApplication
from kiosk.offline.salvage import REPORT_SUFFIX, SalvagedRow, SalvageReport, read_rows

log = logging.getLogger("kiosk.outbox")

QUEUED, SENDING, PARKED = "queued", "sending", "parked"


@dataclass(frozen=True, slots=True)
class SealedApplication:
    """What the outbox keeps of one application: ids in clear, everything personal sealed."""

    id: str  # UUID
    reference: str  # the short code the applicant is given
    offer_source: str
    offer_id: str
    sealed: bytes
    created_ts: int


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A claimed application, for the sync engine to deliver."""

    id: str
    offer_source: str
    offer_id: str
    sealed: bytes
    created_ts: int
    attempts: int  # including this one


@dataclass(frozen=True, slots=True)
class OutboxStats:
    """What operators watch: how much waits, since when, what is parked."""

    depth: int  # queued + sending
    oldest_age_s: int | None
    parked: int
    backlog_limit: int

    @property
    def over_backlog(self) -> bool:
        """The queue passed the configured limit: an operator alert (nothing is dropped)."""
        return self.depth >= self.backlog_limit


def _damaged_copies(path: Path) -> set[Path]:
    return {
        aside
        for aside in path.parent.glob(f"{path.name}.damaged-*")
        if not aside.name.endswith(("-wal", "-shm", REPORT_SUFFIX))
    }


def open_outbox_database(path: Path) -> Engine:
    """Open the outbox file (created and migrated as needed). A damaged file is moved aside,
    and every application that can still be read from it is queued again in the new one."""
    before = _damaged_copies(path)
    engine = open_database(path, OUTBOX)
    for aside in sorted(_damaged_copies(path) - before):
        report = salvage(Outbox(engine), aside)
        log.error("damaged outbox salvaged: %s", report.summary())
    return engine


def salvage(outbox: Outbox, damaged: Path) -> SalvageReport:
    """Queue again every application that can be read from a damaged outbox file (kept as it
    is); the report is also saved beside it."""
    rows, unreadable, problem = read_rows(damaged)
    report = SalvageReport(damaged.name, read=len(rows), unreadable=unreadable, problem=problem)
    report.ids = outbox.restore(rows)
    report.added = len(report.ids)
    report.already_there = report.read - report.added
    try:
        report.save(damaged)
    except OSError as exc:
        log.error("cannot save the salvage report of %s: %s", damaged.name, exc.strerror)
    return report


class Outbox:
    """The queue of sealed applications. Safe to use from several threads (SQLite serialises)."""

    def __init__(
        self, engine: Engine, clock: Callable[[], float] = time.time, backlog_limit: int = 500
    ) -> None:
        self.engine = engine
        self._clock = clock
        self.backlog_limit = backlog_limit

    def enqueue(self, application: SealedApplication) -> None:
        """Commit one application durably (returns once it is on the disk)."""
        with self.engine.begin() as connection:
            connection.execute(
                insert(QueuedApplication).values(
                    id=application.id,
                    reference=application.reference,
                    offer_source=application.offer_source,
                    offer_id=application.offer_id,
                    state=QUEUED,
                    sealed=application.sealed,
                    created_ts=application.created_ts,
                    attempts=0,
                    next_attempt_ts=application.created_ts,
                )
            )
        stats = self.stats()
        log.info("application %s queued (queue depth %d)", application.reference, stats.depth)
        if stats.over_backlog:
            log.warning(
                "outbox backlog %d is over the limit of %d: is the hub reachable?",
                stats.depth,
                stats.backlog_limit,
            )

    def restore(self, rows: list[SalvagedRow]) -> list[str]:
        """Put back applications salvaged from a damaged file, with their UUIDs (the hub
        dedupes on them); those already here are left as they are. The ids put back."""
        now = int(self._clock())
        added: list[str] = []
        with self.engine.begin() as connection:
            known = set(connection.scalars(select(QueuedApplication.id)))
            references = set(connection.scalars(select(QueuedApplication.reference)))
            for row in rows:
                if row.id in known:
                    continue
                reference = row.reference
                while reference in references:  # only shown on the terminal: draw another
                    reference = "R" + secrets.token_hex(4).upper()
                connection.execute(
                    insert(QueuedApplication).values(
                        id=row.id,
                        reference=reference,
                        offer_source=row.offer_source,
                        offer_id=row.offer_id,
                        state=PARKED if row.parked else QUEUED,
                        sealed=row.sealed,
                        created_ts=row.created_ts,
                        attempts=0,
                        next_attempt_ts=now,
                        parked_reason=row.parked_reason,
                    )
                )
                known.add(row.id)
                references.add(reference)
                added.append(row.id)
        if added:
            log.info("%d salvaged applications queued again", len(added))
        return added

    def recover(self) -> int:
        """At start: applications left "sending" by a crash go back to the queue."""
        with self.engine.begin() as connection:
            result = connection.execute(
                update(QueuedApplication)
                .where(QueuedApplication.state == SENDING)
                .values(state=QUEUED)
            )
        if result.rowcount:
            log.info("%d applications left sending by a stop are queued again", result.rowcount)
        return result.rowcount

    def claim(self, limit: int = 20) -> list[OutboxItem]:
        """Take up to `limit` due applications, oldest first, and mark them "sending"."""
        now = int(self._clock())
        with self.engine.begin() as connection:
            rows = connection.execute(
                select(
                    QueuedApplication.id,
                    QueuedApplication.offer_source,
                    QueuedApplication.offer_id,
                    QueuedApplication.sealed,
                    QueuedApplication.created_ts,
                    QueuedApplication.attempts,
                )
                .where(QueuedApplication.state == QUEUED, QueuedApplication.next_attempt_ts <= now)
                .order_by(QueuedApplication.created_ts, QueuedApplication.id)
                .limit(limit)
            ).all()
            if rows:
                connection.execute(
                    update(QueuedApplication)
                    .where(QueuedApplication.id.in_([row.id for row in rows]))
                    .values(state=SENDING, attempts=QueuedApplication.attempts + 1)
                )
        # attempts counts the delivery now under way.
        return [OutboxItem(*row[:5], attempts=row.attempts + 1) for row in rows]

    def delivered(self, application_id: str) -> None:
        """The hub confirmed receipt: the application leaves the terminal for good."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(QueuedApplication).where(QueuedApplication.id == application_id)
            )

    def retry_later(self, application_id: str, delay_s: float, error: str) -> None:
        """A transient failure: back to the queue, due again after `delay_s`."""
        with self.engine.begin() as connection:
            connection.execute(
                update(QueuedApplication)
                .where(QueuedApplication.id == application_id)
                .values(
                    state=QUEUED,
                    next_attempt_ts=int(self._clock() + delay_s),
                    last_error=error[:200],
                )
            )

    def release(self, application_ids: list[str]) -> None:
        """Claimed but not tried (the round stopped first): back to the queue as they were,
        the attempt `claim` counted given back, so their backoff does not grow."""
        if not application_ids:
            return
        with self.engine.begin() as connection:
            connection.execute(
                update(QueuedApplication)
                .where(
                    QueuedApplication.id.in_(application_ids),
                    QueuedApplication.state == SENDING,
                )
                .values(state=QUEUED, attempts=func.max(QueuedApplication.attempts - 1, 0))
            )

    def park(self, application_id: str, reason: str) -> None:
        """A permanent refusal: set aside with the reason, so it never blocks the others."""
        with self.engine.begin() as connection:
            connection.execute(
                update(QueuedApplication)
                .where(QueuedApplication.id == application_id)
                .values(state=PARKED, parked_reason=reason[:500])
            )
        log.warning("application %s parked: %s", application_id, reason[:200])

    def sealed_bodies(self, ids: list[str] | None = None) -> list[tuple[str, bytes]]:
        """(UUID, sealed body) of every application, whatever its state, or of `ids`."""
        query = select(QueuedApplication.id, QueuedApplication.sealed).order_by(
            QueuedApplication.created_ts, QueuedApplication.id
        )
        if ids is not None:
            query = query.where(QueuedApplication.id.in_(ids))
        with self.engine.connect() as connection:
            return [(row.id, row.sealed) for row in connection.execute(query)]

    def reseal(self, bodies: dict[str, bytes]) -> None:
        """Replace sealed bodies (sealed again to another key, same UUIDs), in one
        transaction; parked ones are queued again, due now."""
        now = int(self._clock())
        with self.engine.begin() as connection:
            for application_id, sealed in bodies.items():
                connection.execute(
                    update(QueuedApplication)
                    .where(QueuedApplication.id == application_id)
                    .values(
                        sealed=sealed,
                        state=QUEUED,
                        attempts=0,
                        next_attempt_ts=now,
                        last_error=None,
                        parked_reason=None,
                    )
                )

    def discard(self, application_ids: list[str]) -> None:
        """Delete applications that will never be delivered (an operator's choice)."""
        with self.engine.begin() as connection:
            connection.execute(
                delete(QueuedApplication).where(QueuedApplication.id.in_(application_ids))
            )
        log.warning("%d applications discarded by the operator", len(application_ids))

    def next_due(self) -> int | None:
        """When the earliest waiting application is due (UTC epoch seconds), or None."""
        with self.engine.connect() as connection:
            return connection.scalar(
                select(func.min(QueuedApplication.next_attempt_ts)).where(
                    QueuedApplication.state == QUEUED
                )
            )

    def stats(self) -> OutboxStats:
        """Queue depth, age of the oldest waiting application, parked count."""
        with self.engine.connect() as connection:
            waiting = connection.execute(
                select(func.count(), func.min(QueuedApplication.created_ts)).where(
                    QueuedApplication.state.in_([QUEUED, SENDING])
                )
            ).one()
            parked = connection.scalar(
                select(func.count()).where(QueuedApplication.state == PARKED)
            )
        depth: int = waiting[0]
        oldest: int | None = waiting[1]  # NULL when nothing waits
        age = max(0, int(self._clock()) - oldest) if oldest is not None else None
        return OutboxStats(depth, age, parked or 0, self.backlog_limit)
