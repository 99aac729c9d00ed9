"""Offers cache: each offer's trade family (kiosk.trades) in bits 7–10 of offers.facets.

Rows written before carry 0 there ("other"); they are classified once here from their raw
document (the ROME code, a JobPosting's occupationalCategory, the title), so the trade tiles
count them at once rather than after their next change at the source.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from __future__ import annotations

import json

from alembic import op

from kiosk import trades

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_SHIFT = 7  # kiosk.offline.search._TRADE_SHIFT


def _occupation(value: str | None) -> str | None:
    """json_extract gives text for a string and JSON text for an object or a list."""
    if value is None:
        return None
    try:
        parsed = json.loads(value) if value[:1] in "[{" else value
    except ValueError:
        parsed = value
    return trades.occupation_text(parsed)


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.exec_driver_sql(
        "SELECT o.id, o.facets, o.title, o.trade,"
        " json_extract(CAST(d.raw AS TEXT), '$.romeCode'),"
        " json_extract(CAST(d.raw AS TEXT), '$.occupationalCategory')"
        " FROM offers o LEFT JOIN offer_documents d ON d.offer_id = o.id"
        " WHERE json_valid(CAST(d.raw AS TEXT)) OR d.raw IS NULL"
    ).all()
    changes = []
    for row_id, facets, title, trade, rome, occupation in rows:
        family = trades.classify(
            rome if isinstance(rome, str) else None,
            _occupation(occupation if isinstance(occupation, str) else None),
            title,
            trade,
        )
        packed = (facets & ((1 << _SHIFT) - 1)) | trades.family_number(family) << _SHIFT
        if packed != facets:
            changes.append((packed, row_id))
    if changes:
        connection.exec_driver_sql("UPDATE offers SET facets = ? WHERE id = ?", changes)


def downgrade() -> None:
    op.execute(f"UPDATE offers SET facets = facets & {(1 << _SHIFT) - 1}")
