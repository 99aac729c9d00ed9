"""France Travail "Offres d'emploi v2" search: OAuth2 client credentials, range paging
(206/200/204 with Content-Range), date windows split under the index ceiling, at most a few
requests per second, and Retry-After on 429. The offers go through the terminal's parser."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests

from kiosk.domain import Offer
from kiosk.formats import Rejection, parse_payload
from kiosk.sources.errors import SourceError
from kiosk.sync.retry import parse_retry_after

log = logging.getLogger("kiosk.sources")

API_URL = "https://api.francetravail.io/partenaire/offresdemploi/v2"
TOKEN_URL = "https://entreprise.francetravail.fr/connexion/oauth2/access_token?realm=%2Fpartenaire"  # noqa: S105
SCOPE = "api_offresdemploiv2 o2dsoffre"
PAGE_SIZE = 150  # the API's largest range
MAX_INDEX = 3149  # the API's last reachable index (design/francetravail-api.md §3)
MAX_AGE_DAYS = 31  # offers created within this many days are harvested
MIN_WINDOW = timedelta(hours=1)  # below this a window is not split further
MAX_RETRIES = 5
MAX_WAIT_S = 300.0  # a longer Retry-After fails the harvest rather than stalling its thread
TOKEN_MARGIN_S = 60.0  # a token this close to its expiry is renewed first
TIMEOUT = (10.0, 60.0)  # connect, read
_CONTENT_RANGE = re.compile(r"^\s*(?:\w+\s+)?(?:(\d+)-(\d+)|\*)/(\d+)\s*$")
_DATE = "%Y-%m-%dT%H:%M:%SZ"  # the API refuses milliseconds
_ACCEPT_JSON = {"Accept": "application/json"}


class FranceTravailError(SourceError):
    """The API could not be used; the message says why (never a secret)."""


@dataclass(frozen=True, slots=True)
class Endpoints:
    """Where the API and its token service are, and the scope asked for."""

    api_url: str = API_URL
    token_url: str = TOKEN_URL
    scope: str = SCOPE


PRODUCTION = Endpoints()


@dataclass(frozen=True, slots=True)
class ContentRange:
    """`offres 0-149/15262`: first and last index returned, and the total."""

    first: int | None
    last: int | None
    total: int


def parse_content_range(header: str | None) -> ContentRange | None:
    """The Content-Range of a search answer (`offres p-d/t` or `*/0`), or None."""
    if not header:
        return None
    match = _CONTENT_RANGE.match(header)
    if match is None:
        return None
    first, last, total = match.groups()
    return ContentRange(
        int(first) if first is not None else None,
        int(last) if last is not None else None,
        int(total),
    )


@dataclass(frozen=True, slots=True)
class SearchPage:
    """One answer of `/offres/search`."""

    status: int  # 200 last page, 206 more to come, 204 nothing
    records: list[Any]
    range: ContentRange | None


class RateLimiter:
    """At most `per_second` calls per second, spaced evenly (injectable clock and sleeper)."""

    def __init__(
        self,
        per_second: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._interval = 1.0 / per_second
        self._clock = clock
        self._sleep = sleep
        self._next = 0.0

    def wait(self) -> None:
        """Return when the next call may start."""
        now = self._clock()
        if now < self._next:
            self._sleep(self._next - now)
            now = self._next
        self._next = now + self._interval


class FranceTravailClient:
    """France Travail's APIs (the offers search here, La Bonne Boîte in hub/firms/) with a
    client-credentials token refreshed before it expires, at most `per_second` calls."""

    def __init__(
        self,
        session: requests.Session,
        client_id: str,
        client_secret: str,
        endpoints: Endpoints = PRODUCTION,
        per_second: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_wait_s: float = MAX_WAIT_S,
    ) -> None:
        self._session = session
        self._client_id = client_id
        self._client_secret = client_secret
        self._api_url = endpoints.api_url.rstrip("/")
        self._token_url = endpoints.token_url
        self._scope = endpoints.scope
        self._clock = clock
        self._sleep = sleep
        self._max_wait_s = max_wait_s
        self._limiter = RateLimiter(per_second, clock, sleep)
        self._token: str | None = None
        self._token_expires = 0.0
        self.requests = 0

    def _error(self, message: str) -> FranceTravailError:
        """An error whose message holds neither the secret nor the token, whatever was echoed."""
        for secret in (self._client_secret, self._token):
            if secret:
                message = message.replace(secret, "***")
        return FranceTravailError(message[:300])

    def _access_token(self, force: bool = False) -> str:
        fresh = self._clock() < self._token_expires - TOKEN_MARGIN_S
        if not force and self._token is not None and fresh:
            return self._token
        form = {
            "grant_type": "client_credentials",
            "client_id": self._client_id,
            "client_secret": self._client_secret,
            "scope": self._scope,
        }
        response = self._retrying(
            "token request",
            lambda: self._send("POST", self._token_url, data=form, headers=_ACCEPT_JSON),
        )
        body = _json(response)
        if response.status_code != 200 or not isinstance(body.get("access_token"), str):
            reason = body.get("error") or f"HTTP {response.status_code}"
            raise self._error(f"token request refused: {reason}")
        expires_in = body.get("expires_in")
        lifetime = float(expires_in) if isinstance(expires_in, int | float) else 1499.0
        self._token = body["access_token"]
        self._token_expires = self._clock() + lifetime
        log.info("France Travail access token obtained (valid %d s)", int(lifetime))
        return self._token

    def get(self, path: str, params: dict[str, str]) -> requests.Response:
        """GET `path` of the API with the token, within the rate: a 401 fetches a new token
        once, 429, 5xx and broken connections are retried as `_retrying` says. Any other
        answer is returned as it is (the offers' 206/204, La Bonne Boîte's 422…) for the
        caller to read."""
        refreshed = False
        while True:
            response = self._retrying(
                "search",
                lambda: self._send(
                    "GET",
                    f"{self._api_url}{path}",
                    params=params,
                    # The token is checked before each attempt (a long wait may outlive it).
                    headers=_ACCEPT_JSON | {"Authorization": f"Bearer {self._access_token()}"},
                ),
            )
            if response.status_code == 401 and not refreshed:
                refreshed = True
                self._access_token(force=True)
                continue
            return response

    def _send(self, method: str, url: str, **arguments: Any) -> requests.Response:
        """One request, within the rate and counted."""
        self._limiter.wait()
        self.requests += 1
        return self._session.request(method, url, timeout=TIMEOUT, **arguments)

    def _retrying(self, what: str, attempt: Callable[[], requests.Response]) -> requests.Response:
        """`attempt()` until it is answered with neither 429 nor 5xx: a 429 waits its
        Retry-After (at least 1 s; one longer than `max_wait_s` fails at once), a 5xx or a
        broken connection is retried with backoff, MAX_RETRIES times at most. Shared by the
        token and the data calls."""
        failures = 0
        while True:
            try:
                response = attempt()
            except requests.RequestException as exc:
                failures += 1
                if failures > MAX_RETRIES:
                    raise self._error(f"{what} failed: {type(exc).__name__}") from exc
                self._sleep(min(60.0, 2.0**failures))
                continue
            status = response.status_code
            if status != 429 and status < 500:
                return response
            failures += 1
            if failures > MAX_RETRIES:
                raise self._error(f"{what} failed: HTTP {status} {failures} times")
            wait = parse_retry_after(response.headers.get("Retry-After"), time.time())
            if wait is not None and wait > self._max_wait_s:
                raise self._error(f"{what} refused ({status}): retry after {wait:.0f} s")
            delay = max(wait or 0.0, 1.0 if status == 429 else min(60.0, 2.0**failures))
            log.warning(
                "France Travail answered %d to a %s; retrying in %.1f s", status, what, delay
            )
            self._sleep(delay)

    def search(self, params: dict[str, str], first: int, last: int) -> SearchPage:
        """One page of `/offres/search` for `range=first-last`."""
        response = self.get("/offres/search", params | {"range": f"{first}-{last}"})
        status = response.status_code
        content_range = parse_content_range(response.headers.get("Content-Range"))
        if status == 204:
            return SearchPage(204, [], content_range)
        if status not in (200, 206):
            message = _json(response).get("message") or f"HTTP {status}"
            raise self._error(f"search refused ({status}): {message}")
        records = _json(response).get("resultats")
        if not isinstance(records, list):
            raise self._error("search answer has no 'resultats' array")
        return SearchPage(status, records, content_range)


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class Harvester:
    """Walks date windows × départements under the API's index ceiling."""

    def __init__(self, client: FranceTravailClient, max_index: int = MAX_INDEX) -> None:
        self._client = client
        self._max_index = max_index
        self.complete = True  # False once a window could not be read to its end

    def offers(
        self,
        source: str,
        departements: Sequence[str],
        now: datetime,
        max_age_days: int = MAX_AGE_DAYS,
    ) -> Iterator[list[Offer | Rejection]]:
        """The parsed records of each page of offers created in the last `max_age_days`,
        département by département (all of France when none is given)."""
        end = now.replace(microsecond=0)
        start = end - timedelta(days=max_age_days)
        areas: list[str | None] = [*departements] or [None]
        for departement in areas:
            params = {"departement": departement} if departement else {}
            for records in self.window(params, start, end):
                yield list(parse_payload({"resultats": records}, source, cards=True))

    def window(self, params: dict[str, str], start: datetime, end: datetime) -> Iterator[list[Any]]:
        """The pages of offers created in [start, end], split while over the ceiling."""
        query = params | {
            "minCreationDate": start.strftime(_DATE),
            "maxCreationDate": end.strftime(_DATE),
            "sort": "1",
        }
        page = self._client.search(query, 0, min(PAGE_SIZE, self._max_index + 1) - 1)
        if page.status == 204:
            return
        total = page.range.total if page.range else len(page.records)
        if total > self._max_index + 1:
            if end - start > MIN_WINDOW:
                middle = start + (end - start) / 2
                middle = middle.replace(microsecond=0)
                log.info("%d offers in one window: splitting it in two", total)
                yield from self.window(params, start, middle)
                yield from self.window(params, middle, end)
                return
            log.warning(
                "%d offers created within %s: only the first %d are reachable",
                total,
                MIN_WINDOW,
                self._max_index + 1,
            )
            self.complete = False
        yield page.records
        position = page.range.last + 1 if page.range and page.range.last is not None else total
        while page.status == 206 and position < total and position <= self._max_index:
            last = min(position + PAGE_SIZE - 1, self._max_index, total - 1)
            page = self._client.search(query, position, last)
            if page.status == 204:
                break
            yield page.records
            if page.range is None or page.range.last is None:
                break
            position = page.range.last + 1
