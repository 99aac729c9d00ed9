"""The offers cache: upsert by (source, external id), withdrawal, and reading one offer back."""

from __future__ import annotations

import functools
import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any, NamedTuple

import msgspec
import orjson
from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from kiosk import trades
from kiosk.domain import Offer
from kiosk.formats import FormatError, cards, francetravail, jobposting, parse_document
from kiosk.formats.common import Rejection
from kiosk.geo import Point, haversine_km
from kiosk.offline.models import FeedListing, Meta, OfferDocument, OfferRow, SourceState
from kiosk.offline.search import pack_facets
from kiosk.text import fold

log = logging.getLogger("kiosk.offline")


@dataclass(slots=True)
class ImportReport:
    """What an import did, record by record."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    rejected: list[Rejection] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"{self.inserted} inserted, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.withdrawn} withdrawn, {len(self.rejected)} rejected"
        )

    def as_json(self) -> dict[str, Any]:
        """The object printed by `kiosk import --json`."""
        return {
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "withdrawn": self.withdrawn,
            "rejected": [{"id": r.external_id, "reason": r.reason} for r in self.rejected],
        }


def search_text(offer: Offer) -> str:
    """The folded words a passer-by may type to find this offer: its title, trade, company,
    place and contract. The description and skill lists are left out on purpose: they mention
    everything, bury the offers whose trade matches, and triple the cost of indexing."""
    words = (
        fold(offer.title),
        _folded(offer.trade or ""),
        _folded(offer.company or ""),
        _folded(offer.place_label),
        _folded(offer.postcode or ""),
        _folded(offer.contract_label),
    )
    return " ".join(dict.fromkeys(" ".join(words).split()))


@functools.lru_cache(maxsize=16384)
def _folded(text: str) -> str:
    """`fold` for the words that repeat from offer to offer (trades, companies, places,
    contracts): a third of the cost of building a row went to folding them again."""
    return fold(text)


def _timestamp(value: Any) -> int | None:
    return int(value.timestamp()) if value is not None else None


def _distance(origin: Point, offer: Offer) -> float | None:
    if offer.latitude is None or offer.longitude is None:
        return None
    return round(haversine_km(origin, offer.latitude, offer.longitude), 3)


def _document(offer: Offer) -> bytes:
    return orjson.dumps(offer.raw)


ROW_COLUMNS = (
    "source", "external_id", "title", "trade", "company", "place_label", "postcode", "commune_code",
    "latitude", "longitude", "distance_km", "contract_code", "contract_duration",
    "contract_duration_unit", "working_time", "apprenticeship", "accessible_disabled",
    "direct_apply", "posted_ts", "updated_ts", "search_text", "content_hash", "imported_ts",
    "facets",
)  # fmt: skip
_INSERT_OFFER = (
    f"INSERT INTO offers ({', '.join(ROW_COLUMNS)}, id)"
    f" VALUES ({', '.join('?' * (len(ROW_COLUMNS) + 1))})"
)
_SEARCH = ROW_COLUMNS.index("search_text")
# New rows enter the search index here, in the same transaction (see the first migration).
_INDEX_OFFER = "INSERT INTO offers_fts (rowid, search_text) VALUES (?, ?)"
_UPDATE_OFFER = f"UPDATE offers SET {', '.join(c + ' = ?' for c in ROW_COLUMNS)} WHERE id = ?"
_INSERT_DOCUMENT = "INSERT INTO offer_documents (format, raw, offer_id) VALUES (?, ?, ?)"
_UPDATE_DOCUMENT = "UPDATE offer_documents SET format = ?, raw = ? WHERE offer_id = ?"


_LISTING_KEY = "feed_listing"  # meta key present while a resync of the hub feed is under way


@dataclass(frozen=True, slots=True)
class FeedPageWrite:
    """One page of a feed to apply in one transaction (see `FeedWriter.apply`)."""

    records: list[PreparedOffer | Rejection]
    withdrawn: dict[str, list[str]]  # source → external ids withdrawn at the source
    start_listing: bool = False  # a resync begins with this page
    last: bool = False  # the feed has no more pages for now
    keep_sources: frozenset[str] = frozenset()  # sources a resync never drops (the direct ones)


class PreparedOffer(NamedTuple):
    """An offer turned into what the cache stores, ready to write (built off the writing
    thread, possibly in another process: see kiosk.sync.feed)."""

    source: str
    external_id: str
    digest: str  # of `raw`: an unchanged offer is not written again
    row: tuple[Any, ...]  # the values of ROW_COLUMNS
    format: str
    raw: bytes  # the record as JSON


def offer_row(offer: Offer, source: str, digest: str, now: int, origin: Point) -> tuple[Any, ...]:
    """The values of ROW_COLUMNS for one offer."""
    return (
        source,
        offer.external_id,
        offer.title,
        offer.trade,
        offer.company,
        offer.place_label,
        offer.postcode,
        offer.commune_code,
        offer.latitude,
        offer.longitude,
        _distance(origin, offer),
        offer.contract_code,
        offer.contract_duration,
        offer.contract_duration_unit and offer.contract_duration_unit.value,
        offer.working_time and offer.working_time.value,
        offer.apprenticeship,
        offer.accessible_disabled,
        offer.direct_apply,
        _timestamp(offer.posted_at),
        _timestamp(offer.updated_at),
        search_text(offer),
        digest,
        now,
        pack_facets(
            offer.contract_code,
            offer.working_time,
            offer.apprenticeship,
            offer.accessible_disabled,
            trade_family(offer),
            offer.rome_code,
        ),
    )


def trade_family(offer: Offer) -> str:
    """The offer's family of trades (kiosk.trades): its ROME code, a JobPosting's
    occupationalCategory, else the words of its title and trade."""
    occupation = trades.occupation_text(offer.raw.get("occupationalCategory"))
    return trades.classify(offer.rome_code, occupation, offer.title, offer.trade)


def prepare_offer(offer: Offer, source: str, origin: Point, now: int) -> PreparedOffer:
    """What the cache will store for `offer`, filed under `source`."""
    raw = _document(offer)
    digest = hashlib.blake2b(raw, digest_size=16).hexdigest()
    row = offer_row(offer, source, digest, now, origin)
    return PreparedOffer(source, offer.external_id, digest, row, _format_of(offer), raw)


def prepare_card(
    raw: bytes | msgspec.Raw, source: str, origin: Point, now: int, *, compacted: bool = False
) -> PreparedOffer | Rejection:
    """What the cache will store for one France Travail record given as its JSON text (the
    fast path, `kiosk.formats.cards`): only the card's fields are decoded, and the record is
    kept as it came, compacted (unless the caller knows it is: `compacted`), instead of being
    decoded and written again."""
    parsed = cards.parse_card(raw, source)
    if parsed is None:  # not an object: the ordinary parser says what it is
        parsed = francetravail.parse_record(orjson.loads(bytes(raw)), source, cards=True)
    if isinstance(parsed, Rejection):
        return parsed
    document = bytes(raw) if compacted else cards.compact(raw)
    digest = hashlib.blake2b(document, digest_size=16).hexdigest()
    row = offer_row(parsed, source, digest, now, origin)
    return PreparedOffer(source, parsed.external_id, digest, row, _format_of(parsed), document)


def prepare_cards(
    raws: Iterable[bytes | msgspec.Raw], source: str, origin: Point, now: int
) -> list[PreparedOffer | Rejection]:
    """`prepare_card` for each record, in order (a small file, parsed on the calling thread)."""
    return [prepare_card(raw, source, origin, now) for raw in raws]


def upsert_source(connection: Connection, name: str, **values: Any) -> None:
    """Set `values` on the `sources` row called `name`, made if it is missing."""
    updated = connection.execute(
        update(SourceState).where(SourceState.name == name).values(**values)
    )
    if not updated.rowcount:
        connection.execute(insert(SourceState).values(name=name, **values))


def _chunks(items: Iterable[Offer | Rejection], size: int) -> Iterator[list[Offer | Rejection]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class OfferStore:
    """Reads and writes the offers cache. Writes come from one thread at a time (import, sync)."""

    def __init__(
        self, engine: Engine, origin: Point, clock: Callable[[], float] = time.time
    ) -> None:
        self.engine = engine
        self.origin = origin
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []

    def now(self) -> int:
        """The store's clock, in whole seconds (what rows record as their import time)."""
        return int(self._clock())

    def on_change(self, listener: Callable[[], None]) -> None:
        """Call `listener` (from the writing thread) after every committed change."""
        self._listeners.append(listener)

    def _changed(self) -> None:
        for listener in self._listeners:
            listener()

    # -- distances --------------------------------------------------------------------------

    def ensure_origin(self) -> bool:
        """Recompute every distance when the terminal's configured location moved; True if so."""
        wanted = f"{self.origin.latitude:.6f},{self.origin.longitude:.6f}"
        with self.engine.begin() as connection:
            stored = connection.scalar(select(Meta.value).where(Meta.key == "origin"))
            if stored == wanted:
                return False
            rows = connection.exec_driver_sql(
                "SELECT id, latitude, longitude FROM offers"
                " WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
            ).all()
            if rows:
                connection.exec_driver_sql(
                    "UPDATE offers SET distance_km = ? WHERE id = ?",
                    [(round(haversine_km(self.origin, la, lo), 3), i) for i, la, lo in rows],
                )
            connection.execute(delete(Meta).where(Meta.key == "origin"))
            connection.execute(insert(Meta).values(key="origin", value=wanted))
        if rows:
            log.info("distances computed from the terminal's new location: %d offers", len(rows))
        self._changed()
        return True

    # -- writes -----------------------------------------------------------------------------

    def import_records(
        self,
        records: Iterable[Offer | Rejection],
        *,
        source: str | None = None,
        full_refresh: bool = False,
        batch_size: int = 5000,
    ) -> ImportReport:
        """Upsert offers by (source, external id), one transaction per batch.

        With `source`, every offer is filed under that source name. With `full_refresh`, the
        offers of the sources seen that this import did not list are withdrawn at the end.
        """

        def prepared() -> Iterator[list[PreparedOffer | Rejection]]:
            for chunk in _chunks(records, batch_size):
                now = int(self._clock())
                yield [
                    r
                    if isinstance(r, Rejection)
                    else prepare_offer(r, source or r.source, self.origin, now)
                    for r in chunk
                ]

        return self.import_prepared(prepared(), full_refresh=full_refresh, batch_size=batch_size)

    def import_prepared(
        self,
        batches: Iterable[list[PreparedOffer | Rejection]],
        *,
        full_refresh: bool = False,
        batch_size: int = 5000,
    ) -> ImportReport:
        """Write records already turned into rows (`prepare_offer`, `prepare_card`), in one
        transaction per `batch_size` of them at least; see `import_records`. Each batch is
        written as it comes, so that the last transaction has little left to write once the
        last batch is ready (the parser processes have stopped by then)."""
        report = ImportReport()
        known: dict[str, dict[str, tuple[int, str]]] = {}
        seen: dict[str, set[str]] = {}
        with self.engine.connect() as connection:
            written = 0
            for batch in batches:
                if not batch:
                    continue
                self._write_batch(connection, batch, known, seen, report)
                written += len(batch)
                if written >= batch_size:
                    connection.commit()
                    written = 0
            if written:
                connection.commit()
        if full_refresh:
            for name, ids in seen.items():
                report.withdrawn += self.withdraw_missing(name, ids)
        if report.inserted or report.updated:
            self._changed()
        return report

    def _write_batch(
        self,
        connection: Connection,
        chunk: list[PreparedOffer | Rejection],
        known: dict[str, dict[str, tuple[int, str]]],
        seen: dict[str, set[str]],
        report: ImportReport,
    ) -> None:
        now = int(self._clock())
        next_id = (connection.scalar(select(func.max(OfferRow.id))) or 0) + 1
        new_rows: list[tuple[Any, ...]] = []
        new_docs: list[tuple[str, bytes, int]] = []
        changed_rows: list[tuple[Any, ...]] = []
        changed_docs: list[tuple[str, bytes, int]] = []
        for record in chunk:
            if isinstance(record, Rejection):
                report.rejected.append(record)
                continue
            name = record.source
            if name not in known:
                known[name] = self._existing(connection, name)
            existing = known[name]
            seen.setdefault(name, set()).add(record.external_id)
            previous = existing.get(record.external_id)
            if previous is not None and previous[1] == record.digest:
                report.unchanged += 1
                continue
            row_id = previous[0] if previous else next_id
            row = (*record.row, row_id)
            doc = (record.format, record.raw, row_id)
            if previous is None:
                next_id += 1
                new_rows.append(row)
                new_docs.append(doc)
                report.inserted += 1
            else:
                changed_rows.append(row)
                changed_docs.append(doc)
                report.updated += 1
            existing[record.external_id] = (row_id, record.digest)
        # The bulk path binds tuples straight to the driver: compiling 5,000 parameter dicts
        # through SQLAlchemy cost more than SQLite's own work.
        if new_rows:
            connection.exec_driver_sql(_INSERT_OFFER, new_rows)
            connection.exec_driver_sql(_INDEX_OFFER, [(row[-1], row[_SEARCH]) for row in new_rows])
            connection.exec_driver_sql(_INSERT_DOCUMENT, new_docs)
        if changed_rows:
            connection.exec_driver_sql(_UPDATE_OFFER, changed_rows)
            connection.exec_driver_sql(_UPDATE_DOCUMENT, changed_docs)
        for name in {r.source for r in chunk if isinstance(r, PreparedOffer)}:
            self._touch_source(connection, name, now)

    @staticmethod
    def _existing(connection: Connection, source: str) -> dict[str, tuple[int, str]]:
        rows = connection.execute(
            select(OfferRow.external_id, OfferRow.id, OfferRow.content_hash).where(
                OfferRow.source == source
            )
        )
        return {external_id: (row_id, digest) for external_id, row_id, digest in rows}

    @staticmethod
    def _touch_source(connection: Connection, name: str, now: int) -> None:
        upsert_source(connection, name, last_import_ts=now)

    @staticmethod
    def _delete(connection: Connection, source: str, external_ids: Iterable[str]) -> int:
        ids = list(external_ids)
        removed = 0
        for start in range(0, len(ids), 500):
            result = connection.execute(
                delete(OfferRow).where(
                    OfferRow.source == source,
                    OfferRow.external_id.in_(ids[start : start + 500]),
                )
            )
            removed += result.rowcount
        return removed

    def withdraw(self, source: str, external_ids: Iterable[str]) -> int:
        """Delete the listed offers of `source` (withdrawn at the source); how many were there."""
        with self.engine.begin() as connection:
            removed = self._delete(connection, source, external_ids)
        if removed:
            self._changed()
        return removed

    def feed_writer(self) -> FeedWriter:
        """A writer of feed pages for one pull (it remembers what the cache holds meanwhile)."""
        return FeedWriter(self)

    def withdraw_missing(self, source: str, listed: set[str]) -> int:
        """Delete the offers of `source` that a full refresh no longer lists."""
        with self.engine.connect() as connection:
            present = set(
                connection.scalars(select(OfferRow.external_id).where(OfferRow.source == source))
            )
        removed = self.withdraw(source, present - listed)
        if removed:
            log.info("withdrew %d offers of %s no longer listed", removed, source)
        with self.engine.begin() as connection:
            connection.execute(
                update(SourceState)
                .where(SourceState.name == source)
                .values(last_full_refresh_ts=int(self._clock()))
            )
        return removed

    # -- reads ------------------------------------------------------------------------------

    def count(self) -> int:
        """How many offers the cache holds."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(OfferRow)) or 0

    def get(self, offer_id: int) -> Offer | None:
        """The whole offer, parsed again from its raw document (None if it is gone)."""
        with self.engine.connect() as connection:
            row = connection.execute(
                select(OfferRow.source, OfferDocument.format, OfferDocument.raw)
                .join(OfferDocument, OfferDocument.offer_id == OfferRow.id)
                .where(OfferRow.id == offer_id)
            ).first()
        if row is None:
            return None
        source, fmt, raw = row
        try:
            parsed = next(parse_document(fmt, orjson.loads(raw), source), None)
        except FormatError:
            log.error("offer %d has a document of unknown format %s", offer_id, fmt)
            return None
        return parsed if isinstance(parsed, Offer) else None

    def find(self, source: str, external_id: str) -> int | None:
        """The cache id of an offer by its source and the source's id."""
        with self.engine.connect() as connection:
            return connection.scalar(
                select(OfferRow.id).where(
                    OfferRow.source == source, OfferRow.external_id == external_id
                )
            )

    def find_external(self, external_id: str) -> int | None:
        """The cache id of an offer by the source's id alone, whatever the source (the oldest
        match): `kiosk screenshot detail --offer ID`."""
        with self.engine.connect() as connection:
            return connection.scalar(
                select(OfferRow.id)
                .where(OfferRow.external_id == external_id)
                .order_by(OfferRow.id)
                .limit(1)
            )

    def last_import(self) -> int | None:
        """When offers were last imported from any source (UTC epoch seconds)."""
        with self.engine.connect() as connection:
            return connection.scalar(select(func.max(SourceState.last_import_ts)))


def _format_of(offer: Offer) -> str:
    """The format of an offer's raw record: JobPosting records always carry their `@type`."""
    return jobposting.FORMAT if "@type" in offer.raw else francetravail.FORMAT


def _listing(connection: Connection) -> bool:
    return connection.scalar(select(Meta.key).where(Meta.key == _LISTING_KEY)) is not None


class FeedWriter:
    """Applies the pages of a feed, each with its cursor, in one transaction per page.

    A resync records what its pages list (table `feed_listing`, meta `feed_listing`), so that
    its last page can drop every offer the new set lacks (except the `keep_sources`, which come
    from elsewhere): the screen keeps its offers meanwhile, and a resync interrupted by a crash
    carries on after it. Only one writer may run at a time (the sync thread).
    """

    def __init__(self, store: OfferStore) -> None:
        self._store = store
        self._known: dict[str, dict[str, tuple[int, str]]] = {}

    def listing_underway(self) -> bool:
        """Whether a resync started and has not seen its last page yet."""
        with self._store.engine.connect() as connection:
            return _listing(connection)

    def apply(
        self, page: FeedPageWrite, commit: Callable[[Connection], None] | None = None
    ) -> ImportReport:
        """Write `page`, then `commit(connection)` (the cursor), all in one transaction."""
        store = self._store
        report = ImportReport()
        seen: dict[str, set[str]] = {}
        with store.engine.begin() as connection:
            if page.start_listing:
                connection.execute(delete(FeedListing))
                connection.execute(delete(Meta).where(Meta.key == _LISTING_KEY))
                connection.execute(insert(Meta).values(key=_LISTING_KEY, value="1"))
            listing = page.start_listing or _listing(connection)
            store._write_batch(connection, page.records, self._known, seen, report)
            for source, ids in page.withdrawn.items():
                report.withdrawn += store._delete(connection, source, ids)
                known = self._known.get(source)
                if known is not None:
                    for external_id in ids:
                        known.pop(external_id, None)
            if listing and seen:
                connection.exec_driver_sql(
                    "INSERT OR IGNORE INTO feed_listing (source, external_id) VALUES (?, ?)",
                    [(source, i) for source, ids in seen.items() for i in ids],
                )
            if listing and page.last:
                report.withdrawn += self._sweep(connection, page.keep_sources)
            if commit is not None:
                commit(connection)
        if report.inserted or report.updated or report.withdrawn:
            store._changed()
        return report

    def _sweep(self, connection: Connection, keep: frozenset[str]) -> int:
        """Drop the offers the finished resync did not list; end the listing."""
        kept = ", ".join("?" * len(keep))
        removed = connection.exec_driver_sql(
            "DELETE FROM offers WHERE NOT EXISTS (SELECT 1 FROM feed_listing l"
            " WHERE l.source = offers.source AND l.external_id = offers.external_id)"
            + (f" AND source NOT IN ({kept})" if keep else ""),
            tuple(sorted(keep)),
        ).rowcount
        connection.execute(delete(FeedListing))
        connection.execute(delete(Meta).where(Meta.key == _LISTING_KEY))
        self._known.clear()
        if removed:
            log.info("resync done: %d offers the hub no longer lists dropped", removed)
        return int(removed)
