"""Each terminal's offers feed: the changes within its radius after its cursor, page by page.

A cursor is `v1.<epoch>.<generation>.<seq>`: the database's epoch (a new database is a new
feed), the terminal's feed generation (bumped when its area changes or an operator asks for
a resync) and the number of the last change the terminal has. Anything that makes a cursor
meaningless answers `resync: true` with a cursor from the start.
"""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from orjson import Fragment
from sqlalchemy import and_, or_, select

from hub.auth import TerminalIdentity
from hub.db import Database
from hub.models import Counter, Meta, OfferRecord
from hub.offers import FEED_FLOOR, OFFER_SEQ
from kiosk.geo import Point, haversine_km

_CURSOR = re.compile(r"v1\.([0-9a-f]{1,32})\.(\d{1,9})\.(\d{1,18})")
_KM_PER_DEGREE = 111.2


class CursorError(ValueError):
    """A cursor this hub never issued."""


@dataclass(frozen=True, slots=True)
class Cursor:
    """A position in one terminal's feed."""

    epoch: str
    generation: int
    seq: int

    def encode(self) -> str:
        """The opaque text given to the terminal."""
        return f"v1.{self.epoch}.{self.generation}.{self.seq}"

    @classmethod
    def decode(cls, text: str) -> Cursor:
        """Read a cursor back; CursorError if it is not one of ours."""
        match = _CURSOR.fullmatch(text)
        if match is None:
            raise CursorError("cursor is not one this hub issued (send the last one received)")
        return cls(match.group(1), int(match.group(2)), int(match.group(3)))


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One answer of the feed: the JSON body and what the headers and logs need."""

    body: bytes
    etag: str
    cursor: str
    more: bool
    resync: bool
    offers: int
    tombstones: int
    not_modified: bool = False  # answer 304 with the ETag and no body


def etag_for(cursor: str, more: bool) -> str:
    """The validator of a page: a page that ends on the same cursor is the same news.

    The last page of a sync and a later empty poll from its cursor share it, so a terminal
    that sends back its last ETag gets 304 until something changes in the hub.
    """
    digest = hashlib.sha256(f"{cursor}|{int(more)}".encode("ascii")).hexdigest()[:32]
    return f'W/"{digest}"'


def etag_matches(header: str | None, etag: str) -> bool:
    """Weak comparison of If-None-Match (a list, or `*`) with an ETag."""
    if not header:
        return False
    wanted = etag.removeprefix("W/")
    for part in header.split(","):
        candidate = part.strip()
        if candidate == "*" or candidate.removeprefix("W/") == wanted:
            return True
    return False


def bounding_box(centre: Point, radius_km: float) -> tuple[float, float, float, float]:
    """(south, north, west, east) around a circle, a little wider than it."""
    dlat = radius_km / _KM_PER_DEGREE
    cos_lat = max(math.cos(math.radians(centre.latitude)), 0.01)
    dlon = min(180.0, radius_km / (_KM_PER_DEGREE * cos_lat))
    return (
        max(-90.0, centre.latitude - dlat),
        min(90.0, centre.latitude + dlat),
        max(-180.0, centre.longitude - dlon),
        min(180.0, centre.longitude + dlon),
    )


def _checked(page: FeedPage, if_none_match: str | None) -> FeedPage:
    if etag_matches(if_none_match, page.etag):
        return dataclasses.replace(page, body=b"", not_modified=True)
    return page


class RecordCache:
    """Offer records by change number, least recently used first out.

    A change number's record never changes (a new version takes a new number), so nothing
    is ever invalidated: the cache only saves reading the same records again for every
    terminal of an area.
    """

    def __init__(self, max_bytes: int) -> None:
        self._max = max_bytes
        self._records: OrderedDict[int, str] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get_many(self, seqs: Sequence[int]) -> dict[int, str]:
        """The cached records among `seqs`."""
        found = {}
        with self._lock:
            for seq in seqs:
                record = self._records.get(seq)
                if record is not None:
                    self._records.move_to_end(seq)
                    found[seq] = record
        return found

    def put_many(self, records: dict[int, str]) -> None:
        """Remember records, forgetting the least recently used beyond the budget."""
        if self._max <= 0:
            return
        with self._lock:
            for seq, record in records.items():
                if seq not in self._records:
                    self._records[seq] = record
                    self._size += len(record)
            while self._size > self._max and self._records:
                _seq, dropped = self._records.popitem(last=False)
                self._size -= len(dropped)


class Feed:
    """Builds feed pages from the offers table; reads only."""

    def __init__(
        self, db: Database, include_unlocated: bool = False, cache_bytes: int = 256 << 20
    ) -> None:
        self._db = db
        self._include_unlocated = include_unlocated
        self._epoch: str | None = None
        self._cache = RecordCache(cache_bytes)

    @property
    def epoch(self) -> str:
        """This database's feed epoch (set by the first migration, never changed)."""
        if self._epoch is None:
            with self._db.read() as connection:
                value = connection.scalar(select(Meta.value).where(Meta.key == "epoch"))
            if value is None:
                raise RuntimeError("the database has no feed epoch: it was not migrated")
            self._epoch = value
        return self._epoch

    def _counters(self) -> tuple[int, int]:
        with self._db.read() as connection:
            rows = dict(
                connection.execute(
                    select(Counter.name, Counter.value).where(
                        Counter.name.in_([OFFER_SEQ, FEED_FLOOR])
                    )
                ).all()
            )
        return int(rows[OFFER_SEQ]), int(rows[FEED_FLOOR])

    def page(
        self,
        terminal: TerminalIdentity,
        cursor_text: str | None,
        limit: int,
        if_none_match: str | None = None,
    ) -> FeedPage:
        """The page after `cursor_text` (None: from the start); `not_modified` for a 304.

        Raises CursorError for a cursor that is not one of ours.
        """
        latest, floor = self._counters()
        epoch, generation = self.epoch, terminal.feed_generation
        start = 0
        if cursor_text:
            cursor = Cursor.decode(cursor_text)
            if (
                cursor.epoch != epoch
                or cursor.generation != generation
                or cursor.seq > latest
                or 0 < cursor.seq < floor
            ):
                return self._build([], [], Cursor(epoch, generation, 0), more=True, resync=True)
            start = cursor.seq
        if start >= latest:
            page = self._build([], [], Cursor(epoch, generation, latest), more=False, resync=False)
            return _checked(page, if_none_match)
        centre = Point(terminal.latitude, terminal.longitude)
        # The box's corners hold changes outside the circle: read a little more than `limit`
        # so that a page is full when the area has enough.
        fetch = limit + limit // 4 + 8
        rows = self._scan(centre, terminal.radius_km, start, latest, fetch)
        chosen: list[tuple[int, str, str, str]] = []
        tombstones: list[dict[str, str]] = []
        last = start
        radius = terminal.radius_km
        unlocated = self._include_unlocated
        for seq, source, external_id, fmt, withdrawn, lat, lon, old_lat, old_lon in rows:
            if len(chosen) + len(tombstones) == limit:
                break
            last = seq
            if lat is None or lon is None:
                here = unlocated
            else:
                here = haversine_km(centre, lat, lon) <= radius
            if here and not withdrawn:
                chosen.append((seq, source, external_id, fmt))
            elif here or (
                old_lat is not None
                and old_lon is not None
                and haversine_km(centre, old_lat, old_lon) <= radius
            ):
                tombstones.append({"source": source, "id": external_id})
        records = self._records([item[0] for item in chosen])
        # A record missing here changed since the scan: its new version has a number after
        # `latest`, so the next page brings it.
        offers: list[dict[str, object]] = [
            {"source": source, "id": external_id, "format": fmt, "raw": Fragment(records[seq])}
            for seq, source, external_id, fmt in chosen
            if seq in records
        ]
        more = last != rows[-1][0] if rows else False
        more = more or len(rows) == fetch
        end = Cursor(epoch, generation, last if more else latest)
        return _checked(
            self._build(offers, tombstones, end, more=more, resync=False), if_none_match
        )

    def _scan(
        self, centre: Point, radius_km: float, start: int, latest: int, limit: int
    ) -> Sequence[Any]:
        south, north, west, east = bounding_box(centre, radius_km)
        places = [
            and_(
                OfferRecord.latitude.between(south, north),
                OfferRecord.longitude.between(west, east),
            ),
            and_(
                OfferRecord.old_latitude.between(south, north),
                OfferRecord.old_longitude.between(west, east),
            ),
        ]
        if self._include_unlocated:
            places.append(OfferRecord.latitude.is_(None))
        query = (
            select(
                OfferRecord.seq,
                OfferRecord.source,
                OfferRecord.external_id,
                OfferRecord.format,
                OfferRecord.withdrawn,
                OfferRecord.latitude,
                OfferRecord.longitude,
                OfferRecord.old_latitude,
                OfferRecord.old_longitude,
            )
            .where(OfferRecord.seq > start, OfferRecord.seq <= latest, or_(*places))
            .order_by(OfferRecord.seq)
            .limit(limit)
        )
        with self._db.read() as connection:
            return connection.execute(query).all()

    def _records(self, seqs: list[int]) -> dict[int, str]:
        """The raw records of these changes, from the cache or the database."""
        found = self._cache.get_many(seqs)
        missing = [seq for seq in seqs if seq not in found]
        for chunk in range(0, len(missing), 1000):
            with self._db.read() as connection:
                rows = connection.execute(
                    select(OfferRecord.seq, OfferRecord.raw).where(
                        OfferRecord.seq.in_(missing[chunk : chunk + 1000]),
                        OfferRecord.raw.is_not(None),
                    )
                ).all()
            fetched = {int(seq): raw for seq, raw in rows if raw is not None}
            self._cache.put_many(fetched)
            found |= fetched
        return found

    @staticmethod
    def _build(
        offers: list[dict[str, object]],
        tombstones: list[dict[str, str]],
        cursor: Cursor,
        *,
        more: bool,
        resync: bool,
    ) -> FeedPage:
        text = cursor.encode()
        body = orjson.dumps(
            {
                "offers": offers,
                "tombstones": tombstones,
                "cursor": text,
                "more": more,
                "resync": resync,
            }
        )
        return FeedPage(
            body=body,
            etag=etag_for(text, more),
            cursor=text,
            more=more,
            resync=resync,
            offers=len(offers),
            tombstones=len(tombstones),
        )
