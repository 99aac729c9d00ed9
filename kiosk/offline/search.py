"""Instant local search: FTS5 for words, in-memory bitsets for filters, counts and ordering.

Every offer gets a position in the terminal's order (nearest first, then newest; offers
without coordinates last). A set of offers is a Python integer used as a bitset over those
positions, so a filter is an AND, a count is a popcount, "within N km" is a prefix of the
positions, and the first page is the lowest set bits. The index is rebuilt from the narrow
`offers` table whenever the database changed (PRAGMA data_version), off the UI thread.
"""

from __future__ import annotations

import enum
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from kiosk.domain import CONTRACT_FILTER_CODES, DurationUnit, WorkingTime, contract_label
from kiosk.text import search_terms
from kiosk.trades import CODE_OF_NUMBER, OTHER, family_number, rome_code, rome_number

log = logging.getLogger("kiosk.search")

DISTANCE_STEPS_KM: tuple[int, ...] = (2, 5, 10, 20, 50)
RECENT_STEPS_DAYS: tuple[int, ...] = (1, 3, 7, 30)
OTHER_CONTRACTS = "OTHER"
_DAY = 86_400
_BITS = [tuple(bit for bit in range(8) if value >> bit & 1) for value in range(256)]
_CHUNK = 512  # bytes of a bitset counted at once when skipping to an offset


class Order(enum.StrEnum):
    """How results are ordered."""

    DISTANCE = "distance"  # nearest first, then newest; offers without coordinates last
    NEWEST = "newest"  # newest first, then nearest


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What the passer-by asked for. Every filter is optional."""

    text: str = ""
    contracts: frozenset[str] = frozenset()  # codes of CONTRACT_FILTER_CODES, or "OTHER"
    working_time: WorkingTime | None = None
    apprenticeship: bool = False
    max_km: float | None = None
    posted_within_days: int | None = None
    accessible_only: bool = False
    trade: str | None = None  # a family of kiosk.trades.CODES ("N", or "other")
    # The terminal's area: the offers at most this far, and those located only by their
    # département or region (no coordinates). None: every offer in the cache.
    area_km: float | None = None
    order: Order = Order.DISTANCE
    offset: int = 0
    limit: int = 20


@dataclass(frozen=True, slots=True)
class OfferSummary:
    """What an offer card shows."""

    id: int
    source: str
    external_id: str
    title: str
    trade: str | None
    company: str | None
    place_label: str
    distance_km: float | None
    contract_code: str
    contract_label: str
    working_time: WorkingTime | None
    apprenticeship: bool
    accessible_disabled: bool
    direct_apply: bool
    posted_at: datetime
    # The parts of contract_label, for screens that say it in another language.
    contract_duration: int | None = None
    contract_duration_unit: DurationUnit | None = None


@dataclass(frozen=True, slots=True)
class Facets:
    """How many results each filter choice would give, the other active filters applied."""

    contracts: dict[str, int] = field(default_factory=dict)
    working_time: dict[str, int] = field(default_factory=dict)
    apprenticeship: int = 0
    within_km: dict[int, int] = field(default_factory=dict)
    posted_within_days: dict[int, int] = field(default_factory=dict)
    accessible: int = 0
    trades: dict[str, int] = field(default_factory=dict)  # family code → offers
    # ROME code → offers, for the few commonest codes (TOP_ROMES) of a family that holds at
    # least half of the offers counted in `trades` (no code of another family can).
    romes: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One page of results with the total and the facet counts."""

    total: int
    results: list[OfferSummary]
    facets: Facets
    query: SearchQuery


def _match_expression(terms: list[str]) -> str:
    """An FTS5 query in which every term is a quoted prefix: user text never becomes syntax."""
    return " ".join(f'"{term}"*' for term in terms)


def iter_positions(mask: int, offset: int = 0) -> Iterator[int]:
    """The set bits of `mask` from the `offset`-th one on, lowest first."""
    if mask <= 0:
        return
    data = mask.to_bytes((mask.bit_length() + 7) // 8, "little")
    start = 0
    while offset:
        count = int.from_bytes(data[start : start + _CHUNK], "little").bit_count()
        if count > offset:
            break
        offset -= count
        start += _CHUNK
        if start >= len(data):
            return
    for index in range(start, len(data)):
        byte = data[index]
        if not byte:
            continue
        bits = _BITS[byte]
        if offset >= len(bits):
            offset -= len(bits)
            continue
        base = index * 8
        for bit in bits[offset:]:
            yield base + bit
        offset = 0


_MAX_AGE_DAYS = 60  # offers older than this share one age bucket
_CONTRACT_CODES = (*CONTRACT_FILTER_CODES, OTHER_CONTRACTS)
_WORKING = (WorkingTime.FULL, WorkingTime.PART)
# The terminal's order: ix_offers_rank walked from the start (the migration creates it).
_RANK_ORDER = "ORDER BY distance_km IS NULL, distance_km, posted_ts DESC, id"
_CHAR_BASE = 48  # packed values travel as characters chr(48 + value): printable, latin-1
_TRADE_SHIFT = 7  # the trade family's bits in offers.facets; the ones below it are the filters
_LOW_MASK = (1 << _TRADE_SHIFT) - 1
_FAMILY_MASK = 15  # the trade family's 4 bits, once shifted
_ROME_SHIFT = 11  # the ROME code's bits in offers.facets (kiosk.trades.rome_number), above
TOP_ROMES = 3  # how many ROME codes Facets.romes keeps


def pack_facets(
    contract_code: str,
    working_time: WorkingTime | None,
    apprenticeship: bool,
    accessible_disabled: bool,
    trade: str = OTHER,
    rome: str | None = None,
) -> int:
    """The filterable attributes of an offer in one small integer (stored as offers.facets):
    bits 0–2 the contract chip, 3–4 the working time, 5 apprenticeship, 6 accessibility,
    7–10 the trade family (kiosk.trades.family_number), 11–28 the ROME code
    (kiosk.trades.rome_number; 0: none)."""
    contract = _CONTRACT_CODES.index(contract_code) if contract_code in _CONTRACT_CODES else 4
    working = _WORKING.index(working_time) + 1 if working_time in _WORKING else 0
    return (
        contract
        | working << 3
        | int(apprenticeship) << 5
        | int(accessible_disabled) << 6
        | family_number(trade) << _TRADE_SHIFT
        | rome_number(rome) << _ROME_SHIFT
    )


def _bitset(column: bytes, values: Iterable[int]) -> int:
    """The positions whose byte in `column` (chr(48 + value) per position) holds one of
    `values`, as a bitset: one C-level translate and one base-2 parse, no Python loop."""
    if not column:
        return 0
    table = bytearray(b"0" * 256)
    for value in values:
        table[_CHAR_BASE + value] = ord("1")
    return int(column.translate(table)[::-1], 2)


class OfferIndex:
    """Positions, bitsets and ordering data of every offer in the cache at one moment."""

    def __init__(self, connection: Connection, now: float) -> None:
        today = int(now) // _DAY
        driver = connection.connection.driver_connection
        assert driver is not None
        # SQLite walks the covering index ix_offers_rank in the terminal's order and hands each
        # column over as one string, so no Python object is made per offer; each bitset is then
        # one translate. (The subquery's order is kept: SQLite never flattens an ORDER BY
        # subquery into an aggregate; tests check the order.)
        ids_text, facets_text, trades_text, ages_text, located = driver.execute(
            f"SELECT group_concat(id), group_concat(char(? + (facets & {_LOW_MASK})), ''),"
            f" group_concat(char(? + ((facets >> {_TRADE_SHIFT}) & {_FAMILY_MASK})), ''),"
            f" group_concat(char(? + MIN(MAX(? - posted_ts / {_DAY}, 0), {_MAX_AGE_DAYS})), ''),"
            " count(distance_km)"
            f" FROM (SELECT id, posted_ts, facets, distance_km FROM offers {_RANK_ORDER})",
            (_CHAR_BASE, _CHAR_BASE, _CHAR_BASE, today),
        ).fetchone()
        self.ids: list[int] = list(map(int, ids_text.split(","))) if ids_text else []
        self._posted: list[int] | None = None
        self._romes: list[int] | None = None
        self._family_romes: dict[str, dict[str, int]] = {}
        size = len(self.ids)
        self.size = size
        self.built_at = now
        self.all = (1 << size) - 1
        # position_of[id] is the position of the offer with that cache id (-1: none).
        self.position_of: list[int] = [-1] * (max(self.ids, default=0) + 1)
        for pos, row_id in enumerate(self.ids):
            self.position_of[row_id] = pos
        facets = (facets_text or "").encode("latin-1")
        packed = range(128)  # every value pack_facets can give
        self.contracts = {
            code: _bitset(facets, (v for v in packed if v & 7 == i))
            for i, code in enumerate(_CONTRACT_CODES)
        }
        self.working = {
            wt.value: _bitset(facets, (v for v in packed if v >> 3 & 3 == i + 1))
            for i, wt in enumerate(_WORKING)
        }
        self.apprenticeship = _bitset(facets, (v for v in packed if v & 32))
        self.accessible = _bitset(facets, (v for v in packed if v & 64))
        trades = (trades_text or "").encode("latin-1")
        self.trades = {
            code: _bitset(trades, (number,)) for number, code in enumerate(CODE_OF_NUMBER)
        }
        # Offers without coordinates come last in the order: the positions from `located` on.
        self.unlocated: int = self.all & ~((1 << int(located)) - 1)
        ages = (ages_text or "").encode("latin-1")
        # Offers by age in days, youngest first: "posted within N days" is an OR of ages < N.
        self.by_age = [
            (age - _CHAR_BASE, _bitset(ages, (age - _CHAR_BASE,))) for age in sorted(set(ages))
        ]
        self._connection = connection
        self._within: dict[float, int] = {}

    @property
    def posted(self) -> list[int]:
        """posted_ts by position; only "newest first" needs it, so it is read on first use."""
        if self._posted is None:
            self._posted = self._by_position("posted_ts")
        return self._posted

    def _by_position(self, expression: str) -> list[int]:
        """An integer expression of the columns of ix_offers_rank, by position (one fixed text
        of this module: nothing typed ever reaches it)."""
        driver = self._connection.connection.driver_connection
        assert driver is not None
        (text,) = driver.execute(
            f"SELECT group_concat({expression})"
            f" FROM (SELECT posted_ts, facets FROM offers {_RANK_ORDER})"
        ).fetchone()
        values = list(map(int, text.split(","))) if text else []
        if len(values) != self.size:  # a write landed since the build: next search rebuilds
            log.debug("offers changed under the index; %s read as zeros", expression)
            values = [0] * self.size
        return values

    def family_romes(self, family: str) -> dict[str, int]:
        """The offers of each ROME code of `family`, as bitsets. Read on first use: only a
        search whose offers are mostly of one family asks (the codes of a family's offers
        are walked once, then each count is an AND)."""
        found = self._family_romes.get(family)
        if found is None:
            if self._romes is None:
                self._romes = self._by_position(f"facets >> {_ROME_SHIFT}")
            romes = self._romes
            size = (self.size + 7) // 8
            by_number: dict[int, bytearray] = {}
            for pos in iter_positions(self.trades.get(family, 0)):
                number = romes[pos]
                if number:
                    data = by_number.get(number)
                    if data is None:
                        data = by_number[number] = bytearray(size)
                    data[pos >> 3] |= 1 << (pos & 7)
            found = {
                code: int.from_bytes(data, "little")
                for number, data in by_number.items()
                if (code := rome_code(number)) is not None
            }
            self._family_romes[family] = found
        return found

    def within_km(self, km: float) -> int:
        """The located offers at most `km` away: a prefix of the positions."""
        count = self._within.get(km)
        if count is None:
            # Written as the rank index's leading terms, so that its range answers the count.
            count = self._connection.exec_driver_sql(
                "SELECT count(*) FROM offers WHERE distance_km IS NULL = 0 AND distance_km <= ?",
                (km,),
            ).scalar_one()
            self._within[km] = count
        return (1 << count) - 1

    def area(self, km: float) -> int:
        """The terminal's area: the offers at most `km` away and the unlocated ones."""
        return self.within_km(km) | self.unlocated

    def posted_within(self, days: int) -> int:
        """The offers posted less than `days` days ago (by calendar day)."""
        mask = 0
        for age, bits in self.by_age:
            if age >= days:
                break
            mask |= bits
        return mask

    def from_ids(self, rows: list[tuple[int]]) -> int:
        """A bitset of the cache ids in `rows` (one-tuples, as the driver returns them).

        The hot loop of a text search: one pass, no calls, no allocation per row.
        """
        data = bytearray((self.size + 7) // 8)
        position_of = self.position_of
        limit = len(position_of)
        for (row_id,) in rows:
            if row_id < limit and (pos := position_of[row_id]) >= 0:
                data[pos >> 3] |= 1 << (pos & 7)
        return int.from_bytes(data, "little")


class Searcher:
    """Answers search queries on one thread with its own connection; rebuilds its index when
    another connection committed changes."""

    def __init__(self, engine: Engine, clock: Callable[[], float] = time.time) -> None:
        self._connection = engine.connect()
        self._clock = clock
        self._index: OfferIndex | None = None
        self._data_version: int | None = None

    def close(self) -> None:
        """Release the connection."""
        self._connection.close()

    def index(self) -> OfferIndex:
        """The current index, rebuilt if the database changed or the day turned."""
        version = self._connection.exec_driver_sql("PRAGMA data_version").scalar()
        now = self._clock()
        index = self._index
        if (
            index is None
            or version != self._data_version
            or int(now) // _DAY != int(index.built_at) // _DAY
        ):
            started = time.perf_counter()
            self._connection.rollback()  # see the latest committed state
            index = OfferIndex(self._connection, now)
            self._connection.rollback()
            self._index, self._data_version = index, version
            log.debug(
                "search index of %d offers built in %.0f ms",
                index.size,
                (time.perf_counter() - started) * 1000,
            )
        return index

    def search(self, query: SearchQuery) -> SearchPage:
        """One page of results for `query`, with the total and the facet counts."""
        index = self.index()
        terms = search_terms(query.text)
        text_mask = index.all
        if terms:
            # Straight to the driver: tens of thousands of rowids, no per-row processing wanted.
            driver = self._connection.connection.driver_connection
            assert driver is not None
            rows = driver.execute(
                "SELECT rowid FROM offers_fts WHERE offers_fts MATCH ?",
                (_match_expression(terms),),
            ).fetchall()
            text_mask = index.from_ids(rows)
        groups = self._filter_masks(index, query)
        combined = text_mask
        for mask in groups.values():
            combined &= mask
        facets = self._facets(index, text_mask, groups)
        positions = self._page_positions(index, combined, query)
        results = self._summaries([index.ids[pos] for pos in positions])
        self._connection.rollback()
        return SearchPage(combined.bit_count(), results, facets, query)

    @staticmethod
    def _filter_masks(index: OfferIndex, query: SearchQuery) -> dict[str, int]:
        """One mask per active filter group."""
        groups: dict[str, int] = {}
        if query.contracts:
            mask = 0
            for code in query.contracts:
                mask |= index.contracts.get(code, 0)
            groups["contracts"] = mask
        if query.working_time is not None:
            groups["working_time"] = index.working[query.working_time.value]
        if query.apprenticeship:
            groups["apprenticeship"] = index.apprenticeship
        if query.max_km is not None:
            groups["distance"] = index.within_km(query.max_km)
        if query.posted_within_days is not None:
            groups["recent"] = index.posted_within(query.posted_within_days)
        if query.accessible_only:
            groups["accessible"] = index.accessible
        if query.trade is not None:
            groups["trade"] = index.trades.get(query.trade, 0)
        if query.area_km is not None:
            groups["area"] = index.area(query.area_km)
        return groups

    @staticmethod
    def _facets(index: OfferIndex, text_mask: int, groups: dict[str, int]) -> Facets:
        def base(excluded: str) -> int:
            mask = text_mask
            for name, group in groups.items():
                if name != excluded:
                    mask &= group
            return mask

        contracts_base = base("contracts")
        working_base = base("working_time")
        distance_base = base("distance")
        recent_base = base("recent")
        trade_base = base("trade")
        trades = {code: (trade_base & bits).bit_count() for code, bits in index.trades.items()}
        return Facets(
            contracts={
                code: (contracts_base & bits).bit_count() for code, bits in index.contracts.items()
            },
            working_time={
                key: (working_base & bits).bit_count() for key, bits in index.working.items()
            },
            apprenticeship=(base("apprenticeship") & index.apprenticeship).bit_count(),
            within_km={
                km: (distance_base & index.within_km(km)).bit_count() for km in DISTANCE_STEPS_KM
            },
            posted_within_days={
                days: (recent_base & index.posted_within(days)).bit_count()
                for days in RECENT_STEPS_DAYS
            },
            accessible=(base("accessible") & index.accessible).bit_count(),
            trades=trades,
            romes=Searcher._leading_romes(index, trade_base, trades),
        )

    @staticmethod
    def _leading_romes(index: OfferIndex, mask: int, trades: dict[str, int]) -> dict[str, int]:
        """The TOP_ROMES commonest ROME codes of the offers of `mask`, counted only in a family
        that holds at least half of them (`trades`, their counts by family): a code of any
        other family holds less than half, and the one that leads is all the screens ask."""
        total = sum(trades.values())
        counts: dict[str, int] = {}
        for family, offers in trades.items():
            if offers and 2 * offers >= total and family != OTHER:
                for code, bits in index.family_romes(family).items():
                    if found := (mask & bits).bit_count():
                        counts[code] = found
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_ROMES]
        return dict(top)

    @staticmethod
    def _page_positions(index: OfferIndex, mask: int, query: SearchQuery) -> list[int]:
        limit = max(0, query.limit)
        offset = max(0, query.offset)
        if query.order is Order.DISTANCE:
            positions = []
            for pos in iter_positions(mask, offset):
                positions.append(pos)
                if len(positions) >= limit:
                    break
            return positions
        # Newest first: walk the days youngest first; within a day, by exact time then distance.
        picked: list[int] = []
        for _age, day_bits in index.by_age:
            day_mask = mask & day_bits
            count = day_mask.bit_count()
            if offset >= count:
                offset -= count
                continue
            posted = index.posted
            day = sorted(iter_positions(day_mask), key=lambda p: (-posted[p], p))
            picked.extend(day[offset : offset + limit - len(picked)])
            offset = 0
            if len(picked) >= limit:
                break
        return picked

    def _summaries(self, ids: list[int]) -> list[OfferSummary]:
        if not ids:
            return []
        placeholders = ",".join("?" * len(ids))
        rows = self._connection.exec_driver_sql(
            "SELECT id, source, external_id, title, trade, company, place_label, distance_km,"
            " contract_code, contract_duration, contract_duration_unit, working_time,"
            f" apprenticeship, accessible_disabled, direct_apply, posted_ts FROM offers"
            f" WHERE id IN ({placeholders})",
            tuple(ids),
        ).all()
        by_id = {row[0]: row for row in rows}
        return [_summary(by_id[row_id]) for row_id in ids if row_id in by_id]


def _summary(row: Sequence[Any]) -> OfferSummary:
    (row_id, source, external_id, title, trade, company, place, distance, code, duration,
     unit, wtime, app, acc, direct, posted) = row  # fmt: skip
    return OfferSummary(
        id=row_id,
        source=source,
        external_id=external_id,
        title=title,
        trade=trade,
        company=company,
        place_label=place,
        distance_km=distance,
        contract_code=code,
        contract_label=contract_label(
            code, duration, DurationUnit(unit) if unit is not None else None
        ),
        working_time=WorkingTime(wtime) if wtime is not None else None,
        apprenticeship=bool(app),
        accessible_disabled=bool(acc),
        direct_apply=bool(direct),
        posted_at=datetime.fromtimestamp(posted, UTC),
        contract_duration=duration,
        contract_duration_unit=DurationUnit(unit) if unit is not None else None,
    )
