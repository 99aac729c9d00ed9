"""The hub's offers: upsert by (source, id) in numbered changes, withdrawals as tombstones."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, delete, func, insert, select, text, update

from hub import Clock
from hub.db import Database
from hub.models import Counter, OfferRecord, SourceState
from hub.recruiters.ownership import Owners
from hub.recruiters.rome import RomeLearner
from kiosk.domain import Offer
from kiosk.formats import francetravail, jobposting
from kiosk.formats.common import Rejection

log = logging.getLogger("hub.offers")

MAX_EXTERNAL_ID = 512
OFFER_SEQ = "offer_seq"
FEED_FLOOR = "feed_floor"


@dataclass(slots=True)
class IngestReport:
    """What an ingest did, record by record."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    complete: bool = True  # False when part of the source could not be read
    requests: int = 0

    def add(self, other: IngestReport) -> None:
        """Fold another report into this one."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.withdrawn += other.withdrawn
        self.rejected.extend(other.rejected)
        self.complete = self.complete and other.complete
        self.requests += other.requests

    def summary(self) -> str:
        """One line for people and logs (ids and counts only)."""
        return (
            f"{self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.withdrawn} withdrawn, {len(self.rejected)} rejected"
            + ("" if self.complete else " (incomplete: nothing withdrawn)")
        )

    def as_json(self, rejections: int = 100) -> dict[str, Any]:
        """The counts, and the first `rejections` rejections with their reasons."""
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "rejected": len(self.rejected),
            "rejections": [
                {"id": r.external_id, "reason": r.reason} for r in self.rejected[:rejections]
            ],
            "complete": self.complete,
        }


def format_of(offer: Offer) -> str:
    """The format of an offer's raw record: JobPosting records always carry their `@type`."""
    return jobposting.FORMAT if "@type" in offer.raw else francetravail.FORMAT


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def lock_counter(connection: Connection, name: str) -> int:
    """The counter's value, its row locked until the transaction ends (PostgreSQL; SQLite
    writers already hold the database's write lock)."""
    value = connection.scalar(select(Counter.value).where(Counter.name == name).with_for_update())
    if value is None:
        raise RuntimeError(f"counter {name} is missing: the database was not migrated")
    return int(value)


def set_counter(connection: Connection, name: str, value: int) -> None:
    """Store a counter's new value."""
    connection.execute(update(Counter).where(Counter.name == name).values(value=value))


_UPDATE = (
    update(OfferRecord)
    .where(OfferRecord.id == bindparam("b_id"))
    .values(
        format=bindparam("format"),
        title=bindparam("title"),
        raw=bindparam("raw"),
        content_hash=bindparam("content_hash"),
        latitude=bindparam("latitude"),
        longitude=bindparam("longitude"),
        old_latitude=bindparam("old_latitude"),
        old_longitude=bindparam("old_longitude"),
        seq=bindparam("seq"),
        withdrawn=False,
        posted_at=bindparam("posted_at"),
        changed_at=bindparam("changed_at"),
        company_key=bindparam("company_key"),
        siret=bindparam("siret"),
        organisation_id=bindparam("organisation_id"),
    )
)


_COPY_COLUMNS = (
    "source", "external_id", "format", "title", "raw", "content_hash", "latitude", "longitude",
    "old_latitude", "old_longitude", "seq", "withdrawn", "posted_at", "changed_at",
    "company_key", "siret", "organisation_id",
)  # fmt: skip
_COPY = f"COPY {OfferRecord.__tablename__} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"


def _insert(connection: Connection, rows: list[dict[str, Any]]) -> None:
    """Insert new offers in the connection's transaction. On PostgreSQL with `COPY`, one
    stream for the whole batch: an INSERT per row cost a round trip each (929 offers/s)."""
    if connection.dialect.name != "postgresql":
        connection.execute(insert(OfferRecord), rows)
        return
    driver = connection.connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor, cursor.copy(_COPY) as copy:
        for values in rows:
            copy.write_row(tuple(values[column] for column in _COPY_COLUMNS))


class _Statistics:
    """Keeps PostgreSQL's planner statistics of `offers` up to date during a large ingest.

    Each batch first looks up which of its ids exist. Planned with the statistics of a table
    that was empty, that lookup reads every row of the source instead of using the index on
    (source, external_id), and a first ingest slowed down as it grew (200 ms a batch at
    20,000 offers) until autovacuum came by. `ANALYZE` runs each time the table has doubled.
    """

    def __init__(self, db: Database) -> None:
        self._db = db
        self._known = -1.0  # rows at the last ANALYZE; unread
        self._added = 0

    def grew(self, rows: int) -> None:
        """`rows` offers were just inserted."""
        if rows <= 0 or self._db.engine.dialect.name != "postgresql":
            return
        if self._known < 0:
            with self._db.read() as connection:
                self._known = max(0.0, float(connection.scalar(_RELTUPLES) or 0))
        self._added += rows
        if self._added >= max(1000.0, self._known):
            with self._db.write() as connection:
                connection.exec_driver_sql(f"ANALYZE {OfferRecord.__tablename__}")
            self._known += self._added
            self._added = 0


_RELTUPLES = (
    select(func.max(text("reltuples")))
    .select_from(text("pg_class"))
    .where(text(f"relname = '{OfferRecord.__tablename__}'"))
)


class OfferRepository:
    """Writes and counts the hub's offers; every change takes the next number of `offer_seq`."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._rome = RomeLearner()  # the trades named by ingested offers, for the offer form

    def upsert(
        self,
        records: Iterable[Offer | Rejection],
        *,
        source: str | None = None,
        seen: dict[str, set[str]] | None = None,
        batch_size: int = 1000,
    ) -> IngestReport:
        """Insert or update offers by (source, external id), one transaction per batch.

        With `source`, every offer is filed under that name. The ids seen per source are
        added to `seen` (for a later `withdraw_missing`). A record whose bytes did not change
        keeps its number: terminals are not sent it again.
        """
        report = IngestReport()
        statistics = _Statistics(self._db)
        for chunk in _chunks(records, batch_size):
            offers: list[Offer] = []
            for record in chunk:
                if isinstance(record, Rejection):
                    report.rejected.append(record)
                elif len(record.external_id) > MAX_EXTERNAL_ID:
                    report.rejected.append(
                        Rejection(record.external_id[:80] + "…", "id longer than 512 characters")
                    )
                else:
                    offers.append(record)
            if offers:
                inserted = report.inserted
                with self._db.write() as connection:
                    self._write(connection, offers, source, report)
                statistics.grew(report.inserted - inserted)
            if seen is not None:
                for offer in offers:
                    seen.setdefault(source or offer.source, set()).add(offer.external_id)
        return report

    def _write(
        self, connection: Connection, offers: list[Offer], source: str | None, report: IngestReport
    ) -> None:
        now = int(self._clock())
        seq = lock_counter(connection, OFFER_SEQ)
        owners = Owners(connection)  # the rules, read under the lock that rule changes take
        by_source: dict[str, dict[str, Offer]] = {}
        for offer in offers:  # the last record of an id in a batch wins
            by_source.setdefault(source or offer.source, {})[offer.external_id] = offer
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        for name, batch in by_source.items():
            existing = self._existing(connection, name, list(batch))
            for external_id, offer in batch.items():
                raw = orjson.dumps(offer.raw)
                digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
                previous = existing.get(external_id)
                if (
                    previous is not None
                    and previous["content_hash"] == digest
                    and not previous["withdrawn"]
                ):
                    report.unchanged += 1
                    continue
                seq += 1
                values: dict[str, Any] = {
                    "format": format_of(offer),
                    "title": offer.title[:300],
                    "raw": raw.decode("utf-8"),
                    "content_hash": digest,
                    "latitude": offer.latitude,
                    "longitude": offer.longitude,
                    "seq": seq,
                    "posted_at": int(offer.posted_at.timestamp()),
                    "changed_at": now,
                    **owners.values(name, external_id, offer),
                }
                if previous is None:
                    values |= {
                        "source": name,
                        "external_id": external_id,
                        "old_latitude": None,
                        "old_longitude": None,
                        "withdrawn": False,
                    }
                    inserts.append(values)
                    report.inserted += 1
                else:
                    moved = (previous["latitude"], previous["longitude"]) != (
                        offer.latitude,
                        offer.longitude,
                    )
                    # The terminals around where it was hear that it left from this change.
                    old = "latitude" if moved else "old_latitude"
                    old_lon = "longitude" if moved else "old_longitude"
                    values |= {
                        "b_id": previous["id"],
                        "old_latitude": previous[old],
                        "old_longitude": previous[old_lon],
                    }
                    updates.append(values)
                    report.updated += 1
        if inserts:
            _insert(connection, inserts)
        if updates:
            connection.execute(_UPDATE, updates)
        if inserts or updates:
            set_counter(connection, OFFER_SEQ, seq)
        self._rome.learn(connection, offers)

    @staticmethod
    def _existing(
        connection: Connection, source: str, external_ids: list[str]
    ) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(external_ids, 500):
            rows = connection.execute(
                select(
                    OfferRecord.id,
                    OfferRecord.external_id,
                    OfferRecord.content_hash,
                    OfferRecord.withdrawn,
                    OfferRecord.latitude,
                    OfferRecord.longitude,
                    OfferRecord.old_latitude,
                    OfferRecord.old_longitude,
                ).where(OfferRecord.source == source, OfferRecord.external_id.in_(chunk))
            )
            for row in rows.mappings():
                found[row["external_id"]] = dict(row)
        return found

    def withdraw(self, source: str, external_ids: Iterable[str]) -> int:
        """Turn the listed offers of `source` into tombstones; how many were live."""
        withdrawn = 0
        for chunk in _chunks(external_ids, 500):
            with self._db.write() as connection:
                seq = lock_counter(connection, OFFER_SEQ)
                ids = connection.scalars(
                    select(OfferRecord.id)
                    .where(
                        OfferRecord.source == source,
                        OfferRecord.external_id.in_(chunk),
                        OfferRecord.withdrawn.is_(False),
                    )
                    .order_by(OfferRecord.id)
                ).all()
                if not ids:
                    continue
                now = int(self._clock())
                connection.execute(
                    update(OfferRecord)
                    .where(OfferRecord.id == bindparam("b_id"))
                    .values(withdrawn=True, raw=None, seq=bindparam("seq"), changed_at=now),
                    [{"b_id": row_id, "seq": seq + i} for i, row_id in enumerate(ids, 1)],
                )
                set_counter(connection, OFFER_SEQ, seq + len(ids))
                withdrawn += len(ids)
        return withdrawn

    def withdraw_missing(self, source: str, listed: set[str]) -> int:
        """Withdraw the live offers of `source` that a complete harvest did not list."""
        with self._db.read() as connection:
            present = set(
                connection.scalars(
                    select(OfferRecord.external_id).where(
                        OfferRecord.source == source, OfferRecord.withdrawn.is_(False)
                    )
                )
            )
        missing = sorted(present - listed)
        removed = self.withdraw(source, missing) if missing else 0
        if removed:
            log.info("withdrew %d offers of %s no longer listed at the source", removed, source)
        return removed

    def purge_tombstones(self, older_than: int) -> int:
        """Forget tombstones older than `older_than` (epoch s); cursors before them now resync."""
        with self._db.write() as connection:
            condition = (OfferRecord.withdrawn.is_(True), OfferRecord.changed_at < older_than)
            highest = connection.scalar(select(func.max(OfferRecord.seq)).where(*condition))
            if highest is None:
                return 0
            removed = connection.execute(delete(OfferRecord).where(*condition)).rowcount
            floor = lock_counter(connection, FEED_FLOOR)
            set_counter(connection, FEED_FLOOR, max(floor, int(highest)))
        return int(removed)

    def counts(self) -> dict[str, int]:
        """Live offers per source."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(OfferRecord.source, func.count())
                .where(OfferRecord.withdrawn.is_(False))
                .group_by(OfferRecord.source)
                .order_by(OfferRecord.source)
            ).all()
        return {source: int(count) for source, count in rows}

    def record_run(
        self, name: str, kind: str, report: IngestReport | None, error: str | None
    ) -> None:
        """Remember a source's last ingest (counts or the error) for operators."""
        now = int(self._clock())
        values: dict[str, Any] = {"kind": kind, "last_run_at": now, "last_error": error}
        if report is not None:
            values["last_report"] = orjson.dumps(report.as_json(rejections=10)).decode()
            if error is None:
                values["last_ok_at"] = now
        with self._db.write() as connection:
            changed = connection.execute(
                update(SourceState).where(SourceState.name == name).values(**values)
            ).rowcount
            if not changed:
                connection.execute(insert(SourceState).values(name=name, **values))

    def sources(self) -> list[dict[str, Any]]:
        """Every source's last ingest."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(SourceState.__table__).order_by(SourceState.name)
            ).mappings()
            result = [dict(row) for row in rows]
        for state in result:
            report = state["last_report"]
            state["last_report"] = orjson.loads(report) if report else None
        return result
