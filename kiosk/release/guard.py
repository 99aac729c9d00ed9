"""The start guard: a new version must report healthy within N starts or minutes, else go back."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.files import read_json, write_json_atomically
from kiosk.release.layout import Layout

log = logging.getLogger("kiosk.release")

HEALTH_FILE = "release-health.json"


def confirm_healthy(data_dir: Path, version: str, now: float) -> None:
    """Called by the running kiosk once it is healthy (store open, Attract shown, READY=1 sent).

    The guard (root) reads this file from the data folder; the kiosk never writes to the
    install root, which it cannot.
    """
    data_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomically(data_dir / HEALTH_FILE, {"version": version, "confirmed_at": now})


def healthy_version(data_dir: Path) -> str | None:
    """The version that last confirmed it is healthy on this terminal."""
    health = read_json(data_dir / HEALTH_FILE)
    if isinstance(health, dict) and isinstance(health.get("version"), str):
        return str(health["version"])
    return None


def forget_health(data_dir: Path) -> None:
    """Done at each switch, so only the new version's own confirmation counts."""
    (data_dir / HEALTH_FILE).unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class GuardResult:
    """What the guard did: none | waiting | confirmed | rolled-back."""

    action: str
    message: str
    version: str | None = None


def run_guard(layout: Layout, data_dir: Path, now: float, *, count_start: bool) -> GuardResult:
    """Check the pending switch; called before each start (count_start) and by a timer.

    Goes back to `previous` when the new version started more than `max_starts` times or ran
    longer than `deadline_s` without confirming health; clears the pending switch once the
    new version confirmed.
    """
    pending = layout.read_pending()
    if pending is None:
        return GuardResult("none", "no update waiting for confirmation")
    if layout.current_version() != pending.version:
        layout.clear_pending()
        return GuardResult("none", "the pending version is no longer current (switched by hand)")
    if healthy_version(data_dir) == pending.version:
        layout.clear_pending()
        layout.prune(downloads=False)  # the release before previous is no longer needed
        layout.record("confirmed", pending.version, now)
        log.info("release %s confirmed healthy", pending.version)
        return GuardResult("confirmed", f"{pending.version} is healthy", pending.version)
    starts = pending.starts + (1 if count_start else 0)
    reason = ""
    if starts > pending.max_starts:
        reason = f"started {starts - 1} times without reporting healthy"
    elif now - pending.switched_at > pending.deadline_s:
        reason = f"not healthy {int(now - pending.switched_at)} s after the switch"
    if reason:
        back = layout.switch_back()
        layout.clear_pending()
        if back is not None and back != pending.version:
            layout.remove(pending.version)  # marked failed: never offered or run again
        layout.record("rolled-back", pending.version, now, reason, failed=True)
        log.error("release %s %s: switched back to %s", pending.version, reason, back)
        return GuardResult("rolled-back", f"{pending.version} {reason}; back to {back}", back)
    if count_start:
        layout.write_pending(replace(pending, starts=starts))
    return GuardResult(
        "waiting",
        f"{pending.version}: start {starts} of {pending.max_starts}, waiting for health",
        pending.version,
    )
