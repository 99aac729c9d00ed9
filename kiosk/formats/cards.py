"""The fast path for France Travail records: split a payload into raw records without decoding
them, and decode of each record only the fields a card needs.

A France Travail record is about 2.4 KB of JSON, most of it the description, skills and
other details that the offers cache does not keep outside the raw record (see `francetravail.
parse`, `cards`). `msgspec` finds the records of an envelope without building them (≈ 1.6 µs a
record) and decodes a record into a struct of the card's fields while skipping the rest
(≈ 6 µs instead of ≈ 21 µs for the whole object). The card is then parsed by the very parser of
`francetravail` from a small dict of those fields, so both paths accept, refuse and normalise a
record alike (tests/test_import_fast.py checks it on real pages). Whatever this path does not
recognise — another shape, JSON that does not decode, a record that is not an object — goes to
the ordinary path, which says why.
"""

from __future__ import annotations

from typing import Any

import msgspec

from kiosk.domain import Offer
from kiosk.formats import francetravail
from kiosk.formats.common import Rejection

# The fields of a record that `francetravail.parse_record(…, cards=True)` and the cache's row
# (`kiosk.offline.rows`: the trade family reads `occupationalCategory`) ever read. A test
# records which keys the parser reads on real pages and checks they are all here.
CARD_KEYS: tuple[str, ...] = (
    "id",
    "intitule",
    "typeContrat",
    "typeContratLibelle",
    "natureContrat",
    "lieuTravail",
    "entreprise",
    "contact",
    "origineOffre",
    "dateCreation",
    "dateActualisation",
    "alternance",
    "appellationlibelle",
    "romeLibelle",
    "romeCode",
    "accessibleTH",
    "dureeTravailLibelleConverti",
    "complementExercice",
    "dureeTravailLibelle",
    "occupationalCategory",
    "@type",  # the format the cache files the record under (kiosk.offline.offers._format_of)
)

_UNSET = msgspec.UNSET
# Struct attributes must be identifiers: "@type" is read into `at_type`.
_FIELDS = tuple((key.replace("@", "at_"), key) for key in CARD_KEYS)
# Every field is `Any`: the struct only picks the fields, it never refuses a record (the
# parser does, with its reasons). Absent fields stay UNSET, so the dict has only what was sent.
_Card = msgspec.defstruct(
    "_Card", [(name, Any, _UNSET) for name, _ in _FIELDS], rename=dict(_FIELDS)
)
_CARD = msgspec.json.Decoder(_Card)


class _Envelope(msgspec.Struct):
    """A France Travail search response: its records left undecoded."""

    resultats: list[msgspec.Raw]


_ENVELOPE = msgspec.json.Decoder(_Envelope)


def split_envelope(data: bytes) -> list[msgspec.Raw] | None:
    """The records of a France Travail search response (`{"resultats": [...]}`), each as its
    JSON text, undecoded; None for anything else (the ordinary path takes it)."""
    if data.lstrip()[:1] != b"{":
        return None
    try:
        return _ENVELOPE.decode(data).resultats
    except (msgspec.DecodeError, msgspec.ValidationError):  # ValidationError subclasses it
        return None


def card_fields(raw: bytes | msgspec.Raw) -> dict[str, Any] | None:
    """The card's fields of one record's JSON text as a dict; None when the text is not a
    JSON object (the ordinary path then names the problem)."""
    try:
        card = _CARD.decode(raw)
    except msgspec.DecodeError:
        return None
    return {key: value for name, key in _FIELDS if (value := getattr(card, name)) is not _UNSET}


def compact(raw: bytes | msgspec.Raw) -> bytes:
    """The record's JSON without whitespace between tokens: what the cache stores and hashes
    (orjson writes the same bytes for a record it decoded)."""
    return msgspec.json.format(raw, indent=-1)


def parse_card(raw: bytes | msgspec.Raw, source: str) -> Offer | Rejection | None:
    """The card of one record (its `raw` is only the card's fields: keep the record's JSON
    beside it), or its rejection; None when it is not a JSON object."""
    fields = card_fields(raw)
    if fields is None:
        return None
    return francetravail.parse_record(fields, source, cards=True)
