"""A small HTTP client of the hub's terminal API (docs/protocol.md)."""

from __future__ import annotations

import base64
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import orjson
import requests

from kiosk.offline.outbox import OutboxItem
from kiosk.sync.retry import parse_retry_after

TIMEOUT_S = (5.0, 30.0)  # connect, read (between two bytes)
REQUEST_DEADLINE_S = 120.0  # the whole answer (a feed page of 1,000 offers is ~2.5 MB)
CHUNK_BYTES = 64 * 1024
# Refusals a retry can fix: the token may be re-enrolled, the hub may come back.
_RETRY_4XX = frozenset({408, 429})


class HubError(Exception):
    """The hub could not be reached or answered something unusable (a retry may work);
    `retry_after_s` when the hub said how long to wait (429, 503 with `Retry-After`)."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class UnauthorisedError(HubError):
    """The hub refused the terminal's token (401): an operator must re-enrol it."""


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One page of the offers feed."""

    offers: list[dict[str, Any]]
    tombstones: list[dict[str, Any]]
    cursor: str
    more: bool
    resync: bool
    etag: str | None


@dataclass(frozen=True, slots=True)
class RawFeedPage:
    """A feed page as it came, with what its headers say before the body is decoded."""

    content: bytes
    etag: str | None
    cursor: str | None  # Feed-Cursor (None from a hub that does not send it)
    more: bool | None  # Feed-More


def decode_feed_page(raw: RawFeedPage) -> FeedPage:
    """The page's JSON, checked against the protocol (HubError if it is not)."""
    try:
        body = orjson.loads(raw.content)
        return FeedPage(
            offers=list(body["offers"]),
            tombstones=list(body["tombstones"]),
            cursor=str(body["cursor"]),
            more=bool(body["more"]),
            resync=bool(body.get("resync", False)),
            etag=raw.etag,
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
        raise HubError("feed: the page is not what the protocol says") from exc


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of one delivery attempt."""

    outcome: Literal["delivered", "retry", "park", "reauth"]
    status: int | None = None
    retry_after_s: float | None = None
    reason: str = ""


def _error_code(response: requests.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return "unknown"
    return str(body.get("error", "unknown")) if isinstance(body, dict) else "unknown"


def _is_receipt(response: requests.Response, application_id: str) -> bool:
    """Whether the answer is the hub's receipt for this application (docs/protocol.md)."""
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and str(body.get("application_id")).lower() == application_id


def _refusal(what: str, response: requests.Response) -> HubError:
    after = parse_retry_after(response.headers.get("Retry-After"), time.time())
    return HubError(f"{what}: HTTP {response.status_code} {_error_code(response)}", after)


def _iso(ts: float) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class HubClient:
    """Talks to one hub with one terminal token (sent only in the Authorization header)."""

    def __init__(
        self, url: str, token: str, session: requests.Session | None = None, timeout: Any = None
    ) -> None:
        self.url = url.rstrip("/")
        self._session = session or requests.Session()
        self._session.headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout or TIMEOUT_S

    def close(self) -> None:
        """Release the connections."""
        self._session.close()

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One request whose answer must arrive whole within `REQUEST_DEADLINE_S`: the read
        timeout alone lets a server that drips a byte now and then hold a round forever."""
        deadline = time.monotonic() + REQUEST_DEADLINE_S
        try:
            response = self._session.request(
                method,
                self.url + path,
                timeout=self._timeout,
                allow_redirects=False,
                stream=True,
                **kwargs,
            )
            chunks = []
            for chunk in response.iter_content(CHUNK_BYTES):
                chunks.append(chunk)
                if time.monotonic() > deadline:
                    response.close()
                    raise HubError(
                        f"network: {method} {path}: no whole answer in {REQUEST_DEADLINE_S:.0f} s"
                    )
            # Read whole (the connection is back in the pool): requests keeps a body it read
            # itself in `_content`, which .content and .json() return.
            response._content = b"".join(chunks)
            return response
        except requests.RequestException as exc:
            raise HubError(f"network: {method} {path}: {type(exc).__name__}") from exc

    def get_feed_raw(
        self, cursor: str | None, etag: str | None, limit: int = 500
    ) -> RawFeedPage | None:
        """The next page after `cursor`, undecoded, or None when the hub answers 304."""
        params: dict[str, Any] = {"limit": limit}
        if cursor:
            params["cursor"] = cursor
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/v1/feed", params=params, headers=headers)
        if response.status_code == 304:
            return None
        if response.status_code == 401:
            raise UnauthorisedError("the hub refused the terminal's token (401)")
        if response.status_code != 200:
            raise _refusal("feed", response)
        more = response.headers.get("Feed-More")
        return RawFeedPage(
            response.content,
            response.headers.get("ETag"),
            response.headers.get("Feed-Cursor"),
            None if more is None else more == "true",
        )

    def get_services(self, etag: str | None) -> tuple[Any, str | None] | None:
        """The services corner's list (decoded JSON) and its ETag; None when the hub answers
        304 (the list held is current). A hub older than the services corner answers 404:
        HubError "services: HTTP 404 …"."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/v1/services", headers=headers)
        if response.status_code == 304:
            return None
        if response.status_code == 401:
            raise UnauthorisedError("the hub refused the terminal's token (401)")
        if response.status_code != 200:
            raise _refusal("services", response)
        try:
            return orjson.loads(response.content), response.headers.get("ETag")
        except orjson.JSONDecodeError as exc:
            raise HubError("services: the answer is not JSON") from exc

    def get_firms(self, etag: str | None) -> tuple[Any, str | None] | None:
        """The firms that hire near the terminal (decoded JSON) and their ETag; None when the
        hub answers 304 (the list held is current). A hub older than the firms answers 404:
        HubError "firms: HTTP 404 …"."""
        headers = {"If-None-Match": etag} if etag else {}
        response = self._request("GET", "/v1/firms", headers=headers)
        if response.status_code == 304:
            return None
        if response.status_code == 401:
            raise UnauthorisedError("the hub refused the terminal's token (401)")
        if response.status_code != 200:
            raise _refusal("firms", response)
        try:
            return orjson.loads(response.content), response.headers.get("ETag")
        except orjson.JSONDecodeError as exc:
            raise HubError("firms: the answer is not JSON") from exc

    def put_application(self, item: OutboxItem, terminal_id: str, now: float) -> Delivery:
        """Deliver one sealed application (idempotent by its UUID)."""
        body = {
            "sealed": base64.b64encode(item.sealed).decode("ascii"),
            "offer_source": item.offer_source,
            "offer_id": item.offer_id,
            "terminal_id": terminal_id,
            "created_at": _iso(item.created_ts),
        }
        try:
            response = self._request(
                "PUT",
                f"/v1/applications/{item.id}",
                json=body,
                headers={"Idempotency-Key": item.id},
            )
        except HubError as exc:
            return Delivery("retry", reason=str(exc))
        status = response.status_code
        if status in (200, 201):
            if not _is_receipt(response, item.id):
                # Not the hub's answer (a captive portal, a proxy's page): the application
                # may not have arrived, so it stays queued. No status: the round stops.
                return Delivery("retry", reason=f"network: HTTP {status} without a receipt")
            return Delivery("delivered", status)
        if status == 401:
            return Delivery("reauth", status, reason="unauthorised")
        if status >= 500 or status in _RETRY_4XX:
            after = parse_retry_after(response.headers.get("Retry-After"), now)
            return Delivery("retry", status, after, f"HTTP {status} {_error_code(response)}")
        return Delivery("park", status, reason=f"HTTP {status} {_error_code(response)}")

    def heartbeat(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """Report health; the configuration pushed by operators, or None."""
        response = self._request("POST", "/v1/heartbeat", json=body)
        if response.status_code == 401:
            raise UnauthorisedError("the hub refused the terminal's token (401)")
        if response.status_code != 200:
            raise _refusal("heartbeat", response)
        try:
            config = response.json().get("config")
        except (ValueError, AttributeError) as exc:
            raise HubError("heartbeat: the answer is not JSON") from exc
        return config if isinstance(config, dict) else None
