"""Offers posted by recruiters: created, edited and withdrawn in a form, published as
schema.org JobPosting records under the source `posted`, read back by the same parser as
every offer, and so sent to the terminals around them by the feed like any other."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import orjson
from sqlalchemy import RowMapping, func, insert, select, update

from hub import Clock
from hub.db import Database
from hub.models import Application, OfferRecord, PostedOffer
from hub.offers import OfferRepository
from hub.recruiters.geocode import GeocodeError, Geocoder, Place
from hub.recruiters.posting_form import (
    POSTED_SOURCE,
    Checked,
    OfferForm,
    check,
    job_posting,
    rejection_field,
)
from hub.recruiters.rome import RomeList
from hub.settings import GeocodingSection
from kiosk.domain import Offer
from kiosk.formats import Rejection, parse_payload

if TYPE_CHECKING:
    from hub.recruiters.accounts import RecruiterIdentity

log = logging.getLogger("hub.recruiters.postings")

REFUSED = "L’offre n’a pas pu être publiée : {reason}"


@dataclass(frozen=True, slots=True)
class Posted:
    """One offer an organisation posted, as its recruiters see it."""

    id: int
    organisation_id: int
    form: OfferForm
    place: Place | None
    trade: str | None  # the ROME label of its trade, when the list had it
    external_id: str
    created_at: int
    updated_at: int
    withdrawn_at: int | None
    live: bool = False  # published and not withdrawn in the offers the terminals get
    applications: int = 0


@dataclass(slots=True)
class Outcome:
    """What saving a form did: the offer's number once published, else the errors by field
    ("" for the form as a whole)."""

    posted_id: int | None = None
    errors: dict[str, str] = field(default_factory=dict)


def external_id(organisation_slug: str, posted_id: int) -> str:
    """The offer's id under the source `posted`."""
    return f"{organisation_slug}-{posted_id}"


def public_url(base: str, posted_external_id: str) -> str:
    """The hub's public page of a posted offer (hub/public.py), opened by its QR code."""
    return f"{base.rstrip('/')}/offers/{POSTED_SOURCE}/{quote(posted_external_id, safe='')}"


class Postings:
    """Publishes, lists and withdraws the offers recruiters post."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        offers: OfferRepository,
        geocoder: Geocoder,
        rome: RomeList,
    ) -> None:
        self._db = db
        self._clock = clock
        self._offers = offers
        self._geocoder = geocoder
        self.rome = rome

    @classmethod
    def build(
        cls, db: Database, clock: Clock, offers: OfferRepository, section: GeocodingSection
    ) -> Postings:
        """The postings of a hub, placed by the address search of its settings."""
        return cls(db, clock, offers, Geocoder(section), RomeList(db))

    # -- reading -------------------------------------------------------------------------------

    def list(self, organisation_id: int) -> list[Posted]:
        """The organisation's posted offers, the newest change first."""
        with self._db.read() as connection:
            rows = connection.execute(
                select(PostedOffer.__table__)
                .where(PostedOffer.organisation_id == organisation_id)
                .order_by(PostedOffer.updated_at.desc(), PostedOffer.id.desc())
            ).mappings()
            found = [_posted(row) for row in rows]
            ids = [p.external_id for p in found]
            live: set[str] = set()
            counts: dict[str, int] = {}
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500]
                live.update(
                    connection.scalars(
                        select(OfferRecord.external_id).where(
                            OfferRecord.source == POSTED_SOURCE,
                            OfferRecord.external_id.in_(chunk),
                            OfferRecord.withdrawn.is_(False),
                        )
                    )
                )
                counts.update(
                    (str(offer_id), int(count))
                    for offer_id, count in connection.execute(
                        select(Application.offer_id, func.count())
                        .where(
                            Application.organisation_id == organisation_id,
                            Application.offer_source == POSTED_SOURCE,
                            Application.offer_id.in_(chunk),
                        )
                        .group_by(Application.offer_id)
                    )
                )
        return [
            replace(p, live=p.external_id in live, applications=counts.get(p.external_id, 0))
            for p in found
        ]

    def get(self, organisation_id: int, posted_id: int) -> Posted | None:
        """One of the organisation's posted offers (None for another organisation's)."""
        with self._db.read() as connection:
            row = (
                connection.execute(
                    select(PostedOffer.__table__).where(
                        PostedOffer.id == posted_id, PostedOffer.organisation_id == organisation_id
                    )
                )
                .mappings()
                .first()
            )
            if row is None:
                return None
            posted = _posted(row)
            live = connection.scalar(
                select(func.count()).where(
                    OfferRecord.source == POSTED_SOURCE,
                    OfferRecord.external_id == posted.external_id,
                    OfferRecord.withdrawn.is_(False),
                )
            )
        return replace(posted, live=bool(live))

    # -- writing -------------------------------------------------------------------------------

    def save(
        self,
        who: RecruiterIdentity,
        form: OfferForm,
        base_url: str,
        previous: Posted | None = None,
    ) -> Outcome:
        """Check the form, place it, and publish it: a new offer, or a change of `previous`
        (one of `who`'s organisation). Nothing is published while any error remains."""
        checked, trade = self._check(form, previous)
        place = None if "place" in checked.errors else self._place(form, previous, checked)
        if checked.errors or place is None:
            return Outcome(errors=checked.errors)
        now = int(self._clock())
        posted_at = previous.created_at if previous is not None else now

        def record(posted_id: int) -> dict[str, Any]:
            offer_id = external_id(who.organisation_slug, posted_id)
            return job_posting(
                form,
                checked,
                place,
                external_id=offer_id,
                organisation=who.organisation_name,
                trade=trade,
                url=public_url(base_url, offer_id),
                posted_at=posted_at,
                updated_at=now,
            )

        # Read back by the parser of every offer before anything is stored: what it
        # refuses is shown next to its field.
        parsed = _parse(record(previous.id if previous else 0))
        if isinstance(parsed, str):
            return Outcome(errors=parsed_error(parsed))

        def stored(posted_id: int) -> str:
            document = {
                "fields": form.as_json(),
                "place": place.as_json(),
                "trade": trade,
                "external_id": external_id(who.organisation_slug, posted_id),
            }
            return orjson.dumps(document).decode()

        with self._db.write() as connection:
            if previous is None:
                posted_id = int(
                    connection.execute(
                        insert(PostedOffer)
                        .values(
                            organisation_id=who.organisation_id,
                            form="{}",
                            created_by=who.id,
                            created_at=now,
                            updated_at=now,
                        )
                        .returning(PostedOffer.id)
                    ).scalar_one()
                )
            else:
                posted_id = previous.id
            connection.execute(
                update(PostedOffer)
                .where(
                    PostedOffer.id == posted_id,
                    PostedOffer.organisation_id == who.organisation_id,
                )
                .values(form=stored(posted_id), updated_at=now, withdrawn_at=None)
            )
        offer = _parse(record(posted_id))
        if isinstance(offer, str):  # the id and the URL alone changed: cannot happen
            return Outcome(errors=parsed_error(offer))
        # Its organisation owns it (hub/recruiters/ownership.py, in the upsert's transaction).
        report = self._offers.upsert([offer], source=POSTED_SOURCE)
        if report.rejected:
            return Outcome(errors=parsed_error(report.rejected[0].reason))
        log.info(
            "organisation %d %s posted offer %s",
            who.organisation_id,
            "changed" if previous else "published",
            offer.external_id,
        )
        return Outcome(posted_id=posted_id)

    def withdraw(self, who: RecruiterIdentity, posted: Posted) -> None:
        """Withdraw a posted offer: a tombstone, so that terminals drop it at their next sync."""
        now = int(self._clock())
        with self._db.write() as connection:
            connection.execute(
                update(PostedOffer)
                .where(
                    PostedOffer.id == posted.id,
                    PostedOffer.organisation_id == who.organisation_id,
                    PostedOffer.withdrawn_at.is_(None),
                )
                .values(withdrawn_at=now, updated_at=now)
            )
        self._offers.withdraw(POSTED_SOURCE, [posted.external_id])
        log.info("organisation %d withdrew offer %s", who.organisation_id, posted.external_id)

    # -- the steps -----------------------------------------------------------------------------

    def _check(self, form: OfferForm, previous: Posted | None) -> tuple[Checked, str | None]:
        """The form's checks, and the label of its trade (None when the list lacks it)."""
        code = form.rome.strip().upper()
        trade = self.rome.label(code) if code else None
        if trade is None and previous is not None and previous.form.rome == form.rome:
            trade = previous.trade  # the list changed since: the offer keeps its trade
        known = trade is not None or self.rome.count() == 0
        return check(form, rome_known=known), trade

    def _place(self, form: OfferForm, previous: Posted | None, checked: Checked) -> Place | None:
        """Where the form's place is: the one found before when it was not changed."""
        same = previous is not None and previous.form.place.split() == form.place.split()
        if same and previous is not None and previous.place is not None:
            return previous.place
        try:
            return self._geocoder.locate(form.place)
        except GeocodeError as exc:
            checked.errors["place"] = str(exc)
            return None


def parsed_error(reason: str) -> dict[str, str]:
    """A parser's refusal as a form error, next to the field it is about."""
    return {rejection_field(reason): REFUSED.format(reason=reason)}


def _parse(record: dict[str, Any]) -> Offer | str:
    """The offer the parser reads from a record, or why it refuses it."""
    items = list(parse_payload(record, POSTED_SOURCE, cards=True))
    offers = [item for item in items if isinstance(item, Offer)]
    if len(offers) == 1 and len(items) == 1:
        offer = offers[0]
        if not offer.located:
            return "jobLocation: the place has no coordinates in France"
        return offer
    reasons = [item.reason for item in items if isinstance(item, Rejection)]
    return reasons[0] if reasons else "not one JobPosting"


def _posted(row: RowMapping) -> Posted:
    stored = orjson.loads(row["form"])
    return Posted(
        id=int(row["id"]),
        organisation_id=int(row["organisation_id"]),
        form=OfferForm.from_json(stored.get("fields", {})),
        place=Place.from_json(stored.get("place")),
        trade=stored.get("trade"),
        external_id=str(stored.get("external_id") or ""),
        created_at=int(row["created_at"]),
        updated_at=int(row["updated_at"]),
        withdrawn_at=row["withdrawn_at"],
    )
