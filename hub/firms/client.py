"""La Bonne Boîte v2: firms ranked by hiring potential for a ROME trade around a place.

The token, the rate (2 calls a second), 401, 429 and 5xx are the shared France Travail
client's (kiosk/sources/francetravail.py, same token service, another scope); this module
pages `GET /recherche` and reads its items. A 422 (parameters the API refuses) is raised as
`QueryRefusedError`, for the harvest to record and skip that query.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from kiosk.sources.francetravail import FranceTravailClient, FranceTravailError

log = logging.getLogger("hub.firms")

API_URL = "https://api.francetravail.io/partenaire/labonneboite/v2"
SCOPE = "api_labonneboitev2 search office"
PAGE_SIZE = 100  # the API's largest page
MAX_DISTANCE_KM = 200  # the API answers 422 beyond
_SIRET = re.compile(r"\d{14}")
_ROME = re.compile(r"[A-N]\d{4}")
_NAF = re.compile(r"\d{2}\.?\d{2}[A-Z]")
NAME_MAX, SECTOR_MAX, CITY_MAX = 200, 200, 120


class QueryRefusedError(Exception):
    """The API refused the query's parameters (422); the message says what it said."""


@dataclass(frozen=True, slots=True)
class FirmHit:
    """One firm found for one trade."""

    siret: str
    rome: str
    name: str
    naf: str | None
    sector: str | None
    headcount_min: int | None
    headcount_max: int | None
    latitude: float
    longitude: float
    city: str | None
    postcode: str | None
    hiring_potential: float
    high: bool


@dataclass(frozen=True, slots=True)
class FirmPage:
    """One answer of `/recherche`: the total for the query and this page's firms."""

    hits: int
    firms: list[FirmHit]
    skipped: int  # items that were not a usable firm (no SIRET, no position…)


def _text(value: Any, limit: int) -> str | None:
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())[:limit]
    return text or None


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(float(value))
    except ValueError:
        return None
    return number if 0 <= number <= 10_000_000 else None


def _coordinate(value: Any, bound: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if -bound <= number <= bound else None


def parse_item(item: Any, asked_rome: str) -> FirmHit | None:
    """A firm from an item of the answer, or None when it cannot be shown (no valid SIRET,
    no position, no name)."""
    if not isinstance(item, dict):
        return None
    siret = item.get("siret")
    if not isinstance(siret, str) or not _SIRET.fullmatch(siret.strip()):
        return None
    name = _text(item.get("office_name"), NAME_MAX) or _text(item.get("company_name"), NAME_MAX)
    location = item.get("location")
    if not name or not isinstance(location, dict):
        return None
    latitude = _coordinate(location.get("lat"), 90.0)
    longitude = _coordinate(location.get("lon"), 180.0)
    if latitude is None or longitude is None:
        return None
    rome = item.get("rome")
    rome = rome.strip().upper() if isinstance(rome, str) else ""
    naf = item.get("naf")
    potential = item.get("hiring_potential")
    low, high = _count(item.get("headcount_min")), _count(item.get("headcount_max"))
    if low is not None and high is not None and low > high:
        low, high = high, low
    return FirmHit(
        siret=siret.strip(),
        rome=rome if _ROME.fullmatch(rome) else asked_rome,
        name=name,
        naf=naf.strip()[:8] if isinstance(naf, str) and _NAF.fullmatch(naf.strip()) else None,
        sector=_text(item.get("naf_label"), SECTOR_MAX),
        headcount_min=low,
        headcount_max=high,
        latitude=latitude,
        longitude=longitude,
        city=_text(item.get("city"), CITY_MAX),
        postcode=_text(item.get("postcode"), 10),
        hiring_potential=(
            float(potential)
            if isinstance(potential, int | float) and not isinstance(potential, bool)
            else 0.0
        ),
        high=item.get("is_high_potential") is True,
    )


class LaBonneBoiteClient:
    """`GET /recherche` over the shared client (built with La Bonne Boîte's URL and scope)."""

    def __init__(self, api: FranceTravailClient) -> None:
        self._api = api

    @property
    def requests(self) -> int:
        """HTTP requests made so far, tokens included."""
        return self._api.requests

    def search(
        self,
        rome: str,
        latitude: float,
        longitude: float,
        distance_km: float,
        page: int,
        page_size: int = PAGE_SIZE,
    ) -> FirmPage:
        """One page (1-based) of the firms for `rome` within `distance_km`, best first."""
        params = {
            "rome": rome,
            "latitude": f"{latitude:.5f}",
            "longitude": f"{longitude:.5f}",
            "distance": str(max(1, min(MAX_DISTANCE_KM, round(distance_km)))),
            "page": str(page),
            "page_size": str(page_size),
            "sort_by": "hiring_potential",
            "sort_direction": "desc",
        }
        response = self._api.get("/recherche", params)
        status = response.status_code
        body = _json(response)
        if status == 422:
            raise QueryRefusedError(f"rome {rome}: refused (422): {_detail(body)}")
        if status != 200:
            raise FranceTravailError(f"search refused ({status}): {_detail(body)}")
        items, hits = body.get("items"), body.get("hits")
        if not isinstance(items, list) or isinstance(hits, bool) or not isinstance(hits, int):
            raise FranceTravailError("search answer has no 'hits' and 'items'")
        firms = [hit for item in items if (hit := parse_item(item, rome)) is not None]
        return FirmPage(hits, firms, len(items) - len(firms))

    def walk(
        self, rome: str, latitude: float, longitude: float, distance_km: float, max_pages: int
    ) -> Iterator[FirmPage]:
        """The pages of one query, until its hits are read, a page comes back short, or
        `max_pages` (the best potential comes first: the rest matters less)."""
        seen = 0
        for number in range(1, max_pages + 1):
            page = self.search(rome, latitude, longitude, distance_km, number)
            yield page
            seen += len(page.firms) + page.skipped
            if seen >= page.hits or len(page.firms) + page.skipped < PAGE_SIZE:
                return


def _json(response: Any) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _detail(body: dict[str, Any]) -> str:
    """What the API said, short (its own words only: never a header or a token)."""
    detail = body.get("detail") or body.get("message") or body.get("error") or "no detail"
    text = detail if isinstance(detail, str) else str(detail)
    return " ".join(text.split())[:200]
