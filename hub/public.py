"""The public page of an offer: read-only HTML that anyone may open without a token (the QR code
of a demo offer on a terminal, a recruiter's link). Offers only: never an application."""

# No `from __future__ import annotations` here: FastAPI reads the annotations of routes
# defined inside functions at run time, and postponed ones would not resolve.

import hashlib
import logging
import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any

import orjson
from fastapi import APIRouter, Header, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from hub import __version__
from hub.models import OfferRecord
from hub.offers import MAX_EXTERNAL_ID
from hub.recruiters.posting_form import APPLY_PREFIX, POSTED_SOURCE
from hub.schemas import SOURCE_NAME
from kiosk.applications import normalise_phone
from kiosk.demo import DEMO_FOOTER
from kiosk.domain import Offer, WorkingTime
from kiosk.formats import FormatError, parse_document
from kiosk.links import is_placeholder

if TYPE_CHECKING:
    from hub.app import Services

log = logging.getLogger("hub.public")

CACHE_FOUND = "public, max-age=300"  # an offer changes a few times a day at most
CACHE_MISSING = "public, max-age=60"  # an offer may be published a minute later
_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
}
_MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip
_SOURCE = re.compile(SOURCE_NAME)


@dataclass(frozen=True, slots=True)
class _Found:
    """An offer's row: its parsed offer (None once withdrawn) and what its ETag is made of."""

    offer: Offer | None
    version: str


def _facts(offer: Offer) -> list[str]:
    facts = [offer.contract_label]
    if offer.apprenticeship:
        facts.append("Alternance")
    if offer.working_time == WorkingTime.FULL:
        facts.append("Temps plein")
    elif offer.working_time == WorkingTime.PART:
        facts.append("Temps partiel")
    if offer.positions and offer.positions > 1:
        facts.append(f"{offer.positions} postes")
    if offer.accessible_disabled:
        facts.append("Ouvert aux travailleurs handicapés")
    return facts


def _posted_contact(offer: Offer) -> list[tuple[str, str, str]]:
    """How to apply to an offer a recruiter posted on this hub, as they chose to show it:
    (way, link, text) for its phone and e-mail. Other sources' contacts are never shown."""
    contact = offer.raw.get("applicationContact")
    if offer.source != POSTED_SOURCE or not isinstance(contact, dict):
        return []
    ways = []
    phone, email = contact.get("telephone"), contact.get("email")
    if isinstance(phone, str) and (number := normalise_phone(phone)):
        ways.append(("Par téléphone", f"tel:{number}", phone))
    if isinstance(email, str) and "@" in email and not set(email) & set('<>"\r\n?&'):
        ways.append(("Par e-mail", f"mailto:{email}", email))
    return ways


def _context(offer: Offer) -> dict[str, Any]:
    """What the page shows: the offer as its source published it, without its contacts (but
    those a recruiter chose to show on an offer posted on this hub)."""
    posted = offer.posted_at
    description = offer.description
    demo = is_placeholder(offer.offer_url) or description.rstrip().endswith(DEMO_FOOTER)
    if demo:
        description = description.rstrip().removesuffix(DEMO_FOOTER).rstrip()
    links = [
        (route.label, route.url)
        for route in offer.apply_routes
        if not is_placeholder(route.url) and route.url != offer.offer_url
    ]
    paragraphs = [p.strip() for p in description.split("\n\n") if p.strip()]
    contact = _posted_contact(offer)
    if contact and paragraphs and paragraphs[-1].startswith(APPLY_PREFIX):
        paragraphs.pop()  # said again with links under "Postuler"
    return {
        "offer": offer,
        "demo": demo,
        "contact": contact,
        "facts": _facts(offer),
        "posted": f"{posted.day} {_MONTHS[posted.month - 1]} {posted.year}",
        "paragraphs": paragraphs,
        "requirements": [
            (heading, items)
            for heading, items in (
                ("Compétences", offer.skills),
                ("Formation", offer.education),
                ("Permis", offer.licences),
                ("Langues", offer.languages),
            )
            if items
        ],
        # A posted offer's page is this one.
        "page": None
        if demo or is_placeholder(offer.offer_url) or offer.source == POSTED_SOURCE
        else offer.offer_url,
        "links": [] if demo else links,
    }


def public_router(services: "Services") -> APIRouter:
    """GET /offers/{source}/{id} (and /offers/{id} when one source has that id)."""
    router = APIRouter(include_in_schema=False)
    env = Environment(
        loader=PackageLoader("hub", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.get_template("offer.html")

    def find(source: str | None, offer_id: str) -> _Found | None:
        query = select(
            OfferRecord.source,
            OfferRecord.format,
            OfferRecord.raw,
            OfferRecord.content_hash,
            OfferRecord.withdrawn,
        ).where(OfferRecord.external_id == offer_id)
        if source is not None:
            query = query.where(OfferRecord.source == source)
        else:  # by id alone: a published one first, then any source, in a stable order
            query = query.order_by(OfferRecord.withdrawn, OfferRecord.source)
        with services.db.read() as connection:
            row = connection.execute(query.limit(1)).first()
        if row is None:
            return None
        version = f"{row.content_hash}-{int(row.withdrawn)}-{__version__}"
        if row.withdrawn or row.raw is None:
            return _Found(None, version)
        try:
            parsed = [
                item
                for item in parse_document(row.format, orjson.loads(row.raw), row.source)
                if isinstance(item, Offer)
            ]
        except (FormatError, orjson.JSONDecodeError):
            parsed = []
        if not parsed:  # stored because it parsed at ingest; a parser change may refuse it
            log.warning("offer %s of %s no longer parses", row.content_hash, row.source)
            return _Found(None, version)
        return _Found(parsed[0], version)

    def page(found: _Found | None, if_none_match: str | None) -> Response:
        if found is None:
            html = template.render(offer=None, gone=False)
            headers = _HEADERS | {"Cache-Control": CACHE_MISSING}
            return HTMLResponse(html, status_code=404, headers=headers)
        etag = '"' + hashlib.sha256(found.version.encode()).hexdigest()[:32] + '"'
        cache = CACHE_FOUND if found.offer is not None else CACHE_MISSING
        headers = _HEADERS | {"Cache-Control": cache, "ETag": etag}
        sent = {t.strip() for t in (if_none_match or "")[:1000].split(",")}
        if etag in sent:
            return Response(status_code=304, headers=headers)
        if found.offer is None:
            html = template.render(offer=None, gone=True)
            return HTMLResponse(html, status_code=410, headers=headers)
        return HTMLResponse(template.render(**_context(found.offer)), headers=headers)

    @router.get("/static/offer.css")
    def stylesheet() -> Response:
        css = (resources.files("hub") / "static" / "offer.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    # Any path under /offers answers with a page, never with a JSON error: ids that cannot be
    # an offer's are simply not found.
    @router.get("/offers/{source}/{offer_id:path}")
    def offer_page(
        source: str,
        offer_id: str,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        if not _SOURCE.fullmatch(source) or not 0 < len(offer_id) <= MAX_EXTERNAL_ID:
            return page(None, None)
        return page(find(source, offer_id), if_none_match)

    @router.get("/offers/{offer_id}")
    def offer_by_id(
        offer_id: str,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Response:
        if not 0 < len(offer_id) <= MAX_EXTERNAL_ID:
            return page(None, None)
        return page(find(None, offer_id), if_none_match)

    return router
