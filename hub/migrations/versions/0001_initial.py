"""The hub's first schema: terminals, codes, operators, offers feed, applications inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")  # INTEGER PRIMARY KEY on SQLite


def upgrade() -> None:
    meta = op.create_table(
        "meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    counters = op.create_table(
        "counters",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "terminals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("terminal_id", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("radius_km", sa.Float(), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("enrolled_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
        sa.Column("feed_generation", sa.Integer(), nullable=False),
        sa.Column("config_version", sa.Integer(), nullable=False),
        sa.Column("settings", sa.Text(), nullable=False),
        sa.Column("last_seen_at", sa.BigInteger(), nullable=True),
        sa.Column("version", sa.String(64), nullable=True),
        sa.Column("uptime_s", sa.BigInteger(), nullable=True),
        sa.Column("last_sync_at", sa.BigInteger(), nullable=True),
        sa.Column("offers_count", sa.Integer(), nullable=True),
        sa.Column("queue_depth", sa.Integer(), nullable=True),
        sa.Column("oldest_queued_age_s", sa.BigInteger(), nullable=True),
        sa.Column("free_disk_mb", sa.BigInteger(), nullable=True),
        sa.Column("counters", sa.Text(), nullable=True),
        sa.Column("reported_config_version", sa.Integer(), nullable=True),
    )
    op.create_table(
        "enrol_codes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("used_at", sa.BigInteger(), nullable=True),
        sa.Column("replace_existing", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "operator_tokens",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("revoked_at", sa.BigInteger(), nullable=True),
    )
    op.create_table(
        "offers",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("external_id", sa.String(512), nullable=False),
        sa.Column("format", sa.String(32), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(32), nullable=False),
        sa.Column("latitude", sa.Float(), nullable=True),
        sa.Column("longitude", sa.Float(), nullable=True),
        sa.Column("old_latitude", sa.Float(), nullable=True),
        sa.Column("old_longitude", sa.Float(), nullable=True),
        sa.Column("seq", sa.BigInteger(), nullable=False, unique=True),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("posted_at", sa.BigInteger(), nullable=True),
        sa.Column("changed_at", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("source", "external_id", name="uq_offers_source_external_id"),
    )
    op.create_index(
        "ix_offers_feed",
        "offers",
        ["seq", "latitude", "longitude", "old_latitude", "old_longitude"],
    )
    op.create_table(
        "sources",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("last_run_at", sa.BigInteger(), nullable=True),
        sa.Column("last_ok_at", sa.BigInteger(), nullable=True),
        sa.Column("last_report", sa.Text(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "applications",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("application_id", sa.String(36), nullable=False, unique=True),
        sa.Column("terminal_id", sa.String(64), nullable=False),
        sa.Column("offer_source", sa.String(64), nullable=False),
        sa.Column("offer_id", sa.String(512), nullable=False),
        sa.Column("created_at", sa.String(40), nullable=False),
        sa.Column("received_at", sa.BigInteger(), nullable=False),
        sa.Column("body_hash", sa.String(64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=True),
        sa.Column("purged_at", sa.BigInteger(), nullable=True),
        sa.Column("webhook_state", sa.String(16), nullable=False),
        sa.Column("webhook_attempts", sa.Integer(), nullable=False),
        sa.Column("webhook_next_at", sa.BigInteger(), nullable=True),
        sa.Column("webhook_error", sa.String(200), nullable=True),
    )
    op.create_index("ix_applications_offer", "applications", ["offer_source", "offer_id"])
    op.create_index("ix_applications_received", "applications", ["received_at"])
    op.create_index("ix_applications_webhook", "applications", ["webhook_state", "webhook_next_at"])
    # A new database is a new feed: cursors issued by any other database ask for a resync.
    op.bulk_insert(meta, [{"key": "epoch", "value": secrets.token_hex(6)}])
    op.bulk_insert(
        counters, [{"name": "offer_seq", "value": 0}, {"name": "feed_floor", "value": 0}]
    )


def downgrade() -> None:
    for table in (
        "applications",
        "sources",
        "offers",
        "operator_tokens",
        "enrol_codes",
        "terminals",
        "counters",
        "meta",
    ):
        op.drop_table(table)
