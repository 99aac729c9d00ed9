"""What a terminal gets from `GET /v1/firms`: the firms within its area (at most 3,000, the
highest hiring potential first), each with the trades it was found for and their labels
from the hub's ROME list, and whether an organisation receives spontaneous applications.

The list travels whole (the terminal replaces its cache with each answer), with an ETag that
is the digest of the body. What an answer depends on — the area, the last finished harvest,
the spontaneous organisation, the ROME list — keys the bodies kept for the next terminals of
the same area (a few dozen) and their ETags (thousands): a terminal whose list did not change
gets its 304 without its answer being built again."""

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
CACHED_AREAS = 64  # answers kept (≈ 1 MB each at 3,000 firms)
ETAGS_KEPT = 4096  # the ETags of answers (≈ 150 bytes each): a fleet's areas, many times over


class FirmDirectory:
    """Reads the firms for terminals."""

    def __init__(
        self,
        db: Database,
        configured: bool,
        max_firms: int = MAX_FIRMS,
        cached_areas: int = CACHED_AREAS,
    ) -> None:
        self._db = db
        self._cached_areas = cached_areas
        self._configured = configured
        self._max_firms = max_firms
        self._lock = threading.Lock()
        self._cache: OrderedDict[tuple[Any, ...], bytes] = OrderedDict()
        self._etags: OrderedDict[tuple[Any, ...], str] = OrderedDict()

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

    def etag(self, terminal: TerminalIdentity) -> tuple[str, tuple[Any, ...]]:
        """The ETag of the answer `terminal` gets now, and its key (for `answer`). The ETag is
        the digest of the body, remembered for many more areas than bodies are: a terminal
        whose list did not change gets its 304 for four small reads, also once its answer
        has left the memory; only the first terminal of an area after a harvest (or a change
        of the spontaneous organisation or the ROME list) has the answer built."""
        key = (terminal.latitude, terminal.longitude, terminal.radius_km, *self._state())
        with self._lock:
            known = self._etags.get(key)
            if known is not None:
                self._etags.move_to_end(key)
                return known, key
        return self._build(terminal, key)[1], key

    def answer(self, terminal: TerminalIdentity, key: tuple[Any, ...]) -> bytes:
        """The JSON body of the answer of `key` (from `etag`), from the cache or built."""
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                return cached
        return self._build(terminal, key)[0]

    def _build(self, terminal: TerminalIdentity, key: tuple[Any, ...]) -> tuple[bytes, str]:
        spontaneous = key[4] is not None  # _state's spontaneous organisation
        body = orjson.dumps(self._answer(terminal, spontaneous=spontaneous))
        etag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
        with self._lock:
            self._cache[key] = body
            while len(self._cache) > self._cached_areas:
                self._cache.popitem(last=False)
            self._etags[key] = etag
            while len(self._etags) > ETAGS_KEPT:
                self._etags.popitem(last=False)
        return body, etag

    def for_terminal(self, terminal: TerminalIdentity) -> tuple[bytes, str]:
        """The JSON body a terminal gets and its ETag."""
        etag, key = self.etag(terminal)
        return self.answer(terminal, key), etag

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
