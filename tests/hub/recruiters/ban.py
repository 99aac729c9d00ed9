"""A stand-in for the Base Adresse Nationale's search API on 127.0.0.1: the same request
(`GET /search/?q=…&limit=1`) and the same GeoJSON answer, for a few invented addresses."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from kiosk.text import fold


@dataclass(frozen=True, slots=True)
class Address:
    """One address the stand-in knows, as the BAN describes it."""

    label: str
    kind: str  # housenumber | street | municipality
    name: str
    postcode: str
    citycode: str
    city: str
    latitude: float
    longitude: float
    score: float = 0.92


# Near the Paris test terminal (Gare de Lyon, radius 30 km), and one in Lyon.
RUE_DE_LYON = Address(
    "12 Rue de Lyon 75012 Paris", "housenumber", "12 Rue de Lyon", "75012", "75112", "Paris",
    48.8478, 2.3713,
)  # fmt: skip
MONTREUIL = Address(
    "Montreuil", "municipality", "Montreuil", "93100", "93048", "Montreuil", 48.8634, 2.4484, 0.96
)
LYON_PART_DIEU = Address(
    "5 Place Charles Béraudier 69003 Lyon", "housenumber", "5 Place Charles Béraudier", "69003",
    "69383", "Lyon", 45.7606, 4.8593,
)  # fmt: skip
VAGUE = Address(
    "Rue du Moulin 27370 Le Bosc du Theil", "street", "Rue du Moulin", "27370", "27157",
    "Le Bosc du Theil", 49.2244, 0.8611, 0.31,
)  # fmt: skip
KNOWN = {
    "12 rue de lyon paris": RUE_DE_LYON,
    "montreuil": MONTREUIL,
    "5 place charles beraudier lyon": LYON_PART_DIEU,
    "rue du moulin": VAGUE,
}


@dataclass
class StandIn:
    """The running stand-in: its URL, what it was asked, and whether it answers."""

    url: str
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    status: int = 200  # what it answers; 503: the service is down


def _feature(address: Address) -> dict[str, Any]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [address.longitude, address.latitude]},
        "properties": {
            "label": address.label,
            "score": address.score,
            "id": f"{address.citycode}_test",
            "name": address.name,
            "postcode": address.postcode,
            "citycode": address.citycode,
            "x": 652089.7,
            "y": 6862305.26,
            "city": address.city,
            "context": f"{address.postcode[:2]}, Test, Test",
            "type": address.kind,
            "importance": 0.6,
        },
    }


@contextmanager
def ban_stand_in() -> Iterator[StandIn]:
    """Serve the stand-in on a free port of 127.0.0.1 for the length of the block."""
    stand_in = StandIn("")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            stand_in.queries.append(query)
            if parts.path != "/search/":
                self._answer(404, {"code": 404, "message": "not found"})
            elif stand_in.status != 200:
                self._answer(stand_in.status, {"code": stand_in.status, "message": "down"})
            elif len(query.get("q", [""])[0].strip()) < 3:
                self._answer(
                    400,
                    {
                        "code": 400,
                        "detail": [
                            "q: must contain between 3 and 200 chars "
                            "and start by a number or a letter"
                        ],
                    },
                )
            else:
                found = KNOWN.get(fold(query["q"][0]))
                features = [_feature(found)] if found else []
                body = {
                    "type": "FeatureCollection",
                    "version": "draft",
                    "features": features[: int(query.get("limit", ["5"])[0])],
                    "attribution": "BAN",
                    "licence": "ETALAB-2.0",
                    "query": query["q"][0],
                    "limit": 1,
                }
                self._answer(200, body)

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    stand_in.url = f"http://127.0.0.1:{server.server_address[1]}/search/"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield stand_in
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
