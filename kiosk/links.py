"""Where a link or QR code of an offer may lead: never to a placeholder of the demo data.

The demo offers are fictional: their links are under the reserved `.example` domain (RFC 2606),
which no phone can open. A QR code must lead somewhere true, so a placeholder link is replaced
by the hub's public page of the offer when the terminal has a hub, and shown as nothing (with
a word saying why) otherwise.

The hub's own pages speak the terminal's languages: a code leading to one names the passer-by's
language (`?lang=ar`) so that their phone opens it in the language of the screen. A third
party's page is never touched.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# Top-level domains that never resolve on the internet (RFC 2606, RFC 6761).
RESERVED_DOMAINS = ("example", "invalid", "test", "localhost")
# The source of the offers recruiters post on the hub (hub/recruiters/posting_form.py): their
# own page is the hub's public page of them, wherever the hub publishes it.
POSTED_SOURCE = "posted"
# The language the hub's public page reads without `?lang=` (hub/public_text.py).
HUB_PAGE_LANGUAGE = "fr"


def is_placeholder(url: str | None) -> bool:
    """Whether `url` is a made-up link (a reserved domain): the demo data's."""
    if not url:
        return False
    try:
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
    except ValueError:
        return True  # not even a URL: nothing a phone could open
    return host.rsplit(".", 1)[-1] in RESERVED_DOMAINS


def hub_offer_page(hub_url: str, source: str, external_id: str) -> str:
    """The hub's public page of an offer (`GET /offers/{source}/{id}`)."""
    return f"{hub_url.rstrip('/')}/offers/{quote(source, safe='')}/{quote(external_id, safe='')}"


def _is_hub_page(url: str, source: str, external_id: str, hub_url: str | None) -> bool:
    """Whether `url` is the hub's public page of this offer: under the terminal's hub, or a
    posted offer's (the hub may publish it under another address than the terminal uses)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    own = f"/offers/{quote(source, safe='')}/{quote(external_id, safe='')}"
    if parts.scheme not in ("http", "https") or parts.query or not parts.path.endswith(own):
        return False
    return source == POSTED_SOURCE or bool(
        hub_url and url.startswith(f"{hub_url.rstrip('/')}/offers/")
    )


def _in_language(page: str, language: str) -> str:
    return page if language == HUB_PAGE_LANGUAGE else f"{page}?lang={quote(language, safe='')}"


def offer_page(
    offer_url: str | None,
    source: str,
    external_id: str,
    hub_url: str | None,
    language: str = HUB_PAGE_LANGUAGE,
) -> str | None:
    """The page a QR code of an offer opens: its own page, else (a demo offer's placeholder)
    the hub's page of it when there is a hub, else None. A page of the hub's is asked for in
    `language` (the session's) when that is not the page's own French."""
    if offer_url and not is_placeholder(offer_url):
        if _is_hub_page(offer_url, source, external_id, hub_url):
            return _in_language(offer_url, language)
        return offer_url
    if offer_url and hub_url:
        return _in_language(hub_offer_page(hub_url, source, external_id), language)
    return None
