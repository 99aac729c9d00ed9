"""Offers cache: offers, raw documents, sources, meta, and the FTS5 search index.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "offers",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("title", sa.String, nullable=False),
        sa.Column("trade", sa.String, nullable=True),
        sa.Column("company", sa.String, nullable=True),
        sa.Column("place_label", sa.String, nullable=False),
        sa.Column("postcode", sa.String, nullable=True),
        sa.Column("commune_code", sa.String, nullable=True),
        sa.Column("latitude", sa.Float, nullable=True),
        sa.Column("longitude", sa.Float, nullable=True),
        sa.Column("distance_km", sa.Float, nullable=True),
        sa.Column("contract_code", sa.String(8), nullable=False),
        sa.Column("contract_duration", sa.Integer, nullable=True),
        sa.Column("contract_duration_unit", sa.String(8), nullable=True),
        sa.Column("working_time", sa.String(8), nullable=True),
        sa.Column("apprenticeship", sa.Boolean, nullable=False),
        sa.Column("accessible_disabled", sa.Boolean, nullable=False),
        sa.Column("direct_apply", sa.Boolean, nullable=False),
        sa.Column("posted_ts", sa.Integer, nullable=False),
        sa.Column("updated_ts", sa.Integer, nullable=True),
        sa.Column("search_text", sa.String, nullable=False),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("imported_ts", sa.Integer, nullable=False),
        sa.Column("facets", sa.Integer, nullable=False),
        sa.UniqueConstraint("source", "external_id", name="uq_offers_source_external_id"),
    )
    op.create_index("ix_offers_distance", "offers", ["distance_km"])
    # The terminal's order, covering what the in-memory search index is built from.
    op.execute(
        "CREATE INDEX ix_offers_rank ON offers "
        "(distance_km IS NULL, distance_km, posted_ts DESC, id, facets)"
    )
    op.create_table(
        "offer_documents",
        sa.Column(
            "offer_id",
            sa.Integer,
            sa.ForeignKey("offers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("raw", sa.LargeBinary, nullable=False),
    )
    op.create_table(
        "sources",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("cursor", sa.String, nullable=True),
        sa.Column("etag", sa.String, nullable=True),
        sa.Column("last_import_ts", sa.Integer, nullable=True),
        sa.Column("last_full_refresh_ts", sa.Integer, nullable=True),
    )
    op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.String, nullable=False),
    )
    # Words are folded in Python (accents, œ/æ, apostrophes, hyphens) before they reach the
    # index, on both sides; unicode61 only splits them. Prefix indexes make search-as-you-type
    # from two letters a single doclist read.
    op.execute(
        "CREATE VIRTUAL TABLE offers_fts USING fts5("
        "search_text, content='offers', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')"
    )
    # New rows are indexed by OfferStore in the same transaction as it inserts them: an
    # AFTER INSERT trigger makes FTS5 flush its buffer row by row, 7x slower in bulk.
    # Deletes and changes of the indexed text are kept in step by triggers.
    op.execute(
        "CREATE TRIGGER offers_fts_delete AFTER DELETE ON offers BEGIN "
        "INSERT INTO offers_fts(offers_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER offers_fts_update AFTER UPDATE OF search_text ON offers BEGIN "
        "INSERT INTO offers_fts(offers_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO offers_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def downgrade() -> None:
    for trigger in ("offers_fts_update", "offers_fts_delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS offers_fts")
    op.drop_table("meta")
    op.drop_table("sources")
    op.drop_table("offer_documents")
    op.execute("DROP INDEX IF EXISTS ix_offers_rank")
    op.drop_index("ix_offers_distance", "offers")
    op.drop_table("offers")
