"""The firms' step of a sync round: after the services corner, ask the hub for the firms that
hire near here with the ETag held; a new list replaces the cached one whole, and a bad answer
leaves it as it was (docs/protocol.md, "Firms that hire near here")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.offline.firms import FirmsCache, FirmsFormatError, FirmsList, digest, parse_firms
from kiosk.sync.hub import HubClient, HubError, UnauthorisedError

log = logging.getLogger("kiosk.sync")

# What a terminal that never had a list shows: nothing, and no spontaneous application.
_NOTHING = digest(FirmsList(spontaneous=False, firms=[]))


@dataclass(frozen=True, slots=True)
class FirmsPull:
    """What one firms step did."""

    changed: bool = False
    firms: int = 0
    rejected: int = 0
    error: str | None = None  # for the round's report: the firms are public, nothing personal
    retry_after_s: float | None = None  # the wait the hub asked for with its refusal


class FirmsStep:
    """Keeps the cached firms in step with the hub's."""

    def __init__(self, cache: FirmsCache, on_change: Callable[[], None] = lambda: None):
        self._cache = cache
        self._on_change = on_change
        self._old_hub_said = False

    def run(self, client: HubClient) -> FirmsPull:
        """One request: 304 keeps the list; 200 replaces it; a hub without firms (404) leaves
        it as it is. UnauthorisedError goes up like the other steps'."""
        try:
            answer = client.get_firms(self._cache.etag())
        except UnauthorisedError:
            raise
        except HubError as exc:
            if "HTTP 404" in str(exc):
                if not self._old_hub_said:
                    log.info("the hub has no firms near here (an older hub): the list is kept")
                    self._old_hub_said = True
                return FirmsPull()
            return FirmsPull(error=str(exc), retry_after_s=exc.retry_after_s)
        if answer is None:
            return FirmsPull()
        body, etag = answer
        try:
            firms, rejected = parse_firms(body)
        except FirmsFormatError as exc:
            return FirmsPull(error=f"firms: {exc}")
        if rejected:
            log.warning("firms: %d firms of the hub's list left out (not valid)", rejected)
        changed = digest(firms) != (self._cache.digest() or _NOTHING)
        self._cache.replace(firms, etag)
        if not changed:  # the same list under a new ETag (a first sync, an area change)
            return FirmsPull(firms=len(firms.firms), rejected=rejected)
        log.info(
            "firms near here: %d firms from the hub (spontaneous applications %s)",
            len(firms.firms),
            "taken" if firms.spontaneous else "not taken",
        )
        self._on_change()
        return FirmsPull(changed=True, firms=len(firms.firms), rejected=rejected)
