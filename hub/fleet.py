"""The fleet page for operators: server-rendered HTML behind a login with the operator token
(a signed, HttpOnly, SameSite=Strict session cookie; forms carry an anti-forgery token)."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
import re
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request, Response, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.concurrency import run_in_threadpool

from hub import __version__, heartbeats
from hub.auth import (
    SESSION_COOKIE,
    SignInForm,
    bearer_token,
    csrf_token,
    make_session,
    read_session,
    same,
)
from hub.errors import ApiError
from hub.firms.store import FirmStore
from hub.fleet_query import (
    STATE_LABELS,
    STATES,
    FleetFilter,
    FleetQueries,
    Page,
    StateFilter,
    page_number,
    parse_settings,
)
from hub.logsafe import shown
from hub.recruiters.funnel import human_delay, percent
from hub.schemas import SOURCE_NAME, TERMINAL_ID
from hub.terminals import iso
from hub.verdicts import Verdicts, first_week

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.fleet")

SESSION_HOURS = 12
# Ties the login form to the browser that loaded it (as the recruiters' sign-in): another site
# cannot log an operator's browser in with a token of its choosing.
LOGIN_COOKIE = "hub_fleet_login"
OFFERS_PAGE = 20
APPLICATIONS_PAGE = 25
VERDICT_WEEKS = 8  # the passers-by's verdict on a terminal's page: its last weeks
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}


def _ago(seconds: float | None) -> str:
    if seconds is None:
        return "never"
    seconds = max(0, int(seconds))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds} s ago"


class _Auth:
    """Who is calling the fleet page: the session cookie, or an operator token header."""

    def __init__(self, services: "Services") -> None:
        self._services = services

    def session(self, request: Request) -> tuple[int, str | None] | None:
        """(operator token id, session cookie or None for a bearer caller), or None."""
        secret = self._services.keys.session_secret
        cookie = request.cookies.get(SESSION_COOKIE)
        operator = read_session(secret, cookie, self._services.clock())
        if operator is not None and self._services.operators.is_active(operator):
            return operator, cookie
        token = bearer_token(request.headers.get("authorization"))
        operator = self._services.operators.authenticate(token) if token else None
        return (operator, None) if operator is not None else None

    def check_form(self, request: Request, csrf: str | None) -> tuple[int, str | None]:
        """The caller of a form post, after checking its anti-forgery token."""
        who = self.session(request)
        if who is None:
            raise ApiError(401, "unauthorised", "log in to the fleet page first")
        cookie = who[1]
        if cookie is not None:
            expected = csrf_token(self._services.keys.session_secret, cookie)
            if not csrf or not same(csrf, expected):
                raise ApiError(403, "forbidden", "the form is stale: reload the fleet page")
        return who


def human_size(megabytes: int | None) -> str:
    """Free disk as people read it: "69.2 GB", "512 MB" (binary units, as `df -h`)."""
    if megabytes is None:
        return ""
    if megabytes < 1024:
        return f"{megabytes} MB"
    if megabytes < 1024 * 1024:
        return f"{megabytes / 1024:.1f} GB"
    return f"{megabytes / 1024 / 1024:.1f} TB"


def link(path: str, params: dict[str, Any] | None = None, **more: Any) -> str:
    """A URL of the fleet page with its query (empty values left out)."""
    query = {k: v for k, v in {**(params or {}), **more}.items() if v not in (None, "", 0)}
    return path + ("?" + urlencode(query) if query else "")


def fleet_router(services: "Services") -> APIRouter:
    """The /fleet pages."""
    router = APIRouter(prefix="/fleet", include_in_schema=False)
    auth = _Auth(services)
    queries = FleetQueries(services.db, services.settings.config.terminals.heartbeat_s)
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["ago"] = lambda epoch_dt: _ago(
        None if epoch_dt is None else services.clock() - epoch_dt.timestamp()
    )
    env.filters["utc"] = lambda value: "" if value is None else value.strftime("%Y-%m-%d %H:%M UTC")
    env.filters["disk"] = human_size
    env.filters["duration"] = lambda seconds: _ago(seconds).removesuffix(" ago")
    env.filters["thousands"] = lambda number: f"{number:,}"
    env.filters["delay"] = human_delay
    env.filters["percent"] = percent
    env.globals["link"] = link
    secure = services.settings.config.server.secure_cookies

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(version=__version__, **context)
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def csrf_of(cookie: str | None) -> str:
        return csrf_token(services.keys.session_secret, cookie) if cookie else ""

    def dashboard(
        cookie: str | None,
        chosen: FleetFilter | None = None,
        page: int | None = None,
        offers_page: int | None = None,
        status: int = 200,
        **extra: Any,
    ) -> HTMLResponse:
        chosen = chosen or FleetFilter()
        now = int(services.clock())
        offers_total = queries.count_offers_with_applications()
        offers_number = page_number(offers_page, offers_total, OFFERS_PAGE)
        per_offer = services.inbox.per_offer(OFFERS_PAGE, (offers_number - 1) * OFFERS_PAGE)
        return render(
            "fleet.html",
            status=status,
            csrf=csrf_of(cookie),
            chosen=chosen,
            filters=chosen.query(),
            terminals=queries.terminals(chosen, page, now, services.terminals.view),
            summary=queries.summary(now),
            states=STATES,
            state_labels=STATE_LABELS,
            versions=queries.versions(),
            codes=services.terminals.pending_codes(),
            offers=services.offers.counts(),
            sources=services.offers.sources(),
            per_offer=Page(offers_number, OFFERS_PAGE, offers_total, per_offer),
            applications=services.inbox.counts(),
            public_key=services.keys.public_key,
            heartbeat_s=services.settings.config.terminals.heartbeat_s,
            retention_days=services.settings.config.retention.applications_days,
            iso=iso,
            mail=services.notifier.fleet_status(),
            firms=FirmStore(services.db, services.clock).fleet_status(
                services.settings.config.labonneboite is not None
            ),
            **extra,
        )

    def terminal_page(
        terminal_id: str, cookie: str | None, page: int | None = None, **extra: Any
    ) -> HTMLResponse:
        terminal = services.terminals.get(terminal_id)
        total = queries.count_applications(terminal_id=terminal_id)
        number = page_number(page, total, APPLICATIONS_PAGE)
        views = list(
            services.inbox.iter_views(
                terminal_id=terminal_id,
                limit=APPLICATIONS_PAGE,
                offset=(number - 1) * APPLICATIONS_PAGE,
            )
        )
        if views:
            log.info("operator read %d applications of terminal %s", len(views), terminal_id)
        heartbeat_s = services.settings.config.terminals.heartbeat_s
        return render(
            "terminal.html",
            csrf=csrf_of(cookie),
            t=terminal,
            config=services.terminals.config(terminal_id),
            history=heartbeats.history(
                services.db, terminal_id, int(services.clock()), heartbeat_s
            ),
            per_hour=max(1, 3600 // heartbeat_s),
            heartbeat_s=heartbeat_s,
            applications=Page(number, APPLICATIONS_PAGE, total, views),
            funnel=services.funnel.terminal(terminal_id),
            verdicts=Verdicts(services.db).terminal(
                terminal_id, first_week(int(services.clock()), VERDICT_WEEKS * 7)
            ),
            verdict_weeks=VERDICT_WEEKS,
            **extra,
        )

    @router.get("/static/fleet.css")
    def stylesheet() -> Response:
        css = (resources.files("hub") / "static" / "fleet.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    login_form = SignInForm(
        services.keys.session_secret, LOGIN_COOKIE, "/fleet", "fleet-login", secure
    )

    def login_page(request: Request, status: int = 200, error: str | None = None) -> Response:
        nonce = login_form.nonce(request.cookies)
        page = render("login.html", status=status, error=error, csrf=login_form.token(nonce))
        return login_form.give(page, nonce)

    @router.get("/login")
    def login_form_page(request: Request) -> Response:
        return login_page(request)

    @router.post("/login")
    def login(
        request: Request,
        token: Annotated[str, Form(max_length=200)],
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        if not login_form.allowed(request.cookies, csrf):
            log.warning("fleet page: a login form without its anti-forgery token was refused")
            return login_page(request, 403, "This form has expired: log in again.")
        operator = services.operators.authenticate(token.strip())
        if operator is None:
            log.warning("fleet page: a login with a wrong operator token")
            return login_page(request, 401, "This is not a valid operator token.")
        expires = int(services.clock()) + SESSION_HOURS * 3600
        cookie = make_session(services.keys.session_secret, operator, expires)
        response = RedirectResponse("/fleet", status_code=303, headers=_HEADERS)
        response.set_cookie(
            SESSION_COOKIE,
            cookie,
            max_age=SESSION_HOURS * 3600,
            path="/fleet",
            httponly=True,
            samesite="strict",
            secure=secure,
        )
        return response

    @router.post("/logout")
    def logout() -> Response:
        response = RedirectResponse("/fleet/login", status_code=303, headers=_HEADERS)
        response.delete_cookie(SESSION_COOKIE, path="/fleet")
        return response

    @router.get("")
    def fleet(
        request: Request,
        q: Annotated[str, Query(max_length=100)] = "",
        state: Annotated[StateFilter, Query()] = "",
        place: Annotated[str, Query(max_length=100)] = "",
        version: Annotated[str, Query(max_length=64)] = "",
        page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        offers_page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        pushed: Annotated[int | None, Query(ge=0)] = None,
    ) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        chosen = FleetFilter(q.strip(), state, place.strip(), version.strip())
        return dashboard(who[1], chosen, page, offers_page, pushed=pushed)

    @router.post("/settings")
    def push_settings(
        request: Request,
        settings: Annotated[str, Form(max_length=20000)],
        target: Annotated[Literal["selected", "matching", "all"], Form()],
        csrf: Annotated[str | None, Form()] = None,
        terminal: Annotated[list[str] | None, Form(max_length=1000)] = None,
        q: Annotated[str, Form(max_length=100)] = "",
        state: Annotated[StateFilter, Form()] = "",
        place: Annotated[str, Form(max_length=100)] = "",
        version: Annotated[str, Form(max_length=64)] = "",
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        chosen = FleetFilter(q.strip(), state, place.strip(), version.strip())
        problem = None
        if target == "selected" and not terminal:
            problem = "No terminal selected: tick the terminals, or choose another group."
        else:
            try:
                changes = parse_settings(settings)
            except ValueError as exc:
                problem = f"Settings not pushed: {exc}"
        if problem is not None:
            return dashboard(
                cookie, chosen, status=422, push_error=problem, push_text=settings, target=target
            )
        count = queries.push_settings(
            changes,
            int(services.clock()),
            chosen if target == "matching" else None,
            terminal if target == "selected" else None,
        )
        log.info("operator pushed settings %s to %d terminals", sorted(changes), count)
        return RedirectResponse(
            link("/fleet", chosen.query(), pushed=count or "0"), status_code=303, headers=_HEADERS
        )

    @router.post("/enrol-code")
    def enrol_code(
        request: Request,
        terminal_id: Annotated[str, Form(pattern=TERMINAL_ID)],
        csrf: Annotated[str | None, Form()] = None,
        replace: Annotated[bool, Form()] = False,
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        code, expires = services.terminals.create_code(terminal_id, replace=replace)
        return dashboard(
            cookie,
            new_code={"code": code, "terminal_id": terminal_id, "expires_at": iso(expires)},
        )

    @router.get("/terminals/{terminal_id}")
    def terminal(
        request: Request,
        terminal_id: Annotated[str, Path(pattern=TERMINAL_ID)],
        page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
        done: Annotated[Literal["resync", "settings", "revoke"] | None, Query()] = None,
    ) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        try:
            return terminal_page(terminal_id, who[1], page, done=done)
        except ApiError as exc:
            if exc.status != 404:
                raise
            return render("missing.html", status=404, what=f"No terminal {terminal_id}.")

    @router.get("/terminals/{terminal_id}/revoke")
    def revoke_confirmation(
        request: Request, terminal_id: Annotated[str, Path(pattern=TERMINAL_ID)]
    ) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        try:
            terminal = services.terminals.get(terminal_id)
        except ApiError:
            return render("missing.html", status=404, what=f"No terminal {terminal_id}.")
        return render("revoke.html", csrf=csrf_of(who[1]), t=terminal)

    @router.post("/terminals/{terminal_id}/settings")
    def terminal_settings(
        request: Request,
        terminal_id: Annotated[str, Path(pattern=TERMINAL_ID)],
        settings: Annotated[str, Form(max_length=20000)],
        csrf: Annotated[str | None, Form()] = None,
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        try:
            changes = parse_settings(settings)
        except ValueError as exc:
            page = terminal_page(
                terminal_id, cookie, push_error=f"Settings not pushed: {exc}", push_text=settings
            )
            page.status_code = 422
            return page
        if not queries.push_settings(changes, int(services.clock()), terminal_ids=[terminal_id]):
            raise ApiError(404, "unknown_terminal", f"no enrolled terminal {terminal_id}")
        log.info("operator pushed settings %s to terminal %s", sorted(changes), terminal_id)
        return RedirectResponse(
            f"/fleet/terminals/{terminal_id}?done=settings", status_code=303, headers=_HEADERS
        )

    @router.post("/terminals/{terminal_id}/{action}")
    def terminal_action(
        request: Request,
        terminal_id: Annotated[str, Path(pattern=TERMINAL_ID)],
        action: Literal["revoke", "resync"],
        csrf: Annotated[str | None, Form()] = None,
        confirm: Annotated[str | None, Form(max_length=64)] = None,
    ) -> Response:
        auth.check_form(request, csrf)
        back = f"/fleet/terminals/{terminal_id}"
        if action == "revoke":
            if confirm != terminal_id:  # revoking takes the confirmation page's own button
                return RedirectResponse(f"{back}/revoke", status_code=303, headers=_HEADERS)
            services.terminals.revoke(terminal_id)
        else:
            services.terminals.request_resync(terminal_id)
        return RedirectResponse(f"{back}?done={action}", status_code=303, headers=_HEADERS)

    @router.get("/offers/{offer_source}/{offer_id}")
    def offer_applications(
        request: Request,
        offer_source: Annotated[str, Path(pattern=SOURCE_NAME)],
        offer_id: Annotated[str, Path(min_length=1, max_length=512)],
        page: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
    ) -> Response:
        if auth.session(request) is None:
            return RedirectResponse("/fleet/login", status_code=303)
        total = queries.count_applications(offer_source, offer_id)
        number = page_number(page, total, APPLICATIONS_PAGE)
        views = list(
            services.inbox.iter_views(
                offer_source,
                offer_id,
                limit=APPLICATIONS_PAGE,
                offset=(number - 1) * APPLICATIONS_PAGE,
            )
        )
        log.info(
            "operator read %d applications of offer %s/%s",
            len(views),
            shown(offer_source),
            shown(offer_id),
        )
        return render(
            "applications.html",
            offer_source=offer_source,
            offer_id=offer_id,
            applications=Page(number, APPLICATIONS_PAGE, total, views),
        )

    @router.get("/export")
    def export(
        request: Request,
        format: Annotated[Literal["csv", "json"], Query()] = "csv",
        offer_source: Annotated[str | None, Query(pattern=SOURCE_NAME)] = None,
        offer_id: Annotated[str | None, Query(min_length=1, max_length=512)] = None,
    ) -> Response:
        from hub.api import export_response  # noqa: PLC0415

        if auth.session(request) is None:
            return RedirectResponse("/fleet/login", status_code=303)
        return export_response(services, format, offer_source, offer_id)

    @router.post("/ingest")
    async def ingest(
        request: Request,
        file: UploadFile,
        csrf: Annotated[str | None, Form()] = None,
        source: Annotated[str | None, Form()] = None,
        full_refresh: Annotated[bool, Form()] = False,
    ) -> Response:
        from hub.api import ingest_upload  # noqa: PLC0415

        _, cookie = auth.check_form(request, csrf)
        name = (source or "").strip() or None
        if name is not None and not _valid_source(name):
            raise ApiError(422, "invalid_request", "source: lower-case letters, digits, . _ -")
        try:  # the multipart parser spooled the file part to disk past 1 MB: read it there
            answer = await ingest_upload(services, file.file, name, full_refresh)
            message = bytes(answer.body).decode()
        except ApiError as exc:
            message = exc.message
        return await run_in_threadpool(dashboard, cookie, ingest_result=message)

    return router


def _valid_source(name: str) -> bool:
    return re.fullmatch(SOURCE_NAME, name) is not None
