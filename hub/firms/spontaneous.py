"""Spontaneous applications: a passer-by writes to a firm near here that often hires, through
the organisation the operator designates (`kiosk-hub organisation spontaneous SLUG`), never
to the firm itself. They travel as ordinary applications whose offer is
`spontaneous/<siret>.<rome>`; the sealed body names the firm as the passer-by saw it."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from hub.models import Firm, Organisation, RomeEntry

SOURCE = "spontaneous"  # the offer_source of a spontaneous application
LABEL = "Candidature spontanée"
_OFFER_ID = re.compile(r"(\d{14})\.([A-N]\d{4})")


@dataclass(frozen=True, slots=True)
class Target:
    """The firm and trade a spontaneous application is about, as the recruiter sees them."""

    siret: str
    name: str
    city: str
    trade: str  # the trade's label, else its code

    @property
    def title(self) -> str:
        """One line for a list or a mail: "Candidature spontanée — Boulanger · Martin (Paris)"."""
        firm = self.name or f"SIRET {self.siret}"
        where = f" ({self.city})" if self.city else ""
        trade = f"{self.trade} · " if self.trade else ""
        return f"{LABEL} — {trade}{firm}{where}"


def spontaneous_organisation(connection: Connection) -> int | None:
    """The organisation receiving spontaneous applications, if the operator chose one."""
    found = connection.scalar(
        select(Organisation.id)
        .where(Organisation.spontaneous.is_(True))
        .order_by(Organisation.id)
        .limit(1)
    )
    return None if found is None else int(found)


def split_offer_id(offer_id: str) -> tuple[str, str] | None:
    """(SIRET, ROME) of "12345678900012.D1102", or None."""
    match = _OFFER_ID.fullmatch(offer_id)
    return None if match is None else (match.group(1), match.group(2))


def _line(value: Any, limit: int = 200) -> str:
    return " ".join(value.split())[:limit] if isinstance(value, str) else ""


def target_of(connection: Connection, offer_id: str, content: Mapping[str, Any] | None) -> Target:
    """What the application targets: the sealed `firm` (what the passer-by saw), completed
    from the hub's firms table and ROME list (the firm may have gone since)."""
    sealed = content.get("firm") if content else None
    firm: Mapping[str, Any] = sealed if isinstance(sealed, Mapping) else {}
    offer = content.get("offer") if content else None
    sealed_title = offer.get("title") if isinstance(offer, Mapping) else None
    parts = split_offer_id(offer_id)
    siret = _line(firm.get("siret"), 14) or (parts[0] if parts else "")
    rome = _line(firm.get("rome"), 5) or (parts[1] if parts else "")
    name, city = _line(firm.get("name")), _line(firm.get("city"), 120)
    trade = _line(firm.get("trade")) or _line(sealed_title)
    if (not name or not city) and siret:
        known = connection.execute(
            select(Firm.name, Firm.city).where(Firm.siret == siret).limit(1)
        ).first()
        if known is not None:
            name, city = name or known.name, city or (known.city or "")
    if not trade and rome:
        trade = connection.scalar(select(RomeEntry.label).where(RomeEntry.code == rome)) or rome
    return Target(siret=siret, name=name, city=city, trade=trade)
