"""Where a link or QR code of an offer may lead: never to a placeholder of the demo data.

The demo offers are fictional: their links are under the reserved `.example` domain (RFC 2606),
which no phone can open. A QR code must lead somewhere true, so a placeholder link is replaced
by the hub's public page of the offer when the terminal has a hub, and shown as nothing (with
a word saying why) otherwise.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

# Top-level domains that never resolve on the internet (RFC 2606, RFC 6761).
RESERVED_DOMAINS = ("example", "invalid", "test", "localhost")


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


def offer_page(
    offer_url: str | None, source: str, external_id: str, hub_url: str | None
) -> str | None:
    """The page a QR code of an offer opens: its own page, else (a demo offer's placeholder)
    the hub's page of it when there is a hub, else None."""
    if offer_url and not is_placeholder(offer_url):
        return offer_url
    if offer_url and hub_url:
        return hub_offer_page(hub_url, source, external_id)
    return None
