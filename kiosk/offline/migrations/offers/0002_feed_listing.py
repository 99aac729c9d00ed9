"""Offers cache: the keys a full resync of the hub feed has listed so far.

While a resync is under way (meta `feed_listing`), every offer a page lists is recorded here
in the page's own transaction; when the last page arrives, the offers it did not list are
dropped and the table emptied, in that page's transaction. The screen never shows an empty
catalogue, and a crash half-way through carries on where it stopped.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "feed_listing",
        sa.Column("source", sa.String(64), primary_key=True),
        sa.Column("external_id", sa.String(64), primary_key=True),
        sqlite_with_rowid=False,
    )


def downgrade() -> None:
    op.drop_table("feed_listing")
