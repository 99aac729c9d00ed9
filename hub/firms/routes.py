"""`GET /v1/firms`: the firms near a terminal that often hire (docs/protocol.md)."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Header, Response
from pydantic import Field

from hub.api import AUTHENTICATED, terminal_guard
from hub.auth import TerminalIdentity
from hub.feed import etag_matches
from hub.firms.directory import FirmDirectory
from hub.schemas import _Out

if TYPE_CHECKING:
    from hub.app import Services


class FirmTrade(_Out):
    """A trade the firm often hires for."""

    rome: str = Field(description="ROME code", examples=["D1102"])
    label: str = Field(description="The trade's name (the hub's ROME list), else the code.")
    hiring_potential: float
    high: bool = Field(description="La Bonne Boîte calls the potential high.")


class NearbyFirm(_Out):
    """A firm near the terminal that often hires (La Bonne Boîte)."""

    siret: str = Field(pattern=r"^\d{14}$")
    name: str
    sector: str | None = Field(description="The NAF activity's label.")
    naf: str | None
    headcount_min: int | None
    headcount_max: int | None
    latitude: float
    longitude: float
    city: str | None
    postcode: str | None
    trades: list[FirmTrade] = Field(description="Best potential first.")


class TerminalFirms(_Out):
    """The whole list of one terminal: replace the stored one with it."""

    spontaneous: bool = Field(
        description="An organisation receives spontaneous applications: offer the action."
    )
    source: str
    harvested_at: datetime | None = Field(description="The last complete harvest, if any.")
    firms: list[NearbyFirm] = Field(description="Within the terminal's area, best first.")


def firms_router(services: "Services") -> APIRouter:
    """`GET /v1/firms` for terminals."""
    directory = FirmDirectory(services.db, services.settings.config.labonneboite is not None)
    router = APIRouter(prefix="/v1", tags=["terminals"])
    Terminal = Annotated[TerminalIdentity, Depends(terminal_guard(services))]  # noqa: N806

    @router.get(
        "/firms",
        response_model=TerminalFirms,
        operation_id="firms",
        responses={
            **AUTHENTICATED,
            200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
            304: {"description": "The list is the one whose ETag was sent."},
        },
    )
    def terminal_firms(
        terminal: Terminal,
        if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
    ) -> Response:
        """The firms near this terminal that often hire (at most 3,000, the highest hiring
        potential first), and whether spontaneous applications are received. Replace the
        stored list with it; send its ETag back to get 304 while it is the same."""
        etag, key = directory.etag(terminal)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag_matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        body = directory.answer(terminal, key)
        return Response(body, media_type="application/json", headers=headers)

    return router
