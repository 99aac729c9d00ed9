"""Small state files written so that a power cut leaves the old file or the new one, never half:
the release state, the operator PIN's lock-out, the enrolment, the hub's configuration."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any


def write_json_atomically(path: Path, value: Any, mode: int = 0o644) -> None:
    """Write JSON so a reader sees the old file or the new one, never half (even on power loss)."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            json.dump(value, out, indent=1, sort_keys=True)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


def read_json(path: Path) -> Any:
    """A JSON file, or None when it is missing or unreadable (state is advisory, never fatal)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fsync_folder(folder: Path) -> None:
    """Make a rename or a new link in `folder` durable."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
