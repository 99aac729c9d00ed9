"""Recruiters: organisations own offers, their recruiters read and answer applications,
are told by mail when some arrive, and post offers; terminals report offer views.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _id() -> sa.Column:  # type: ignore[type-arg]
    return sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True)


def upgrade() -> None:
    with op.batch_alter_table("offers") as table:
        table.add_column(sa.Column("company_key", sa.String(200), nullable=True))
        table.add_column(sa.Column("siret", sa.String(14), nullable=True))
        table.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
    op.create_index("ix_offers_organisation_id", "offers", ["organisation_id"])
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("organisation_id", sa.Integer(), nullable=True))
        table.add_column(sa.Column("status", sa.String(16), nullable=False, server_default="new"))
        table.add_column(sa.Column("status_at", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("first_contact_at", sa.BigInteger(), nullable=True))
        table.add_column(sa.Column("opened", sa.Integer(), nullable=False, server_default="0"))
    op.create_index(
        "ix_applications_inbox", "applications", ["organisation_id", "received_at", "id"]
    )
    op.create_index(
        "ix_applications_status",
        "applications",
        ["organisation_id", "status", "received_at", "id"],
    )
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("slug", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("spontaneous", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "recruiters",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("password_hash", sa.String(200), nullable=True),
        sa.Column("invite_hash", sa.String(64), nullable=True, unique=True),
        sa.Column("invite_expires_at", sa.BigInteger(), nullable=True),
        sa.Column("invited_at", sa.BigInteger(), nullable=False),
        sa.Column("activated_at", sa.BigInteger(), nullable=True),
        sa.Column("disabled_at", sa.BigInteger(), nullable=True),
        sa.Column("last_sign_in_at", sa.BigInteger(), nullable=True),
        sa.Column("notify", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_recruiters_organisation", "recruiters", ["organisation_id"])
    op.create_table(
        "recruiter_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("recruiter_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("expires_at", sa.BigInteger(), nullable=False),
        sa.Column("idle_until", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_recruiter_sessions_recruiter", "recruiter_sessions", ["recruiter_id"])
    op.create_table(
        "ownership_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(600), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.UniqueConstraint("kind", "value", name="uq_ownership_rules_kind_value"),
    )
    op.create_index("ix_ownership_rules_organisation_id", "ownership_rules", ["organisation_id"])
    op.create_table(
        "application_events",
        _id(),
        sa.Column("application_id", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("at", sa.BigInteger(), nullable=False),
        sa.Column("recruiter_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_application_events_application", "application_events", ["application_id"])
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.BigInteger(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.String(300), nullable=True),
    )
    op.create_index("ix_notifications_due", "notifications", ["state", "next_at"])
    op.create_index("ix_notifications_organisation_id", "notifications", ["organisation_id"])
    op.create_table(
        "posted_offers",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("form", sa.Text(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.BigInteger(), nullable=False),
        sa.Column("withdrawn_at", sa.BigInteger(), nullable=True),
    )
    op.create_index("ix_posted_offers_organisation", "posted_offers", ["organisation_id"])
    op.create_table(
        "rome",
        sa.Column("code", sa.String(5), primary_key=True),
        sa.Column("label", sa.String(200), nullable=False),
        sa.Column("folded", sa.String(200), nullable=False),
    )
    op.create_table(
        "offer_views",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("offer_source", sa.String(64), primary_key=True),
        sa.Column("offer_id", sa.String(512), primary_key=True),
        sa.Column("day", sa.Integer(), primary_key=True),
        sa.Column("views", sa.Integer(), nullable=False),
    )
    op.create_index("ix_offer_views_offer", "offer_views", ["offer_source", "offer_id"])
    # Its sums per terminal and per offer, for the funnel (hub/recruiters/funnel.py).
    op.create_table(
        "terminal_day_views",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Integer(), primary_key=True),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "offer_day_views",
        sa.Column("offer_source", sa.String(64), primary_key=True),
        sa.Column("offer_id", sa.String(512), primary_key=True),
        sa.Column("day", sa.Integer(), primary_key=True),
        sa.Column("views", sa.BigInteger(), nullable=False),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    for name in (
        "offer_day_views",
        "terminal_day_views",
        "offer_views",
        "rome",
        "posted_offers",
        "notifications",
        "application_events",
        "ownership_rules",
        "recruiter_sessions",
        "recruiters",
        "organisations",
    ):
        op.drop_table(name)
    op.drop_index("ix_applications_status", "applications")
    op.drop_index("ix_applications_inbox", "applications")
    with op.batch_alter_table("applications") as table:
        for column in ("opened", "first_contact_at", "status_at", "status", "organisation_id"):
            table.drop_column(column)
    op.drop_index("ix_offers_organisation_id", "offers")
    with op.batch_alter_table("offers") as table:
        for column in ("organisation_id", "siret", "company_key"):
            table.drop_column(column)
