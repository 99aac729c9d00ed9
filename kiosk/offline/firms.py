"""Firms that often hire near here, in the offers cache: the hub's list (La Bonne Boîte, by
trade), replaced whole in one transaction with its ETag, so the Firms screen works offline;
and the three questions the screen asks of it: the firms for a trade (ROME code), for a trade
family (a trade tile), or for a search text."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from sqlalchemy import Engine, delete, insert, select, text

from kiosk import trades
from kiosk.geo import Point, haversine_km, valid_coordinates
from kiosk.offline.models import FirmRow, FirmTradeRow, Meta
from kiosk.text import fold, search_terms

log = logging.getLogger("kiosk.offline")

ETAG_KEY = "firms_etag"
SPONTANEOUS_KEY = "firms_spontaneous"  # "1": the hub routes spontaneous applications
SOURCE_KEY = "firms_source"
DIGEST_KEY = "firms_digest"  # of the list held: a new ETag over the same list changes nothing
MAX_FIRMS = 3000  # the hub sends at most this many (docs/protocol.md, "Firms that hire near here")
MAX_TRADES = 40  # per firm
NAME_MAX, SECTOR_MAX, LABEL_MAX, CITY_MAX = 120, 160, 160, 80
SOURCE = "La Bonne Boîte, France Travail"
_SIRET = re.compile(r"^\d{14}$")
_ROME = re.compile(r"^[A-N]\d{4}$")
_POSTCODE = re.compile(r"^[0-9AB]{5}$")


class FirmsFormatError(ValueError):
    """The hub's answer is not a firms list."""


@dataclass(frozen=True, slots=True)
class FirmTrade:
    """A trade a firm was found for, and how likely it is to hire for it."""

    rome: str  # "D1102"
    label: str  # "Boulangerie - viennoiserie" (the hub's ROME list, or the code itself)
    hiring_potential: float
    high: bool  # La Bonne Boîte's own flag of the firms most likely to hire


@dataclass(frozen=True, slots=True)
class Firm:
    """One establishment (SIRET) and the trades it often hires for."""

    siret: str
    name: str
    sector: str | None
    naf: str | None
    headcount_min: int | None
    headcount_max: int | None
    latitude: float
    longitude: float
    city: str | None
    postcode: str | None
    trades: tuple[FirmTrade, ...]


@dataclass(frozen=True, slots=True)
class FirmsList:
    """A whole answer of GET /v1/firms."""

    spontaneous: bool  # an organisation takes spontaneous applications
    firms: list[Firm]
    source: str = SOURCE  # who ranked them, as the screen credits it


@dataclass(frozen=True, slots=True)
class NearbyFirm:
    """A firm as the screen lists it: with the one trade it is shown for, and its distance."""

    firm: Firm
    trade: FirmTrade
    distance_km: float | None  # from the terminal; None for a terminal without a location

    @property
    def key(self) -> str:
        """ "<siret>.<rome>": the firm and trade a spontaneous application targets (its
        offer_id, docs/protocol.md)."""
        return f"{self.firm.siret}.{self.trade.rome}"


# -- the hub's answer --------------------------------------------------------------------------


def _short(value: Any, limit: int) -> str | None:
    """A one-line text of at most `limit` characters, or None when there is none."""
    if not isinstance(value, str):
        return None
    line = " ".join(value.split())
    return line[:limit] or None


def _count(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _trade(raw: Any) -> FirmTrade | None:
    if not isinstance(raw, dict):
        return None
    rome, potential = raw.get("rome"), _number(raw.get("hiring_potential"))
    if not isinstance(rome, str) or not _ROME.match(rome) or potential is None:
        return None
    return FirmTrade(
        rome, _short(raw.get("label"), LABEL_MAX) or rome, potential, raw.get("high") is True
    )


def _firm(raw: Any) -> Firm | None:
    """One firm of the hub's list, or None when it is not one (left out, never shown)."""
    if not isinstance(raw, dict):
        return None
    siret, name = raw.get("siret"), _short(raw.get("name"), NAME_MAX)
    latitude, longitude = _number(raw.get("latitude")), _number(raw.get("longitude"))
    listed = raw.get("trades")
    if (
        not isinstance(siret, str)
        or not _SIRET.match(siret)
        or name is None
        or latitude is None
        or longitude is None
        or not valid_coordinates(latitude, longitude)
        or not isinstance(listed, list)
    ):
        return None
    found: dict[str, FirmTrade] = {}
    for trade in map(_trade, listed[:MAX_TRADES]):
        if trade is not None and trade.rome not in found:
            found[trade.rome] = trade
    if not found:
        return None
    postcode = raw.get("postcode")
    naf = _short(raw.get("naf"), 8)
    low, high = _count(raw.get("headcount_min")), _count(raw.get("headcount_max"))
    if low is not None and high is not None and high < low:
        low = high = None  # a range that says nothing true
    return Firm(
        siret,
        name,
        _short(raw.get("sector"), SECTOR_MAX),
        naf,
        low,
        high,
        latitude,
        longitude,
        _short(raw.get("city"), CITY_MAX),
        postcode if isinstance(postcode, str) and _POSTCODE.match(postcode) else None,
        tuple(found.values()),
    )


def parse_firms(body: Any) -> tuple[FirmsList, int]:
    """The firms of a GET /v1/firms answer and how many were left out; FirmsFormatError when
    it is not one. A firm listed twice keeps its first entry."""
    listed = body.get("firms") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        raise FirmsFormatError("the firms answer has no `firms` list")
    assert isinstance(body, dict)
    firms: dict[str, Firm] = {}
    for firm in map(_firm, listed[:MAX_FIRMS]):
        if firm is not None and firm.siret not in firms:
            firms[firm.siret] = firm
    source = _short(body.get("source"), 120) or SOURCE
    answer = FirmsList(body.get("spontaneous") is True, list(firms.values()), source)
    return answer, len(listed) - len(firms)


def digest(answer: FirmsList) -> str:
    """A fingerprint of what the terminal keeps of a list (to tell a new list from the same
    one under a new ETag)."""
    canonical = json.dumps(
        [answer.spontaneous, answer.source, [_as_json(firm) for firm in answer.firms]],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def _as_json(firm: Firm) -> list[Any]:
    return [
        firm.siret,
        firm.name,
        firm.sector,
        firm.naf,
        firm.headcount_min,
        firm.headcount_max,
        firm.latitude,
        firm.longitude,
        firm.city,
        firm.postcode,
        [[t.rome, t.label, t.hiring_potential, t.high] for t in firm.trades],
    ]


def demo_firms() -> FirmsList:
    """The demo terminal's firms (assets/demo/firms.json): made up, around the demo's town."""
    raw = (resources.files("kiosk_assets") / "demo" / "firms.json").read_text("utf-8")
    answer, rejected = parse_firms(json.loads(raw))
    assert not rejected, "assets/demo/firms.json has firms the terminal refuses"
    return answer


# -- the cache ---------------------------------------------------------------------------------


def _words(*parts: str | None) -> str:
    """Folded words, each after a space, so that `LIKE '% word%'` finds a word's start."""
    return "".join(f" {word}" for part in parts if part for word in fold(part).split())


_FIRM_COLUMNS = (
    "f.siret, f.name, f.sector, f.naf, f.headcount_min, f.headcount_max, f.latitude,"
    " f.longitude, f.city, f.postcode, t.rome, t.label, t.hiring_potential, t.high"
)


_FROM = "FROM firm_trades t JOIN firms f ON f.siret = t.siret"


@dataclass(frozen=True, slots=True)
class _Where:
    """Which rows of `_FROM` one of the screen's questions reads: `condition` is one of the
    fixed texts below; what was typed is only ever one of its `parameters`."""

    condition: str
    parameters: dict[str, str]


def _rome_where(code: str) -> _Where | None:
    """The rows of the trade `code`; None (no firm) for what is not a ROME code."""
    return _Where("t.rome = :code", {"code": code}) if _ROME.match(code) else None


def _family_where(family: str) -> _Where | None:
    """The rows of a family of trades (A–N); None for "other" or what is not a family."""
    if family not in trades.CODES or family == trades.OTHER:
        return None
    return _Where("t.family = :family", {"family": family})


def _text_where(search: str, family: str | None) -> _Where | None:
    """The rows where each word of `search` (its first 8 of 2 letters or more) starts a word
    of the trade's label or of the firm's name, sector or town, in `family` when one is
    given; None when nothing searchable was typed."""
    terms = search_terms(search)[:8]
    if not terms:
        return None
    conditions = [f"(f.search_text || t.search_text) LIKE :w{i}" for i in range(len(terms))]
    parameters = {f"w{i}": f"% {term}%" for i, term in enumerate(terms)}
    if family is not None:
        conditions.append("t.family = :family")
        parameters["family"] = family
    return _Where(" AND ".join(conditions), parameters)


class FirmsCache:
    """The firms tables of the offers cache. A family holds at most a few thousand rows:
    the queries are short enough for the UI thread."""

    def __init__(self, engine: Engine, origin: Point | None) -> None:
        self._engine = engine
        self._origin = origin

    # -- what the hub said ----------------------------------------------------------------------

    def _meta(self, key: str) -> str | None:
        with self._engine.connect() as connection:
            return connection.scalar(select(Meta.value).where(Meta.key == key))

    def etag(self) -> str | None:
        """The ETag of the list the hub last sent (None: no hub list yet)."""
        return self._meta(ETAG_KEY)

    def digest(self) -> str | None:
        """The fingerprint of the list held (see `digest`)."""
        return self._meta(DIGEST_KEY)

    def spontaneous(self) -> bool:
        """Whether the last list said spontaneous applications reach an organisation."""
        return self._meta(SPONTANEOUS_KEY) == "1"

    def source(self) -> str:
        """Who ranked the firms held, as the screen credits it."""
        return self._meta(SOURCE_KEY) or SOURCE

    def count(self) -> int:
        """How many firms are held."""
        with self._engine.connect() as connection:
            return int(connection.scalar(text("SELECT count(*) FROM firms")) or 0)

    def replace(self, answer: FirmsList, etag: str | None) -> None:
        """Keep `answer` instead of the list held, with its ETag, in one transaction."""
        with self._engine.begin() as connection:
            self._write(connection, answer)
            self._set_meta(connection, ETAG_KEY, etag)

    def seed_demo(self) -> int:
        """The demo's firms, when no hub ever sent a list and none is held; how many."""
        with self._engine.begin() as connection:
            if connection.scalar(select(Meta.value).where(Meta.key == ETAG_KEY)) is not None:
                return 0
            if connection.scalar(select(FirmRow.siret).limit(1)) is not None:
                return 0
            answer = demo_firms()
            self._write(connection, answer)
        log.info("firms near here: the demo's %d firms", len(answer.firms))
        return len(answer.firms)

    @staticmethod
    def _set_meta(connection: Any, key: str, value: str | None) -> None:
        connection.execute(delete(Meta).where(Meta.key == key))
        if value is not None:
            connection.execute(insert(Meta).values(key=key, value=value))

    @classmethod
    def _write(cls, connection: Any, answer: FirmsList) -> None:
        connection.execute(delete(FirmTradeRow))
        connection.execute(delete(FirmRow))
        firms = [
            {
                "siret": f.siret,
                "name": f.name,
                "sector": f.sector,
                "naf": f.naf,
                "headcount_min": f.headcount_min,
                "headcount_max": f.headcount_max,
                "latitude": f.latitude,
                "longitude": f.longitude,
                "city": f.city,
                "postcode": f.postcode,
                "search_text": _words(f.name, f.sector, f.city),
            }
            for f in answer.firms
        ]
        rows = [
            {
                "siret": f.siret,
                "rome": t.rome,
                "family": t.rome[0],
                "label": t.label,
                "hiring_potential": t.hiring_potential,
                "high": t.high,
                "search_text": _words(t.label),
            }
            for f in answer.firms
            for t in f.trades
        ]
        if firms:
            connection.execute(insert(FirmRow), firms)
            connection.execute(insert(FirmTradeRow), rows)
        cls._set_meta(connection, SPONTANEOUS_KEY, "1" if answer.spontaneous else "0")
        cls._set_meta(connection, SOURCE_KEY, answer.source)
        cls._set_meta(connection, DIGEST_KEY, digest(answer))

    # -- the screen's questions ------------------------------------------------------------------
    # Each question is one `_Where`, shared by its list and its count: they cannot disagree.

    def for_rome(self, code: str) -> list[NearbyFirm]:
        """The firms that often hire for the trade `code` (a ROME code), best first."""
        return self._query(_rome_where(code))

    def count_rome(self, code: str) -> int:
        """How many firms `for_rome(code)` lists, counted by SQLite alone."""
        return self._count(_rome_where(code))

    def for_family(self, family: str) -> list[NearbyFirm]:
        """The firms that often hire in a family of trades (A–N), each for its best trade
        there, best first; none for "other"."""
        return self._query(_family_where(family))

    def count_family(self, family: str) -> int:
        """How many firms `for_family(family)` lists, counted by SQLite alone."""
        return self._count(_family_where(family))

    def for_text(self, search: str, family: str | None = None) -> list[NearbyFirm]:
        """The firms a search finds: each word typed (folded, 2 letters or more) starts a word
        of the trade's label, or of the firm's name, sector or town. Each firm is shown for
        its best trade among those that match (and are of `family`, when one is given)."""
        return self._query(_text_where(search, family))

    def count_text(self, search: str, family: str | None = None) -> int:
        """How many firms `for_text(search, family)` lists, counted by SQLite alone."""
        return self._count(_text_where(search, family))

    def find(self, key: str) -> NearbyFirm | None:
        """The firm and trade of "<siret>.<rome>", or None when it is no longer held."""
        siret, _, rome = key.partition(".")
        where = _Where("f.siret = :siret AND t.rome = :rome", {"siret": siret, "rome": rome})
        found = self._query(where)
        return found[0] if found else None

    def _count(self, where: _Where | None) -> int:
        if where is None:
            return 0
        statement = text(f"SELECT count(DISTINCT t.siret) {_FROM} WHERE {where.condition}")
        with self._engine.connect() as connection:
            return int(connection.scalar(statement, where.parameters) or 0)

    def _query(self, where: _Where | None) -> list[NearbyFirm]:
        if where is None:
            return []
        statement = text(f"SELECT {_FIRM_COLUMNS} {_FROM} WHERE {where.condition}")
        with self._engine.connect() as connection:
            rows = connection.execute(statement, where.parameters).all()
        best: dict[str, NearbyFirm] = {}
        for row in rows:
            trade = FirmTrade(row[10], row[11], float(row[12]), bool(row[13]))
            held = best.get(row[0])
            if held is not None and _rank(trade) >= _rank(held.trade):
                continue
            firm = Firm(
                row[0],
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                row[8],
                row[9],
                (trade,),
            )
            best[row[0]] = NearbyFirm(firm, trade, self._distance(firm))
        return sort_nearby(best.values())

    def _distance(self, firm: Firm) -> float | None:
        if self._origin is None:
            return None
        return round(haversine_km(self._origin, firm.latitude, firm.longitude), 2)


def _rank(trade: FirmTrade) -> tuple[bool, float]:
    return (not trade.high, -trade.hiring_potential)


def sort_nearby(firms: Iterable[NearbyFirm]) -> list[NearbyFirm]:
    """The order of the screen: the firms La Bonne Boîte flags as most likely to hire first,
    then the nearest (a passer-by can walk there; a small difference of estimated potential
    says less than a short walk), then the higher potential, then the name."""
    return sorted(
        firms,
        key=lambda n: (
            not n.trade.high,
            n.distance_km if n.distance_km is not None else math.inf,
            -n.trade.hiring_potential,
            n.firm.name.casefold(),
        ),
    )
