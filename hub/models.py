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
