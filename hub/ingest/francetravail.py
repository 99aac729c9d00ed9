"""France Travail harvests into the hub: the shared client and harvester (`kiosk.sources`) over
the source's départements, upserted page by page; only a complete harvest withdraws."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime

import requests

from hub.offers import IngestReport, OfferRepository
from hub.settings import SourceSection
from kiosk.sources.francetravail import Endpoints, FranceTravailClient, Harvester

log = logging.getLogger("hub.ingest.francetravail")


def ingest_francetravail(
    section: SourceSection,
    offers: OfferRepository,
    session: requests.Session,
    now: datetime | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> IngestReport:
    """Harvest the source's départements over its last `max_age_days`, and withdraw what a
    complete harvest no longer lists."""
    assert section.client_id and section.client_secret
    client = FranceTravailClient(
        session,
        section.client_id,
        section.client_secret,
        Endpoints(str(section.api_url), str(section.token_url), section.scope),
        per_second=section.requests_per_s,
        clock=clock,
        sleep=sleep,
    )
    harvester = Harvester(client, section.max_index)
    report = IngestReport()
    seen: dict[str, set[str]] = {}
    pages = harvester.offers(
        section.name, section.departements, now or datetime.now(UTC), section.max_age_days
    )
    for page in pages:
        report.add(offers.upsert(page, source=section.name, seen=seen))
    report.complete = harvester.complete
    report.requests = client.requests
    if report.complete:
        report.withdrawn += offers.withdraw_missing(section.name, seen.get(section.name, set()))
    log.info(
        "France Travail %s: %s in %d requests", section.name, report.summary(), client.requests
    )
    return report
