"""The hub's tables as typed SQLAlchemy models; hub/migrations/ owns the schema."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Times are UTC epoch seconds (integers): the same on SQLite and PostgreSQL, cheap to compare.


class HubBase(DeclarativeBase):
    """The hub's metadata (separate from the terminal's)."""


class Meta(HubBase):
    """Settings of the hub's own making: the feed epoch."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Counter(HubBase):
    """Monotonic counters. `offer_seq` orders every offer change; its row lock serialises
    writers, so every change numbered up to its committed value is itself committed."""

    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger)


class Terminal(HubBase):
    """One enrolled terminal: identity, area, credential, and its last heartbeat."""

    __tablename__ = "terminals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    terminal_id: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    radius_km: Mapped[float] = mapped_column(Float)
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    enrolled_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)
    # Bumped when the area changes or an operator asks: older cursors then mean "resync".
    feed_generation: Mapped[int] = mapped_column(Integer, default=1)
    config_version: Mapped[int] = mapped_column(Integer, default=0)
    settings: Mapped[str] = mapped_column(Text, default="{}")  # JSON pushed with the config
    # The last heartbeat (no history is kept: one row per terminal).
    last_seen_at: Mapped[int | None] = mapped_column(BigInteger)
    version: Mapped[str | None] = mapped_column(String(64))
    uptime_s: Mapped[int | None] = mapped_column(BigInteger)
    last_sync_at: Mapped[int | None] = mapped_column(BigInteger)
    offers_count: Mapped[int | None] = mapped_column(Integer)
    queue_depth: Mapped[int | None] = mapped_column(Integer)
    oldest_queued_age_s: Mapped[int | None] = mapped_column(BigInteger)
    free_disk_mb: Mapped[int | None] = mapped_column(BigInteger)
    counters: Mapped[str | None] = mapped_column(Text)  # JSON {name: count}, anonymous
    reported_config_version: Mapped[int | None] = mapped_column(Integer)
    config_refused: Mapped[str | None] = mapped_column(Text)  # why, when it refused the last
    alerts: Mapped[str | None] = mapped_column(Text)  # JSON list: what needs an operator
    # The verdict counters and uptime of the last heartbeat, so the next one's increase can
    # be told (hub/verdicts.py); JSON {name: count}.
    verdict_counts: Mapped[str | None] = mapped_column(Text)
    verdict_uptime_s: Mapped[int | None] = mapped_column(BigInteger)


class EnrolCode(HubBase):
    """A one-time enrolment code, created by an operator for one terminal id."""

    __tablename__ = "enrol_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)
    used_at: Mapped[int | None] = mapped_column(BigInteger)
    replace_existing: Mapped[bool] = mapped_column(Boolean, default=False)


class OperatorToken(HubBase):
    """An operator credential (stored hashed)."""

    __tablename__ = "operator_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[int] = mapped_column(BigInteger)
    revoked_at: Mapped[int | None] = mapped_column(BigInteger)


class Attempt(HubBase):
    """Enrolment and fleet-login attempts of one client address in the current minute, kept
    in the database so that the limit holds across every hub instance."""

    __tablename__ = "attempts"

    key: Mapped[str] = mapped_column(String(128), primary_key=True)  # "enrol 203.0.113.7"
    minute: Mapped[int] = mapped_column(BigInteger)  # since the epoch
    count: Mapped[int] = mapped_column(Integer)


class OfferRecord(HubBase):
    """One offer as it came from its source, numbered by the change that last touched it.

    A withdrawn offer keeps its row (without the record) as a tombstone until retention; an
    offer that moved keeps its previous position so the terminals around it hear it left.
    """

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_offers_source_external_id"),
        # The feed walks changes in order and filters by position without reading the rows.
        Index("ix_offers_feed", "seq", "latitude", "longitude", "old_latitude", "old_longitude"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(512))
    format: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(300))
    # JSON text as the source published it (text, not bytes: PostgreSQL would hex-encode it).
    raw: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(32))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    old_latitude: Mapped[float | None] = mapped_column(Float)
    old_longitude: Mapped[float | None] = mapped_column(Float)
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    withdrawn: Mapped[bool] = mapped_column(Boolean, default=False)
    posted_at: Mapped[int | None] = mapped_column(BigInteger)
    changed_at: Mapped[int] = mapped_column(BigInteger)
    # Who answers its applications (hub/recruiters/ownership.py): the employer's name folded
    # for matching, its SIRET when the source gives one, and the organisation the operator's
    # rules (or the posting recruiter) make it belong to; None: no organisation yet.
    company_key: Mapped[str | None] = mapped_column(String(200))
    siret: Mapped[str | None] = mapped_column(String(14))
    organisation_id: Mapped[int | None] = mapped_column(Integer, index=True)


class SourceState(HubBase):
    """The last ingest of each source, for operators."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    last_run_at: Mapped[int | None] = mapped_column(BigInteger)
    last_ok_at: Mapped[int | None] = mapped_column(BigInteger)
    last_report: Mapped[str | None] = mapped_column(Text)  # JSON counts
    last_error: Mapped[str | None] = mapped_column(Text)


class Application(HubBase):
    """A received application: sealed at rest, unique on its UUID forever.

    After retention the sealed body is dropped (`purged_at`), but the row stays so that a
    terminal replaying the UUID, even months later, gets the original answer.
    """

    __tablename__ = "applications"
    __table_args__ = (
        Index("ix_applications_offer", "offer_source", "offer_id"),
        Index("ix_applications_received", "received_at"),
        Index("ix_applications_webhook", "webhook_state", "webhook_next_at"),
        Index("ix_applications_reference", "reference_digest"),
        # A recruiter's inbox: their organisation's applications, newest first.
        Index("ix_applications_inbox", "organisation_id", "received_at", "id"),
        # Its counts per status read this index alone; a status's page is its first rows.
        Index("ix_applications_status", "organisation_id", "status", "received_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[str] = mapped_column(String(36), unique=True)
    terminal_id: Mapped[str] = mapped_column(String(64))
    offer_source: Mapped[str] = mapped_column(String(64))
    offer_id: Mapped[str] = mapped_column(String(512))
    created_at: Mapped[str] = mapped_column(String(40))  # as the terminal stated it (UTC ISO)
    received_at: Mapped[int] = mapped_column(BigInteger)
    body_hash: Mapped[str] = mapped_column(String(64))
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    purged_at: Mapped[int | None] = mapped_column(BigInteger)
    # none (no webhook) | pending | sent | failed | dropped (purged before delivery)
    webhook_state: Mapped[str] = mapped_column(String(16), default="none")
    webhook_attempts: Mapped[int] = mapped_column(Integer, default=0)
    webhook_next_at: Mapped[int | None] = mapped_column(BigInteger)
    webhook_error: Mapped[str | None] = mapped_column(String(200))
    # HMAC of the reference code the passer-by was given (hub/inbox.py), never the code:
    # an operator finds the application when they quote it.
    reference_digest: Mapped[str | None] = mapped_column(String(64))
    # The organisation whose recruiters read it (its offer's owner when it arrived, or later
    # when an operator's rule assigns the offer), and where they are with the person. The
    # status and its times stay after the purge: the funnel counts them.
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16), default="new")
    status_at: Mapped[int | None] = mapped_column(BigInteger)
    first_contact_at: Mapped[int | None] = mapped_column(BigInteger)
    opened: Mapped[int] = mapped_column(Integer, default=0)  # times a recruiter opened it


class HeartbeatHour(HubBase):
    """A terminal's heartbeats in one hour (epoch hour), folded into one row: the history on
    its fleet page costs 24 rows a day, whatever the heartbeat interval."""

    __tablename__ = "heartbeat_hours"
    __table_args__ = (Index("ix_heartbeat_hours_hour", "hour"),)

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    hour: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    beats: Mapped[int] = mapped_column(Integer)
    alert_beats: Mapped[int] = mapped_column(Integer)  # heartbeats that carried alerts
    queue_max: Mapped[int] = mapped_column(Integer)
    free_disk_min_mb: Mapped[int] = mapped_column(BigInteger)
    version: Mapped[str] = mapped_column(String(64))  # the last one reported in the hour


# -- recruiters (hub/recruiters/) ------------------------------------------------------------


class Organisation(HubBase):
    """An agency or an employer: owns offers, and its recruiters read their applications."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)  # in URLs and source names
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[int] = mapped_column(BigInteger)
    # Receives the spontaneous applications of the terminals (at most one organisation).
    spontaneous: Mapped[bool] = mapped_column(Boolean, default=False)


class Recruiter(HubBase):
    """A person who reads and answers one organisation's applications.

    Invited by an operator (a one-time link, kept as its SHA-256), they choose a password
    (kept as an Argon2id hash) when they first open it.
    """

    __tablename__ = "recruiters"
    __table_args__ = (Index("ix_recruiters_organisation", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower case
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    invite_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    invite_expires_at: Mapped[int | None] = mapped_column(BigInteger)
    invited_at: Mapped[int] = mapped_column(BigInteger)
    activated_at: Mapped[int | None] = mapped_column(BigInteger)
    disabled_at: Mapped[int | None] = mapped_column(BigInteger)
    last_sign_in_at: Mapped[int | None] = mapped_column(BigInteger)
    notify: Mapped[bool] = mapped_column(Boolean, default=True)  # mail when applications arrive


class RecruiterSession(HubBase):
    """A signed-in browser: the cookie is a random token, the database keeps its SHA-256."""

    __tablename__ = "recruiter_sessions"
    __table_args__ = (Index("ix_recruiter_sessions_recruiter", "recruiter_id"),)

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    recruiter_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[int] = mapped_column(BigInteger)  # absolute
    idle_until: Mapped[int] = mapped_column(BigInteger)  # pushed forward by each request


class OwnershipRule(HubBase):
    """An operator's rule giving offers to an organisation: every offer of a source, of a
    company (its folded name) or SIRET, or one offer ("source/external id")."""

    __tablename__ = "ownership_rules"
    __table_args__ = (UniqueConstraint("kind", "value", name="uq_ownership_rules_kind_value"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # offer | siret | company | source
    value: Mapped[str] = mapped_column(String(600))
    created_at: Mapped[int] = mapped_column(BigInteger)


class ApplicationEvent(HubBase):
    """A status change of an application: when, to what, by whom (never what was said)."""

    __tablename__ = "application_events"
    __table_args__ = (Index("ix_application_events_application", "application_id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    application_id: Mapped[int] = mapped_column(BigInteger)  # applications.id
    status: Mapped[str] = mapped_column(String(16))
    at: Mapped[int] = mapped_column(BigInteger)
    recruiter_id: Mapped[int | None] = mapped_column(Integer)


class Notification(HubBase):
    """A mail to an organisation's recruiters saying applications arrived, batched: one open
    batch per organisation collects arrivals until `due_at`, then is sent (retried with
    backoff until `max_attempts`). Counts per offer only, never who applied."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_due", "state", "next_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer, index=True)
    state: Mapped[str] = mapped_column(String(16))  # open | sending | sent | failed
    created_at: Mapped[int] = mapped_column(BigInteger)
    next_at: Mapped[int] = mapped_column(BigInteger)  # when to send (or retry)
    counts: Mapped[str] = mapped_column(Text, default="{}")  # JSON {"source/id": n}
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[int | None] = mapped_column(BigInteger)
    error: Mapped[str | None] = mapped_column(String(300))


class PostedOffer(HubBase):
    """An offer a recruiter wrote in the hub's form, published as a JobPosting under the
    source `posted` (its id `<organisation slug>-<id>`)."""

    __tablename__ = "posted_offers"
    __table_args__ = (Index("ix_posted_offers_organisation", "organisation_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    organisation_id: Mapped[int] = mapped_column(Integer)
    form: Mapped[str] = mapped_column(Text)  # JSON: what the recruiter typed
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    withdrawn_at: Mapped[int | None] = mapped_column(BigInteger)


class RomeEntry(HubBase):
    """One trade of France Travail's ROME (code, label) for the posting form's search:
    imported by the operator (`kiosk-hub rome import`) and learnt from ingested offers."""

    __tablename__ = "rome"

    code: Mapped[str] = mapped_column(String(5), primary_key=True)  # "G1602"
    label: Mapped[str] = mapped_column(String(200))
    folded: Mapped[str] = mapped_column(String(200))  # label folded for the search


class OfferViews(HubBase):
    """How many times terminals showed an offer, per terminal and UTC day: anonymous counts
    from the heartbeat, the top of the funnel."""

    __tablename__ = "offer_views"
    __table_args__ = (Index("ix_offer_views_offer", "offer_source", "offer_id"),)

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    offer_source: Mapped[str] = mapped_column(String(64), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch day
    views: Mapped[int] = mapped_column(Integer)


class TerminalDayViews(HubBase):
    """The views of `offer_views` summed per terminal and day, written with them: the funnel
    reads a terminal's period in a few rows (clustered on SQLite: no lookups)."""

    __tablename__ = "terminal_day_views"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (read by SQLAlchemy)

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch day
    views: Mapped[int] = mapped_column(BigInteger)


class OfferDayViews(HubBase):
    """The views of `offer_views` summed per offer and day over every terminal, written with
    them: the funnel's per-offer (and per-organisation) figures."""

    __tablename__ = "offer_day_views"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (read by SQLAlchemy)

    offer_source: Mapped[str] = mapped_column(String(64), primary_key=True)
    offer_id: Mapped[str] = mapped_column(String(512), primary_key=True)
    day: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch day
    views: Mapped[int] = mapped_column(BigInteger)


class ServiceEntry(HubBase):
    """An entry of the services corner the operator curates (hub/services_corner.py): a public
    service a passer-by takes away by QR code, by need; with an area, only for terminals in it."""

    __tablename__ = "services"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # choose_trade | train | prepare | digital | agency
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(500))
    languages: Mapped[str] = mapped_column(String(64))  # "fr,en": the languages it serves
    place_label: Mapped[str | None] = mapped_column(String(120))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    radius_km: Mapped[float | None] = mapped_column(Float)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


# -- firms that hire near here (hub/firms/) ---------------------------------------------------


class Firm(HubBase):
    """A firm La Bonne Boîte ranks as likely to hire for one trade (ROME), harvested around
    the terminals' areas; one row per (SIRET, ROME) so each trade keeps its own potential."""

    __tablename__ = "firms"
    __table_args__ = (
        # GET /v1/firms reads a terminal's bounding box, best potential first.
        Index("ix_firms_position", "latitude", "longitude"),
        Index("ix_firms_last_seen", "last_seen_run"),
    )

    siret: Mapped[str] = mapped_column(String(14), primary_key=True)
    rome: Mapped[str] = mapped_column(String(5), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    naf: Mapped[str | None] = mapped_column(String(8))
    sector: Mapped[str | None] = mapped_column(String(200))  # the NAF label
    headcount_min: Mapped[int | None] = mapped_column(Integer)
    headcount_max: Mapped[int | None] = mapped_column(Integer)
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    city: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(10))
    hiring_potential: Mapped[float] = mapped_column(Float)
    high: Mapped[bool] = mapped_column(Boolean, default=False)
    first_seen_run: Mapped[int] = mapped_column(Integer)  # firm_harvests.id
    last_seen_run: Mapped[int] = mapped_column(Integer)  # firm_harvests.id


class FirmHarvest(HubBase):
    """One harvest of La Bonne Boîte, for operators (fleet page) and for withdrawals: only a
    complete harvest removes the firms it no longer found."""

    __tablename__ = "firm_harvests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[int] = mapped_column(BigInteger)
    finished_at: Mapped[int | None] = mapped_column(BigInteger)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    queries: Mapped[int] = mapped_column(Integer, default=0)  # (area, trade) searches
    calls: Mapped[int] = mapped_column(Integer, default=0)  # HTTP requests, tokens included
    firms: Mapped[int] = mapped_column(Integer, default=0)  # (SIRET, ROME) rows found
    removed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    error_text: Mapped[str | None] = mapped_column(Text)  # JSON list, the first few messages


# -- the passer-by's verdict (hub/verdicts.py) --------------------------------------------------


class TerminalWeekVerdicts(HubBase):
    """The answers to "Did this terminal help you?" per terminal and ISO week (anonymous
    counts, the increase of the heartbeat's cumulative `verdict.*` counters)."""

    __tablename__ = "terminal_week_verdicts"
    __table_args__ = (Index("ix_terminal_week_verdicts_week", "week"),)

    terminal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    week: Mapped[int] = mapped_column(Integer, primary_key=True)  # epoch day of its Monday
    helped: Mapped[int] = mapped_column(BigInteger, default=0)
    neutral: Mapped[int] = mapped_column(BigInteger, default=0)
    not_helped: Mapped[int] = mapped_column(BigInteger, default=0)
    skipped: Mapped[int] = mapped_column(BigInteger, default=0)
    unanswered: Mapped[int] = mapped_column(BigInteger, default=0)
