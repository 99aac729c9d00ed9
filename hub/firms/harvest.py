"""One harvest of La Bonne Boîte: every area × every trade, page by page (2 calls a second),
stored as it comes; recorded for operators. Only a complete harvest removes firms."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from hub import Clock
from hub.db import Database
from hub.firms.areas import Area, frequent_romes, terminal_areas
from hub.firms.client import LaBonneBoiteClient, QueryRefusedError
from hub.firms.store import FirmStore
from hub.settings import LaBonneBoiteSection
from kiosk.sources.francetravail import Endpoints, FranceTravailClient, FranceTravailError

log = logging.getLogger("hub.firms")

# Queries failing one after the other (after the client's own retries) before the harvest
# gives up: the API or the credentials are down, the next harvest will try again.
MAX_FAILURES_IN_A_ROW = 3


@dataclass
class HarvestReport:
    """What a harvest did (the fleet page shows the last one)."""

    run: int
    areas: int = 0
    queries: int = 0
    calls: int = 0
    found: int = 0  # distinct (SIRET, ROME)
    removed: int = 0
    skipped: int = 0  # items that were not a usable firm
    errors: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # 422: recorded, query skipped
    complete: bool = False

    def summary(self) -> str:
        """One line for the log and the command."""
        line = (
            f"{self.found} firms × trades from {self.queries} queries over {self.areas} areas "
            f"in {self.calls} requests; {self.removed} removed"
        )
        if self.refused:
            line += f"; {len(self.refused)} queries refused"
        if not self.complete:
            line += f" (incomplete: {len(self.errors)} errors, nothing removed)"
        return line


def plan(db: Database, section: LaBonneBoiteSection) -> list[tuple[Area, list[str]]]:
    """The areas to search and each one's trades."""
    planned = []
    for area in terminal_areas(db):
        romes = (
            list(section.romes)
            if isinstance(section.romes, list)
            else frequent_romes(db, area, section.auto_romes)
        )
        planned.append((area, romes))
    return planned


def harvest_firms(
    section: LaBonneBoiteSection,
    db: Database,
    clock: Clock = time.time,
    session: requests.Session | None = None,
    monotonic: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> HarvestReport:
    """Harvest every area × trade now; the report says what was found and removed."""
    api = FranceTravailClient(
        session or requests.Session(),
        section.client_id,
        section.client_secret,
        Endpoints(str(section.api_url), str(section.token_url), section.scope),
        per_second=section.requests_per_s,
        clock=monotonic,
        sleep=sleep,
    )
    client = LaBonneBoiteClient(api)
    store = FirmStore(db, clock)
    planned = plan(db, section)
    report = HarvestReport(run=store.start_run(), areas=len(planned))
    seen: set[tuple[str, str]] = set()
    refused_romes: set[str] = set()
    failures = 0
    try:
        for area, romes in planned:
            for rome in romes:
                if failures >= MAX_FAILURES_IN_A_ROW:
                    raise FranceTravailError(f"gave up after {failures} failed queries in a row")
                report.queries += 1
                try:
                    for page in client.walk(
                        rome, area.latitude, area.longitude, area.radius_km, section.max_pages
                    ):
                        store.upsert(report.run, page.firms)
                        seen.update((firm.siret, firm.rome) for firm in page.firms)
                        report.skipped += page.skipped
                    failures = 0
                except QueryRefusedError as exc:
                    log.warning("La Bonne Boîte refused a query: %s", exc)
                    report.refused.append(str(exc))
                    refused_romes.add(rome)
                except FranceTravailError as exc:
                    log.warning("La Bonne Boîte query for %s failed: %s", rome, exc)
                    report.errors.append(f"rome {rome}: {exc}")
                    failures += 1
        report.complete = not report.errors
    except FranceTravailError as exc:
        report.errors.append(str(exc))
    except Exception as exc:  # recorded, then raised: the run row never stays open
        report.errors.append(f"internal error: {type(exc).__name__}")
        raise
    finally:
        report.calls = client.requests
        report.found = len(seen)
        report.removed = store.finish_run(
            report.run,
            complete=report.complete,
            queries=report.queries,
            calls=report.calls,
            found=report.found,
            errors=report.errors + report.refused,
            kept_romes=refused_romes,
        )
    log.info("La Bonne Boîte harvest %d: %s", report.run, report.summary())
    return report
