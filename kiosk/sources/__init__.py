"""Offer sources read directly, without a hub: France Travail, JobPosting feeds, local files.

The hub's harvests (`hub.ingest`) use the same modules. A terminal's sync engine calls:

    due_sources(
        sources: Iterable[SourceSection], last_refresh: Mapping[str, float | None], now: float
    ) -> list[SourceSection]

    harvest_source(
        section: SourceSection, origin: Point, radius_km: float, session: requests.Session,
        clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
        *, now: datetime | None = None, endpoints: Endpoints = PRODUCTION,
    ) -> Iterator[Offer | Rejection]

and hands the records to `OfferStore.import_records(records, source=section.name,
full_refresh=True)`. Nothing happens until the first record is asked for; every failure is a
`SourceError` (`FranceTravailError`, `FeedError`) raised while iterating, whose message never
holds a secret, so an interrupted harvest never reaches the withdrawal of a full refresh.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

import requests

from kiosk.config import SourceSection
from kiosk.domain import Offer
from kiosk.formats import Rejection
from kiosk.geo import Point, haversine_km
from kiosk.sources.errors import SourceError
from kiosk.sources.francetravail import (
    PRODUCTION,
    Endpoints,
    FranceTravailClient,
    FranceTravailError,
    Harvester,
)
from kiosk.sources.jobposting import FeedError, decode_feed, parse_feed, read_feed

__all__ = [
    "HARVESTED_KINDS",
    "PRODUCTION",
    "Endpoints",
    "FeedError",
    "FranceTravailError",
    "SourceError",
    "due_sources",
    "harvest_source",
]

log = logging.getLogger("kiosk.sources")

HARVESTED_KINDS = frozenset({"francetravail", "jobposting", "file"})  # "hub" is the feed sync


def due_sources(
    sources: Iterable[SourceSection], last_refresh: Mapping[str, float | None], now: float
) -> list[SourceSection]:
    """The harvested sources whose `refresh_minutes` have passed since their last refresh
    (epoch seconds by name; None or absent: never), in configuration order."""
    due = []
    for section in sources:
        if section.kind not in HARVESTED_KINDS:
            continue
        last = last_refresh.get(section.name)
        if last is None or now - last >= section.refresh_minutes * 60:
            due.append(section)
    return due


def harvest_source(
    section: SourceSection,
    origin: Point,
    radius_km: float,
    session: requests.Session,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    *,
    now: datetime | None = None,
    endpoints: Endpoints = PRODUCTION,
) -> Iterator[Offer | Rejection]:
    """The records of one source that concern the terminal: rejections, offers within
    `radius_km` of `origin`, and offers without coordinates."""
    harvester: Harvester | None = None
    if section.kind == "francetravail":
        client = _client(section, session, endpoints, clock, sleep)
        harvester = Harvester(client)
        pages = harvester.offers(section.name, section.departements, now or datetime.now(UTC))
        records: Iterable[Offer | Rejection] = (record for page in pages for record in page)
    elif section.kind == "jobposting" and section.url is not None:
        records = read_feed(session, str(section.url), section.name)
    elif section.kind == "file" and section.path is not None:
        records = parse_feed(_read_file(section), section.name)
    else:
        raise SourceError(f"a {section.kind!r} source is not harvested directly")
    kept = rejected = distant = 0
    for record in records:
        if isinstance(record, Rejection):
            rejected += 1
        elif _beyond(record, origin, radius_km):
            distant += 1
            continue
        else:
            kept += 1
        yield record
    if harvester is not None and not harvester.complete:
        raise FranceTravailError("some offers were beyond the API's last index: none withdrawn")
    log.info(
        "source %s: %d offers, %d rejected, %d beyond %g km",
        section.name,
        kept,
        rejected,
        distant,
        radius_km,
    )


def _beyond(offer: Offer, origin: Point, radius_km: float) -> bool:
    """Whether the offer has a position, further than `radius_km` from `origin`."""
    if offer.latitude is None or offer.longitude is None:
        return False
    return haversine_km(origin, offer.latitude, offer.longitude) > radius_km


def _client(
    section: SourceSection,
    session: requests.Session,
    endpoints: Endpoints,
    clock: Callable[[], float],
    sleep: Callable[[float], None],
) -> FranceTravailClient:
    if not (section.client_id and section.client_secret):
        raise FranceTravailError("a 'francetravail' source needs 'client_id' and 'client_secret'")
    if not section.departements:
        raise FranceTravailError(
            "a terminal's 'francetravail' source needs 'departements': the API searches by"
            " département, not around a point"
        )
    return FranceTravailClient(
        session, section.client_id, section.client_secret, endpoints, clock=clock, sleep=sleep
    )


def _read_file(section: SourceSection) -> Any:
    assert section.path is not None
    try:
        content = section.path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{section.path}: cannot read: {exc.strerror}") from exc
    return decode_feed(content)
