"""Applications: a keyed hash of the reference code given to the applicant, to find it by.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as table:
        table.add_column(sa.Column("reference_digest", sa.String(64), nullable=True))
    op.create_index("ix_applications_reference", "applications", ["reference_digest"])


def downgrade() -> None:
    op.drop_index("ix_applications_reference", "applications")
    with op.batch_alter_table("applications") as table:
        table.drop_column("reference_digest")
