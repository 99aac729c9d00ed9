"""What an operator wants to know about a terminal (`kiosk status`, the operator panel, the
heartbeat's alerts)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from kiosk import __version__
from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox
from kiosk.offline.salvage import REPORT_SUFFIX, load_report
from kiosk.sealing_key import SealingKey, resolve


def damaged_files(settings: Settings) -> list[str]:
    """The databases moved aside in the data folder (their names)."""
    return sorted(
        path.name
        for path in settings.data_dir.glob("*.damaged-*")
        if not path.name.endswith(("-wal", "-shm", REPORT_SUFFIX))
    )


def terminal_alerts(
    settings: Settings, outbox: Outbox, sealing: SealingKey | None = None
) -> list[str]:
    """What needs an operator, worst first: above all, anything that would let a passer-by be
    told an application was taken when it can never be delivered. No personal data."""
    from kiosk.sync.enrolment import demo_sealed  # noqa: PLC0415 (enrolment imports us not)

    alerts = []
    problem = (sealing or resolve(settings)).current_problem()
    if problem is not None:
        alerts.append(f"applications are refused: {problem}")
    if not settings.demo and (stranded := demo_sealed(outbox, settings.data_dir)):
        alerts.append(
            f"{len(stranded)} applications are sealed to the demo key, which no hub holds: "
            "kiosk outbox demo-applications deliver (or discard)"
        )
    stats = outbox.stats()
    if stats.over_backlog:
        alerts.append(f"outbox backlog {stats.depth} ≥ limit {stats.backlog_limit}")
    if stats.parked:
        alerts.append(f"{stats.parked} applications parked (refused by the hub)")
    for name in damaged_files(settings):
        if "outbox" not in name:
            continue
        report = load_report(settings.data_dir / name)
        salvaged = (
            f"; {report.added} applications salvaged from it and queued again"
            if report is not None and report.problem is None
            else "; nothing could be salvaged from it"
            if report is not None
            else ""
        )
        alerts.append(
            f"damaged database moved aside: {name}{salvaged} "
            f"(kept: kiosk outbox salvage {settings.data_dir / name})"
        )
    return alerts


def describe_terminal(settings: Settings, store: OfferStore, outbox: Outbox) -> dict[str, Any]:
    """Health of the terminal, without personal data: offers, queue, damaged files, alerts."""
    stats = outbox.stats()
    last_import = store.last_import()
    sealing = resolve(settings)
    return {
        "terminal_id": settings.config.terminal.id,
        "version": __version__,
        "config": settings.source,
        "data_dir": str(settings.data_dir),
        "offers": store.count(),
        "last_import": (
            datetime.fromtimestamp(last_import, UTC).isoformat() if last_import else None
        ),
        "applications": "refused" if sealing.current_problem() else "taken",
        "sealing_key": sealing.origin,
        "queue_depth": stats.depth,
        "oldest_queued_age_s": stats.oldest_age_s,
        "parked": stats.parked,
        "backlog_limit": stats.backlog_limit,
        "damaged_files": damaged_files(settings),
        "alerts": terminal_alerts(settings, outbox, sealing),
    }
