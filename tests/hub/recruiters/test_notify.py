"""The recruiters' mail, against a real SMTP server on 127.0.0.1 (aiosmtpd): batched per
organisation, counts per offer and never who applied, retried with backoff, carried over a
restart, over STARTTLS or TLS with credentials, and its failures shown on the fleet page."""

from __future__ import annotations

import datetime as dt
import ipaddress
import logging
import quopri
import re
import socket
import ssl
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from sqlalchemy import insert, select, update

from hub.ingest import ingest_payload
from hub.jobs import BackgroundJobs
from hub.models import Application, Notification, OfferRecord, Organisation, Recruiter
from hub.recruiters.notify import Notifier
from hub.settings import HubConfig, RecruitersSection, SmtpSection
from tests.conftest import ft_record
from tests.hub.conftest import (
    GENEROUS,
    RunningHub,
    application_plaintext,
    fleet_login,
    put_application,
    start_hub,
    submission,
    wait_until,
)

PUBLIC_URL = "https://hub.example.org"
BAKERY = "Boulangerie Martin"
# Two who get mail; one disabled, one who asked for none, one who never accepted the invitation.
ANNE = ("Anne Exemple", "anne@boulangerie.example")
BRUNO = ("Bruno Exemple", "bruno@boulangerie.example")
GONE = ("Gaston Parti", "gaston@boulangerie.example")
QUIET = ("Quentin Silence", "quentin@boulangerie.example")
INVITED = ("Ines Invitée", "ines@boulangerie.example")
# What a passer-by gave: none of it may reach a mail.
PERSON = {
    "first_name": "Zéphyrine",
    "last_name": "Quatrebarbe",
    "phone": "+33 6 12 34 56 78",
    "email": "zephyrine.quatrebarbe@example.net",
    "reference": "K7QX4M",
}


# -- a real SMTP server --------------------------------------------------------------------------


@dataclass
class Received:
    """One message as the server took it."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    login: str | None

    @property
    def message(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed

    def part(self, subtype: str) -> str:
        body = self.message.get_body((subtype,))
        assert body is not None
        content = body.get_content()  # type: ignore[attr-defined]
        assert isinstance(content, str)
        return content.replace("\r\n", "\n")


@dataclass
class Mailbox:
    """What the SMTP server received, and the replies it gives to some recipients."""

    port: int
    messages: list[Received] = field(default_factory=list)
    refuse: dict[str, str] = field(default_factory=dict)  # recipient → SMTP reply

    async def handle_RCPT(  # aiosmtpd calls its hooks by these names
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or b""
        login = session.auth_data.login.decode() if session.authenticated else None
        self.messages.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), raw, login))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Received]:
        return [m for m in self.messages if m.rcpt_tos == [address]]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost, made for the test."""

    cert: Path
    key: Path

    def server_context(self) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.cert, self.key)
        return context


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("smtp-tls"))


def make_certificate(folder: Path) -> Certificate:
    """A self-signed certificate (its own authority) and its key, as PEM files in `folder`."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(hours=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    paths = Certificate(folder / "smtp.pem", folder / "smtp.key")
    paths.cert.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths.key.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def _authenticator(login: str, password: str) -> Any:
    def check(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        ok = isinstance(data, LoginPassword) and (data.login, data.password) == (
            login.encode(),
            password.encode(),
        )
        return AuthResult(success=ok, handled=False, auth_data=data if ok else None)

    return check


@contextmanager
def smtp_server(
    port: int | None = None,
    *,
    starttls: Certificate | None = None,
    implicit_tls: Certificate | None = None,
    credentials: tuple[str, str] | None = None,
    mailbox: Mailbox | None = None,
) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 (plain, STARTTLS required, or implicit TLS), optionally
    requiring AUTH, collecting what it accepts."""
    box = mailbox or Mailbox(port or free_port())
    options: dict[str, Any] = {}
    if starttls is not None:
        options |= {"tls_context": starttls.server_context(), "require_starttls": True}
    if credentials is not None:
        options |= {"auth_required": True, "authenticator": _authenticator(*credentials)}
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        server_hostname="localhost",
        ssl_context=None if implicit_tls is None else implicit_tls.server_context(),
        **options,
    )
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


# -- the hub and its organisations ---------------------------------------------------------------


def _config(smtp: SmtpSection, public_url: str | None = PUBLIC_URL) -> HubConfig:
    return HubConfig(
        limits=GENEROUS,
        smtp=smtp,
        recruiters=RecruitersSection(public_url=public_url),  # type: ignore[arg-type]
    )


def local(port: int, **settings: Any) -> SmtpSection:
    """The hub's [smtp] section for a server on 127.0.0.1."""
    return SmtpSection(host="127.0.0.1", port=port, **{"security": "none", **settings})


def organisation(
    hub: RunningHub, slug: str, name: str, offers: dict[str, str], recruiters: list[tuple[str, str]]
) -> int:
    """An organisation owning offers ({id: title}), with active recruiters who want mail."""
    ingest_payload(
        hub.services.offers, [ft_record(id=key, intitule=title) for key, title in offers.items()]
    )
    with hub.services.db.write() as connection:
        organisation_id = connection.execute(
            insert(Organisation)
            .values(slug=slug, name=name, created_at=int(hub.clock()), spontaneous=False)
            .returning(Organisation.id)
        ).scalar_one()
        connection.execute(
            update(OfferRecord)
            .where(OfferRecord.source == "francetravail", OfferRecord.external_id.in_(offers))
            .values(organisation_id=organisation_id)
        )
    for who in recruiters:
        add_recruiter(hub, organisation_id, who)
    return organisation_id


def add_recruiter(
    hub: RunningHub, organisation_id: int, who: tuple[str, str], **state: Any
) -> None:
    """A recruiter who accepted their invitation and wants mail, unless `state` says otherwise
    (disabled_at, notify, password_hash…)."""
    now = int(hub.clock())
    values = {
        "organisation_id": organisation_id,
        "email": who[1],
        "name": who[0],
        "password_hash": "$argon2id$not-checked-here",
        "invited_at": now,
        "activated_at": now,
        "notify": True,
    }
    with hub.services.db.write() as connection:
        connection.execute(insert(Recruiter).values(**(values | state)))


class Terminal:
    """An enrolled terminal sending applications through the real API."""

    def __init__(self, hub: RunningHub, terminal_id: str = "gare-01") -> None:
        self.hub = hub
        self.terminal_id = terminal_id
        self.client = hub.client(hub.enrol(terminal_id))

    def apply(self, offer_id: str, **person: Any) -> uuid.UUID:
        key = uuid.uuid4()
        content = application_plaintext(
            key, offer={"source": "francetravail", "id": offer_id}, **person
        )
        body = submission(
            self.hub.services.keys.public_key,
            key,
            self.terminal_id,
            ("francetravail", offer_id),
            content,
        )
        answer = put_application(self.client, key, body)
        assert answer.status_code == 201, answer.text
        return key


def batches(hub: RunningHub) -> list[dict[str, Any]]:
    with hub.services.db.read() as connection:
        rows = (
            connection.execute(
                select(
                    Notification.organisation_id,
                    Notification.state,
                    Notification.counts,
                    Notification.attempts,
                    Notification.next_at,
                    Notification.error,
                ).order_by(Notification.id)
            )
            .mappings()
            .all()
        )
    return [dict(row) | {"counts": orjson.loads(row["counts"])} for row in rows]


def notifier(hub: RunningHub, **overrides: Any) -> Notifier:
    """A notifier over the hub's database and settings, with a fixed jitter (the full
    backoff: 30 s × 2^attempt)."""
    config = hub.services.settings.config
    smtp = config.smtp.model_copy(update=overrides) if overrides else config.smtp
    return Notifier(
        hub.services.db,
        hub.clock,
        smtp,
        config.recruiters,
        hub.services.accounts.recipients,
        rng=lambda: 1.0,
    )


def sign_in_to_fleet(hub: RunningHub) -> httpx.Client:
    browser = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(browser)
    assert fleet_login(browser, hub.operator_token).status_code == 303
    return browser


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


# -- batching ------------------------------------------------------------------------------------


def test_arrivals_are_batched_into_one_mail_per_recruiter(
    database_url: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    hub = start_hub(database_url, tmp_path, _config(local(mailbox.port, batch_minutes=10)))
    try:
        bakery = organisation(
            hub,
            "boulangerie",
            BAKERY,
            {"B1": "Vendeur / Vendeuse en boulangerie (H/F)", "B2": "Boulanger (H/F)"},
            [ANNE, BRUNO],
        )
        add_recruiter(hub, bakery, GONE, disabled_at=int(hub.clock()))
        add_recruiter(hub, bakery, QUIET, notify=False)
        add_recruiter(hub, bakery, INVITED, password_hash=None, activated_at=None)
        hotel = organisation(hub, "hotel", "Hôtel du Parc", {"H1": "Réceptionniste"}, [])
        ingest_payload(hub.services.offers, [ft_record(id="NOBODY")])
        terminal = Terminal(hub)
        for offer in ("B1", "B2", "B1", "B1", "B2"):
            terminal.apply(offer)
            hub.clock.advance(30)
        terminal.apply("H1")
        terminal.apply("NOBODY")  # an offer no organisation owns: no mail to anyone
        assert [(b["organisation_id"], b["state"], b["counts"]) for b in batches(hub)] == [
            (bakery, "open", {"francetravail/B1": 3, "francetravail/B2": 2}),
            (hotel, "open", {"francetravail/H1": 1}),
        ]
        sender = notifier(hub)
        assert sender.run_due() == []  # gathered for 10 minutes after the first arrival
        hub.clock.advance(10 * 60)  # both batches are due
        outcomes = sender.run_due()
        assert sorted((o.organisation_id, o.state, o.mails) for o in outcomes) == [
            (bakery, "sent", 2),
            (hotel, "sent", 0),  # nobody to tell: nothing sent, nothing retried
        ]
        assert sender.run_due() == []
    finally:
        hub.stop()
    assert sorted(m.rcpt_tos[0] for m in mailbox.messages) == [ANNE[1], BRUNO[1]]
    for address in (GONE[1], QUIET[1], INVITED[1]):
        assert not mailbox.to(address)
    mail = mailbox.to(ANNE[1])[0]
    assert mail.message["Subject"] == "5 nouvelles candidatures pour Boulangerie Martin"
    assert mail.message["To"] == f"{ANNE[0]} <{ANNE[1]}>"
    assert mail.message["Auto-Submitted"] == "auto-generated"
    assert mail.mail_from == "no-reply@localhost"
    text = mail.part("plain")
    assert text.startswith("Bonjour Anne Exemple,\n")
    assert "5 nouvelles candidatures sont arrivées pour Boulangerie Martin" in text
    assert "- Vendeur / Vendeuse en boulangerie (H/F) : 3 candidatures\n" in text
    assert "- Boulanger (H/F) : 2 candidatures\n" in text
    assert text.index("Vendeur") < text.index("Boulanger (H/F)")  # most applications first
    assert f"{PUBLIC_URL}/recruiters/inbox\n" in text
    html = mail.part("html")
    assert '<html lang="fr">' in html
    assert f'<a href="{PUBLIC_URL}/recruiters/inbox"' in html
    assert "<li>Boulanger (H/F) : 2 candidatures</li>" in html


def test_simultaneous_arrivals_share_one_batch(database_url: str, tmp_path: Path) -> None:
    hub = start_hub(database_url, tmp_path, _config(local(free_port())))
    try:
        bakery = organisation(
            hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)", "B2": "Vendeur (H/F)"}, [ANNE]
        )
        terminals = [Terminal(hub, f"gare-{n:02}") for n in range(8)]
        with ThreadPoolExecutor(len(terminals)) as pool:
            list(
                pool.map(
                    lambda n: terminals[n % len(terminals)].apply("B1" if n % 3 else "B2"),
                    range(48),
                )
            )
        assert [(b["organisation_id"], b["state"], b["counts"]) for b in batches(hub)] == [
            (bakery, "open", {"francetravail/B1": 32, "francetravail/B2": 16})
        ]
    finally:
        hub.stop()


def test_applications_a_new_rule_hands_over_are_announced(
    database_url: str, tmp_path: Path
) -> None:
    hub = start_hub(database_url, tmp_path, _config(local(free_port())))
    try:
        hotel = organisation(hub, "hotel", "Hôtel du Parc", {}, [ANNE])
        ingest_payload(hub.services.offers, [ft_record(id="LATE"), ft_record(id="ALSO")])
        terminal = Terminal(hub)
        seen = terminal.apply("LATE")  # arrives while nobody owns the offer: no mail
        terminal.apply("LATE")
        terminal.apply("ALSO")
        with hub.services.db.write() as connection:  # an operator already called this one
            connection.execute(
                update(Application)
                .where(Application.application_id == str(seen))
                .values(status="contacted")
            )
        assert batches(hub) == []
        change = hub.services.ownership.add(hotel, "offer", "francetravail/LATE")
        assert change.applications == 2
        # The unread one reaches the hotel's recruiters as if it had just arrived.
        assert [(b["organisation_id"], b["state"], b["counts"]) for b in batches(hub)] == [
            (hotel, "open", {"francetravail/LATE": 1})
        ]
        hub.services.ownership.add(hotel, "offer", "francetravail/ALSO")
        assert [b["counts"] for b in batches(hub)] == [
            {"francetravail/LATE": 1, "francetravail/ALSO": 1}  # the same batch, one mail
        ]
        hub.services.ownership.remove("offer", "francetravail/LATE")  # back to nobody
        assert len(batches(hub)) == 1
    finally:
        hub.stop()


def test_the_mail_names_no_candidate(
    sqlite_database: str, tmp_path: Path, mailbox: Mailbox, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    hub = start_hub(sqlite_database, tmp_path, _config(local(mailbox.port, batch_minutes=0)))
    try:
        organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
        terminal = Terminal(hub)
        terminal.apply(
            "B1",
            **PERSON,
            answers={"available_now": True, "experience": "Dix ans au fournil de Zéphyrine"},
        )
        terminal.apply("B1", first_name="Octave", last_name="Lenôtre", phone="0698765432")
        assert [o.mails for o in notifier(hub).run_due()] == [1]
    finally:
        hub.stop()
    (mail,) = mailbox.messages
    decoded = mail.part("plain") + mail.part("html") + str(mail.message["Subject"])
    assert "2 nouvelles candidatures" in decoded
    # The raw message as sent, and with its quoted-printable undone (accents, soft breaks; the
    # MIME boundary's "=" signs decode to stray bytes, replaced).
    unquoted = quopri.decodestring(mail.raw).decode("utf-8", "replace")
    raw = mail.raw.decode("ascii", "replace") + unquoted
    secrets = [
        "Zéphyrine", "Zephyrine", "zéphyrine", "Quatrebarbe", "quatrebarbe", "Octave",
        "Lenôtre", "Lenotre", "+33 6 12 34 56 78", "+33612345678", "0612345678",
        "06 12 34 56 78", "0698765432", "zephyrine.quatrebarbe@example.net", "example.net",
        "K7QX4M", "K7Q-X4M", "fournil", "Dix ans",
    ]  # fmt: skip
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("hub"))
    assert "sent to 1 recruiters" in logged
    for secret in secrets:
        assert secret not in decoded, secret
        assert secret not in raw, secret
        assert secret not in logged, secret
    # Recruiters' own addresses stay out of the hub's log too.
    assert ANNE[1] not in logged


def test_without_public_url_the_mail_says_where_to_go(
    sqlite_database: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    config = _config(local(mailbox.port, batch_minutes=0), public_url=None)
    hub = start_hub(sqlite_database, tmp_path, config)
    try:
        organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
        Terminal(hub).apply("B1")
        notifier(hub).run_due()
    finally:
        hub.stop()
    (mail,) = mailbox.messages
    assert mail.message["Subject"] == "1 nouvelle candidature pour Boulangerie Martin"
    text = mail.part("plain")
    assert "1 nouvelle candidature est arrivée" in text
    assert "- Boulanger (H/F) : 1 candidature\n" in text
    assert "ouvrez la page des recruteurs du hub" in text
    assert "http" not in text


# -- failures and retries ------------------------------------------------------------------------


def test_a_server_that_is_down_is_retried_with_backoff(
    sqlite_database: str, tmp_path: Path
) -> None:
    port = free_port()  # nothing listens there yet
    hub = start_hub(sqlite_database, tmp_path, _config(local(port, batch_minutes=0)))
    try:
        bakery = organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
        terminal = Terminal(hub)
        terminal.apply("B1")
        sender = notifier(hub)
        assert [(o.state, o.detail) for o in sender.run_due()] == [("open", "connection refused")]
        (batch,) = batches(hub)
        assert (batch["attempts"], batch["next_at"]) == (1, int(hub.clock()) + 60)  # 30 s × 2¹
        assert batch["error"] == "connection refused"
        # Arrivals meanwhile join the batch waiting for its retry.
        terminal.apply("B1")
        assert [b["counts"] for b in batches(hub)] == [{"francetravail/B1": 2}]
        status = hub.services.notifier.fleet_status()
        assert [(p.organisation, p.attempts, p.retry_at) for p in status.problems] == [
            (BAKERY, 1, int(hub.clock()) + 60)
        ]
        assert sender.run_due() == []  # not due yet
        hub.clock.advance(60)
        assert [o.detail for o in sender.run_due()] == ["connection refused"]
        assert batches(hub)[0]["next_at"] == int(hub.clock()) + 120  # 30 s × 2²
        with smtp_server(port) as mailbox:
            hub.clock.advance(119)
            assert sender.run_due() == []
            hub.clock.advance(1)
            assert [(o.organisation_id, o.state) for o in sender.run_due()] == [(bakery, "sent")]
        assert hub.services.notifier.fleet_status().problems == []
    finally:
        hub.stop()
    (mail,) = mailbox.messages
    assert mail.message["Subject"] == "2 nouvelles candidatures pour Boulangerie Martin"


def test_mail_survives_a_hub_restart(sqlite_database: str, tmp_path: Path) -> None:
    port = free_port()
    config = _config(local(port, batch_minutes=10))
    hub = start_hub(sqlite_database, tmp_path, config)
    try:
        bakery = organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
        hotel = organisation(hub, "hotel", "Hôtel du Parc", {"H1": "Réceptionniste"}, [BRUNO])
        terminal = Terminal(hub)
        for _ in range(3):
            terminal.apply("B1")
        terminal.apply("H1")
        clock = hub.clock
        # The hotel's batch was being sent when the hub stopped (killed mid-conversation).
        with hub.services.db.write() as connection:
            connection.execute(
                update(Notification)
                .where(Notification.organisation_id == hotel)
                .values(state="sending", next_at=int(clock()) + 600)
            )
    finally:
        hub.stop()
    with smtp_server(port) as mailbox:
        # Another process over the same database file: its background jobs pick both up.
        restarted = start_hub(sqlite_database, tmp_path, config, clock=clock)
        jobs = BackgroundJobs(
            restarted.services, None, [], lambda *_: pytest.fail("no harvests"), clock=clock
        )
        jobs.start()
        try:
            wait_until(lambda: len(mailbox.to(BRUNO[1])) == 1)  # resent at once
            assert not mailbox.to(ANNE[1])  # the bakery's batch is not due yet
            clock.advance(10 * 60)
            jobs.wake()
            wait_until(lambda: len(mailbox.to(ANNE[1])) == 1)
            wait_until(lambda: [b["state"] for b in batches(restarted)] == ["sent", "sent"])
            assert [b["organisation_id"] for b in batches(restarted)] == [bakery, hotel]
        finally:
            jobs.stop()
            restarted.stop()
    assert mailbox.to(ANNE[1])[0].message["Subject"].startswith("3 nouvelles candidatures")
    assert len(mailbox.messages) == 2


def test_a_permanent_refusal_shows_on_the_fleet_page(
    sqlite_database: str, tmp_path: Path, mailbox: Mailbox
) -> None:
    mailbox.refuse[BRUNO[1]] = f"550 5.1.1 <{BRUNO[1]}>: Recipient address rejected"
    hub = start_hub(sqlite_database, tmp_path, _config(local(mailbox.port, batch_minutes=0)))
    try:
        organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE, BRUNO])
        Terminal(hub).apply("B1", **PERSON)
        (outcome,) = notifier(hub).run_due()
        assert (outcome.state, outcome.mails) == ("failed", 1)  # Anne got it; no retry for Bruno
        error = (
            "1 of 2 recruiters refused: recipient refused: "
            "550 5.1.1 (address): Recipient address rejected"
        )
        assert batches(hub)[0]["error"] == error
        page = sign_in_to_fleet(hub).get("/fleet")
        assert page.status_code == 200
        assert f"Mail to recruiters of {BAKERY}: failed 1 time: {error} — given up" in page.text
        assert BRUNO[1] not in page.text
    finally:
        hub.stop()
    assert [m.rcpt_tos for m in mailbox.messages] == [[ANNE[1]]]


def test_mail_is_given_up_after_max_attempts(sqlite_database: str, tmp_path: Path) -> None:
    config = _config(local(free_port(), batch_minutes=0, max_attempts=2))
    hub = start_hub(sqlite_database, tmp_path, config)
    try:
        organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
        Terminal(hub).apply("B1")
        sender = notifier(hub)
        assert [o.state for o in sender.run_due()] == ["open"]
        hub.clock.advance(60)
        assert [o.state for o in sender.run_due()] == ["failed"]
        hub.clock.advance(3600)
        assert sender.run_due() == []
        page = sign_in_to_fleet(hub).get("/fleet").text
        assert (
            f"Mail to recruiters of {BAKERY}: failed 2 times: connection refused — given up" in page
        )
        # A later batch that gets through clears the line.
        with smtp_server(config.smtp.port) as mailbox:
            Terminal(hub, "gare-02").apply("B1")
            assert [o.state for o in sender.run_due()] == ["sent"]
        assert len(mailbox.messages) == 1
        assert "Mail to recruiters of" not in sign_in_to_fleet(hub).get("/fleet").text
    finally:
        hub.stop()


def test_without_a_server_batches_wait_and_the_fleet_page_says_so(
    sqlite_hub: RunningHub,
) -> None:
    hub = sqlite_hub
    assert "Mail to recruiters" not in sign_in_to_fleet(hub).get("/fleet").text
    organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
    Terminal(hub).apply("B1")
    hub.clock.advance(86400)
    assert not hub.services.notifier.configured
    assert hub.services.notifier.run_due() == []
    assert hub.services.notifier.next_due() is None
    assert [b["state"] for b in batches(hub)] == ["open"]
    page = sign_in_to_fleet(hub).get("/fleet").text
    assert "Mail to recruiters is not configured" in page
    assert "1 notification waiting" in page


def test_old_batches_are_purged_with_the_retention(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
    Terminal(hub).apply("B1")
    hub.clock.advance(89 * 86400)
    assert hub.services.purge()["notifications"] == 0
    hub.clock.advance(2 * 86400)
    assert hub.services.purge()["notifications"] == 1
    assert batches(hub) == []


# -- secured servers -----------------------------------------------------------------------------


def test_starttls_with_credentials(
    sqlite_database: str, tmp_path: Path, certificate: Certificate
) -> None:
    credentials = ("hub@example.org", "mot de passe du relais")
    with smtp_server(starttls=certificate, credentials=credentials) as mailbox:
        smtp = SmtpSection(
            host="127.0.0.1",
            port=mailbox.port,
            security="starttls",
            ca_file=certificate.cert,
            username=credentials[0],
            password="a wrong one",
            batch_minutes=0,
        )
        hub = start_hub(sqlite_database, tmp_path, _config(smtp))
        try:
            organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
            Terminal(hub).apply("B1")
            (refused,) = notifier(hub).run_due()
            assert refused.state == "open"
            assert refused.detail.startswith("sign-in refused: 535")
            assert "a wrong one" not in refused.detail
            hub.clock.advance(60)
            (sent,) = notifier(hub, password=credentials[1]).run_due()
            assert sent.state == "sent"
        finally:
            hub.stop()
    (mail,) = mailbox.messages
    assert mail.login == credentials[0]
    assert mail.rcpt_tos == [ANNE[1]]


def test_implicit_tls_trusts_only_the_configured_authority(
    sqlite_database: str, tmp_path: Path, certificate: Certificate
) -> None:
    with smtp_server(implicit_tls=certificate) as mailbox:
        smtp = SmtpSection(host="127.0.0.1", port=mailbox.port, security="tls", batch_minutes=0)
        hub = start_hub(sqlite_database, tmp_path, _config(smtp))
        try:
            organisation(hub, "boulangerie", BAKERY, {"B1": "Boulanger (H/F)"}, [ANNE])
            Terminal(hub).apply("B1")
            (untrusted,) = notifier(hub).run_due()  # the system's authorities do not know it
            assert untrusted.state == "open"
            assert re.match(r"TLS: .*certificate", untrusted.detail), untrusted.detail
            assert mailbox.messages == []
            hub.clock.advance(60)
            (sent,) = notifier(hub, ca_file=certificate.cert).run_due()
            assert sent.state == "sent"
        finally:
            hub.stop()
    assert [m.rcpt_tos for m in mailbox.messages] == [[ANNE[1]]]
