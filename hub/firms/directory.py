"""What a terminal gets from `GET /v1/firms`: the firms within its area (at most 3,000, the
highest hiring potential first), each with the trades it was found for and their labels
from the hub's ROME list, and whether an organisation receives spontaneous applications.

The list travels whole (the terminal replaces its cache with each answer), with an ETag that
is the digest of the body. Bodies are kept for the next terminals of the same area until a
harvest finishes or the spontaneous organisation changes."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from typing import Any

import orjson
from sqlalchemy import func, select

from hub.auth import TerminalIdentity
from hub.db import Database
from hub.feed import bounding_box
from hub.models import Firm, FirmHarvest, Organisation, RomeEntry
from hub.terminals import iso
from kiosk.geo import Point, haversine_km

MAX_FIRMS = 3000
SOURCE = "La Bonne Boîte, France Travail"
_CACHED_AREAS = 64


class FirmDirectory:
    """Reads the firms for terminals."""

    def __init__(self, db: Database, configured: bool, max_firms: int = MAX_FIRMS) -> None:
        self._db = db
        self._configured = configured
        self._max_firms = max_firms
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], tuple[bytes, str]] = OrderedDict()

    def _state(self) -> tuple[Any, ...]:
        """What the answers depend on besides the area: the last finished harvest, the
        spontaneous organisation, the size of the ROME list (an import relabels trades)."""
        with self._db.read() as connection:
            harvest = connection.execute(
                select(FirmHarvest.id, FirmHarvest.finished_at)
                .where(FirmHarvest.finished_at.is_not(None))
                .order_by(FirmHarvest.id.desc())
                .limit(1)
            ).first()
            spontaneous = connection.scalar(
                select(Organisation.id).where(Organisation.spontaneous.is_(True)).limit(1)
            )
            romes = connection.scalar(select(func.count()).select_from(RomeEntry))
        return (
            tuple(harvest) if harvest is not None else None,
            spontaneous,
            romes,
        )

    def for_terminal(self, terminal: TerminalIdentity) -> tuple[bytes, str]:
        """The JSON body a terminal gets and its ETag."""
        state = self._state()
        key = (terminal.latitude, terminal.longitude, terminal.radius_km, *state)
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        body = orjson.dumps(self._answer(terminal, spontaneous=state[1] is not None))
        answer = body, f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
        with self._lock:
            self._cache[key] = answer
            while len(self._cache) > _CACHED_AREAS:
                self._cache.popitem(last=False)
        return answer

    def _answer(self, terminal: TerminalIdentity, spontaneous: bool) -> dict[str, Any]:
        if not self._configured:
            return {"spontaneous": spontaneous, "source": SOURCE, "harvested_at": None, "firms": []}
        centre = Point(terminal.latitude, terminal.longitude)
        south, north, west, east = bounding_box(centre, terminal.radius_km)
        with self._db.read() as connection:
            rows = connection.execute(
                select(Firm.__table__).where(
                    Firm.latitude.between(south, north), Firm.longitude.between(west, east)
                )
            ).all()
            harvested = connection.scalar(
                select(func.max(FirmHarvest.finished_at)).where(FirmHarvest.complete.is_(True))
            )
            codes = sorted({row.rome for row in rows})
            labels: dict[str, str] = {}
            for start in range(0, len(codes), 500):
                found = connection.execute(
                    select(RomeEntry.code, RomeEntry.label).where(
                        RomeEntry.code.in_(codes[start : start + 500])
                    )
                )
                labels.update((str(code), str(label)) for code, label in found)
        firms: dict[str, dict[str, Any]] = {}
        best: dict[str, float] = {}
        for firm in rows:
            if haversine_km(centre, firm.latitude, firm.longitude) > terminal.radius_km:
                continue
            entry = firms.get(firm.siret)
            if entry is None:
                entry = firms[firm.siret] = {
                    "siret": firm.siret,
                    "name": firm.name,
                    "sector": firm.sector,
                    "naf": firm.naf,
                    "headcount_min": firm.headcount_min,
                    "headcount_max": firm.headcount_max,
                    "latitude": firm.latitude,
                    "longitude": firm.longitude,
                    "city": firm.city,
                    "postcode": firm.postcode,
                    "trades": [],
                }
                best[firm.siret] = firm.hiring_potential
            entry["trades"].append(
                {
                    "rome": firm.rome,
                    "label": labels.get(firm.rome, firm.rome),
                    "hiring_potential": firm.hiring_potential,
                    "high": bool(firm.high),
                }
            )
            best[firm.siret] = max(best[firm.siret], firm.hiring_potential)
        chosen = sorted(firms, key=lambda siret: (-best[siret], siret))[: self._max_firms]
        listed = []
        for siret in chosen:
            entry = firms[siret]
            entry["trades"].sort(key=lambda t: (-t["hiring_potential"], t["rome"]))
            listed.append(entry)
        stamp = iso(harvested)
        return {
            "spontaneous": spontaneous,
            "source": SOURCE,
            "harvested_at": None if stamp is None else stamp.isoformat().replace("+00:00", "Z"),
            "firms": listed,
        }
