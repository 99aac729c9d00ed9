"""Terminals: why a terminal refused the configuration it was last sent.

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
    with op.batch_alter_table("terminals") as table:
        table.add_column(sa.Column("config_refused", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("terminals") as table:
        table.drop_column("config_refused")
