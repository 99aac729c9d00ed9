"""Heartbeat history: one row per terminal and hour (beats, worst queue, least free disk).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "heartbeat_hours",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("hour", sa.BigInteger(), primary_key=True),
        sa.Column("beats", sa.Integer(), nullable=False),
        sa.Column("alert_beats", sa.Integer(), nullable=False),
        sa.Column("queue_max", sa.Integer(), nullable=False),
        sa.Column("free_disk_min_mb", sa.BigInteger(), nullable=False),
        sa.Column("version", sa.String(64), nullable=False),
    )
    op.create_index("ix_heartbeat_hours_hour", "heartbeat_hours", ["hour"])


def downgrade() -> None:
    op.drop_index("ix_heartbeat_hours_hour", "heartbeat_hours")
    op.drop_table("heartbeat_hours")
