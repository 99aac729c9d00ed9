"""Great-circle distances and coordinate checks."""

from __future__ import annotations

import math
from dataclasses import dataclass

EARTH_RADIUS_KM = 6371.0088


@dataclass(frozen=True, slots=True)
class Point:
    """A WGS 84 position."""

    latitude: float
    longitude: float

    def __post_init__(self) -> None:
        if not valid_coordinates(self.latitude, self.longitude):
            raise ValueError(f"invalid coordinates {self.latitude}, {self.longitude}")


def valid_coordinates(latitude: float, longitude: float) -> bool:
    """True for finite WGS 84 coordinates; (0, 0) counts as missing data, not the Gulf of Guinea."""
    return (
        math.isfinite(latitude)
        and math.isfinite(longitude)
        and -90.0 <= latitude <= 90.0
        and -180.0 <= longitude <= 180.0
        and not (latitude == 0.0 and longitude == 0.0)
    )


def haversine_km(a: Point, lat: float, lon: float) -> float:
    """Distance in kilometres from `a` to (lat, lon)."""
    p1, p2 = math.radians(a.latitude), math.radians(lat)
    dp = p2 - p1
    dl = math.radians(lon - a.longitude)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def parse_point(text: str) -> Point:
    """A point from "LAT,LON" as typed on a command line."""
    try:
        lat_text, lon_text = text.split(",")
        return Point(float(lat_text), float(lon_text))
    except ValueError as exc:
        raise ValueError(f"expected LAT,LON in decimal degrees, got {text!r}") from exc
