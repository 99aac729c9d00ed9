"""The recruiters' offer pages (/recruiters/offers…, in French): their list, the form that
creates or changes one, its withdrawal, and the search of a trade in the ROME list."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import logging
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Path, Query, Request, Response
from fastapi.responses import HTMLResponse

from hub.recruiters.accounts import RecruiterIdentity
from hub.recruiters.guard import Guard
from hub.recruiters.inbox_query import STATUSES
from hub.recruiters.posting_form import (
    CONTRACTS,
    DESCRIPTION_MAX,
    PERIODS,
    PLACE_MAX,
    QUESTION_LABELS,
    TITLE_MAX,
    WORKING_TIMES,
    OfferForm,
)
from hub.recruiters.postings import Posted, Postings, public_url
from hub.recruiters.rome import SEARCH_LIMIT, Trade, normal_code
from hub.recruiters.web import inbox_link

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.recruiters.postings")

OFFERS = "/recruiters/offers"
NOT_FOUND = "Cette offre n’existe pas, ou elle a été publiée par une autre organisation."
# The order of the error summary: the order of the fields on the page.
FIELD_ORDER = (
    "", "title", "rome", "contract", "working_time", "weekly_hours", "place", "salary_min",
    "salary_max", "salary_period", "description", "questions", "apply", "apply_phone",
    "apply_email",
)  # fmt: skip
FIELD_LABELS = {
    "": "L’offre",
    "title": "Intitulé du poste",
    "rome": "Métier",
    "contract": "Contrat",
    "working_time": "Temps de travail",
    "weekly_hours": "Heures par semaine",
    "place": "Lieu de travail",
    "salary_min": "Salaire minimum",
    "salary_max": "Salaire maximum",
    "salary_period": "Salaire : période",
    "description": "Description du poste",
    "questions": "Questions rapides",
    "apply": "Candidatures",
    "apply_phone": "Téléphone",
    "apply_email": "E-mail",
}


def _form(
    title: Annotated[str, Form(max_length=TITLE_MAX * 4)] = "",
    rome: Annotated[str, Form(max_length=40)] = "",
    contract: Annotated[str, Form(max_length=20)] = "",
    working_time: Annotated[str, Form(max_length=20)] = "",
    weekly_hours: Annotated[str, Form(max_length=20)] = "",
    place: Annotated[str, Form(max_length=PLACE_MAX * 4)] = "",
    salary_min: Annotated[str, Form(max_length=40)] = "",
    salary_max: Annotated[str, Form(max_length=40)] = "",
    salary_period: Annotated[str, Form(max_length=20)] = "",
    description: Annotated[str, Form(max_length=DESCRIPTION_MAX * 4)] = "",
    questions: Annotated[list[str] | None, Form(max_length=10)] = None,
    apply_terminal: Annotated[str, Form(max_length=10)] = "",
    apply_phone: Annotated[str, Form(max_length=100)] = "",
    apply_email: Annotated[str, Form(max_length=400)] = "",
) -> OfferForm:
    """The offer form as posted (lengths are checked again, with messages, by `check`)."""
    return OfferForm(
        title=title,
        rome=rome.strip(),
        contract=contract,
        working_time=working_time,
        weekly_hours=weekly_hours,
        place=place,
        salary_min=salary_min,
        salary_max=salary_max,
        salary_period=salary_period,
        description=description,
        questions=tuple(dict.fromkeys(q[:40] for q in questions or ())),
        apply_terminal=bool(apply_terminal),
        apply_phone=apply_phone,
        apply_email=apply_email,
    )


def postings_router(services: "Services") -> APIRouter:
    """The /recruiters/offers and /recruiters/rome pages."""
    router = APIRouter(prefix="/recruiters", include_in_schema=False)
    guard = Guard(services)
    postings: Postings = services.postings
    section = services.settings.config.recruiters
    guard.env.globals.update(
        contracts=CONTRACTS,
        working_times=WORKING_TIMES,
        periods=PERIODS,
        question_labels=QUESTION_LABELS,
        field_labels=FIELD_LABELS,
        limits={"title": TITLE_MAX, "place": PLACE_MAX, "description": DESCRIPTION_MAX},
    )
    guard.env.globals.update(inbox_link=inbox_link, statuses=STATUSES)  # as the inbox pages
    guard.env.filters["epoch"] = lambda seconds: datetime.fromtimestamp(seconds, UTC)
    SignedIn = Annotated[RecruiterIdentity, Depends(guard.signed_in)]  # noqa: N806
    Checked = Annotated[RecruiterIdentity, Depends(guard.checked)]  # noqa: N806
    Posting = Annotated[OfferForm, Depends(_form)]  # noqa: N806
    Action = Annotated[str, Form(max_length=20)]  # noqa: N806
    Search = Annotated[str, Form(max_length=100)]  # noqa: N806

    def base_url(request: Request) -> str:
        return str(section.public_url) if section.public_url else str(request.base_url)

    def missing(request: Request) -> HTMLResponse:
        return guard.render(
            request,
            "recruiters/problem.html",
            status=404,
            title="Offre introuvable",
            message=NOT_FOUND,
            here="offers",
        )

    def trade_of(form: OfferForm, posted: Posted | None) -> Trade | None:
        code = normal_code(form.rome) if form.rome else None
        if code is None:
            return None
        label = postings.rome.label(code)
        if label is None and posted is not None and normal_code(posted.form.rome) == code:
            label = posted.trade
        return Trade(code, label or "")

    def form_page(
        request: Request,
        form: OfferForm,
        posted: Posted | None,
        *,
        errors: dict[str, str] | None = None,
        query: str = "",
        searched: bool = False,
        status: int = 200,
    ) -> HTMLResponse:
        chosen = trade_of(form, posted)
        found = postings.rome.search(query) if searched else []
        trades = ([chosen] if chosen else []) + [t for t in found if not chosen or t != chosen]
        errors = errors or {}
        return guard.render(
            request,
            "recruiters/offer_form.html",
            status=status,
            here="offers",
            form=form,
            posted=posted,
            errors=errors,
            summary=[(name, errors[name]) for name in FIELD_ORDER if name in errors],
            query=query,
            searched=searched,
            found=found,
            trades=trades,
            rome_empty=postings.rome.count() == 0,
            action=f"{OFFERS}/{posted.id}" if posted else OFFERS,
        )

    def save(
        request: Request,
        who: RecruiterIdentity,
        form: OfferForm,
        posted: Posted | None,
        action: str,
        trade_query: str,
    ) -> Response:
        if action == "search":
            query = trade_query.strip()
            return form_page(request, form, posted, query=query, searched=bool(query))
        outcome = postings.save(who, form, base_url(request), posted)
        if outcome.posted_id is None:
            return form_page(request, form, posted, errors=outcome.errors, status=422)
        done = "changed" if posted and not posted.withdrawn_at else "published"
        return guard.redirect(f"{OFFERS}?{urlencode({done: outcome.posted_id})}")

    @router.get("/static/offers.css")
    def stylesheet() -> Response:
        css = (resources.files("hub") / "static" / "offers.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @router.get("/offers")
    def offers_list(
        request: Request,
        who: SignedIn,
        published: Annotated[int | None, Query(ge=1)] = None,
        changed: Annotated[int | None, Query(ge=1)] = None,
        withdrawn: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        posted = postings.list(who.organisation_id)
        by_id = {p.id: p for p in posted}
        notice = None
        # Withdrawing asks no confirmation: its notice offers to undo it at once instead.
        undo = by_id.get(withdrawn) if withdrawn is not None else None
        for number, text in (
            (published, "L’offre « {} » est publiée : les bornes proches la reçoivent à "
             "leur prochaine synchronisation."),
            (changed, "L’offre « {} » est modifiée."),
            (withdrawn, "L’offre « {} » est retirée : les bornes la retirent à leur prochaine "
             "synchronisation."),
        ):  # fmt: skip
            if number in by_id:
                notice = text.format(by_id[number].form.title.strip())
        base = base_url(request)
        return guard.render(
            request,
            "recruiters/offer_list.html",
            here="offers",
            posted=posted,
            notice=notice,
            undo=undo if undo is not None and undo.withdrawn_at else None,
            public={p.id: public_url(base, p.external_id) for p in posted},
        )

    @router.get("/offers/new")
    def new_offer(
        request: Request,
        _who: SignedIn,
        rome: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        form = OfferForm(rome=normal_code(rome) or "", apply_terminal=True)
        return form_page(request, form, None)

    @router.post("/offers")
    def create_offer(
        request: Request,
        who: Checked,
        form: Posting,
        action: Action = "publish",
        trade_query: Search = "",
    ) -> Response:
        return save(request, who, form, None, action, trade_query)

    @router.get("/offers/{posted_id}/edit")
    def edit_offer(
        request: Request,
        who: SignedIn,
        posted_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        rome: Annotated[str, Query(max_length=40)] = "",
    ) -> Response:
        posted = postings.get(who.organisation_id, posted_id)
        if posted is None:
            return missing(request)
        form = posted.form
        if code := normal_code(rome):
            form = OfferForm.from_json(form.as_json() | {"rome": code})
        return form_page(request, form, posted)

    @router.post("/offers/{posted_id}")
    def change_offer(
        request: Request,
        who: Checked,
        posted_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
        form: Posting,
        action: Action = "publish",
        trade_query: Search = "",
    ) -> Response:
        posted = postings.get(who.organisation_id, posted_id)
        if posted is None:
            return missing(request)
        return save(request, who, form, posted, action, trade_query)

    @router.post("/offers/{posted_id}/withdraw")
    def withdraw_offer(
        request: Request,
        who: Checked,
        posted_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    ) -> Response:
        posted = postings.get(who.organisation_id, posted_id)
        if posted is None:
            return missing(request)
        postings.withdraw(who, posted)
        return guard.redirect(f"{OFFERS}?{urlencode({'withdrawn': posted.id})}")

    @router.post("/offers/{posted_id}/republish")
    def republish_offer(
        request: Request,
        who: Checked,
        posted_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    ) -> Response:
        """Publish a withdrawn offer again as it was (the withdrawal's undo)."""
        posted = postings.get(who.organisation_id, posted_id)
        if posted is None:
            return missing(request)
        return save(request, who, posted.form, posted, "publish", "")

    @router.get("/rome")
    def rome_search(
        request: Request,
        _who: SignedIn,
        q: Annotated[str, Query(max_length=100)] = "",
        offer: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    ) -> Response:
        query = q.strip()
        found = postings.rome.search(query) if query else []
        target = f"{OFFERS}/{offer}/edit" if offer else f"{OFFERS}/new"
        return guard.render(
            request,
            "recruiters/offer_rome.html",
            here="offers",
            query=query,
            found=found,
            limit=SEARCH_LIMIT,
            rome_empty=postings.rome.count() == 0,
            choose={t.code: f"{target}?{urlencode({'rome': t.code})}" for t in found},
            offer=offer,
        )

    return router
