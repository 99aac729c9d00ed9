"""Offers cache: each offer's ROME code in bits 11–28 of offers.facets.

The search counts the offers found by ROME code (the firms near here that hire for the
trade most of a search's offers are in), from the covering index it is built from: no new
column, no new index. Rows written before carry 0 there (no code); their code is read once
here from their raw document (a France Travail `romeCode`, a JobPosting's
`occupationalCategory`), rather than after their next change at the source.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import json

from alembic import op

from kiosk import trades

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_SHIFT = 11  # kiosk.offline.search._ROME_SHIFT


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
        "SELECT o.id, o.facets,"
        " json_extract(CAST(d.raw AS TEXT), '$.romeCode'),"
        " json_extract(CAST(d.raw AS TEXT), '$.occupationalCategory')"
        " FROM offers o JOIN offer_documents d ON d.offer_id = o.id"
        " WHERE json_valid(CAST(d.raw AS TEXT))"
    ).all()
    changes = []
    for row_id, facets, rome, occupation in rows:
        code = rome if isinstance(rome, str) else None
        if code is None and isinstance(occupation, str):
            code = _occupation(occupation)
        packed = (facets & ((1 << _SHIFT) - 1)) | trades.rome_number(code) << _SHIFT
        if packed != facets:
            changes.append((packed, row_id))
    if changes:
        connection.exec_driver_sql("UPDATE offers SET facets = ? WHERE id = ?", changes)


def downgrade() -> None:
    op.execute(f"UPDATE offers SET facets = facets & {(1 << _SHIFT) - 1}")
