"""A scriptable HTTP server on 127.0.0.1 for outgoing calls (webhook, France Travail,
JobPosting feeds): each request is recorded and answered by a handler function. Also a fake
France Travail API on top of it, with a fake clock, for the hub's and the terminal's harvests."""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import orjson

from kiosk.domain import Offer
from kiosk.formats import parse_payload

FT_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "francetravail" / "search_page.json"
FT_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)  # "now" of the fake API's offers
_DATE = "%Y-%m-%dT%H:%M:%SZ"


@dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Reply:
    """What the server answers."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Reply]


@dataclass
class FakeServer:
    """The running server: its base URL and the requests so far."""

    url: str
    requests: list[Request]


@contextmanager
def fake_server(handler: Handler) -> Iterator[FakeServer]:
    """Serve `handler` on a free port for the duration of the block."""
    received: list[Request] = []

    class _Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            parts = urlsplit(self.path)
            request = Request(
                self.command,
                parts.path,
                {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()},
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
            received.append(request)
            reply = handler(request)
            self.send_response(reply.status)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.body:
                self.wfile.write(reply.body)

        do_GET = do_POST = do_PUT = _serve  # noqa: N815

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    try:
        yield FakeServer(f"http://127.0.0.1:{server.server_address[1]}", received)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


class FakeTime:
    """Monotonic time whose sleep moves it forward at once."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def ft_offers(departement: str, count: int) -> list[dict[str, Any]]:
    """`count` real-shaped offers near Nantes created over the 30 days before FT_NOW, newest
    first."""
    records = orjson.loads(FT_FIXTURE.read_bytes())["resultats"]
    parsed = parse_payload({"resultats": records})
    good = {o.external_id for o in parsed if isinstance(o, Offer)}
    templates = [r for r in records if isinstance(r, dict) and r.get("id") in good]
    offers = []
    for i in range(count):
        record = copy.deepcopy(templates[i % len(templates)])
        record["id"] = f"{departement}{i:05d}"
        created = FT_NOW - timedelta(minutes=int(i * 30 * 24 * 60 / max(count, 1)) + 1)
        record["dateCreation"] = created.strftime("%Y-%m-%dT%H:%M:%S.000Z")
        record["lieuTravail"] = {
            "libelle": f"{departement} - Ville",
            "latitude": 47.2,
            "longitude": -1.55,
        }
        offers.append(record)
    return offers


@dataclass
class FakeFranceTravail:
    """The API's behaviour, as documented and observed (design/francetravail-api.md §1–3)."""

    time: FakeTime
    offers: dict[str, list[dict[str, Any]]]
    max_index: int = 299
    throttle_on: set[int] = field(default_factory=set)  # search calls answered 429
    retry_after: str = "3"
    expire_on: set[int] = field(default_factory=set)  # search calls answered 401
    expires_in: int = 1499
    tokens: list[str] = field(default_factory=list)
    token_times: list[float] = field(default_factory=list)
    searches: list[tuple[float, dict[str, str]]] = field(default_factory=list)
    refused: int = 0  # searches answered 401

    def __call__(self, request: Request) -> Reply:
        if request.path == "/token":
            form = {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}
            if form.get("client_secret") != "secret" or form.get("grant_type") != (
                "client_credentials"
            ):
                return ft_json(400, {"error": "invalid_client"})
            self.tokens.append(f"token-{len(self.tokens) + 1}")
            self.token_times.append(self.time())
            return ft_json(
                200,
                {
                    "access_token": self.tokens[-1],
                    "expires_in": self.expires_in,
                    "token_type": "Bearer",
                    "scope": form.get("scope"),
                },
            )
        if request.path != "/v2/offres/search":
            return Reply(404)
        self.searches.append((self.time(), request.query))
        call = len(self.searches)
        if call in self.throttle_on:
            return Reply(
                429,
                b"Too Many Requests",
                {"Retry-After": self.retry_after, "Content-Type": "text/plain"},
            )
        if call in self.expire_on or request.headers.get("authorization") != (
            f"Bearer {self.tokens[-1]}"
        ):
            self.refused += 1
            return Reply(401)
        return self._search(request.query)

    def _search(self, query: dict[str, str]) -> Reply:
        first, last = (int(x) for x in query["range"].split("-"))
        if first > self.max_index - 149 or last > self.max_index or last - first >= 150:
            return ft_json(
                400,
                {
                    "message": "La plage de résultats demandée est trop importante.",
                    "codeHttp": 400,
                    "codeErreur": "1722445850117",
                },
            )
        low = datetime.strptime(query["minCreationDate"], _DATE).replace(tzinfo=UTC)
        high = datetime.strptime(query["maxCreationDate"], _DATE).replace(tzinfo=UTC)
        matching = [
            o
            for o in self.offers.get(query.get("departement", ""), [])
            if low <= datetime.fromisoformat(o["dateCreation"].replace("Z", "+00:00")) <= high
        ]
        total = len(matching)
        if total == 0:
            return Reply(204, headers={"Content-Range": "*/0"})
        page = matching[first : last + 1]
        end = first + len(page) - 1
        status = 200 if end >= total - 1 else 206
        return ft_json(
            status,
            {"resultats": page, "filtresPossibles": []},
            {"Content-Range": f"offres {first}-{end}/{total}", "Accept-Range": "150"},
        )


def ft_json(status: int, body: Any, headers: dict[str, str] | None = None) -> Reply:
    """A JSON answer."""
    return Reply(status, orjson.dumps(body), {"Content-Type": "application/json"} | (headers or {}))
