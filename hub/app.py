"""The ASGI application: built from its collaborators (settings, database, keys, clock)."""

from __future__ import annotations

import logging
import re
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from starlette.exceptions import HTTPException as StarletteHTTPException

from hub import Clock, heartbeats, verdicts
from hub.api import admin_router, json_response, terminal_router
from hub.auth import Operators
from hub.db import Database
from hub.errors import ApiError
from hub.feed import Feed
from hub.firms.routes import firms_router
from hub.firms.store import FIRM_HARVESTS_DAYS, FirmStore
from hub.fleet import fleet_router
from hub.inbox import Inbox
from hub.keys import HubKeys
from hub.limits import LimitsMiddleware
from hub.logsafe import shown
from hub.offers import OfferRepository
from hub.public import public_router
from hub.recruiters.accounts import Accounts
from hub.recruiters.admin_api import organisations_router
from hub.recruiters.funnel import VIEWS_DAYS, Funnel, purge_views
from hub.recruiters.funnel_page import funnel_router
from hub.recruiters.guard import PageAnswer, answer_page
from hub.recruiters.notify import Notifier
from hub.recruiters.operator_pages import organisations_pages
from hub.recruiters.ownership import Ownership
from hub.recruiters.posting_pages import postings_router
from hub.recruiters.postings import Postings
from hub.recruiters.web import recruiter_router
from hub.schemas import SealedApplication
from hub.services_corner import ServicesCorner, services_router
from hub.settings import HubSettings
from hub.terminals import Terminals

log = logging.getLogger("hub")

PROTOCOL_VERSION = "1.0"
DESCRIPTION = """\
The protocol between Job Kiosk terminals and their hub (docs/protocol.md explains it).

Terminals enrol once with a one-time code, then authenticate every call with
`Authorization: Bearer <token>`. They page through their offers feed with a server-assigned
cursor, deliver sealed applications idempotently on the application's UUID, and send a
heartbeat whose answer may carry configuration. Operators use `/v1/admin/*` with an
operator token.
"""
_REF = "#/components/schemas/{model}"
_STATUS_CODES = {
    400: "bad_request",
    401: "unauthorised",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
}


@dataclass(frozen=True, slots=True)
class Services:
    """Everything the routes use, built once per process."""

    settings: HubSettings
    db: Database
    keys: HubKeys
    clock: Clock
    terminals: Terminals
    operators: Operators
    offers: OfferRepository
    feed: Feed
    inbox: Inbox
    services_corner: ServicesCorner
    accounts: Accounts
    ownership: Ownership
    notifier: Notifier
    postings: Postings
    funnel: Funnel

    def purge(self) -> dict[str, int]:
        """Apply the retention rules now: application bodies, tombstones, old codes."""
        retention = self.settings.config.retention
        now = self.clock()
        return {
            "applications": self.inbox.purge(int(now - retention.applications_days * 86400)),
            "tombstones": self.offers.purge_tombstones(
                int(now - retention.tombstones_days * 86400)
            ),
            "codes": self.terminals.purge_codes(),
            "heartbeat_hours": heartbeats.purge(
                self.db, int(now - heartbeats.HISTORY_DAYS * 86400)
            ),
            "recruiter_sessions": self.accounts.purge_sessions(),
            "offer_views": purge_views(self.db, int(now - VIEWS_DAYS * 86400)),
            "notifications": self.notifier.purge(int(now - retention.applications_days * 86400)),
            "firm_harvests": FirmStore(self.db, self.clock).purge(
                int(now - FIRM_HARVESTS_DAYS * 86400)
            ),
            "verdict_weeks": verdicts.purge(self.db, int(now)),
        }


def build_services(
    settings: HubSettings,
    db: Database,
    keys: HubKeys,
    clock: Clock = time.time,
    on_application: Callable[[], None] | None = None,
) -> Services:
    """The services over one database; `on_application` is called after each new one."""
    config = settings.config
    accounts = Accounts(db, clock, config.recruiters)
    offers = OfferRepository(db, clock)
    services = Services(
        settings=settings,
        db=db,
        keys=keys,
        clock=clock,
        terminals=Terminals(db, clock, config.terminals),
        operators=Operators(db, clock),
        offers=offers,
        feed=Feed(db, config.feed.include_unlocated, config.feed.cache_mb << 20),
        inbox=Inbox(
            db, keys, clock, webhook=config.webhook.url is not None, on_received=on_application
        ),
        services_corner=ServicesCorner(db, clock),
        accounts=accounts,
        ownership=Ownership(db, clock),
        notifier=Notifier(db, clock, config.smtp, config.recruiters, accounts.recipients),
        postings=Postings.build(db, clock, offers, config.geocoding),
        funnel=Funnel(db, clock),
    )
    # The recruiters' mail batch is counted in the transaction that stores the application.
    services.inbox.on_arrival.append(services.notifier.on_arrival)
    services.ownership.on_arrivals.append(services.notifier.on_arrivals)
    services.accounts.on_arrivals.append(services.notifier.on_arrivals)
    return services


def _error(
    status: int, code: str, message: str, details: Any = None, headers: dict[str, str] | None = None
) -> Response:
    return json_response(
        {"error": code, "message": message, "details": details}, status, headers=headers
    )


def _field(location: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in location)


def _hoist_definitions(node: Any, components: dict[str, Any]) -> None:
    """Move the `$defs` of schemas written inline in a route (a model's own JSON schema) into
    the components, and point their `#/$defs/…` references there: in an OpenAPI document
    `#/$defs` would resolve against the document's root, where there is nothing."""
    if isinstance(node, list):
        for item in node:
            _hoist_definitions(item, components)
        return
    if not isinstance(node, dict):
        return
    for name, definition in node.pop("$defs", {}).items():
        _hoist_definitions(definition, components)
        components.setdefault(name, definition)
    reference = node.get("$ref")
    if isinstance(reference, str) and reference.startswith("#/$defs/"):
        node["$ref"] = _REF.format(model=reference.removeprefix("#/$defs/"))
    for value in node.values():
        _hoist_definitions(value, components)


def _allowed(app: FastAPI, path: str) -> list[str] | None:
    """The methods the description declares for `path` (GET brings HEAD), None if none."""
    methods: set[str] = set()
    for template, operations in app.openapi()["paths"].items():
        pattern = re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            methods |= {method.upper() for method in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods) or None


def create_app(services: Services, limits_clock: Clock = time.monotonic) -> FastAPI:
    """The hub's ASGI application (JSON API, fleet page, OpenAPI description)."""
    app = FastAPI(
        title="Job Kiosk hub",
        version=PROTOCOL_VERSION,
        description=DESCRIPTION,
        docs_url=None,  # the interactive pages load scripts from a CDN: not on an operator hub
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> Response:
        return _error(exc.status, exc.code, exc.message, headers=exc.headers)

    # A recruiters' page answered from a dependency (a redirect to the sign-in, a stale form).
    app.add_exception_handler(PageAnswer, answer_page)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> Response:
        details = [
            {"field": _field(error.get("loc", ())), "problem": str(error.get("msg", "invalid"))}
            for error in exc.errors()
        ]
        summary = "; ".join(f"{d['field']}: {d['problem']}" for d in details[:3])
        return _error(422, "invalid_request", f"the request is not valid: {summary}", details)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code = _STATUS_CODES.get(exc.status_code, "error")
        headers = dict(exc.headers) if exc.headers else None
        if exc.status_code == 405 and (allowed := _allowed(app, request.url.path)):
            # Starlette names the methods of the first route whose path matched; a path served
            # by several routes (GET and PATCH of a terminal) has them all.
            headers = (headers or {}) | {"Allow": ", ".join(allowed)}
        return _error(exc.status_code, code, str(exc.detail), headers=headers)

    @app.exception_handler(Exception)
    async def internal(request: Request, exc: Exception) -> Response:
        # The type and where, never the values: they may hold personal data.
        frames = traceback.extract_tb(exc.__traceback__)[-6:]
        where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
        log.error(
            "internal error on %s %s: %s at %s",
            shown(request.method),
            shown(request.url.path),
            type(exc).__name__,
            where,
        )
        return _error(500, "internal", "internal error: the hub's log has the details")

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            sealed = SealedApplication.model_json_schema(ref_template=_REF)
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            components.update(sealed.pop("$defs", {}))
            components["SealedApplication"] = sealed
            _hoist_definitions(schema["paths"], components)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    app.include_router(terminal_router(services))
    app.include_router(admin_router(services))
    app.include_router(organisations_router(services))
    app.include_router(fleet_router(services))
    app.include_router(organisations_pages(services))
    app.include_router(funnel_router(services))
    app.include_router(public_router(services))
    app.include_router(services_router(services))
    app.include_router(firms_router(services))
    app.include_router(recruiter_router(services))
    app.include_router(postings_router(services))
    app.add_middleware(
        LimitsMiddleware,
        limits=services.settings.config.limits,
        clock=limits_clock,
        services=services,
    )
    return app
