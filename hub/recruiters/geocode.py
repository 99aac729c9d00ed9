"""A posted offer's place to coordinates, through the Base Adresse Nationale's search API."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from typing import Any

import requests

from hub.settings import GeocodingSection

log = logging.getLogger("hub.recruiters.geocode")

NOT_FOUND = "Adresse introuvable : précisez la commune ou le code postal."
UNAVAILABLE = (
    "La recherche d’adresse ne répond pas pour le moment : réessayez dans quelques minutes. "
    "L’offre n’est pas encore publiée."
)
MAX_QUERY = 200  # the API refuses longer queries
_FRANCE = ((-63.5, 56.0), (-22.0, 51.5))  # longitudes, latitudes: metropolitan and overseas


class GeocodeError(Exception):
    """The place cannot be placed; the message is for the recruiter, in French, and never
    repeats what they typed."""


@dataclass(frozen=True, slots=True)
class Place:
    """Where an offer is, as the address search found it."""

    label: str  # "12 Rue de la Paix 75002 Paris", or "Annecy" for a commune
    street: str | None  # "12 Rue de la Paix"; None for a commune
    city: str
    postcode: str | None
    citycode: str | None  # INSEE code of the commune
    latitude: float
    longitude: float
    score: float
    kind: str  # housenumber | street | locality | municipality

    def as_json(self) -> dict[str, Any]:
        """What the offer's form keeps of it (so that an edit need not search again)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Any) -> Place | None:
        """A place kept by `as_json`, or None when `data` is not one."""
        try:
            return cls(**data)
        except TypeError:
            return None


class Geocoder:
    """Asks the configured address search where a typed place is."""

    def __init__(self, section: GeocodingSection, session: requests.Session | None = None) -> None:
        self._url = str(section.url)
        self._timeout = section.timeout_s
        self._min_score = section.min_score
        self._session = session or requests.Session()

    def locate(self, text: str) -> Place:
        """The best match of `text`; GeocodeError when there is none good enough, or the
        search cannot be reached."""
        query = " ".join(text.split())[:MAX_QUERY]
        if len(query) < 3 or not query[0].isalnum():
            raise GeocodeError(NOT_FOUND)  # the API answers 400 to these
        try:
            params: dict[str, str | int] = {"q": query, "limit": 1}
            answer = self._session.get(self._url, params=params, timeout=self._timeout)
        except requests.RequestException as exc:
            log.warning("address search unreachable: %s", type(exc).__name__)
            raise GeocodeError(UNAVAILABLE) from exc
        if answer.status_code == 400:  # a query it cannot read: as good as not found
            raise GeocodeError(NOT_FOUND)
        if answer.status_code != 200:
            log.warning("address search answered HTTP %d", answer.status_code)
            raise GeocodeError(UNAVAILABLE)
        try:
            place = _first_place(answer.json())
        except ValueError as exc:
            log.warning("address search answered something else than GeoJSON: %s", exc)
            raise GeocodeError(UNAVAILABLE) from exc
        if place is None or place.score < self._min_score:
            raise GeocodeError(NOT_FOUND)
        return place


def _first_place(data: Any) -> Place | None:
    """The first feature of a GeoJSON FeatureCollection as the BAN writes it; ValueError when
    the answer is not one."""
    if not isinstance(data, dict) or not isinstance(data.get("features"), list):
        raise ValueError("no 'features' list")
    if not data["features"]:
        return None
    feature = data["features"][0]
    try:
        longitude, latitude = (float(v) for v in feature["geometry"]["coordinates"][:2])
        properties = feature["properties"]
        label = str(properties["label"]).strip()
        score = float(properties.get("score", 0.0))
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"a feature without {exc}") from exc
    (west, east), (south, north) = _FRANCE
    if not (west <= longitude <= east and south <= latitude <= north) or not label:
        return None
    kind = str(properties.get("type") or "")
    city = str(properties.get("city") or properties.get("name") or label).strip()
    street = _text(properties.get("name")) if kind != "municipality" else None
    return Place(
        label=label,
        street=street if street != city else None,
        city=city,
        postcode=_text(properties.get("postcode")),
        citycode=_text(properties.get("citycode")),
        latitude=round(latitude, 6),
        longitude=round(longitude, 6),
        score=round(score, 4),
        kind=kind,
    )


def _text(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None
