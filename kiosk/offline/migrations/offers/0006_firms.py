"""Offers cache: the firms that hire near here (kiosk/offline/firms.py), as the hub last sent
them, whole: one row per firm and one per trade it was found for. Its ETag is meta
`firms_etag`; whether spontaneous applications are taken, meta `firms_spontaneous`; who
ranked them, `firms_source`; a fingerprint of the list, `firms_digest`.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "firms",
        sa.Column("siret", sa.String(14), primary_key=True),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("sector", sa.String(), nullable=True),
        sa.Column("naf", sa.String(8), nullable=True),
        sa.Column("headcount_min", sa.Integer(), nullable=True),
        sa.Column("headcount_max", sa.Integer(), nullable=True),
        sa.Column("latitude", sa.Float(), nullable=False),
        sa.Column("longitude", sa.Float(), nullable=False),
        sa.Column("city", sa.String(), nullable=True),
        sa.Column("postcode", sa.String(10), nullable=True),
        sa.Column("search_text", sa.String(), nullable=False),
    )
    op.create_table(
        "firm_trades",
        sa.Column(
            "siret",
            sa.String(14),
            sa.ForeignKey("firms.siret", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("rome", sa.String(5), primary_key=True),
        sa.Column("family", sa.String(1), nullable=False),
        sa.Column("label", sa.String(), nullable=False),
        sa.Column("hiring_potential", sa.Float(), nullable=False),
        sa.Column("high", sa.Boolean(), nullable=False),
        sa.Column("search_text", sa.String(), nullable=False),
    )
    op.create_index("ix_firm_trades_rome", "firm_trades", ["rome"])
    op.create_index("ix_firm_trades_family", "firm_trades", ["family"])


def downgrade() -> None:
    op.drop_index("ix_firm_trades_family", table_name="firm_trades")
    op.drop_index("ix_firm_trades_rome", table_name="firm_trades")
    op.drop_table("firm_trades")
    op.drop_table("firms")
    op.execute(
        "DELETE FROM meta WHERE key IN"
        " ('firms_etag', 'firms_spontaneous', 'firms_source', 'firms_digest')"
    )
