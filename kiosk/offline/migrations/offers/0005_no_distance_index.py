"""Offers cache: the index on distance_km alone is dropped; ix_offers_rank answers the same
"within N km" counts (its second column is the distance, after `distance_km IS NULL`).

It was redundant: each imported offer wrote one more index entry (≈ 0.1 s of the writing
thread for 100,000 offers), and the check of the tables needed to start read it again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DROP INDEX IF EXISTS ix_offers_distance")


def downgrade() -> None:
    op.create_index("ix_offers_distance", "offers", ["distance_km"])
