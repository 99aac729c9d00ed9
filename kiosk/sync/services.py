"""The services corner's step of a sync round: after the feed, ask the hub for the list with
the ETag held; a new list replaces the cached one whole (docs/protocol.md, "Services")."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from kiosk.offline.services import ServicesCache, ServicesFormatError, parse_services
from kiosk.sync.hub import HubClient, HubError, UnauthorisedError

log = logging.getLogger("kiosk.sync")


@dataclass(frozen=True, slots=True)
class ServicesPull:
    """What one services step did."""

    changed: bool = False
    entries: int = 0
    rejected: int = 0
    error: str | None = None  # for the round's report (never personal data: there is none)
    retry_after_s: float | None = None  # the wait the hub asked for with its refusal


class ServicesStep:
    """Keeps the cached services corner in step with the hub's."""

    def __init__(self, cache: ServicesCache, on_change: Callable[[], None] = lambda: None):
        self._cache = cache
        self._on_change = on_change
        self._old_hub_said = False

    def run(self, client: HubClient) -> ServicesPull:
        """One request: 304 keeps the list; 200 replaces it; a hub without the services corner
        (404) leaves it as it is. UnauthorisedError goes up like the other steps'."""
        try:
            answer = client.get_services(self._cache.etag())
        except UnauthorisedError:
            raise
        except HubError as exc:
            if "HTTP 404" in str(exc):
                if not self._old_hub_said:
                    log.info("the hub has no services corner (an older hub): the list is kept")
                    self._old_hub_said = True
                return ServicesPull()
            return ServicesPull(error=str(exc), retry_after_s=exc.retry_after_s)
        if answer is None:
            return ServicesPull()
        body, etag = answer
        try:
            entries, rejected = parse_services(body)
        except ServicesFormatError as exc:
            return ServicesPull(error=f"services: {exc}")
        if rejected:
            log.warning("services: %d entries of the hub's list left out (not valid)", rejected)
        changed = entries != self._cache.entries()
        self._cache.replace(entries, etag)
        if not changed:  # the same list under a new ETag (a first sync, an area change)
            return ServicesPull(entries=len(entries), rejected=rejected)
        log.info("services corner: %d services from the hub", len(entries))
        self._on_change()
        return ServicesPull(changed=True, entries=len(entries), rejected=rejected)
