"""Who owns which offers: the operator's rules giving offers to organisations (one offer, a
SIRET, a company, a whole source), applied as offers are written and again, with their
applications, whenever a rule is added or removed.

Precedence: a rule for the offer itself, then its SIRET, then its company, then its source.
Posted offers (source `posted`) belong to the organisation that posted them, whatever the
rules say. Changing rules and writing offers both hold the `offer_seq` counter's lock, so an
ingest batch never runs on rules that a concurrent change has already replaced.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import (
    ColumnElement,
    Connection,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    select,
    tuple_,
    update,
)
from sqlalchemy.exc import IntegrityError

from hub import Clock
from hub.db import Database
from hub.errors import ApiError
from hub.models import Application, Meta, OfferRecord, Organisation, OwnershipRule, PostedOffer
from hub.schemas import SOURCE_NAME
from kiosk.domain import Offer
from kiosk.text import fold

log = logging.getLogger("hub.recruiters.ownership")

POSTED_SOURCE = "posted"  # hub/recruiters/posting_form.py publishes under this source
KINDS = ("offer", "siret", "company", "source")  # by precedence
_SIRET_SEPARATORS = re.compile(r"[\s.\-]")
_FILLED = "ownership_filled"  # Meta key: offers written before 0007 have their keys
_OFFER_SEQ = "offer_seq"


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule as the operator lists them."""

    id: int
    organisation_id: int
    organisation_slug: str
    kind: str
    value: str
    created_at: int

    @property
    def label(self) -> str:
        """How the command line writes it: `--source francetravail`."""
        return f"--{self.kind} {self.value}"


@dataclass(frozen=True, slots=True)
class Change:
    """What a rule change did: the rule, and how many offers and applications changed hands."""

    rule: Rule
    offers: int
    applications: int


def company_key(name: str | None) -> str | None:
    """A company's name as rules match it: folded (case, accents, punctuation), one space."""
    if not name:
        return None
    return fold(name)[:200] or None


def _siret(value: Any) -> str | None:
    if isinstance(value, str):
        if len(value) == 14 and value.isdigit() and value.isascii():
            return value  # the usual form, without a regular expression
    elif isinstance(value, dict):  # schema.org PropertyValue {"propertyID": …, "value": …}
        return _siret(value.get("value"))
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    else:
        return None
    digits = _SIRET_SEPARATORS.sub("", value)
    return digits if len(digits) == 14 and digits.isascii() and digits.isdigit() else None


def siret_of(raw: Mapping[str, Any]) -> str | None:
    """The employer's 14-digit SIRET when the record gives one: France Travail's
    `entreprise.siret`, a JobPosting's `hiringOrganization` `taxID`, `siret` or `identifier`.

    Called for every offer written: records are plain dicts (decoded JSON), checked as such."""
    company = raw.get("entreprise")
    if isinstance(company, dict):
        value = company.get("siret")
        return None if value is None else _siret(value)
    hiring = raw.get("hiringOrganization")
    if hiring is None or isinstance(hiring, str):
        return None
    for organisation in hiring if isinstance(hiring, list) else (hiring,):
        if not isinstance(organisation, dict):
            continue
        identifier = organisation.get("identifier")
        candidates = [organisation.get("siret"), organisation.get("taxID")]
        candidates += identifier if isinstance(identifier, list) else [identifier]
        for candidate in candidates:
            found = None if candidate is None else _siret(candidate)
            if found is not None:
                return found
    return None


def normalise(kind: str, value: str) -> str:
    """A rule's value as stored; ApiError 422 with the expected form when it is not one."""
    value = value.strip()
    if kind == "source":
        if re.fullmatch(SOURCE_NAME, value) is None:
            raise ApiError(422, "invalid_request", "source: lower-case letters, digits, . _ -")
        if value == POSTED_SOURCE:
            raise ApiError(
                422, "invalid_request", "posted offers belong to the organisation that posted them"
            )
        return value
    if kind == "company":
        key = company_key(value)
        if key is None:
            raise ApiError(422, "invalid_request", "company: a name with letters or digits")
        return key
    if kind == "siret":
        siret = _siret(value)
        if siret is None:
            raise ApiError(422, "invalid_request", "siret: 14 digits")
        return siret
    if kind == "offer":
        source, _, external_id = value.partition("/")
        if re.fullmatch(SOURCE_NAME, source) is None or not 1 <= len(external_id) <= 512:
            raise ApiError(422, "invalid_request", "offer: SOURCE/ID, as in francetravail/123ABC")
        if source == POSTED_SOURCE:
            raise ApiError(
                422, "invalid_request", "posted offers belong to the organisation that posted them"
            )
        return f"{source}/{external_id}"
    raise ApiError(422, "invalid_request", f"kind: one of {', '.join(KINDS)}")


class Owners:
    """The rules of one moment, to give each offer its keys and owner as it is written:
    a few dictionary look-ups per offer."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._by_kind: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
        for kind, value, organisation in connection.execute(
            select(OwnershipRule.kind, OwnershipRule.value, OwnershipRule.organisation_id)
        ):
            self._by_kind.setdefault(kind, {})[value] = int(organisation)
        self._offer = self._by_kind["offer"]
        self._siret = self._by_kind["siret"]
        self._company = self._by_kind["company"]
        self._source = self._by_kind["source"]
        self._keys: dict[str, str | None] = {}  # company name → key: offers share employers

    def values(self, source: str, external_id: str, offer: Offer) -> dict[str, Any]:
        """`company_key`, `siret` and `organisation_id` of an offer about to be written."""
        name = offer.company
        if name is None:
            key = None
        elif name in self._keys:
            key = self._keys[name]
        else:
            key = self._keys[name] = company_key(name)
        siret = siret_of(offer.raw)
        if source == POSTED_SOURCE:
            owner = self.posted_owner(external_id)
        else:
            owner = (
                (self._offer.get(f"{source}/{external_id}") if self._offer else None)
                or (self._siret.get(siret) if siret is not None else None)
                or (self._company.get(key) if key is not None else None)
                or self._source.get(source)
            )
        return {"company_key": key, "siret": siret, "organisation_id": owner}

    def posted_owner(self, external_id: str) -> int | None:
        """The organisation that posted `<its slug>-<number>`, or None."""
        slug, _, number = external_id.rpartition("-")
        if not number.isdigit() or len(number) > 12:
            return None
        found = self._connection.scalar(
            select(PostedOffer.organisation_id)
            .join(Organisation, Organisation.id == PostedOffer.organisation_id)
            .where(PostedOffer.id == int(number), Organisation.slug == slug)
        )
        return None if found is None else int(found)


def _owner_now() -> ColumnElement[Any]:
    """The owner the rules give an offer row (in SQL, correlated with `offers`)."""

    def rule(kind: str, value: Any) -> Any:
        return (
            select(OwnershipRule.organisation_id)
            .where(OwnershipRule.kind == kind, OwnershipRule.value == value)
            .scalar_subquery()
        )

    return func.coalesce(
        rule("offer", OfferRecord.source + literal("/") + OfferRecord.external_id),
        rule("siret", OfferRecord.siret),
        rule("company", OfferRecord.company_key),
        rule("source", OfferRecord.source),
    )


def _matching(kind: str, value: str) -> ColumnElement[bool]:
    """The offers a rule is about (posted offers never are)."""
    not_posted = OfferRecord.source != POSTED_SOURCE
    if kind == "offer":
        source, _, external_id = value.partition("/")
        return and_(
            OfferRecord.source == source, OfferRecord.external_id == external_id, not_posted
        )
    column = {
        "siret": OfferRecord.siret,
        "company": OfferRecord.company_key,
        "source": OfferRecord.source,
    }[kind]
    return and_(column == value, not_posted)


class Ownership:
    """The operator's rules: listed, added and removed, offers and applications following."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        # Told, in the rule change's transaction, of the unread applications an organisation
        # received through it: (connection, organisation id, {"source/id": count}).
        self.on_arrivals: list[Callable[[Connection, int, dict[str, int]], None]] = []

    def _announce(self, connection: Connection, arrivals: dict[int, dict[str, int]]) -> None:
        for organisation_id, counts in sorted(arrivals.items()):
            for hook in self.on_arrivals:
                hook(connection, organisation_id, counts)

    def rules(self, organisation_id: int | None = None) -> list[Rule]:
        """The rules (of one organisation, or all), by organisation, kind and value."""
        query = (
            select(OwnershipRule, Organisation.slug)
            .join(Organisation, Organisation.id == OwnershipRule.organisation_id)
            .order_by(Organisation.slug, OwnershipRule.kind, OwnershipRule.value)
        )
        if organisation_id is not None:
            query = query.where(OwnershipRule.organisation_id == organisation_id)
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [_rule(row) for row in rows]

    def add(self, organisation_id: int, kind: str, value: str) -> Change:
        """Give offers to an organisation; ApiError 422 for a bad value, 404 for an unknown
        organisation, 409 when another organisation has this very rule."""
        value = normalise(kind, value)
        self.fill_keys()
        try:
            with self._db.write() as connection:
                _counter_lock(connection)
                if (
                    connection.scalar(
                        select(Organisation.id).where(Organisation.id == organisation_id)
                    )
                    is None
                ):
                    raise ApiError(404, "unknown_organisation", "no such organisation")
                existing = connection.execute(
                    select(OwnershipRule, Organisation.slug)
                    .join(Organisation, Organisation.id == OwnershipRule.organisation_id)
                    .where(OwnershipRule.kind == kind, OwnershipRule.value == value)
                ).first()
                if existing is not None:
                    if existing.organisation_id != organisation_id:
                        raise ApiError(
                            409,
                            "conflict",
                            f"organisation {existing.slug} has this rule: remove it there first",
                        )
                    return Change(_rule(existing), 0, 0)
                rule_id = connection.execute(
                    insert(OwnershipRule)
                    .values(
                        organisation_id=organisation_id,
                        kind=kind,
                        value=value,
                        created_at=int(self._clock()),
                    )
                    .returning(OwnershipRule.id)
                ).scalar_one()
                offers, applications, arrivals = _recompute(connection, kind, value)
                self._announce(connection, arrivals)
                row = connection.execute(
                    select(OwnershipRule, Organisation.slug)
                    .join(Organisation, Organisation.id == OwnershipRule.organisation_id)
                    .where(OwnershipRule.id == rule_id)
                ).one()
        except IntegrityError as exc:  # the same rule added at the same moment
            raise ApiError(409, "conflict", "this rule was added meanwhile") from exc
        log.info(
            "ownership rule %s added for organisation %d: %d offers, %d applications moved",
            kind,
            organisation_id,
            offers,
            applications,
        )
        return Change(_rule(row), offers, applications)

    def remove(self, kind: str, value: str) -> Change:
        """Take a rule back; its offers go to the next rule that matches them, or to nobody.
        ApiError 404 when there is no such rule."""
        value = normalise(kind, value)
        self.fill_keys()
        with self._db.write() as connection:
            _counter_lock(connection)
            row = connection.execute(
                select(OwnershipRule, Organisation.slug)
                .join(Organisation, Organisation.id == OwnershipRule.organisation_id)
                .where(OwnershipRule.kind == kind, OwnershipRule.value == value)
            ).first()
            if row is None:
                raise ApiError(404, "unknown_rule", f"no {kind} rule {value}")
            connection.execute(delete(OwnershipRule).where(OwnershipRule.id == row.id))
            offers, applications, arrivals = _recompute(connection, kind, value)
            self._announce(connection, arrivals)
        log.info(
            "ownership rule %s removed from organisation %d: %d offers, %d applications moved",
            kind,
            row.organisation_id,
            offers,
            applications,
        )
        return Change(_rule(row), offers, applications)

    def fill_keys(self, batch: int = 1000) -> int:
        """Give the offers written before the hub knew of owners (schema 0007) their company
        key and SIRET, once: rules then match them too. How many offers were filled."""
        with self._db.read() as connection:
            if connection.scalar(select(Meta.value).where(Meta.key == _FILLED)) is not None:
                return 0
        filled = 0
        last = 0
        while True:
            with self._db.write() as connection:
                _counter_lock(connection)
                rows = connection.execute(
                    select(OfferRecord.id, OfferRecord.raw, OfferRecord.source)
                    .where(
                        OfferRecord.id > last,
                        OfferRecord.raw.is_not(None),
                        OfferRecord.company_key.is_(None),
                        OfferRecord.siret.is_(None),
                    )
                    .order_by(OfferRecord.id)
                    .limit(batch)
                ).all()
                if not rows:
                    done = select(Meta.key).where(Meta.key == _FILLED)
                    if connection.scalar(done) is None:  # another instance may have finished
                        connection.execute(insert(Meta).values(key=_FILLED, value="1"))
                    break
                changes = list(_keys_of(rows))
                if changes:
                    connection.execute(
                        update(OfferRecord)
                        .where(OfferRecord.id == bindparam("b_id"))
                        .values(company_key=bindparam("company_key"), siret=bindparam("siret")),
                        changes,
                    )
                filled += len(changes)
                last = rows[-1].id
        if filled:
            log.info("ownership: %d offers written before 0007 got their company keys", filled)
        return filled


def _keys_of(rows: Sequence[Any]) -> Iterator[dict[str, Any]]:
    """Company key and SIRET of stored records (their raw JSON), for those that have one."""
    for row in rows:
        try:
            raw = orjson.loads(row.raw)
        except orjson.JSONDecodeError:
            continue
        if not isinstance(raw, dict):
            continue
        company = raw.get("entreprise")
        name = company.get("nom") if isinstance(company, dict) else None
        hiring = raw.get("hiringOrganization")
        if isinstance(hiring, list):
            hiring = hiring[0] if hiring else None
        if name is None and isinstance(hiring, dict):
            name = hiring.get("name")
        elif name is None and isinstance(hiring, str):
            name = hiring
        key = company_key(name if isinstance(name, str) else None)
        siret = siret_of(raw)
        if key is not None or siret is not None:
            yield {"b_id": row.id, "company_key": key, "siret": siret}


def _counter_lock(connection: Connection) -> None:
    """Hold the `offer_seq` counter's row lock, as offer writers do (PostgreSQL; on SQLite
    the write transaction already holds the database's write lock)."""
    from hub.offers import lock_counter  # noqa: PLC0415 - hub.offers imports this module

    lock_counter(connection, _OFFER_SEQ)


def _recompute(
    connection: Connection, kind: str, value: str
) -> tuple[int, int, dict[int, dict[str, int]]]:
    """Owners of the offers a rule is about, and of their applications: how many moved, and
    the unread applications each organisation now has (organisation → {"source/id": count})."""
    owner = _owner_now()
    matching = _matching(kind, value)
    offers = connection.execute(
        update(OfferRecord)
        .where(matching, OfferRecord.organisation_id.is_distinct_from(owner))
        .values(organisation_id=owner)
        .execution_options(synchronize_session=False)
    ).rowcount
    offer_owner = (
        select(OfferRecord.organisation_id)
        .where(
            OfferRecord.source == Application.offer_source,
            OfferRecord.external_id == Application.offer_id,
        )
        .scalar_subquery()
    )
    moving = (
        tuple_(Application.offer_source, Application.offer_id).in_(
            select(OfferRecord.source, OfferRecord.external_id).where(matching)
        ),
        Application.organisation_id.is_distinct_from(offer_owner),
    )
    # The unread ones reach their new organisation's recruiters as if they had just arrived:
    # nobody was told of them (they had no organisation, or another one's).
    unread = connection.execute(
        select(offer_owner.label("owner"), Application.offer_source, Application.offer_id)
        .where(*moving, Application.status == "new", Application.purged_at.is_(None))
        .where(offer_owner.is_not(None))
    ).all()
    applications = connection.execute(
        update(Application)
        .where(*moving)
        .values(organisation_id=offer_owner)
        .execution_options(synchronize_session=False)
    ).rowcount
    arrivals: dict[int, dict[str, int]] = {}
    for owner, source, external_id in unread:
        counts = arrivals.setdefault(owner, {})
        key = f"{source}/{external_id}"
        counts[key] = counts.get(key, 0) + 1
    return int(offers or 0), int(applications or 0), arrivals


def _rule(row: Any) -> Rule:
    """A row of `select(OwnershipRule, Organisation.slug)` (a Core query: flat columns)."""
    return Rule(
        id=row.id,
        organisation_id=row.organisation_id,
        organisation_slug=row.slug,
        kind=row.kind,
        value=row.value,
        created_at=row.created_at,
    )
