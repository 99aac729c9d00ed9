"""The recruiters' pages (/recruiters, in French): signing in, accepting an invitation, the
inbox, one application with its status, the search by reference code, the CSV export."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from hub.api import attachment
from hub.errors import ApiError
from hub.exports import download
from hub.recruiters.accounts import AccountError, RecruiterIdentity
from hub.recruiters.guard import HEADERS, HOME, SIGN_IN, Guard
from hub.recruiters.inbox_query import PAGE_SIZE, STATUSES, InboxQueries, shown_count, shown_total

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.recruiters")

UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
Status = Literal["new", "contacted", "interview", "hired", "not_retained"]
EXPIRED_SIGN_IN = "Ce formulaire a expiré : tapez à nouveau votre mot de passe et recommencez."
NOT_FOUND = (
    "Cette candidature n’existe pas, ou elle est adressée à une autre organisation que la vôtre."
)


def inbox_link(status: str = "", reference: str = "", page: int = 1) -> str:
    """The inbox's address with its filters (empty ones left out)."""
    query = {"status": status, "reference": reference, "page": page if page > 1 else ""}
    kept = {key: value for key, value in query.items() if value}
    return HOME + ("?" + urlencode(kept) if kept else "")


def recruiter_router(services: "Services") -> APIRouter:
    """The /recruiters pages."""
    router = APIRouter(prefix="/recruiters", include_in_schema=False)
    guard = Guard(services)
    queries = InboxQueries(services.db, services.inbox, services.keys, services.clock)
    guard.env.globals["inbox_link"] = inbox_link
    guard.env.globals["statuses"] = STATUSES
    guard.env.filters["count"] = shown_count
    guard.env.filters["total"] = shown_total
    SignedIn = Annotated[RecruiterIdentity, Depends(guard.signed_in)]  # noqa: N806
    Checked = Annotated[RecruiterIdentity, Depends(guard.checked)]  # noqa: N806

    def missing(request: Request) -> HTMLResponse:
        return guard.render(
            request,
            "recruiters/problem.html",
            status=404,
            title="Candidature introuvable",
            message=NOT_FOUND,
        )

    @router.get("/static/recruiters.css")
    def stylesheet() -> Response:
        return guard.stylesheet()

    @router.get("")
    def home() -> Response:
        return guard.redirect(HOME)

    # -- signing in ----------------------------------------------------------------------------

    @router.get("/sign-in")
    def sign_in_page(request: Request) -> Response:
        if guard.identify(request) is not None:
            return guard.redirect(HOME)
        return guard.sign_in_page(request)

    @router.post("/sign-in")
    def sign_in(
        request: Request,
        email: Annotated[str, Form(max_length=1000)] = "",
        password: Annotated[str, Form(max_length=4096)] = "",
        csrf: Annotated[str, Form(max_length=200)] = "",
    ) -> Response:
        if not guard.sign_in_allowed(request, csrf):
            log.warning("recruiters: a sign-in form without its anti-forgery token was refused")
            return guard.sign_in_page(request, status=403, error=EXPIRED_SIGN_IN, email=email)
        client = request.client.host if request.client else "unknown"
        try:
            token = services.accounts.sign_in(email, password, client)
        except AccountError as exc:
            return guard.sign_in_page(request, status=401, error=exc.message, email=email)
        except ApiError as exc:
            if exc.status != 429:
                raise
            page = guard.sign_in_page(request, status=429, error=exc.message, email=email)
            page.headers.update(exc.headers)
            return page
        return guard.start(guard.redirect(HOME), token)

    @router.post("/sign-out")
    def sign_out(request: Request, _who: Checked) -> Response:
        cookie = guard.cookie(request)
        if cookie:
            services.accounts.sign_out(cookie)
        return guard.end(guard.redirect(SIGN_IN))

    @router.get("/invitation/{token}")
    def invitation_page(request: Request, token: Annotated[str, Path(max_length=200)]) -> Response:
        invited = services.accounts.invitation(token)
        if invited is None:
            return expired_invitation(request)
        name, organisation = invited
        return guard.render(
            request, "recruiters/invitation.html", me=None, name=name, organisation=organisation
        )

    @router.post("/invitation/{token}")
    def accept_invitation(
        request: Request,
        token: Annotated[str, Path(max_length=200)],
        password: Annotated[str, Form(max_length=4096)] = "",
        password_again: Annotated[str, Form(max_length=4096)] = "",
    ) -> Response:
        invited = services.accounts.invitation(token)
        if invited is None:
            return expired_invitation(request)
        name, organisation = invited
        error = None
        if password != password_again:
            error = "Les deux mots de passe ne sont pas les mêmes. Tapez-les à nouveau."
        else:
            try:
                session = services.accounts.accept_invitation(token, password)
            except AccountError as exc:
                error = exc.message
            else:
                return guard.start(guard.redirect(HOME), session)
        return guard.render(
            request,
            "recruiters/invitation.html",
            status=422,
            me=None,
            name=name,
            organisation=organisation,
            error=error,
        )

    def expired_invitation(request: Request) -> HTMLResponse:
        return guard.render(
            request,
            "recruiters/problem.html",
            status=404,
            me=None,
            title="Lien d’invitation expiré",
            message="Ce lien d’invitation n’est plus valable : il a déjà servi ou il a expiré. "
            "Demandez-en un nouveau à la personne qui vous l’a envoyé.",
            back=(SIGN_IN, "Se connecter"),
        )

    # -- the inbox -----------------------------------------------------------------------------

    @router.get("/inbox")
    def inbox(
        request: Request,
        who: SignedIn,
        status: Annotated[Status | Literal[""], Query()] = "",
        reference: Annotated[str, Query(max_length=40)] = "",
        page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ) -> Response:
        typed = reference.strip()
        if typed:
            found = queries.find_reference(who.organisation_id, typed)
            return guard.render(
                request,
                "recruiters/inbox.html",
                here="inbox",
                reference=typed,
                found=found,
                counts=queries.counts(who.organisation_id),
                shown_status="",
            )
        chosen = queries.page(who.organisation_id, status or None, page)
        return guard.render(
            request,
            "recruiters/inbox.html",
            here="inbox",
            reference="",
            found=None,
            inbox=chosen,
            counts=chosen.counts,
            shown_status=status,
            page_size=PAGE_SIZE,
        )

    @router.get("/applications/{application_id}")
    def application(
        request: Request,
        who: SignedIn,
        application_id: Annotated[str, Path(pattern=UUID)],
        saved: Annotated[Status | None, Query()] = None,
    ) -> Response:
        application_id = application_id.lower()
        organisation = who.organisation_id
        # Coming back from a status change is not opening it again.
        view = (
            queries.get(organisation, application_id)
            if saved
            else queries.open(organisation, application_id)
        )
        if view is None:
            return missing(request)
        return guard.render(
            request,
            "recruiters/application.html",
            here="inbox",
            a=view,
            history=queries.history(organisation, application_id),
            saved=saved,
        )

    @router.post("/applications/{application_id}/status")
    def change_status(
        request: Request,
        who: Checked,
        application_id: Annotated[str, Path(pattern=UUID)],
        status: Annotated[Status, Form()],
    ) -> Response:
        application_id = application_id.lower()
        if not queries.set_status(who.organisation_id, application_id, status, who.id):
            return missing(request)
        return guard.redirect(f"/recruiters/applications/{application_id}?saved={status}")

    @router.get("/export.csv")
    def export(who: SignedIn) -> Response:
        return download(
            queries.export_csv(who.organisation_id),
            "text/csv; charset=utf-8",
            {
                **HEADERS,
                "Content-Disposition": attachment(f"candidatures-{who.organisation_slug}", "csv"),
            },
        )

    return router
