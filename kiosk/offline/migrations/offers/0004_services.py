"""Offers cache: the services corner the hub sends (kiosk/offline/services.py), whole, in the
order the screen shows it; its ETag is meta `services_etag`.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("position", sa.Integer(), primary_key=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(16), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("text", sa.String(), nullable=False),
        sa.Column("url", sa.String(), nullable=False),
        sa.Column("languages", sa.String(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("services")
    op.execute("DELETE FROM meta WHERE key = 'services_etag'")
