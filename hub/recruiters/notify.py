"""Mail to an organisation's recruiters when applications arrive: batched, counts per offer only.

Each arrival joins its organisation's open batch (a row of `notifications`) in the transaction
that stores the application. A batch is due `[smtp] batch_minutes` after its first arrival;
the hub's background thread then sends one mail per recruiter who wants them, through the
operator's SMTP server. The mail says how many applications arrived for which offers and
links to the inbox: never who applied (no name, phone, e-mail, reference or answer).

A batch is marked `sending` before the SMTP conversation; a hub that stops in the middle finds
it at start and sends it again (at least once: a recruiter may get the same count twice).
A refused or unreachable server is retried with capped exponential backoff up to
`[smtp] max_attempts`; a recipient refused for good (5xx) fails the batch at once. Failures
show on the fleet page.
"""

from __future__ import annotations

import logging
import random
import re
import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import Any

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection, delete, exists, func, insert, select, update

from hub import Clock
from hub.db import Database
from hub.firms.spontaneous import SOURCE as SPONTANEOUS
from hub.firms.spontaneous import target_of
from hub.logsafe import shown
from hub.models import Notification, OfferRecord, Organisation, Recruiter
from hub.retry import backoff
from hub.settings import RecruitersSection, SmtpSection

log = logging.getLogger("hub.recruiters.notify")

Recipients = Callable[[int], list[tuple[str, str]]]  # organisation id → [(name, e-mail)]

LEASE_S = 600  # a batch left `sending` this long is taken again (its hub hung or died)
BACKOFF_BASE_S = 30.0
BACKOFF_CAP_S = 3600.0
MAX_OFFERS = 20  # offers named in one mail; the others are counted
INBOX_PATH = "/recruiters/inbox"
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>@]+>?")
_SPACES = re.compile(r"\s+")
_DUE_STATES = ("open", "sending")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one batch's sending did (for logs and tests): counts, never addresses."""

    notification_id: int
    organisation_id: int
    state: str  # sent | open (will retry) | failed
    mails: int  # mails the server accepted
    detail: str


@dataclass(frozen=True, slots=True)
class MailProblem:
    """An organisation whose recruiters' mail does not go out, for the fleet page."""

    organisation: str
    attempts: int
    error: str
    retry_at: int | None  # epoch s of the next try; None: given up
    undelivered: int  # batches not delivered since the last that was


@dataclass(frozen=True, slots=True)
class MailStatus:
    """The recruiters' mail as the fleet page shows it."""

    configured: bool
    waiting: int  # batches not sent yet
    recruiters: bool  # whether anyone could receive mail at all
    problems: list[MailProblem]

    @property
    def shown(self) -> bool:
        """Whether the fleet page has something to say about it."""
        return bool(self.problems) or (
            not self.configured and (self.recruiters or self.waiting > 0)
        )


class _RefusedError(Exception):
    """The server refused one message for good (5xx to its recipient or its data)."""


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def _clean(text: str, limit: int = 160) -> str:
    """Server or header text on one line, without addresses, control characters escaped."""
    return shown(_SPACES.sub(" ", _ADDRESS.sub("(address)", text)).strip(), limit)


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return _clean(f"{code} {text}")


def describe(exc: BaseException) -> tuple[bool, str]:
    """(permanent, short reason) of an SMTP or network failure: never an address or a value
    of the mail, only the server's code and words (addresses replaced)."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()), (0, b""))
        return 500 <= code < 600, "recipient refused: " + _reply(code, message)
    if isinstance(exc, smtplib.SMTPDataError):
        return 500 <= exc.smtp_code < 600, "message refused: " + _reply(
            exc.smtp_code, exc.smtp_error
        )
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False, "sign-in refused: " + _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return False, "sender refused: " + _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPResponseException):
        return False, _reply(exc.smtp_code, exc.smtp_error)
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return False, "the server closed the connection"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return False, "the server does not offer " + (
            "STARTTLS" if "STARTTLS" in str(exc) else "what the settings ask (STARTTLS or AUTH)"
        )
    if isinstance(exc, ssl.SSLCertVerificationError):
        return False, "TLS: " + _clean(exc.verify_message or "certificate not trusted")
    if isinstance(exc, ssl.SSLError):
        return False, "TLS: " + _clean(exc.reason or type(exc).__name__)
    if isinstance(exc, ConnectionRefusedError):
        return False, "connection refused"
    if isinstance(exc, TimeoutError):
        return False, "timed out"
    if isinstance(exc, socket.gaierror):
        return False, "host not found"
    if isinstance(exc, OSError):
        return False, "network error: " + _clean(exc.strerror or type(exc).__name__)
    return False, type(exc).__name__


class Notifier:
    """Opens batches as applications arrive (`on_arrival`, in `Inbox.on_arrival`) and sends
    the due ones (`run_due`, from one background thread)."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        smtp: SmtpSection,
        recruiters: RecruitersSection,
        recipients: Recipients,
        rng: Callable[[], float] = random.random,
    ) -> None:
        self._db = db
        self._clock = clock
        self._smtp = smtp
        self._public_url = (
            None if recruiters.public_url is None else str(recruiters.public_url).rstrip("/")
        )
        self._recipients = recipients
        self._rng = rng
        self._templates = Environment(
            loader=PackageLoader("hub", "templates/mail"),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )

    @property
    def configured(self) -> bool:
        """Whether an SMTP server is set ([smtp] host): without one, batches stay open."""
        return bool(self._smtp.host)

    # -- arrivals (in the transaction that stores the application) -------------------------------

    def on_arrival(
        self, connection: Connection, organisation_id: int, offer_source: str, offer_id: str
    ) -> None:
        """Count one application in the organisation's open batch (opened if none)."""
        self.on_arrivals(connection, organisation_id, {f"{offer_source}/{offer_id}": 1})

    def on_arrivals(
        self, connection: Connection, organisation_id: int, arrived: dict[str, int]
    ) -> None:
        """Count applications ({"source/id": how many}) in the organisation's open batch
        (opened if none): those arriving, or those an ownership rule just gave it."""
        if not arrived:
            return
        now = int(self._clock())
        _lock_organisation(connection, organisation_id)
        row = connection.execute(
            select(Notification.id, Notification.counts)
            .where(Notification.organisation_id == organisation_id, Notification.state == "open")
            .order_by(Notification.id)
            .limit(1)
            .with_for_update()
        ).first()
        if row is None:
            connection.execute(
                insert(Notification).values(
                    organisation_id=organisation_id,
                    state="open",
                    created_at=now,
                    next_at=now + self._smtp.batch_minutes * 60,
                    counts=orjson.dumps(arrived).decode(),
                    attempts=0,
                )
            )
            return
        counts = orjson.loads(row.counts)
        for key, count in arrived.items():
            counts[key] = counts.get(key, 0) + count
        connection.execute(
            update(Notification)
            .where(Notification.id == row.id)
            .values(counts=orjson.dumps(counts).decode())
        )

    # -- sending (one background thread) ---------------------------------------------------------

    def recover(self) -> int:
        """At start: batches a stopped hub left `sending` are due again now (sent again: at
        least once). Returns how many."""
        now = int(self._clock())
        with self._db.write() as connection:
            rows = connection.execute(
                select(Notification.id, Notification.organisation_id).where(
                    Notification.state == "sending"
                )
            ).all()
            for row_id, organisation_id in rows:
                _lock_organisation(connection, organisation_id)
                connection.execute(
                    update(Notification)
                    .where(Notification.id == row_id)
                    .values(state="open", next_at=now)
                )
                _fold(connection, organisation_id, row_id)
        if rows:
            log.warning("%d recruiters' mail batches were being sent at the last stop", len(rows))
        return len(rows)

    def next_due(self) -> float | None:
        """When the next batch is due (epoch s), None if none is or no server is set."""
        if not self.configured:
            return None
        with self._db.read() as connection:
            value = connection.scalar(
                select(func.min(Notification.next_at)).where(Notification.state.in_(_DUE_STATES))
            )
        return None if value is None else float(value)

    def run_due(self, limit: int = 20) -> list[Outcome]:
        """Send every due batch (at most `limit`); nothing without a server."""
        if not self.configured:
            return []
        now = int(self._clock())
        with self._db.read() as connection:
            due = connection.scalars(
                select(Notification.id)
                .where(Notification.state.in_(_DUE_STATES), Notification.next_at <= now)
                .order_by(Notification.next_at, Notification.id)
                .limit(limit)
            ).all()
        outcomes = []
        for row_id in due:
            claimed = self._claim(row_id, now)
            if claimed is not None:
                outcomes.append(self._deliver(claimed))
        return outcomes

    def _claim(self, row_id: int, now: int) -> dict[str, Any] | None:
        with self._db.write() as connection:
            taken = connection.execute(
                update(Notification)
                .where(
                    Notification.id == row_id,
                    Notification.state.in_(_DUE_STATES),
                    Notification.next_at <= now,
                )
                .values(state="sending", next_at=now + LEASE_S)
            ).rowcount
            if taken != 1:
                return None
            row = (
                connection.execute(
                    select(
                        Notification.id,
                        Notification.organisation_id,
                        Notification.counts,
                        Notification.attempts,
                        Organisation.name,
                    )
                    .outerjoin(Organisation, Organisation.id == Notification.organisation_id)
                    .where(Notification.id == row_id)
                )
                .mappings()
                .one()
            )
            offers = self._offers(connection, orjson.loads(row["counts"]))
        return dict(row) | {"offers": offers}

    @staticmethod
    def _offers(connection: Connection, counts: dict[str, int]) -> list[tuple[str, int]]:
        """(title, count) per offer, most applications first."""
        titled = []
        for key, count in counts.items():
            source, _, external_id = key.partition("/")
            if source == SPONTANEOUS:  # the firm and trade from the hub's tables
                titled.append((target_of(connection, external_id, None).title, int(count)))
                continue
            title = connection.scalar(
                select(OfferRecord.title).where(
                    OfferRecord.source == source, OfferRecord.external_id == external_id
                )
            )
            titled.append((title or f"offre {key}", int(count)))
        return sorted(titled, key=lambda item: (-item[1], item[0].casefold()))

    def _deliver(self, batch: dict[str, Any]) -> Outcome:
        notification_id, organisation_id = batch["id"], batch["organisation_id"]
        recipients = self._recipients(organisation_id)
        if not recipients:
            self._finish(notification_id, "sent", "no recruiter to tell")
            log.info(
                "mail batch %d: organisation %d has nobody to tell",
                notification_id,
                organisation_id,
            )
            return Outcome(notification_id, organisation_id, "sent", 0, "no recipient")
        accepted, refused = 0, []
        try:
            client = self._connect()
            try:
                for name, email in recipients:
                    try:
                        self._send_one(client, batch, name, email)
                        accepted += 1
                    except _RefusedError as exc:
                        refused.append(str(exc))
            finally:
                _close(client)
        except (smtplib.SMTPException, OSError) as exc:
            return self._retry(batch, describe(exc)[1])
        if refused:
            detail = f"{len(refused)} of {len(recipients)} recruiters refused: {refused[0]}"
            self._finish(notification_id, "failed", detail, batch["attempts"] + 1)
            log.error(
                "mail batch %d of organisation %d failed: %s",
                notification_id,
                organisation_id,
                detail,
            )
            return Outcome(notification_id, organisation_id, "failed", accepted, detail)
        self._finish(notification_id, "sent", None)
        log.info(
            "mail batch %d of organisation %d sent to %d recruiters",
            notification_id,
            organisation_id,
            accepted,
        )
        return Outcome(notification_id, organisation_id, "sent", accepted, "sent")

    def _connect(self) -> smtplib.SMTP:
        """A connection to the server, secured and signed in as the settings say."""
        settings = self._smtp
        assert settings.host is not None
        context = ssl.create_default_context(
            cafile=None if settings.ca_file is None else str(settings.ca_file)
        )
        client: smtplib.SMTP
        if settings.security == "tls":
            client = smtplib.SMTP_SSL(
                settings.host, settings.port, timeout=settings.timeout_s, context=context
            )
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout_s)
        try:
            if settings.security == "starttls":
                client.starttls(context=context)
            if settings.username is not None and settings.password is not None:
                client.login(settings.username, settings.password)
        except BaseException:
            _close(client)
            raise
        return client

    def _send_one(self, client: smtplib.SMTP, batch: dict[str, Any], name: str, email: str) -> None:
        try:
            message = self.message(
                batch["organisation_id"], batch["name"], batch["offers"], name, email
            )
        except (ValueError, IndexError) as exc:  # an address the mail headers cannot carry
            raise _RefusedError("recipient address not usable") from exc
        try:
            client.send_message(message, to_addrs=[email])
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPDataError) as exc:
            permanent, detail = describe(exc)
            if not permanent:
                raise
            raise _RefusedError(detail) from exc

    def message(
        self,
        organisation_id: int,
        organisation: str | None,
        offers: list[tuple[str, int]],
        name: str,
        email: str,
    ) -> EmailMessage:
        """The mail to one recruiter, in French: plain text and a simple HTML alternative."""
        total = sum(count for _, count in offers)
        organisation = _SPACES.sub(" ", organisation or f"organisation {organisation_id}").strip()
        name = _SPACES.sub(" ", name).strip()
        headline = _plural(total, "nouvelle candidature", "nouvelles candidatures")
        context: dict[str, Any] = {
            "name": name,
            "organisation": organisation,
            "total": total,
            "headline": headline,
            "arrived": "est arrivée" if total == 1 else "sont arrivées",
            "offers": [
                (title, _plural(n, "candidature", "candidatures"))
                for title, n in offers[:MAX_OFFERS]
            ],
            "more": len(offers) - MAX_OFFERS if len(offers) > MAX_OFFERS else 0,
            "link": None if self._public_url is None else self._public_url + INBOX_PATH,
        }
        message = EmailMessage()
        message["Subject"] = f"{headline} pour {organisation}"
        message["From"] = self._smtp.sender
        message["To"] = Address(display_name=name, addr_spec=email)
        message["Date"] = format_datetime(datetime.fromtimestamp(self._clock(), UTC))
        domain = parseaddr(self._smtp.sender)[1].rpartition("@")[2] or "localhost"
        message["Message-ID"] = make_msgid("kiosk-hub", domain=domain)
        message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies
        # Quoted-printable: the text stays readable in the raw message, and lines stay short.
        message.set_content(
            self._templates.get_template("notification.txt").render(context),
            cte="quoted-printable",
        )
        message.add_alternative(
            self._templates.get_template("notification.html").render(context),
            subtype="html",
            cte="quoted-printable",
        )
        return message

    def _retry(self, batch: dict[str, Any], detail: str) -> Outcome:
        notification_id, organisation_id = batch["id"], batch["organisation_id"]
        attempts = batch["attempts"] + 1
        if attempts >= self._smtp.max_attempts:
            self._finish(notification_id, "failed", detail, attempts)
            log.error(
                "mail batch %d of organisation %d: gave up after %d attempts (%s)",
                notification_id,
                organisation_id,
                attempts,
                detail,
            )
            return Outcome(notification_id, organisation_id, "failed", 0, detail)
        delay = backoff(attempts, self._rng, BACKOFF_BASE_S, BACKOFF_CAP_S)
        with self._db.write() as connection:
            _lock_organisation(connection, organisation_id)
            connection.execute(
                update(Notification)
                .where(Notification.id == notification_id)
                .values(
                    state="open",
                    attempts=attempts,
                    next_at=int(self._clock() + delay),
                    error=detail,
                )
            )
            _fold(connection, organisation_id, notification_id)
        log.warning(
            "mail batch %d of organisation %d: attempt %d failed (%s)",
            notification_id,
            organisation_id,
            attempts,
            detail,
        )
        return Outcome(notification_id, organisation_id, "open", 0, detail)

    def _finish(
        self, notification_id: int, state: str, error: str | None, attempts: int | None = None
    ) -> None:
        values: dict[str, Any] = {"state": state, "error": error}
        if state == "sent":
            values["sent_at"] = int(self._clock())
        if attempts is not None:
            values["attempts"] = attempts
        with self._db.write() as connection:
            connection.execute(
                update(Notification).where(Notification.id == notification_id).values(**values)
            )

    # -- operators -------------------------------------------------------------------------------

    def fleet_status(self, limit: int = 200) -> MailStatus:
        """What the fleet page says: not configured, and the organisations whose mail fails
        (failed or retrying since their last delivered batch)."""
        with self._db.read() as connection:
            waiting = connection.scalar(
                select(func.count()).where(Notification.state.in_(_DUE_STATES))
            )
            anyone = connection.scalar(select(exists().where(Recruiter.id.is_not(None))))
            last_sent = dict(
                connection.execute(
                    select(Notification.organisation_id, func.max(Notification.id))
                    .where(Notification.state == "sent")
                    .group_by(Notification.organisation_id)
                ).all()
            )
            rows = connection.execute(
                select(
                    Notification.id,
                    Notification.organisation_id,
                    Notification.state,
                    Notification.attempts,
                    Notification.next_at,
                    Notification.error,
                    Organisation.name,
                )
                .outerjoin(Organisation, Organisation.id == Notification.organisation_id)
                .where(
                    (Notification.state == "failed")
                    | ((Notification.state == "open") & (Notification.attempts > 0))
                )
                .order_by(Notification.id.desc())
                .limit(limit)
            ).all()
        latest: dict[int, Any] = {}
        undelivered: dict[int, int] = {}
        for row in rows:
            if row.id < last_sent.get(row.organisation_id, 0):
                continue
            latest.setdefault(row.organisation_id, row)
            undelivered[row.organisation_id] = undelivered.get(row.organisation_id, 0) + 1
        problems = [
            MailProblem(
                organisation=row.name or f"organisation {organisation_id}",
                attempts=int(row.attempts),
                error=row.error or "unknown error",
                retry_at=int(row.next_at) if row.state == "open" else None,
                undelivered=undelivered[organisation_id],
            )
            for organisation_id, row in latest.items()
        ]
        return MailStatus(self.configured, int(waiting or 0), bool(anyone), problems)

    def purge(self, older_than: int) -> int:
        """Delete the batches opened before `older_than` (epoch s), except one being sent."""
        with self._db.write() as connection:
            deleted = connection.execute(
                delete(Notification).where(
                    Notification.created_at < older_than, Notification.state != "sending"
                )
            ).rowcount
        if deleted:
            log.info("retention: deleted %d recruiters' mail batches", deleted)
        return int(deleted)


def _lock_organisation(connection: Connection, organisation_id: int) -> None:
    """Serialise the changes of one organisation's batches (PostgreSQL; SQLite has one writer)."""
    connection.execute(
        select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    )


def _fold(connection: Connection, organisation_id: int, keep: int) -> None:
    """Move the organisation's other open batches into `keep` (opened while it was being sent):
    one open batch per organisation."""
    others = connection.execute(
        select(Notification.id, Notification.counts, Notification.created_at)
        .where(
            Notification.organisation_id == organisation_id,
            Notification.state == "open",
            Notification.id != keep,
        )
        .with_for_update()
    ).all()
    if not others:
        return
    kept = connection.execute(
        select(Notification.counts, Notification.created_at).where(Notification.id == keep)
    ).one()
    counts: dict[str, int] = orjson.loads(kept.counts)
    created = kept.created_at
    for other in others:
        for key, count in orjson.loads(other.counts).items():
            counts[key] = counts.get(key, 0) + int(count)
        created = min(created, other.created_at)
    connection.execute(
        update(Notification)
        .where(Notification.id == keep)
        .values(counts=orjson.dumps(counts).decode(), created_at=created)
    )
    connection.execute(delete(Notification).where(Notification.id.in_([o.id for o in others])))


def _close(client: smtplib.SMTP) -> None:
    """Say goodbye, or just hang up when the server is gone."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()
