"""The recruiters' inbox: their organisation's applications, a page at a time, opened only
for the rows shown; statuses and their history; the search by reference code; the export.

Every query here takes the organisation: an application is found by its UUID *and* its
organisation, never by its UUID alone, so a recruiter can only reach their own.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import orjson
import phonenumbers
from sqlalchemy import (
    Connection,
    Select,
    bindparam,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)

from hub import Clock
from hub.db import Database
from hub.exports import EXPORT_BATCH, Chunks, encoded, keyset_pages
from hub.firms.spontaneous import SOURCE as SPONTANEOUS
from hub.firms.spontaneous import Target, target_of
from hub.inbox import Inbox, reference_digest
from hub.keys import HubKeys
from hub.models import Application, ApplicationEvent, OfferRecord, Recruiter, Terminal
from kiosk.applications import PHONE_REGION, normalise_reference
from kiosk.formats import jobposting

log = logging.getLogger("hub.recruiters.inbox")

# Where a recruiter is with the person, in the order they usually go.
STATUSES: dict[str, str] = {
    "new": "Nouvelle",
    "contacted": "Contactée",
    "interview": "Entretien",
    "hired": "Recrutée",
    "not_retained": "Non retenue",
}
PAGE_SIZE = 25
COUNT_CAP = 1000  # counts per status stop there ("1 000+")
PURGED = "données effacées (durée de conservation)"
UNREADABLE = "illisible (la clé du hub a changé)"

# The quick questions of the terminal (kiosk/applications.py QUESTIONS) and their answers,
# as a French recruiter reads them.
QUESTIONS = {
    "available_now": "Disponible tout de suite",
    "experience": "Expérience dans ce métier",
    "driving_licence": "Permis de conduire",
}
ANSWERS = {
    "yes": "Oui",
    "no": "Non",
    "none": "Aucune",
    "under_1_year": "Moins d’un an",
    "1_to_3_years": "1 à 3 ans",
    "over_3_years": "Plus de 3 ans",
}
# The languages a passer-by may use on a terminal, and others they may come to.
LANGUAGES = {
    "fr": "français",
    "ar": "arabe",
    "en": "anglais",
    "es": "espagnol",
    "pt": "portugais",
    "it": "italien",
    "de": "allemand",
    "ro": "roumain",
    "pl": "polonais",
    "tr": "turc",
    "ru": "russe",
    "uk": "ukrainien",
    "fa": "persan",
    "ps": "pachto",
    "ta": "tamoul",
    "zh": "chinois",
    "vi": "vietnamien",
    "so": "somali",
    "ti": "tigrigna",
    "wo": "wolof",
}


def language_name(code: Any) -> str:
    """The applicant's language by its French name ("arabe"); the code itself if unknown."""
    if not isinstance(code, str) or not code:
        return ""
    return LANGUAGES.get(code.split("-")[0].lower(), code)


def _answer(value: Any) -> str:
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, str):
        return ANSWERS.get(value, value)
    return "" if value is None else str(value)


def quick_answers(answers: Any) -> list[tuple[str, str]]:
    """The quick answers as (question, answer), in French, in the terminal's order."""
    if not isinstance(answers, Mapping):
        return []
    ordered = [key for key in QUESTIONS if key in answers]
    ordered += [key for key in answers if key not in QUESTIONS]
    return [(QUESTIONS.get(str(key), str(key)), _answer(answers[key])) for key in ordered]


def asked_questions(offer_format: str | None, offer_raw: str | None) -> tuple[str, ...] | None:
    """The quick questions an offer chose to ask (a JobPosting's `kioskQuestions`, read as
    the terminal reads it), or None when it made no choice (all are asked) or cannot tell
    (withdrawn, purged, another format): then every answer is shown."""
    if offer_format != jobposting.FORMAT or not offer_raw:
        return None
    try:
        record = orjson.loads(offer_raw)
    except orjson.JSONDecodeError:
        return None
    chosen = record.get("kioskQuestions") if isinstance(record, dict) else None
    return jobposting.quick_questions(chosen, []) if isinstance(chosen, list) else None


def _stamp(epoch: int | None) -> datetime | None:
    return None if epoch is None else datetime.fromtimestamp(epoch, UTC)


@dataclass(frozen=True, slots=True)
class Phone:
    """A phone number to read ("06 12 34 56 78") and to call ("+33612345678")."""

    shown: str
    dial: str


def phone_of(value: Any) -> Phone | None:
    """The sealed phone number, formatted for reading and for a `tel:` link."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:  # parsed once (terminals seal E.164): as kiosk.applications.display_phone shows it
        number = phonenumbers.parse(text, PHONE_REGION)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        return Phone(text, "".join(c for c in text if c.isdigit() or c == "+"))
    style = phonenumbers.PhoneNumberFormat
    national = phonenumbers.region_code_for_number(number) == PHONE_REGION
    return Phone(
        phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL),
        phonenumbers.format_number(number, style.E164),
    )


@dataclass(frozen=True, slots=True)
class ApplicationView:
    """One application as a recruiter sees it (the person's data only while it is kept)."""

    row_id: int
    application_id: str
    received_at: datetime
    offer_source: str
    offer_id: str
    offer_title: str
    terminal_name: str
    status: str
    status_at: datetime | None
    first_contact_at: datetime | None
    opened: int
    purged: bool
    unreadable: bool
    first_name: str = ""
    last_name: str = ""
    phone: Phone | None = None
    email: str = ""
    language: str = ""
    reference: str = ""
    answers: list[tuple[str, str]] = field(default_factory=list)
    # A spontaneous application (hub/firms/spontaneous.py): the firm and trade it targets.
    target: Target | None = None

    @property
    def status_label(self) -> str:
        return STATUSES.get(self.status, self.status)

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    @property
    def gone(self) -> str:
        """Why the person's data cannot be shown, or "" when it can."""
        return PURGED if self.purged else UNREADABLE if self.unreadable else ""


@dataclass(frozen=True, slots=True)
class StatusEvent:
    """A status change: to what, when, by whom (a colleague's name, or "")."""

    status: str
    at: datetime
    by: str

    @property
    def label(self) -> str:
        return STATUSES.get(self.status, self.status)


@dataclass(frozen=True, slots=True)
class InboxPage:
    """A page of the inbox, with the counts per status of the whole organisation."""

    rows: list[ApplicationView]
    number: int
    more: bool  # whether older applications follow
    total: int  # of the chosen status (or all), counted up to `COUNT_CAP` each
    counts: dict[str, int]  # status → how many (`COUNT_CAP` + 1: more than `COUNT_CAP`)

    @property
    def pages(self) -> int | None:
        """How many pages, when every application was counted."""
        if any(count > COUNT_CAP for count in self.counts.values()):
            return None
        return max(1, -(-self.total // PAGE_SIZE))


def shown_count(count: int) -> str:
    """A count as the inbox shows it: "1 000+" beyond `COUNT_CAP`."""
    return _grouped(min(count, COUNT_CAP)) + ("+" if count > COUNT_CAP else "")


def shown_total(counts: dict[str, int]) -> str:
    """The sum of the counts per status as the inbox shows it ("3 000+" if one is capped)."""
    total = sum(min(count, COUNT_CAP) for count in counts.values())
    return _grouped(total) + ("+" if any(c > COUNT_CAP for c in counts.values()) else "")


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", "\u202f")  # French: a narrow no-break space


# Built once (building it costs more than running it): each status counted in the index.
_COUNTS = union_all(
    *(
        select(literal(status).label("status"), func.count().label("n")).select_from(
            select(Application.id)
            .where(
                Application.organisation_id == bindparam("organisation_id"),
                Application.status == status,
            )
            .limit(COUNT_CAP + 1)
            .subquery()
        )
        for status in STATUSES
    )
)


class InboxQueries:
    """The inbox of one organisation at a time (every method takes its id)."""

    def __init__(self, db: Database, inbox: Inbox, keys: HubKeys, clock: Clock) -> None:
        self._db = db
        self._inbox = inbox
        self._keys = keys
        self._clock = clock

    # -- reading -------------------------------------------------------------------------------

    def counts(self, organisation_id: int) -> dict[str, int]:
        """How many applications the organisation has, per status, each counted up to
        `COUNT_CAP` + 1 in the index (ix_applications_status): what a recruiter needs to
        know, at a cost that does not grow with years of applications."""
        with self._db.read() as connection:
            rows = connection.execute(_COUNTS, {"organisation_id": organisation_id}).all()
        found = {str(status): int(count) for status, count in rows}
        return {status: int(found.get(status, 0)) for status in STATUSES}

    def page(self, organisation_id: int, status: str | None = None, number: int = 1) -> InboxPage:
        """The applications newest first, `PAGE_SIZE` a page (of one status, or all)."""
        counts = self.counts(organisation_id)
        total = counts.get(status, 0) if status else sum(counts.values())
        number = max(1, number)
        ids = (
            select(Application.id)
            .where(Application.organisation_id == organisation_id)
            .order_by(Application.received_at.desc(), Application.id.desc())
            .limit(PAGE_SIZE + 1)
            .offset((number - 1) * PAGE_SIZE)
        )
        if status:
            ids = ids.where(Application.status == status)
        with self._db.read() as connection:
            chosen = list(connection.scalars(ids))
            rows = self._rows(
                connection,
                organisation_id,
                select(Application.id).where(Application.id.in_(chosen[:PAGE_SIZE])),
            )
        return InboxPage(rows, number, len(chosen) > PAGE_SIZE, total, counts)

    def find_reference(self, organisation_id: int, typed: str) -> list[ApplicationView] | None:
        """The organisation's applications given this reference code (usually one); None when
        what was typed cannot be a reference code."""
        code = normalise_reference(typed)
        if code is None:
            return None
        digest = reference_digest(self._keys.reference_secret, code)
        with self._db.read() as connection:
            views = self._rows(
                connection,
                organisation_id,
                select(Application.id).where(Application.reference_digest == digest),
            )
        log.info("a recruiter looked up a reference code: %d applications", len(views))
        return views

    def get(self, organisation_id: int, application_id: str) -> ApplicationView | None:
        """One application of the organisation, or None (unknown, or another's)."""
        with self._db.read() as connection:
            views = self._rows(
                connection,
                organisation_id,
                select(Application.id).where(Application.application_id == application_id),
            )
        return views[0] if views else None

    def open(self, organisation_id: int, application_id: str) -> ApplicationView | None:
        """`get`, counting that a recruiter opened it (a count: never who, nor what)."""
        with self._db.write() as connection:
            counted = connection.execute(
                update(Application)
                .where(
                    Application.organisation_id == organisation_id,
                    Application.application_id == application_id,
                )
                .values(opened=Application.opened + 1)
            ).rowcount
        return self.get(organisation_id, application_id) if counted else None

    def history(self, organisation_id: int, application_id: str) -> list[StatusEvent]:
        """The status changes of one of the organisation's applications, oldest first."""
        query = (
            select(ApplicationEvent.status, ApplicationEvent.at, Recruiter.name)
            .join(Application, Application.id == ApplicationEvent.application_id)
            .outerjoin(
                Recruiter,
                (Recruiter.id == ApplicationEvent.recruiter_id)
                & (Recruiter.organisation_id == organisation_id),
            )
            .where(
                Application.organisation_id == organisation_id,
                Application.application_id == application_id,
            )
            .order_by(ApplicationEvent.at, ApplicationEvent.id)
        )
        with self._db.read() as connection:
            rows = connection.execute(query).all()
        return [
            StatusEvent(status, datetime.fromtimestamp(at, UTC), by or "")
            for status, at, by in rows
        ]

    def _rows(
        self, connection: Connection, organisation_id: int, candidates: Select[Any]
    ) -> list[ApplicationView]:
        """The applications among `candidates` (a query of ids, which picks the index) that
        are the organisation's, newest first."""
        chosen = candidates.subquery()
        query = (
            select(
                Application.id,
                Application.application_id,
                Application.terminal_id,
                Application.offer_source,
                Application.offer_id,
                Application.received_at,
                Application.sealed,
                Application.purged_at,
                Application.status,
                Application.status_at,
                Application.first_contact_at,
                Application.opened,
                OfferRecord.title,
                OfferRecord.format.label("offer_format"),
                OfferRecord.raw.label("offer_raw"),
                Terminal.name,
            )
            .select_from(chosen)
            .join(Application, Application.id == chosen.c.id)
            .outerjoin(
                OfferRecord,
                (OfferRecord.source == Application.offer_source)
                & (OfferRecord.external_id == Application.offer_id),
            )
            .outerjoin(Terminal, Terminal.terminal_id == Application.terminal_id)
            # "+ 0": a filter on the rows the candidates found, not an index to walk (SQLite,
            # without statistics, would walk the organisation's whole inbox index).
            .where(Application.organisation_id + 0 == organisation_id)
            .order_by(Application.received_at.desc(), Application.id.desc())
        )
        return [self._view(row, connection) for row in connection.execute(query).all()]

    def _opened(self, row: Any) -> tuple[dict[str, Any] | None, str]:
        """The application's body as a recruiter may see it, or why it cannot be read: the
        quick answers only to the questions its offer asks (the terminal refuses others; one
        that came anyway, from an older terminal or an offer changed since, is left out and
        counted in the log, never shown, and never a reason to refuse the application)."""
        content, problem = self._inbox.open(row.application_id, row.sealed)
        answers = content.get("answers") if content else None
        if content is None or not isinstance(answers, Mapping) or not answers:
            return content, problem
        asked = asked_questions(row.offer_format, row.offer_raw)
        if asked is None:
            return content, problem
        kept = {key: value for key, value in answers.items() if key in asked}
        if len(kept) < len(answers):
            log.info(
                "application %s: %d answers to questions its offer does not ask, not shown",
                row.application_id,
                len(answers) - len(kept),
            )
            content = content | {"answers": kept}
        return content, problem

    def _view(self, row: Any, connection: Connection) -> ApplicationView:
        content, problem = self._opened(row)
        person = content or {}
        offer = person.get("offer")
        sealed_title = offer.get("title") if isinstance(offer, Mapping) else None
        reference = person.get("reference")
        code = normalise_reference(reference) if isinstance(reference, str) else None
        target = None
        if row.offer_source == SPONTANEOUS:
            target = target_of(connection, row.offer_id, content)
            sealed_title = target.title
        return ApplicationView(
            row_id=row.id,
            application_id=row.application_id,
            received_at=datetime.fromtimestamp(row.received_at, UTC),
            offer_source=row.offer_source,
            offer_id=row.offer_id,
            offer_title=row.title
            or (sealed_title if isinstance(sealed_title, str) else "")
            or f"{row.offer_source}/{row.offer_id}",
            terminal_name=row.name or row.terminal_id,
            status=row.status,
            status_at=_stamp(row.status_at),
            first_contact_at=_stamp(row.first_contact_at),
            opened=row.opened,
            purged=row.purged_at is not None,
            unreadable=row.purged_at is None and content is None and bool(problem),
            first_name=_text(person.get("first_name")),
            last_name=_text(person.get("last_name")),
            phone=phone_of(person.get("phone")),
            email=_text(person.get("email")),
            language=language_name(person.get("language")),
            reference=code or "",
            answers=quick_answers(person.get("answers")),
            target=target,
        )

    # -- answering -----------------------------------------------------------------------------

    def set_status(
        self, organisation_id: int, application_id: str, status: str, recruiter_id: int
    ) -> bool:
        """Move one of the organisation's applications to `status`, timestamped, with an event;
        the first move out of "new" is the first contact. False if it is not theirs."""
        if status not in STATUSES:
            raise ValueError("unknown status")
        now = int(self._clock())
        mine = (
            Application.organisation_id == organisation_id,
            Application.application_id == application_id,
        )
        with self._db.write() as connection:
            row = connection.execute(
                select(Application.id, Application.status).where(*mine)
            ).first()
            if row is None:
                return False
            if row.status == status:
                return True
            values: dict[str, Any] = {"status": status, "status_at": now}
            if status != "new":
                values["first_contact_at"] = func.coalesce(Application.first_contact_at, now)
            connection.execute(update(Application).where(*mine).values(**values))
            connection.execute(
                insert(ApplicationEvent).values(
                    application_id=row.id, status=status, at=now, recruiter_id=recruiter_id
                )
            )
        log.info("a recruiter moved application %s to %s", application_id, status)
        return True

    # -- export --------------------------------------------------------------------------------

    def export_csv(self, organisation_id: int, batch: int | None = EXPORT_BATCH) -> Chunks:
        """The organisation's applications as CSV, newest first, read and written `batch` at a
        time (hub/exports.py): the operator's export's columns (and its safe cells), with the
        reference code and the status."""
        query = (
            select(
                Application.id,
                Application.application_id,
                Application.terminal_id,
                Application.offer_source,
                Application.offer_id,
                Application.created_at,
                Application.received_at,
                Application.sealed,
                Application.purged_at,
                Application.status,
                Application.status_at,
                Application.first_contact_at,
                OfferRecord.title,
                OfferRecord.format.label("offer_format"),
                OfferRecord.raw.label("offer_raw"),
            )
            .outerjoin(
                OfferRecord,
                (OfferRecord.source == Application.offer_source)
                & (OfferRecord.external_id == Application.offer_id),
            )
            .where(Application.organisation_id == organisation_id)
            .order_by(Application.received_at.desc(), Application.id.desc())
        )

        def views(rows: Sequence[Any], connection: Connection) -> list[dict[str, Any]]:
            spontaneous = {
                row.offer_id: target_of(connection, row.offer_id, None).title
                for row in rows
                if row.offer_source == SPONTANEOUS
            }
            return [
                self._export_view(row) | {"offer_title": spontaneous[row.offer_id]}
                if row.offer_source == SPONTANEOUS
                else self._export_view(row)
                for row in rows
            ]

        def done(count: int, complete: bool) -> None:
            log.info(
                "a recruiter exported %d applications as csv%s",
                count,
                "" if complete else ", then the download broke off",
            )

        pages = keyset_pages(self._db, query, views, batch)
        return encoded(pages, "csv", EXPORT_EXTRA, done)

    def _export_view(self, row: Any) -> dict[str, Any]:
        """A row as `Inbox.iter_views` gives it, with the recruiter's columns."""
        content, problem = self._opened(row)
        reference = (content or {}).get("reference")
        return {
            "application_id": row.application_id,
            "terminal_id": row.terminal_id,
            "offer_source": row.offer_source,
            "offer_id": row.offer_id,
            "offer_title": row.title,
            "created_at": row.created_at,
            "received_at": _stamp(row.received_at),
            "purged": row.purged_at is not None,
            "application": content,
            "unreadable": problem if problem and problem != "purged" else None,
            "reference": normalise_reference(reference) if isinstance(reference, str) else None,
            "status": row.status,
            "status_at": _iso(row.status_at),
            "first_contact_at": _iso(row.first_contact_at),
        }


EXPORT_EXTRA = ("reference", "status", "status_at", "first_contact_at")


def _iso(epoch: int | None) -> str | None:
    stamp = _stamp(epoch)
    return None if stamp is None else stamp.isoformat().replace("+00:00", "Z")


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""
