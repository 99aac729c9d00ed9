"""Firms that hire near here: La Bonne Boîte's firms per trade and the harvests (hub/firms/).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "firms",
        sa.Column("siret", sa.String(14), primary_key=True),
        sa.Column("rome", sa.String(5), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("naf", sa.String(8), nullable=True),
        sa.Column("sector", sa.String(200), nullable=True),
        sa.Column("headcount_min", sa.Integer(), nullable=True),
        sa.Column("headcount_max", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("city", sa.String(120), nullable=True),
        sa.Column("postcode", sa.String(10), nullable=True),
        sa.Column("hiring_potential", sa.Float(), nullable=False),
        sa.Column("high", sa.Boolean(), nullable=False),
        sa.Column("first_seen_run", sa.Integer(), nullable=False),
        sa.Column("last_seen_run", sa.Integer(), nullable=False),
    )
    op.create_index("ix_firms_position", "firms", ["latitude", "longitude"])
    op.create_index("ix_firms_last_seen", "firms", ["last_seen_run"])
    op.create_table(
        "firm_harvests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("started_at", sa.BigInteger(), nullable=False),
        sa.Column("finished_at", sa.BigInteger(), nullable=True),
        sa.Column("complete", sa.Boolean(), nullable=False),
        sa.Column("queries", sa.Integer(), nullable=False),
        sa.Column("calls", sa.Integer(), nullable=False),
        sa.Column("firms", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.Column("error_text", sa.Text(), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("firm_harvests")
    op.drop_index("ix_firms_last_seen", table_name="firms")
    op.drop_index("ix_firms_position", table_name="firms")
    op.drop_table("firms")
