"""Configuration pushed by the hub's operators: validated whole, saved atomically, laid over
the terminal's own file at every start.

The hub sends `{"version", "name", "radius_km", "heartbeat_s", "settings": {…}}` in a heartbeat
answer (docs/protocol.md). The terminal either applies all of it or none: a setting it does not
know, or a value its configuration would refuse, refuses the whole version, and the next
heartbeat says why (`config_refused`). An applied version is written to `hub-config.json` in
the data folder (temporary file, fsync, rename), so a power cut leaves the old or the new one.
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from kiosk.config import KioskConfig, Settings, describe_error
from kiosk.files import write_json_atomically

log = logging.getLogger("kiosk.sync")

PUSHED_FILE = "hub-config.json"

# The hub's setting names → where they go in the terminal's configuration.
SETTINGS: dict[str, tuple[str, str]] = {
    "idle_warning_s": ("idle", "warning_after_s"),
    "idle_countdown_s": ("idle", "countdown_s"),
    "more_time_factor": ("idle", "more_time_factor"),
    "default_language": ("languages", "default"),
    "backlog_limit": ("outbox", "backlog_limit"),
}


class PushedConfigError(ValueError):
    """The pushed configuration cannot be applied; the message names the key and why."""


def merge(config: KioskConfig, pushed: dict[str, Any]) -> KioskConfig:
    """`config` with `pushed` laid over it, validated as a whole (PushedConfigError if not)."""
    if not isinstance(pushed.get("version"), int) or isinstance(pushed.get("version"), bool):
        raise PushedConfigError("version: missing or not a whole number")
    data = config.model_dump(mode="python", exclude_unset=False)
    for key, (section, field) in (
        ("name", ("terminal", "name")),
        ("radius_km", ("location", "radius_km")),
        ("heartbeat_s", ("hub", "heartbeat_s")),
    ):
        if pushed.get(key) is not None:
            data[section][field] = pushed[key]
    settings = pushed.get("settings") or {}
    if not isinstance(settings, dict):
        raise PushedConfigError("settings: not an object")
    for name, value in settings.items():
        if name not in SETTINGS:
            raise PushedConfigError(f"settings.{name}: unknown setting")
        section, field = SETTINGS[name]
        data[section][field] = value
    try:
        return KioskConfig.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(describe_error(e) for e in exc.errors())
        raise PushedConfigError(problems) from exc


def load(data_dir: Path) -> dict[str, Any] | None:
    """The last applied pushed configuration, or None (none yet, or unreadable: logged)."""
    path = data_dir / PUSHED_FILE
    try:
        pushed = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.error("%s cannot be read (%s): the hub's configuration is ignored", path, exc)
        return None
    return pushed if isinstance(pushed, dict) else None


def save(data_dir: Path, pushed: dict[str, Any]) -> None:
    """Write `pushed` atomically: the old file or the new one survives a power cut."""
    write_json_atomically(data_dir / PUSHED_FILE, pushed)


def version_of(pushed: dict[str, Any] | None) -> int | None:
    """The version of a pushed configuration."""
    version = pushed.get("version") if pushed else None
    return version if isinstance(version, int) else None


def overlay(settings: Settings) -> Settings:
    """`settings` with the saved pushed configuration laid over the file's (at start)."""
    pushed = load(settings.data_dir)
    if pushed is None:
        return settings
    try:
        config = merge(settings.config, pushed)
    except PushedConfigError as exc:
        log.error("the saved hub configuration no longer applies (%s): ignored", exc)
        return settings
    return replace(settings, config=config, source=f"{settings.source} + hub v{version_of(pushed)}")
