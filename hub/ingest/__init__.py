"""Offers into the hub: uploaded files, JobPosting feeds and France Travail, all parsed by the
terminal's own parsers (`kiosk.formats`), so the hub and the terminals agree on every record."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import requests

from hub.logsafe import shown
from hub.offers import IngestReport, OfferRepository
from hub.settings import SourceSection
from kiosk.formats import parse_payload

log = logging.getLogger("hub.ingest")


def ingest_payload(
    offers: OfferRepository, data: Any, source: str | None = None, full_refresh: bool = False
) -> IngestReport:
    """Upsert the offers of a decoded payload (FormatError if it is no known format).

    With `full_refresh`, the payload is the complete listing of its sources: their offers it
    does not list are withdrawn.
    """
    # The hub keeps the raw record, its title, place and date: the card parse has them all and
    # accepts and refuses exactly the records the whole parse does (kiosk.formats.francetravail).
    records = parse_payload(data, source, cards=True)
    seen: dict[str, set[str]] = {}
    report = offers.upsert(records, source=source, seen=seen)
    if full_refresh:
        for name, ids in seen.items():
            report.withdrawn += offers.withdraw_missing(name, ids)
    return report


def ingest_source(
    section: SourceSection,
    offers: OfferRepository,
    session: requests.Session | None = None,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> IngestReport:
    """Harvest one configured source and record the outcome for operators.

    Errors of the source (network, refusals) are recorded and raised again.
    """
    from hub.ingest.francetravail import ingest_francetravail  # noqa: PLC0415
    from hub.ingest.jobposting import ingest_jobposting  # noqa: PLC0415

    http = session or requests.Session()
    try:
        if section.kind == "francetravail":
            report = ingest_francetravail(section, offers, http, clock=clock, sleep=sleep)
        else:
            report = ingest_jobposting(section, offers, http)
    except Exception as exc:
        offers.record_run(section.name, section.kind, None, f"{type(exc).__name__}: {exc}"[:500])
        log.error("source %s failed: %s", section.name, shown(exc, 500))  # a remote's words
        raise
    offers.record_run(section.name, section.kind, report, None)
    return report
