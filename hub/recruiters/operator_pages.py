"""The operator's pages of organisations, /fleet/organisations: list and create them, invite
and disable recruiters, add and remove ownership rules (behind the fleet login; forms carry
the anti-forgery token; no script)."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, PackageLoader, select_autoescape

from hub import __version__
from hub.auth import csrf_token
from hub.errors import ApiError
from hub.fleet import _HEADERS, _Auth
from hub.recruiters.accounts import SLUG, OrganisationRow, invitation_url
from hub.recruiters.admin_api import public_base
from hub.recruiters.ownership import KINDS

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.recruiters.operator")

KIND_LABELS = {
    "offer": "One offer (SOURCE/ID)",
    "siret": "SIRET (14 digits)",
    "company": "Company name",
    "source": "Source",
}
STATE_LABELS = {"invited": "invited", "active": "active", "disabled": "disabled"}
Slug = Annotated[str, Path(pattern=SLUG, max_length=64)]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
Csrf = Annotated[str | None, Form()]
Done = Literal["created", "spontaneous", "disabled", "rule-added", "rule-removed"]


def _utc(epoch: int | None) -> str:
    if epoch is None:
        return "never"
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M UTC")


def organisations_pages(services: "Services") -> APIRouter:
    """The /fleet/organisations pages."""
    router = APIRouter(prefix="/fleet/organisations", include_in_schema=False)
    auth = _Auth(services)
    accounts, ownership = services.accounts, services.ownership
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["utc"] = _utc

    def render(name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(
            version=__version__, kinds=KIND_LABELS, state_labels=STATE_LABELS, **context
        )
        return HTMLResponse(html, status_code=status, headers=_HEADERS)

    def csrf_of(cookie: str | None) -> str:
        return csrf_token(services.keys.session_secret, cookie) if cookie else ""

    def find(slug: str) -> OrganisationRow | None:
        return next((row for row in accounts.organisations() if row.slug == slug), None)

    def listing(cookie: str | None, status: int = 200, **extra: Any) -> HTMLResponse:
        return render(
            "operator_organisations.html",
            status=status,
            csrf=csrf_of(cookie),
            organisations=accounts.organisations(),
            **extra,
        )

    def detail(
        organisation: OrganisationRow, cookie: str | None, status: int = 200, **extra: Any
    ) -> HTMLResponse:
        return render(
            "operator_organisation.html",
            status=status,
            csrf=csrf_of(cookie),
            o=organisation,
            recruiters=accounts.recruiters(organisation.id),
            rules=ownership.rules(organisation.id),
            **extra,
        )

    def missing(slug: str) -> HTMLResponse:
        return render("missing.html", status=404, what=f"No organisation {slug}.")

    def back(slug: str, done: str, **counts: int) -> Response:
        query = "&".join(f"{key}={value}" for key, value in counts.items())
        target = f"/fleet/organisations/{slug}?done={done}" + (f"&{query}" if query else "")
        return RedirectResponse(target, status_code=303, headers=_HEADERS)

    @router.get("")
    def organisations(request: Request) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        return listing(who[1], form={})

    @router.post("")
    def create(
        request: Request,
        csrf: Csrf = None,
        slug: Annotated[str, Form(max_length=200)] = "",
        name: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        try:
            accounts.create_organisation(slug.strip(), name)
        except ApiError as exc:
            return listing(
                cookie, status=exc.status, problem=exc.message, form={"slug": slug, "name": name}
            )
        log.info("operator created organisation %s", slug.strip())
        return back(slug.strip(), "created")

    @router.get("/{slug}")
    def organisation(
        request: Request,
        slug: Slug,
        done: Annotated[Done | None, Query()] = None,
        offers: Annotated[int | None, Query(ge=0)] = None,
        applications: Annotated[int | None, Query(ge=0)] = None,
    ) -> Response:
        who = auth.session(request)
        if who is None:
            return RedirectResponse("/fleet/login", status_code=303)
        found = find(slug)
        if found is None:
            return missing(slug)
        moved = None if offers is None else {"offers": offers, "applications": applications or 0}
        return detail(found, who[1], done=done, moved=moved, invite={}, rule={})

    @router.post("/{slug}/spontaneous")
    def spontaneous(request: Request, slug: Slug, csrf: Csrf = None) -> Response:
        auth.check_form(request, csrf)
        found = find(slug)
        if found is None:
            return missing(slug)
        accounts.set_spontaneous(found.id)
        return back(slug, "spontaneous")

    @router.post("/{slug}/invite")
    def invite(
        request: Request,
        slug: Slug,
        csrf: Csrf = None,
        email: Annotated[str, Form(max_length=400)] = "",
        name: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        found = find(slug)
        if found is None:
            return missing(slug)
        try:
            token = accounts.invite(found.id, email, name)
        except ApiError as exc:
            return detail(
                found,
                cookie,
                status=exc.status,
                invite_problem=exc.message,
                invite={"email": email, "name": name},
                rule={},
            )
        log.info("operator invited a recruiter to organisation %s", slug)
        days = services.settings.config.recruiters.invitation_days
        return detail(
            found,
            cookie,
            invited={
                "name": " ".join(name.split()),
                "url": invitation_url(public_base(services, request), token),
                "expires_at": _utc(int(services.clock()) + days * 86400),
            },
            invite={},
            rule={},
        )

    @router.post("/{slug}/recruiters/{recruiter_id}/disable")
    def disable(request: Request, slug: Slug, recruiter_id: Id, csrf: Csrf = None) -> Response:
        auth.check_form(request, csrf)
        found = find(slug)
        if found is None or recruiter_id not in {r.id for r in accounts.recruiters(found.id)}:
            return render("missing.html", status=404, what=f"No such recruiter in {slug}.")
        accounts.disable(recruiter_id)
        return back(slug, "disabled")

    @router.post("/{slug}/rules")
    def add_rule(
        request: Request,
        slug: Slug,
        csrf: Csrf = None,
        kind: Annotated[str, Form(max_length=16)] = "",
        value: Annotated[str, Form(max_length=600)] = "",
    ) -> Response:
        _, cookie = auth.check_form(request, csrf)
        found = find(slug)
        if found is None:
            return missing(slug)
        try:
            if kind not in KINDS:
                raise ApiError(422, "invalid_request", "choose which offers the rule gives")
            change = ownership.add(found.id, kind, value)
        except ApiError as exc:
            return detail(
                found,
                cookie,
                status=exc.status,
                rule_problem=exc.message,
                rule={"kind": kind, "value": value},
                invite={},
            )
        return back(slug, "rule-added", offers=change.offers, applications=change.applications)

    @router.post("/{slug}/rules/{rule_id}/remove")
    def remove_rule(request: Request, slug: Slug, rule_id: Id, csrf: Csrf = None) -> Response:
        auth.check_form(request, csrf)
        found = find(slug)
        rule = None
        if found is not None:
            rule = next((r for r in ownership.rules(found.id) if r.id == rule_id), None)
        if found is None or rule is None:
            return render("missing.html", status=404, what=f"No such rule in {slug}.")
        change = ownership.remove(rule.kind, rule.value)
        return back(slug, "rule-removed", offers=change.offers, applications=change.applications)

    return router
