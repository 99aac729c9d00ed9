"""A local stand-in for La Bonne Boîte v2 (France Travail's API of firms ranked by hiring
potential), on the scriptable server of tests/hub/fakes.py, with a fake clock: the token
service, `GET /v2/recherche` with its paging and 422s, and scripted 401, 429 and 5xx (429 on
the token service too)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from kiosk.geo import Point, haversine_km
from tests.hub.fakes import FakeTime, Reply, Request, ft_json

SCOPE = "api_labonneboitev2 search office"


def lbb_firm(
    siret: str,
    rome: str,
    where: tuple[float, float],
    potential: float,
    name: str = "",
    city: str = "Paris",
    **more: Any,
) -> dict[str, Any]:
    """One item as the API answers it (invented firms)."""
    item: dict[str, Any] = {
        "id": f"{siret}-{rome}",
        "siret": siret,
        "company_name": (name or f"Entreprise {siret[-4:]}").upper(),
        "office_name": name or f"Entreprise {siret[-4:]}",
        "naf": "1071C",
        "naf_label": "Boulangerie et boulangerie-pâtisserie",
        "headcount_min": 10,
        "headcount_max": 19,
        "location": {"lat": where[0], "lon": where[1]},
        "city": city,
        "citycode": "75112",
        "postcode": "75012",
        "department": "Paris",
        "department_number": "75",
        "region": "Île-de-France",
        "hiring_potential": potential,
        "is_high_potential": potential >= 2,
        "rome": rome,
        "email": "no",
    }
    item.update(more)
    return item


@dataclass
class FakeLaBonneBoite:
    """The API's behaviour as published: OAuth2 client credentials, `rome`, `latitude`,
    `longitude`, `distance` (<= 200 km), `page` (from 1) and `page_size` (<= 100)."""

    time: FakeTime
    firms: dict[str, list[dict[str, Any]]]  # per ROME code
    throttle_on: set[int] = field(default_factory=set)  # searches answered 429
    retry_after: str = "3"
    throttle_tokens: int = 0  # how many token requests are answered 429 first
    expire_on: set[int] = field(default_factory=set)  # searches answered 401
    fail_on: set[int] = field(default_factory=set)  # searches answered 503
    refuse_romes: set[str] = field(default_factory=set)  # answered 422
    expires_in: int = 1499
    tokens: list[str] = field(default_factory=list)
    calls: list[float] = field(default_factory=list)  # when every request arrived
    searches: list[tuple[float, dict[str, str]]] = field(default_factory=list)

    def __call__(self, request: Request) -> Reply:
        self.calls.append(self.time())
        if request.path == "/token":
            form = {k: v[-1] for k, v in parse_qs(request.body.decode()).items()}
            if form.get("client_secret") != "secret" or form.get("scope") != SCOPE:
                return ft_json(400, {"error": "invalid_client"})
            if self.throttle_tokens > 0:
                self.throttle_tokens -= 1
                return Reply(429, b"Too Many Requests", {"Retry-After": self.retry_after})
            self.tokens.append(f"token-{len(self.tokens) + 1}")
            return ft_json(
                200,
                {"access_token": self.tokens[-1], "expires_in": self.expires_in, "scope": SCOPE},
            )
        if request.path != "/v2/recherche":
            return Reply(404)
        self.searches.append((self.time(), request.query))
        call = len(self.searches)
        if call in self.throttle_on:
            return Reply(429, b"Too Many Requests", {"Retry-After": self.retry_after})
        if call in self.expire_on or request.headers.get("authorization") != (
            f"Bearer {self.tokens[-1] if self.tokens else ''}"
        ):
            return ft_json(401, {"detail": "invalid token"})
        if call in self.fail_on:
            return Reply(503, b"Service Unavailable")
        return self._search(request.query)

    def _search(self, query: dict[str, str]) -> Reply:
        try:
            rome = query["rome"]
            centre = Point(float(query["latitude"]), float(query["longitude"]))
            distance = float(query.get("distance", "30"))
            page = int(query.get("page", "1"))
            size = int(query.get("page_size", "10"))
        except (KeyError, ValueError):
            return ft_json(422, {"detail": "missing or invalid parameter"})
        if distance > 200 or size > 100 or page < 1 or rome in self.refuse_romes:
            return ft_json(422, {"detail": [{"loc": ["query", "distance"], "msg": "invalid"}]})
        found = sorted(
            (
                firm
                for firm in self.firms.get(rome, [])
                if haversine_km(centre, firm["location"]["lat"], firm["location"]["lon"])
                <= distance
            ),
            key=lambda firm: -firm["hiring_potential"],
        )
        items = found[(page - 1) * size : page * size]
        return ft_json(
            200,
            {
                "hits": len(found),
                "items": items,
                "params": dict(query),
                "resolved_params": {"rome": [rome]},
            },
        )
