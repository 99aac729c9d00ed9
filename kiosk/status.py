"""What an operator wants to know about a terminal (`kiosk status`, the operator panel)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kiosk import __version__
from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox


def describe_terminal(settings: Settings, store: OfferStore, outbox: Outbox) -> dict[str, Any]:
    """Health of the terminal, without personal data: offers, queue, damaged files, alerts."""
    stats = outbox.stats()
    last_import = store.last_import()
    damaged = sorted(
        path.name
        for path in settings.data_dir.glob("*.damaged-*")
        if not path.name.endswith(("-wal", "-shm"))
    )
    alerts = []
    if stats.over_backlog:
        alerts.append(f"outbox backlog {stats.depth} ≥ limit {stats.backlog_limit}")
    if stats.parked:
        alerts.append(f"{stats.parked} applications parked (refused by the hub)")
    alerts += [f"damaged database moved aside: {name}" for name in damaged if "outbox" in name]
    return {
        "terminal_id": settings.config.terminal.id,
        "version": __version__,
        "config": settings.source,
        "data_dir": str(settings.data_dir),
        "offers": store.count(),
        "last_import": (
            datetime.fromtimestamp(last_import, UTC).isoformat() if last_import else None
        ),
        "queue_depth": stats.depth,
        "oldest_queued_age_s": stats.oldest_age_s,
        "parked": stats.parked,
        "backlog_limit": stats.backlog_limit,
        "damaged_files": damaged,
        "alerts": alerts,
    }
