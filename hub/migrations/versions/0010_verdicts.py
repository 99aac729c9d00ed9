"""The passer-by's verdict: answers per terminal and ISO week, and the counters of each
terminal's last heartbeat to tell the next one's increase (hub/verdicts.py).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("terminals") as table:
        table.add_column(sa.Column("verdict_counts", sa.Text(), nullable=True))
        table.add_column(sa.Column("verdict_uptime_s", sa.BigInteger(), nullable=True))
    op.create_table(
        "terminal_week_verdicts",
        sa.Column("terminal_id", sa.String(64), primary_key=True),
        sa.Column("week", sa.Integer(), primary_key=True),
        sa.Column("helped", sa.BigInteger(), nullable=False),
        sa.Column("neutral", sa.BigInteger(), nullable=False),
        sa.Column("not_helped", sa.BigInteger(), nullable=False),
        sa.Column("skipped", sa.BigInteger(), nullable=False),
        sa.Column("unanswered", sa.BigInteger(), nullable=False),
    )
    op.create_index("ix_terminal_week_verdicts_week", "terminal_week_verdicts", ["week"])


def downgrade() -> None:
    op.drop_index("ix_terminal_week_verdicts_week", "terminal_week_verdicts")
    op.drop_table("terminal_week_verdicts")
    with op.batch_alter_table("terminals") as table:
        table.drop_column("verdict_uptime_s")
        table.drop_column("verdict_counts")
