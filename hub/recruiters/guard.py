"""Who is signed in on the recruiters' pages: their session cookie, the anti-forgery token of
their forms, the dependency every recruiter page takes, and how those pages are answered.

The cookie holds a random session token (the database keeps its hash: hub/recruiters/
accounts.py); it is HttpOnly, SameSite=Strict and limited to /recruiters. Forms that change
something carry a token derived from the session with the hub's secret.
"""

# No `from __future__ import annotations`: FastAPI reads the annotations of the dependencies
# below at run time.

import logging
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from hub import __version__
from hub.auth import SignInForm, csrf_token, same, token_hash
from hub.fleet import _HEADERS
from hub.models import Organisation, Recruiter, RecruiterSession
from hub.recruiters.accounts import RecruiterIdentity

if TYPE_CHECKING:
    from datetime import datetime

    from hub.app import Services
    from hub.db import Database

log = logging.getLogger("hub.recruiters")

RECRUITER_COOKIE = "hub_recruiter"
# Ties the sign-in form to the browser that loaded it (a random value, no session): another
# site cannot sign a recruiter's browser in to an account of its choosing.
SIGN_IN_COOKIE = "hub_recruiter_sign_in"
COOKIE_PATH = "/recruiters"
SIGN_IN = "/recruiters/sign-in"
HOME = "/recruiters/inbox"
# The fleet page's headers: a strict CSP (no script, no inline style), no framing, no
# referrer (an invitation link holds a token), and nothing of these pages kept in a cache.
HEADERS = dict(_HEADERS)
PARIS = ZoneInfo("Europe/Paris")
_UNKNOWN = object()
_MONTHS = (
    "janv.", "févr.", "mars", "avr.", "mai", "juin",
    "juil.", "août", "sept.", "oct.", "nov.", "déc.",
)  # fmt: skip


class PageAnswer(Exception):  # noqa: N818 (not an error: an answer given from a dependency)
    """A response a dependency gives instead of the page (a redirect to the sign-in, a
    refused form); hub/app.py answers it as it is."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


async def answer_page(_request: Request, exc: Exception) -> Response:
    """The exception handler for `PageAnswer`."""
    assert isinstance(exc, PageAnswer)
    return exc.response


def french_time(value: "datetime | None", now: float | None = None) -> str:
    """A moment as a French recruiter reads it, in Paris time: "aujourd’hui à 14:05",
    "hier à 09:10", "3 déc. à 14:05", "3 déc. 2025 à 14:05"."""
    if value is None:
        return ""
    local = value.astimezone(PARIS)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    if now is not None:
        from datetime import UTC, datetime  # noqa: PLC0415

        today = datetime.fromtimestamp(now, UTC).astimezone(PARIS).date()
        days = (today - local.date()).days
        if days == 0:
            return f"aujourd’hui à {clock}"
        if days == 1:
            return f"hier à {clock}"
        if local.year == today.year:
            return f"{local.day} {_MONTHS[local.month - 1]} à {clock}"
    return f"{local.day} {_MONTHS[local.month - 1]} {local.year} à {clock}"


def environment(services: "Services") -> Environment:
    """The Jinja environment of the recruiters' pages (autoescaped; French filters)."""
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = lambda value: french_time(value, services.clock())
    env.filters["thousands"] = lambda number: f"{number:,}".replace(",", "\u202f")
    return env


def session_holder(db: "Database", cookie: str, now: int) -> int | None:
    """The recruiter whose live session the cookie is, read only (the rate limits use it to
    pick a bucket; pages use `Accounts.identify`, which also pushes the idle expiry)."""
    if not cookie or len(cookie) > 200 or not cookie.isascii():
        return None
    with db.read() as connection:
        row = connection.execute(
            select(RecruiterSession.recruiter_id)
            .join(Recruiter, Recruiter.id == RecruiterSession.recruiter_id)
            .join(Organisation, Organisation.id == Recruiter.organisation_id)
            .where(
                RecruiterSession.token_hash == token_hash(cookie),
                RecruiterSession.expires_at > now,
                RecruiterSession.idle_until > now,
                Recruiter.disabled_at.is_(None),
            )
        ).first()
    return None if row is None else int(row.recruiter_id)


class Guard:
    """The recruiters' session on the pages: who is signed in, their forms' token, and the
    rendering of their pages (with the organisation's name and the sign-out form)."""

    def __init__(self, services: "Services") -> None:
        self._services = services
        self._secret = services.keys.session_secret
        self._section = services.settings.config.recruiters
        self._secure = services.settings.config.server.secure_cookies
        self._sign_in = SignInForm(
            self._secret, SIGN_IN_COOKIE, COOKIE_PATH, "recruiter-sign-in", self._secure
        )
        self.env = environment(services)

    # -- the session ---------------------------------------------------------------------------

    @staticmethod
    def cookie(request: Request) -> str | None:
        """The session token the browser sent, if any."""
        value = request.cookies.get(RECRUITER_COOKIE)
        return value if value and len(value) <= 200 and value.isascii() else None

    def identify(self, request: Request) -> RecruiterIdentity | None:
        """The signed-in recruiter (once per request), or None."""
        who = getattr(request.state, "recruiter", _UNKNOWN)
        if who is _UNKNOWN:
            cookie = self.cookie(request)
            who = self._services.accounts.identify(cookie) if cookie else None
            request.state.recruiter = who
        return who if isinstance(who, RecruiterIdentity) else None

    def signed_in(self, request: Request) -> RecruiterIdentity:
        """Dependency: the signed-in recruiter; else browsers go to the sign-in page (303)
        and other clients get a 401."""
        who = self.identify(request)
        if who is not None:
            return who
        accept = request.headers.get("accept", "")
        if "application/json" in accept and "text/html" not in accept:
            raise PageAnswer(
                Response(
                    b'{"error":"unauthorised","message":"sign in on /recruiters/sign-in",'
                    b'"details":null}',
                    status_code=401,
                    media_type="application/json",
                    headers=HEADERS,
                )
            )
        raise PageAnswer(RedirectResponse(SIGN_IN, status_code=303, headers=HEADERS))

    def checked(
        self, request: Request, csrf: Annotated[str | None, Form(max_length=200)] = None
    ) -> RecruiterIdentity:
        """Dependency of the forms that change something: the signed-in recruiter, after
        checking the form's anti-forgery token (403 page when it is missing or wrong)."""
        who = self.signed_in(request)
        if not csrf or not same(csrf, self.csrf(request)):
            log.warning("recruiters: a form without its anti-forgery token was refused")
            raise PageAnswer(
                self.render(
                    request,
                    "recruiters/problem.html",
                    status=403,
                    title="Formulaire expiré",
                    message="Ce formulaire a expiré. Rechargez la page et recommencez.",
                )
            )
        return who

    def csrf(self, request: Request) -> str:
        """The anti-forgery token of this browser's session ("" when not signed in)."""
        cookie = self.cookie(request)
        return csrf_token(self._secret, "recruiter|" + cookie) if cookie else ""

    def sign_in_page(self, request: Request, status: int = 200, **context: Any) -> HTMLResponse:
        """The sign-in page, its form tied to this browser by a token and a cookie."""
        nonce = self._sign_in.nonce(request.cookies)
        page = self.render(
            request,
            "recruiters/sign_in.html",
            status=status,
            me=None,
            csrf=self._sign_in.token(nonce),
            **context,
        )
        self._sign_in.give(page, nonce)
        return page

    def sign_in_allowed(self, request: Request, csrf: str) -> bool:
        """Whether a sign-in form came from a page this browser loaded from the hub."""
        return self._sign_in.allowed(request.cookies, csrf)

    def start(self, response: Response, session_token: str) -> Response:
        """Give the browser its session cookie."""
        response.set_cookie(
            RECRUITER_COOKIE,
            session_token,
            max_age=int(self._section.session_hours * 3600),
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=self._secure,
        )
        return response

    def end(self, response: Response) -> Response:
        """Take the session cookie back."""
        response.delete_cookie(
            RECRUITER_COOKIE,
            path=COOKIE_PATH,
            httponly=True,
            samesite="strict",
            secure=self._secure,
        )
        return response

    # -- the pages -----------------------------------------------------------------------------

    def render(
        self, request: Request, template: str, /, status: int = 200, **context: Any
    ) -> HTMLResponse:
        """A recruiters' page: `_layout.html` gets `me` (the signed-in recruiter, or None),
        `csrf` (for the sign-out form and others) and `here` (the nav entry to mark)."""
        context.setdefault("me", self.identify(request))
        context.setdefault("csrf", self.csrf(request) if context["me"] else "")
        html = self.env.get_template(template).render(version=__version__, **context)
        return HTMLResponse(html, status_code=status, headers=HEADERS)

    @staticmethod
    def redirect(location: str) -> Response:
        """A 303 to another recruiters' page."""
        return RedirectResponse(location, status_code=303, headers=HEADERS)

    @staticmethod
    def stylesheet() -> Response:
        css = (resources.files("hub") / "static" / "recruiters.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
