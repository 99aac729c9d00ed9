"""Terminals: the alerts of the last heartbeat (a terminal that cannot take applications…).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminals") as table:
        table.add_column(sa.Column("alerts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("terminals") as table:
        table.drop_column("alerts")
