"""Offer formats: detect what a payload is and parse it record by record into domain offers.

Every parser yields, for each record, either an `Offer` or a `Rejection` naming the record and
the reason: one bad record never stops the others.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol

from kiosk.domain import Offer
from kiosk.formats import francetravail, jobposting
from kiosk.formats.common import Rejection

__all__ = ["FormatError", "Rejection", "detect_format", "parse_document", "parse_payload"]


class Parser(Protocol):
    """A format's parser; `cards`: only what the offers cache stores (see francetravail)."""

    def __call__(
        self, data: Any, source: str, *, cards: bool = False
    ) -> Iterator[Offer | Rejection]: ...


# Each format's parser by its name, as the store and the hub's feed record it beside a raw record.
PARSERS: dict[str, Parser] = {
    francetravail.FORMAT: francetravail.parse,
    jobposting.FORMAT: jobposting.parse,
}


class FormatError(ValueError):
    """The payload as a whole is not a known offer format."""


def detect_format(data: Any) -> str:
    """ "francetravail" or "jobposting", from the shape of a decoded JSON payload."""
    if isinstance(data, dict):
        if "resultats" in data:
            return francetravail.FORMAT
        if jobposting.contains_posting(data) or "@graph" in data or data == {}:
            return jobposting.FORMAT
        if "intitule" in data or "typeContrat" in data or "lieuTravail" in data:
            return francetravail.FORMAT
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and ("intitule" in item or "lieuTravail" in item):
                return francetravail.FORMAT
        if jobposting.contains_posting(data) or any(
            isinstance(item, dict) and "@graph" in item for item in data
        ):
            return jobposting.FORMAT
        if not data:
            return francetravail.FORMAT  # an empty page: nothing to parse either way
    raise FormatError(
        "not a France Travail v2 payload (an object with 'resultats', an array of offers or one "
        "offer) nor schema.org JobPosting JSON-LD (a JobPosting, alone, in an array, an "
        "'@graph', an ItemList, a 'mainEntity' or a 'content' wrapper)"
    )


def parse_payload(
    data: Any, source: str | None = None, *, cards: bool = False
) -> Iterator[Offer | Rejection]:
    """Parse a decoded JSON payload of either format, record by record."""
    fmt = detect_format(data)
    if fmt == francetravail.FORMAT:
        return francetravail.parse(data, source or francetravail.DEFAULT_SOURCE, cards=cards)
    return jobposting.parse(data, source or jobposting.DEFAULT_SOURCE, cards=cards)


def parse_document(
    fmt: str, data: Any, source: str, *, cards: bool = False
) -> Iterator[Offer | Rejection]:
    """Parse a record whose format is known by name ("francetravail", "jobposting")."""
    parser = PARSERS.get(fmt)
    if parser is None:
        raise FormatError(f"unknown offer format {fmt!r}")
    return parser(data, source, cards=cards)
