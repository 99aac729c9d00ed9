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
from fastapi import APIRouter, Header, Query, Response
from fastapi.responses import HTMLResponse
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import select

from hub import __version__
from hub.models import OfferRecord
from hub.offers import MAX_EXTERNAL_ID
from hub.public_text import (
    LANGUAGES,
    NAMES,
    RIGHT_TO_LEFT,
    TEXTS,
    choose,
    contract,
    plural,
    written_date,
)
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
    # The words of the page follow the browser's language when the link does not name one.
    "Vary": "Accept-Language",
}
_SOURCE = re.compile(SOURCE_NAME)


@dataclass(frozen=True, slots=True)
class _Found:
    """An offer's row: its parsed offer (None once withdrawn) and what its ETag is made of."""

    offer: Offer | None
    version: str


def _facts(offer: Offer, lang: str) -> list[str]:
    text = TEXTS[lang]
    facts = [contract(lang, offer)]
    if offer.apprenticeship:
        facts.append(text["apprenticeship"])
    if offer.working_time == WorkingTime.FULL:
        facts.append(text["full_time"])
    elif offer.working_time == WorkingTime.PART:
        facts.append(text["part_time"])
    if offer.positions and offer.positions > 1:
        facts.append(plural(lang, "positions", offer.positions))
    if offer.accessible_disabled:
        facts.append(text["disabled"])
    facts.append(text["posted"].format(date=written_date(lang, offer.posted_at)))
    return facts


def _posted_contact(offer: Offer, lang: str) -> list[tuple[str, str, str]]:
    """How to apply to an offer a recruiter posted on this hub, as they chose to show it:
    (way, link, text) for its phone and e-mail. Other sources' contacts are never shown."""
    contact = offer.raw.get("applicationContact")
    if offer.source != POSTED_SOURCE or not isinstance(contact, dict):
        return []
    ways = []
    phone, email = contact.get("telephone"), contact.get("email")
    if isinstance(phone, str) and (number := normalise_phone(phone)):
        ways.append((TEXTS[lang]["by_phone"], f"tel:{number}", phone))
    if isinstance(email, str) and "@" in email and not set(email) & set('<>"\r\n?&'):
        ways.append((TEXTS[lang]["by_email"], f"mailto:{email}", email))
    return ways


def _page_words(lang: str) -> dict[str, Any]:
    """What every page needs to be in `lang`: its words, its direction, the other languages."""
    return {
        "lang": lang,
        "rtl": lang in RIGHT_TO_LEFT,
        "t": TEXTS[lang],
        "languages": [(code, NAMES[code]) for code in LANGUAGES],
    }


_LANGUAGE_TAG = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")


def content_language(offer: Offer) -> str:
    """The language of the offer's own text, for screen readers: a JobPosting's `inLanguage`
    when it is a language tag, else French (France Travail's offers and those posted here)."""
    stated = offer.raw.get("inLanguage") if offer.source != "francetravail" else None
    if isinstance(stated, str) and _LANGUAGE_TAG.fullmatch(stated.strip()):
        return stated.strip()
    return "fr"


def _context(offer: Offer, lang: str) -> dict[str, Any]:
    """What the page shows in `lang`: the offer as its source published it, without its
    contacts (but those a recruiter chose to show on an offer posted on this hub)."""
    text = TEXTS[lang]
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
    contact = _posted_contact(offer, lang)
    if contact and paragraphs and paragraphs[-1].startswith(APPLY_PREFIX):
        paragraphs.pop()  # said again with links under "Postuler"
    return _page_words(lang) | {
        "offer": offer,
        "offer_lang": content_language(offer),
        "demo": demo,
        "contact": contact,
        "facts": _facts(offer, lang),
        "paragraphs": paragraphs,
        "requirements": [
            (text[heading], items)
            for heading, items in (
                ("skills", offer.skills),
                ("education", offer.education),
                ("licences", offer.licences),
                ("languages", offer.languages),
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

    def page(found: _Found | None, if_none_match: str | None, lang: str) -> Response:
        if found is None:
            html = template.render(offer=None, gone=False, **_page_words(lang))
            headers = _HEADERS | {"Cache-Control": CACHE_MISSING}
            return HTMLResponse(html, status_code=404, headers=headers)
        # One page per language: a cache holding the French one must not answer for Arabic.
        version = f"{found.version}-{lang}"
        etag = '"' + hashlib.sha256(version.encode()).hexdigest()[:32] + '"'
        cache = CACHE_FOUND if found.offer is not None else CACHE_MISSING
        headers = _HEADERS | {"Cache-Control": cache, "ETag": etag}
        sent = {t.strip() for t in (if_none_match or "")[:1000].split(",")}
        if etag in sent:
            return Response(status_code=304, headers=headers)
        if found.offer is None:
            html = template.render(offer=None, gone=True, **_page_words(lang))
            return HTMLResponse(html, status_code=410, headers=headers)
        return HTMLResponse(template.render(**_context(found.offer, lang)), headers=headers)

    @router.get("/static/offer.css")
    def stylesheet() -> Response:
        css = (resources.files("hub") / "static" / "offer.css").read_bytes()
        return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    # Any path under /offers answers with a page, never with a JSON error: ids that cannot be
    # an offer's are simply not found. `?lang=` (a terminal's QR code in the passer-by's
    # language) wins over the browser's Accept-Language; anything else reads French.
    @router.get("/offers/{source}/{offer_id:path}")
    def offer_page(
        source: str,
        offer_id: str,
        lang: Annotated[str | None, Query()] = None,
        if_none_match: Annotated[str | None, Header()] = None,
        accept_language: Annotated[str | None, Header()] = None,
    ) -> Response:
        chosen = choose(lang, accept_language)
        if not _SOURCE.fullmatch(source) or not 0 < len(offer_id) <= MAX_EXTERNAL_ID:
            return page(None, None, chosen)
        return page(find(source, offer_id), if_none_match, chosen)

    @router.get("/offers/{offer_id}")
    def offer_by_id(
        offer_id: str,
        lang: Annotated[str | None, Query()] = None,
        if_none_match: Annotated[str | None, Header()] = None,
        accept_language: Annotated[str | None, Header()] = None,
    ) -> Response:
        chosen = choose(lang, accept_language)
        if not 0 < len(offer_id) <= MAX_EXTERNAL_ID:
            return page(None, None, chosen)
        return page(find(None, offer_id), if_none_match, chosen)

    return router
