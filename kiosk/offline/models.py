"""SQLAlchemy models of the offers cache (the schema itself is owned by the migrations)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Index, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class OffersBase(DeclarativeBase):
    """Declarative base of the offers database (offers.sqlite)."""


class OfferRow(OffersBase):
    """The searchable columns of one offer: narrow, so the index build and list pages stay fast."""

    __tablename__ = "offers"
    __table_args__ = (
        UniqueConstraint("source", "external_id", name="uq_offers_source_external_id"),
        # The terminal's order (nearest, newest, offers without coordinates last), covering
        # what the search index is built from. Created by the migration (expression index).
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    external_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str]
    trade: Mapped[str | None]  # the trade label, shown when the title alone does not say it
    company: Mapped[str | None]
    place_label: Mapped[str]
    postcode: Mapped[str | None]
    commune_code: Mapped[str | None]
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # From the terminal (meta "origin"); None when unlocated.
    distance_km: Mapped[float | None] = mapped_column(Float)
    contract_code: Mapped[str] = mapped_column(String(8))
    contract_duration: Mapped[int | None]
    contract_duration_unit: Mapped[str | None] = mapped_column(String(8))
    working_time: Mapped[str | None] = mapped_column(String(8))
    apprenticeship: Mapped[bool]
    accessible_disabled: Mapped[bool]
    direct_apply: Mapped[bool]
    posted_ts: Mapped[int]  # UTC epoch seconds: integers make the index build cheap
    updated_ts: Mapped[int | None]
    search_text: Mapped[str]  # folded words indexed by offers_fts (external content)
    content_hash: Mapped[str] = mapped_column(String(32))
    imported_ts: Mapped[int]
    facets: Mapped[int]  # kiosk.offline.search.pack_facets of the filterable attributes


class OfferDocument(OffersBase):
    """The raw record an offer was parsed from; the detail screen parses it again."""

    __tablename__ = "offer_documents"

    offer_id: Mapped[int] = mapped_column(
        ForeignKey("offers.id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[str] = mapped_column(String(32))
    raw: Mapped[bytes] = mapped_column(LargeBinary)  # UTF-8 JSON


class SourceState(OffersBase):
    """What the terminal knows of each offer source: last import, and the sync cursor."""

    __tablename__ = "sources"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    cursor: Mapped[str | None]
    etag: Mapped[str | None]
    last_import_ts: Mapped[int | None]
    last_full_refresh_ts: Mapped[int | None]


class FeedListing(OffersBase):
    """An offer the hub feed's resync under way has listed (see migration 0002)."""

    __tablename__ = "feed_listing"
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012 (SQLAlchemy's declaration)

    source: Mapped[str] = mapped_column(String(64), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class Meta(OffersBase):
    """Small key/value facts about the cache (the origin the distances were computed from)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str]


class ServiceRow(OffersBase):
    """An entry of the services corner, as the hub last sent it (see migration 0004)."""

    __tablename__ = "services"

    position: Mapped[int] = mapped_column(primary_key=True)  # the hub's order
    id: Mapped[int]  # the hub's
    category: Mapped[str] = mapped_column(String(16))
    title: Mapped[str]
    text: Mapped[str]
    url: Mapped[str]
    languages: Mapped[str]  # "fr,en"; empty: any


class FirmRow(OffersBase):
    """A firm that often hires near here, as the hub last sent it (see migration 0006)."""

    __tablename__ = "firms"

    siret: Mapped[str] = mapped_column(String(14), primary_key=True)
    name: Mapped[str]
    sector: Mapped[str | None]  # the NAF label
    naf: Mapped[str | None] = mapped_column(String(8))
    headcount_min: Mapped[int | None]
    headcount_max: Mapped[int | None]
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    city: Mapped[str | None]
    postcode: Mapped[str | None] = mapped_column(String(10))
    search_text: Mapped[str]  # folded name, sector and town, each word after a space


class FirmTradeRow(OffersBase):
    """One trade (ROME code) a firm was found for, with its hiring potential."""

    __tablename__ = "firm_trades"
    __table_args__ = (
        Index("ix_firm_trades_rome", "rome"),
        Index("ix_firm_trades_family", "family"),
    )

    siret: Mapped[str] = mapped_column(
        ForeignKey("firms.siret", ondelete="CASCADE"), primary_key=True
    )
    rome: Mapped[str] = mapped_column(String(5), primary_key=True)
    family: Mapped[str] = mapped_column(String(1))  # the ROME family, A–N (kiosk.trades)
    label: Mapped[str]
    hiring_potential: Mapped[float] = mapped_column(Float)
    high: Mapped[bool]
    search_text: Mapped[str]  # the folded label, each word after a space


class OutboxBase(DeclarativeBase):
    """Declarative base of the outbox database (outbox.sqlite)."""


class QueuedApplication(OutboxBase):
    """One application waiting for the hub: sealed, so the terminal cannot read it."""

    __tablename__ = "applications"
    __table_args__ = (Index("ix_applications_due", "state", "next_attempt_ts"),)

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the application's UUID
    reference: Mapped[str] = mapped_column(String(16), unique=True)  # shown to the applicant
    offer_source: Mapped[str] = mapped_column(String(64))
    offer_id: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(8))  # queued | sending | parked
    sealed: Mapped[bytes] = mapped_column(LargeBinary)  # HPKE to the hub's public key
    created_ts: Mapped[int]
    attempts: Mapped[int]
    next_attempt_ts: Mapped[int]
    last_error: Mapped[str | None]  # never personal data: a status code or an exception class
    parked_reason: Mapped[str | None]
