"""The services corner: public services the operator curates (training search, CV help, digital
skills, the local agency) and the list each terminal takes, by need, with its version.

A terminal fetches its whole list in the sync step that follows its feed pull
(`GET /v1/services`, docs/protocol.md): a few dozen short entries, so the list travels whole,
with an ETag that is the digest of what this terminal gets. An entry with an area (an agency)
reaches only the terminals within its radius.
"""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import hashlib
import logging
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlsplit

import orjson
from fastapi import APIRouter, Depends, Header, Path, Response
from pydantic import Field, field_validator
from sqlalchemy import case, delete, func, insert, select, update

from hub import Clock
from hub.api import _TOO_LARGE, ADMIN, AUTHENTICATED, json_response, operator_guard, terminal_guard
from hub.auth import TerminalIdentity
from hub.db import Database
from hub.errors import ApiError
from hub.feed import etag_matches
from hub.models import ServiceEntry
from hub.schemas import Error, _In, _Out
from hub.terminals import iso
from kiosk.geo import Point, haversine_km

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.services")

# The needs a passer-by chooses from, in the order the terminal shows them (the terminal has
# their words in every language; these are the operator's).
CATEGORIES: dict[str, str] = {
    "choose_trade": "Choose a trade (Choisir un métier)",
    "train": "Train (Me former)",
    "prepare": "Prepare my application (Préparer ma candidature)",
    "digital": "Get help with digital (Me faire aider au numérique)",
    "agency": "The local agency (address, hours, phone)",
}
Category = Literal["choose_trade", "train", "prepare", "digital", "agency"]
MAX_ENTRIES = 200  # a corner, not a directory: a terminal shows them all
TITLE_MAX, TEXT_MAX, URL_MAX = 120, 600, 500
LANGUAGE = r"^[a-z]{2,3}$"
# What the validators below check, said in the schema too (clients and generated tests see it):
# plain text keeps line breaks and tabs only; a title or a place has a visible character; an
# address is http(s) with a host.
PLAIN = r"^[^\x00-\x08\x0b-\x1f\x7f]*$"
LINE = r"^[^\x00-\x1f\x7f]*[^\s\x00-\x1f\x7f][^\x00-\x1f\x7f]*$"
URL = r"^https?://[^\s/?#@:\[\]]+(:[0-9]{1,5})?([/?#][^\s]*)?$"
ServiceId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _no_controls(value: str) -> str:
    """Plain text on a terminal: line breaks and tabs, no other control character."""
    if any(ord(char) < 32 and char not in "\n\t" for char in value) or "\x7f" in value:
        raise ValueError("must not hold control characters")
    return value


class ServiceArea(_In):
    """Where an entry is useful (an agency): only terminals within `radius_km` get it."""

    label: Annotated[str, Field(min_length=1, max_length=120, pattern=LINE, examples=["Paris 12e"])]
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    radius_km: Annotated[float, Field(gt=0, le=1000)]

    @field_validator("label")
    @classmethod
    def _label(cls, value: str) -> str:
        value = _no_controls(value.strip())
        if not value:
            raise ValueError("must not be blank")
        return value


class ServiceFields(_In):
    """An entry as the operator writes it."""

    category: Category = Field(description="The need it answers: " + ", ".join(CATEGORIES))
    title: Annotated[str, Field(min_length=1, max_length=TITLE_MAX, pattern=LINE, examples=["Pix"])]
    text: Annotated[str, Field(max_length=TEXT_MAX, pattern=PLAIN)] = Field(
        default="", description="A few plain sentences (an agency: address, hours, phone)."
    )
    url: Annotated[
        str,
        Field(
            max_length=URL_MAX,
            pattern=URL,
            examples=["https://pix.fr"],
            description="The page its QR code opens (http or https).",
        ),
    ]
    languages: Annotated[
        list[Annotated[str, Field(pattern=LANGUAGE)]],
        Field(max_length=8, description="The languages it serves (`fr`, `en`…); none: any."),
    ] = Field(default_factory=list)
    area: ServiceArea | None = Field(
        default=None, description="Only for terminals near it (an agency); none: every terminal."
    )

    @field_validator("title", "text")
    @classmethod
    def _plain(cls, value: str) -> str:
        return _no_controls(value.strip())

    @field_validator("title")
    @classmethod
    def _title(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be blank")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http or https address with a host")
        return value

    @field_validator("languages")
    @classmethod
    def _languages(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))  # each once, in the operator's order


class ServiceView(ServiceFields):
    """An entry as the hub keeps it."""

    id: int
    created_at: datetime
    updated_at: datetime


class ServiceList(_Out):
    """Every entry, by need."""

    services: list[ServiceView]


class TerminalService(_Out):
    """An entry as a terminal gets it."""

    id: int
    category: Category
    title: str
    text: str
    url: str
    languages: list[str]


class TerminalServices(_Out):
    """The whole list of one terminal, and its version (the ETag's digest)."""

    services: list[TerminalService]
    version: str


def _category_order() -> Any:
    return case({name: rank for rank, name in enumerate(CATEGORIES)}, value=ServiceEntry.category)


class ServicesCorner:
    """The entries: kept by operators, read by terminals."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # -- operators ---------------------------------------------------------------------------

    def list_all(self) -> list[dict[str, Any]]:
        """Every entry, by need, oldest first within a need."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(ServiceEntry).order_by(_category_order(), ServiceEntry.id)
            ).all()
        return [_view(row._mapping) for row in rows]

    def get(self, service_id: int) -> dict[str, Any]:
        """One entry; ApiError 404 when there is none."""
        with self._db.read() as connection:
            row = connection.execute(
                select(ServiceEntry).where(ServiceEntry.id == service_id)
            ).first()
        if row is None:
            raise ApiError(404, "not_found", f"no service {service_id}")
        return _view(row._mapping)

    def add(self, fields: ServiceFields) -> dict[str, Any]:
        """A new entry; ApiError 409 when the corner is full."""
        now = int(self._clock())
        with self._db.write() as connection:
            count = connection.scalar(select(func.count()).select_from(ServiceEntry)) or 0
            if count >= MAX_ENTRIES:
                raise ApiError(409, "conflict", f"the corner holds {MAX_ENTRIES} services at most")
            new_id = connection.execute(
                insert(ServiceEntry).values(**_columns(fields), created_at=now, updated_at=now)
            ).inserted_primary_key
        assert new_id is not None
        service_id = int(new_id[0])
        log.info("service %d added (%s)", service_id, fields.category)
        return self.get(service_id)

    def replace(self, service_id: int, fields: ServiceFields) -> dict[str, Any]:
        """Change every field of an entry; ApiError 404 when there is none."""
        with self._db.write() as connection:
            changed = connection.execute(
                update(ServiceEntry)
                .where(ServiceEntry.id == service_id)
                .values(**_columns(fields), updated_at=int(self._clock()))
            ).rowcount
        if not changed:
            raise ApiError(404, "not_found", f"no service {service_id}")
        log.info("service %d changed (%s)", service_id, fields.category)
        return self.get(service_id)

    def remove(self, service_id: int) -> None:
        """Delete an entry (terminals drop it at their next sync); ApiError 404 if none."""
        with self._db.write() as connection:
            gone = connection.execute(
                delete(ServiceEntry).where(ServiceEntry.id == service_id)
            ).rowcount
        if not gone:
            raise ApiError(404, "not_found", f"no service {service_id}")
        log.info("service %d removed", service_id)

    # -- terminals ---------------------------------------------------------------------------

    def for_terminal(self, terminal: TerminalIdentity) -> tuple[bytes, str]:
        """The JSON list a terminal gets and its ETag: entries without an area, and those
        whose area holds the terminal."""
        centre = Point(terminal.latitude, terminal.longitude)
        with self._db.read() as connection:
            rows = connection.execute(
                select(ServiceEntry).order_by(_category_order(), ServiceEntry.id)
            ).all()
        entries = []
        for row in rows:
            entry = row._mapping
            if entry["radius_km"] is not None and entry["latitude"] is not None:
                distance = haversine_km(centre, entry["latitude"], entry["longitude"])
                if distance > entry["radius_km"]:
                    continue
            entries.append(
                {
                    "id": entry["id"],
                    "category": entry["category"],
                    "title": entry["title"],
                    "text": entry["text"],
                    "url": entry["url"],
                    "languages": _languages(entry["languages"]),
                }
            )
        listing = orjson.dumps(entries)
        version = hashlib.sha256(listing).hexdigest()[:32]
        body = orjson.dumps({"services": orjson.Fragment(listing), "version": version})
        return body, f'W/"{version}"'


def _columns(fields: ServiceFields) -> dict[str, Any]:
    area = fields.area
    return {
        "category": fields.category,
        "title": fields.title,
        "text": fields.text,
        "url": fields.url,
        "languages": ",".join(fields.languages),
        "place_label": area.label if area else None,
        "latitude": area.latitude if area else None,
        "longitude": area.longitude if area else None,
        "radius_km": area.radius_km if area else None,
    }


def _languages(stored: str) -> list[str]:
    return [code for code in stored.split(",") if code]


def _view(entry: Mapping[Any, Any]) -> dict[str, Any]:
    area = None
    if entry["radius_km"] is not None:
        area = {
            "label": entry["place_label"] or "",
            "latitude": entry["latitude"],
            "longitude": entry["longitude"],
            "radius_km": entry["radius_km"],
        }
    return {
        "id": entry["id"],
        "category": entry["category"],
        "title": entry["title"],
        "text": entry["text"],
        "url": entry["url"],
        "languages": _languages(entry["languages"]),
        "area": area,
        "created_at": iso(entry["created_at"]),
        "updated_at": iso(entry["updated_at"]),
    }


# -- routes ------------------------------------------------------------------------------------

_MISSING: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "No such service."}
}


def services_router(services: "Services") -> APIRouter:
    """`GET /v1/services` for terminals, `/v1/admin/services` for operators, and the
    operator's page /fleet/services."""
    from hub.services_pages import services_pages  # noqa: PLC0415 (the page imports this module)

    corner = services.services_corner
    router = APIRouter()
    terminals = APIRouter(prefix="/v1", tags=["terminals"])
    Terminal = Annotated[TerminalIdentity, Depends(terminal_guard(services))]  # noqa: N806

    @terminals.get(
        "/services",
        response_model=TerminalServices,
        operation_id="services",
        responses={
            **AUTHENTICATED,
            200: {"headers": {"ETag": {"schema": {"type": "string"}}}},
            304: {"description": "The list is the one whose ETag was sent."},
        },
    )
    def terminal_services(
        terminal: Terminal,
        if_none_match: Annotated[str | None, Header(max_length=1000)] = None,
    ) -> Response:
        """The services corner of this terminal, whole (entries with an area only near it).
        Replace the stored list with it; send its ETag back to get 304 while it is the same."""
        body, etag = corner.for_terminal(terminal)
        headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
        if etag_matches(if_none_match, etag):
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    admin = APIRouter(
        prefix="/v1/admin", tags=["operators"], dependencies=[Depends(operator_guard(services))]
    )

    @admin.get(
        "/services", response_model=ServiceList, operation_id="listServices", responses=ADMIN
    )
    def list_services() -> Response:
        """Every entry of the services corner, by need."""
        return json_response({"services": corner.list_all()})

    @admin.post(
        "/services",
        status_code=201,
        response_model=ServiceView,
        operation_id="addService",
        responses={
            **ADMIN,
            **_TOO_LARGE,
            409: {"model": Error, "description": f"The corner holds {MAX_ENTRIES} already."},
        },
    )
    def add_service(body: ServiceFields) -> Response:
        """Add an entry; terminals get it at their next sync."""
        return json_response(corner.add(body), 201)

    @admin.get(
        "/services/{service_id}",
        response_model=ServiceView,
        operation_id="getService",
        responses={**ADMIN, **_MISSING},
    )
    def get_service(service_id: ServiceId) -> Response:
        """One entry."""
        return json_response(corner.get(service_id))

    @admin.put(
        "/services/{service_id}",
        response_model=ServiceView,
        operation_id="replaceService",
        responses={**ADMIN, **_TOO_LARGE, **_MISSING},
    )
    def replace_service(service_id: ServiceId, body: ServiceFields) -> Response:
        """Replace an entry whole; terminals get the change at their next sync."""
        return json_response(corner.replace(service_id, body))

    @admin.delete(
        "/services/{service_id}",
        status_code=204,
        operation_id="removeService",
        responses={**ADMIN, **_MISSING},
    )
    def remove_service(service_id: ServiceId) -> Response:
        """Remove an entry; terminals drop it at their next sync."""
        corner.remove(service_id)
        return Response(status_code=204)

    router.include_router(terminals)
    router.include_router(admin)
    router.include_router(services_pages(services))
    return router
