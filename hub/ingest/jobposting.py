"""JobPosting feed harvests into the hub: the shared feed reader (`kiosk.sources`), upserted
as a complete listing."""

from __future__ import annotations

import logging

import requests

from hub.offers import IngestReport, OfferRepository
from hub.settings import SourceSection
from kiosk.sources.jobposting import read_feed

log = logging.getLogger("hub.ingest.jobposting")


def ingest_jobposting(
    section: SourceSection, offers: OfferRepository, session: requests.Session
) -> IngestReport:
    """Fetch the feed and upsert its postings; the feed is a complete listing, so postings
    it no longer lists are withdrawn."""
    assert section.url is not None
    records = read_feed(session, str(section.url), section.name)
    seen: dict[str, set[str]] = {}
    report = offers.upsert(records, source=section.name, seen=seen)
    report.requests = 1
    if seen.get(section.name):
        report.withdrawn += offers.withdraw_missing(section.name, seen[section.name])
    else:  # an empty listing is more likely a broken feed than no jobs at all
        report.complete = False
    log.info("JobPosting feed %s: %s", section.name, report.summary())
    return report
