"""The operator's JSON API for organisations (/v1/admin/organisations): create and list them,
invite and disable their recruiters, give them offers by rules."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from hub.api import ADMIN, json_response, operator_guard
from hub.errors import ApiError
from hub.recruiters.accounts import SLUG, OrganisationRow, RecruiterRow, invitation_url
from hub.recruiters.ownership import Change, Rule
from hub.schemas import Error

if TYPE_CHECKING:
    from hub.app import Services

SlugPath = Annotated[str, Path(pattern=SLUG, max_length=64)]
_UNKNOWN: dict[int | str, dict[str, Any]] = {
    404: {"model": Error, "description": "Unknown organisation."}
}
# Validated here by Python's `re`, by clients from the description in ECMAScript: Python's
# whitespace (`str.strip`, `\s`) has \x1c-\x1f and \x85 besides ECMAScript's, so these classes
# make every string valid by the description one that the hub accepts.
_SPACE = r"\s\x1c-\x1f\x85"
_ASCII_SPACE = _W = r" \t\n\r"
VISIBLE = rf"[^{_SPACE}]"  # a character that is not a space for either
_CONFLICT: dict[int | str, dict[str, Any]] = {
    409: {"model": Error, "description": "It exists already (or is another's)."}
}


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class OrganisationCreate(_In):
    """A new organisation."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, regex_engine="python-re")

    slug: str = Field(pattern=SLUG, max_length=64, description="Short name used in links.")
    name: str = Field(pattern=VISIBLE, max_length=200, description="As its recruiters see it.")


class OrganisationView(_Out):
    """An organisation, with its active recruiters and current offers counted."""

    slug: str
    name: str
    spontaneous: bool = Field(description="Receives the spontaneous applications.")
    recruiters: int
    offers: int
    created_at: datetime


class OrganisationList(_Out):
    """Every organisation, by slug."""

    organisations: list[OrganisationView]


class RecruiterView(_Out):
    """One recruiter of an organisation."""

    id: int
    email: str
    name: str
    state: Literal["invited", "active", "disabled"]
    invited_at: datetime
    invitation_expires_at: datetime | None
    last_sign_in_at: datetime | None


class RecruiterList(_Out):
    """An organisation's recruiters, by name."""

    recruiters: list[RecruiterView]


class InvitationRequest(_In):
    """Who to invite (again: a recruiter who forgot their password gets a new link)."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, regex_engine="python-re")

    email: str = Field(
        pattern=rf"^[{_SPACE}]*[^@{_SPACE}]{{1,64}}@[^@{_SPACE}]+\.[^@{_SPACE}.]{{2,}}[{_SPACE}]*$",
        max_length=254,
    )
    name: str = Field(pattern=VISIBLE, max_length=120)


class Invitation(_Out):
    """The one-time invitation link: shown this once, to send to the recruiter."""

    invitation_url: str
    expires_at: datetime


class _RuleIn(_In):
    # Python's regular expressions: the patterns below say exactly what the hub accepts
    # (`\\s` as `str.strip` sees it; lookaheads).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, regex_engine="python-re")


class OfferRule(_RuleIn):
    """One offer, by its source and id."""

    kind: Literal["offer"]
    value: str = Field(
        pattern=rf"^[{_ASCII_SPACE}]*(?!posted/)[a-z0-9][a-z0-9._-]{{0,63}}/{VISIBLE}.{{0,510}}$",
        max_length=600,
        description="`SOURCE/ID`, as in `francetravail/123ABCD` (not a posted offer).",
    )


class SiretRule(_RuleIn):
    """Every offer of an employer's establishment."""

    kind: Literal["siret"]
    value: str = Field(
        pattern=rf"^[{_ASCII_SPACE}]*[ .-]*([0-9][ .-]*){{14}}[{_ASCII_SPACE}]*$",
        max_length=60,
        description="14 digits; spaces, dots and dashes are ignored.",
    )


class CompanyRule(_RuleIn):
    """Every offer of a company, by its name: case, accents and punctuation ignored."""

    kind: Literal["company"]
    value: str = Field(pattern=r"[A-Za-z0-9]", max_length=600)


class SourceRule(_RuleIn):
    """Every offer of a source (not `posted`: posted offers stay their poster's)."""

    kind: Literal["source"]
    value: str = Field(
        pattern=rf"^[{_W}]*(?!posted[{_W}]*$)[a-z0-9][a-z0-9._-]{{0,63}}[{_W}]*$",
        max_length=80,
    )


RuleRequest = Annotated[
    OfferRule | SiretRule | CompanyRule | SourceRule, Field(discriminator="kind")
]


class RuleView(_Out):
    """A rule. Precedence: offer, then SIRET, then company, then source."""

    id: int
    organisation: str
    kind: Literal["offer", "siret", "company", "source"]
    value: str = Field(description="As matched: a company's name folded, a SIRET's digits.")
    created_at: datetime


class RuleList(_Out):
    """An organisation's rules."""

    rules: list[RuleView]


class RuleChange(_Out):
    """What adding or removing a rule did."""

    rule: RuleView
    offers: int = Field(description="Offers that changed hands.")
    applications: int = Field(description="Applications that followed their offer.")


class OrganisationDetail(_Out):
    """An organisation with its recruiters and rules."""

    organisation: OrganisationView
    recruiters: list[RecruiterView]
    rules: list[RuleView]


def _time(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


def organisation_json(row: OrganisationRow) -> dict[str, object]:
    return {
        "slug": row.slug,
        "name": row.name,
        "spontaneous": row.spontaneous,
        "recruiters": row.recruiters,
        "offers": row.offers,
        "created_at": _time(row.created_at),
    }


def recruiter_json(row: RecruiterRow) -> dict[str, object]:
    return {
        "id": row.id,
        "email": row.email,
        "name": row.name,
        "state": row.state,
        "invited_at": _time(row.invited_at),
        "invitation_expires_at": _time(row.invite_expires_at) if row.state == "invited" else None,
        "last_sign_in_at": _time(row.last_sign_in_at),
    }


def rule_json(rule: Rule) -> dict[str, object]:
    return {
        "id": rule.id,
        "organisation": rule.organisation_slug,
        "kind": rule.kind,
        "value": rule.value,
        "created_at": _time(rule.created_at),
    }


def change_json(change: Change) -> dict[str, object]:
    return {
        "rule": rule_json(change.rule),
        "offers": change.offers,
        "applications": change.applications,
    }


def public_base(services: "Services", request: Request) -> str:
    """Where recruiters open the hub: [recruiters] public_url, else this request's address."""
    configured = services.settings.config.recruiters.public_url
    return str(configured) if configured is not None else str(request.base_url)


def organisations_router(services: "Services") -> APIRouter:
    """The /v1/admin/organisations routes."""
    router = APIRouter(
        prefix="/v1/admin/organisations",
        tags=["operators"],
        dependencies=[Depends(operator_guard(services))],
    )
    accounts, ownership = services.accounts, services.ownership

    def organisation(slug: str) -> OrganisationRow:
        for row in accounts.organisations():
            if row.slug == slug:
                return row
        raise ApiError(404, "unknown_organisation", f"no organisation {slug}")

    @router.get(
        "", response_model=OrganisationList, operation_id="listOrganisations", responses=ADMIN
    )
    def list_organisations() -> Response:
        """Every organisation, with its active recruiters and current offers counted."""
        rows = accounts.organisations()
        return json_response({"organisations": [organisation_json(row) for row in rows]})

    @router.post(
        "",
        status_code=201,
        response_model=OrganisationView,
        operation_id="createOrganisation",
        responses={**ADMIN, **_CONFLICT},
    )
    def create_organisation(body: OrganisationCreate) -> Response:
        """A new organisation (an agency, an employer); 409 if the slug is taken."""
        accounts.create_organisation(body.slug, body.name)
        return json_response(organisation_json(organisation(body.slug)), 201)

    @router.get(
        "/{slug}",
        response_model=OrganisationDetail,
        operation_id="getOrganisation",
        responses={**ADMIN, **_UNKNOWN},
    )
    def get_organisation(slug: SlugPath) -> Response:
        """One organisation with its recruiters and its ownership rules."""
        row = organisation(slug)
        return json_response(
            {
                "organisation": organisation_json(row),
                "recruiters": [recruiter_json(r) for r in accounts.recruiters(row.id)],
                "rules": [rule_json(rule) for rule in ownership.rules(row.id)],
            }
        )

    @router.post(
        "/{slug}/spontaneous",
        status_code=204,
        operation_id="setSpontaneousOrganisation",
        responses={**ADMIN, **_UNKNOWN},
    )
    def set_spontaneous(slug: SlugPath) -> Response:
        """Make this organisation the one receiving spontaneous applications."""
        accounts.set_spontaneous(organisation(slug).id)
        return Response(status_code=204)

    @router.get(
        "/{slug}/recruiters",
        response_model=RecruiterList,
        operation_id="listRecruiters",
        responses={**ADMIN, **_UNKNOWN},
    )
    def list_recruiters(slug: SlugPath) -> Response:
        """The organisation's recruiters: invited, active or disabled."""
        rows = accounts.recruiters(organisation(slug).id)
        return json_response({"recruiters": [recruiter_json(row) for row in rows]})

    @router.post(
        "/{slug}/recruiters",
        status_code=201,
        response_model=Invitation,
        operation_id="inviteRecruiter",
        responses={**ADMIN, **_UNKNOWN, **_CONFLICT},
    )
    def invite_recruiter(slug: SlugPath, body: InvitationRequest, request: Request) -> Response:
        """Invite a recruiter (or again, after a forgotten password): a one-time link, valid
        `[recruiters] invitation_days`, answered this once. 409 if the address is a recruiter's
        of another organisation."""
        token = accounts.invite(organisation(slug).id, body.email, body.name)
        days = services.settings.config.recruiters.invitation_days
        expires = int(services.clock()) + days * 86400
        return json_response(
            {
                "invitation_url": invitation_url(public_base(services, request), token),
                "expires_at": _time(expires),
            },
            201,
            headers={"Cache-Control": "no-store"},
        )

    @router.post(
        "/{slug}/recruiters/{recruiter_id}/disable",
        status_code=204,
        operation_id="disableRecruiter",
        responses={**ADMIN, 404: {"model": Error, "description": "Unknown recruiter."}},
    )
    def disable_recruiter(
        slug: SlugPath, recruiter_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
    ) -> Response:
        """No more signing in for this recruiter: their sessions end now."""
        row = organisation(slug)
        if recruiter_id not in {r.id for r in accounts.recruiters(row.id)}:
            raise ApiError(404, "unknown_recruiter", f"no recruiter {recruiter_id} in {slug}")
        accounts.disable(recruiter_id)
        return Response(status_code=204)

    @router.get(
        "/{slug}/rules",
        response_model=RuleList,
        operation_id="listOwnershipRules",
        responses={**ADMIN, **_UNKNOWN},
    )
    def list_rules(slug: SlugPath) -> Response:
        """The rules giving offers to this organisation."""
        rules = ownership.rules(organisation(slug).id)
        return json_response({"rules": [rule_json(rule) for rule in rules]})

    @router.post(
        "/{slug}/rules",
        status_code=201,
        response_model=RuleChange,
        operation_id="addOwnershipRule",
        responses={**ADMIN, **_UNKNOWN, **_CONFLICT},
    )
    def add_rule(slug: SlugPath, body: RuleRequest) -> Response:
        """Give offers to the organisation; those offers, and the applications already
        received for them, change hands now. 409 if another organisation has this rule."""
        change = ownership.add(organisation(slug).id, body.kind, body.value)
        return json_response(change_json(change), 201)

    @router.delete(
        "/{slug}/rules/{rule_id}",
        response_model=RuleChange,
        operation_id="removeOwnershipRule",
        responses={**ADMIN, 404: {"model": Error, "description": "Unknown rule."}},
    )
    def remove_rule(slug: SlugPath, rule_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> Response:
        """Take a rule back: its offers go to the next rule matching them, or to nobody."""
        for rule in ownership.rules(organisation(slug).id):
            if rule.id == rule_id:
                return json_response(change_json(ownership.remove(rule.kind, rule.value)))
        raise ApiError(404, "unknown_rule", f"no rule {rule_id} in {slug}")

    return router
