"""Where and for which trades to search: the terminals' areas (nearby ones merged into one
circle, at most 200 km, La Bonne Boîte's limit) and, with `romes = "auto"`, the trades most
frequent among the live offers of each area."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select

from hub.db import Database
from hub.feed import bounding_box
from hub.firms.client import MAX_DISTANCE_KM
from hub.models import OfferRecord, Terminal
from kiosk.geo import Point, haversine_km

# Two areas become one when the circle holding both is at most this much wider than the
# larger: one query then serves both, and the best firms of the circle are still near each.
MERGE_SLACK_KM = 10.0
_ROME = re.compile(r"\s*([A-N]\d{4})\b")


@dataclass(frozen=True, slots=True)
class Area:
    """A circle to search around, and the terminals it serves."""

    latitude: float
    longitude: float
    radius_km: float
    terminals: tuple[str, ...]


def enclosing(a: Area, b: Area) -> Area:
    """The smallest circle holding both (on a small area a plane is close enough)."""
    distance = haversine_km(Point(a.latitude, a.longitude), b.latitude, b.longitude)
    ids = a.terminals + b.terminals
    if distance + b.radius_km <= a.radius_km:
        return Area(a.latitude, a.longitude, a.radius_km, ids)
    if distance + a.radius_km <= b.radius_km:
        return Area(b.latitude, b.longitude, b.radius_km, ids)
    radius = (distance + a.radius_km + b.radius_km) / 2
    share = (radius - a.radius_km) / distance
    return Area(
        a.latitude + (b.latitude - a.latitude) * share,
        a.longitude + (b.longitude - a.longitude) * share,
        radius,
        ids,
    )


def merge_areas(circles: Sequence[Area]) -> list[Area]:
    """The circles with nearby ones merged (see MERGE_SLACK_KM); each at most 200 km."""
    areas: list[Area] = []
    for given in sorted(circles, key=lambda c: (-c.radius_km, c.terminals)):
        circle = Area(
            given.latitude, given.longitude, min(given.radius_km, MAX_DISTANCE_KM), given.terminals
        )
        for index, area in enumerate(areas):
            merged = enclosing(area, circle)
            wider = max(area.radius_km, circle.radius_km) + MERGE_SLACK_KM
            if merged.radius_km <= min(wider, MAX_DISTANCE_KM):
                areas[index] = merged
                break
        else:
            areas.append(circle)
    return areas


def terminal_areas(db: Database) -> list[Area]:
    """The areas of the terminals in service (enrolled, not revoked), merged."""
    with db.read() as connection:
        rows = connection.execute(
            select(
                Terminal.terminal_id, Terminal.latitude, Terminal.longitude, Terminal.radius_km
            ).where(Terminal.revoked_at.is_(None), Terminal.token_hash.is_not(None))
        ).all()
    circles = [
        Area(row.latitude, row.longitude, max(1.0, row.radius_km), (row.terminal_id,))
        for row in rows
        if math.isfinite(row.latitude) and math.isfinite(row.longitude)
    ]
    return merge_areas(circles)


def offer_rome(raw: Any) -> str | None:
    """The ROME code of a stored offer: France Travail's `romeCode`, or a JobPosting's
    occupationalCategory that starts with one ("M1805 - Études…")."""
    if not isinstance(raw, dict):
        return None
    for given in (raw.get("romeCode"), raw.get("occupationalCategory")):
        value = given[0] if isinstance(given, list) and given else given
        if isinstance(value, dict):
            value = value.get("codeValue") or value.get("name")
        if isinstance(value, str) and (match := _ROME.match(value.upper())):
            return match.group(1)
    return None


def frequent_romes(db: Database, area: Area, count: int) -> list[str]:
    """The `count` ROME codes most frequent among the live offers within the area."""
    centre = Point(area.latitude, area.longitude)
    south, north, west, east = bounding_box(centre, area.radius_km)
    statement = select(OfferRecord.raw, OfferRecord.latitude, OfferRecord.longitude).where(
        OfferRecord.withdrawn.is_(False),
        OfferRecord.raw.is_not(None),
        OfferRecord.latitude.between(south, north),
        OfferRecord.longitude.between(west, east),
    )
    counts: Counter[str] = Counter()
    with db.read() as connection:
        for raw, latitude, longitude in connection.execute(statement):
            if raw is None or latitude is None or longitude is None:
                continue  # the query excludes them; the types do not know
            if haversine_km(centre, latitude, longitude) > area.radius_km:
                continue
            try:
                code = offer_rome(orjson.loads(raw))
            except orjson.JSONDecodeError:
                continue
            if code is not None:
                counts[code] += 1
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [code for code, _ in ranked[:count]]
