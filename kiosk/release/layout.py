"""The install layout: releases/<version>/, the `current` and `previous` links, the update state."""

from __future__ import annotations

import contextlib
import secrets
import shutil
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kiosk.files import fsync_folder, read_json, write_json_atomically
from kiosk.release.versions import is_version

DEFAULT_ROOT = Path("/opt/job-kiosk")


@dataclass(frozen=True, slots=True)
class Pending:
    """A switch waiting for the new version to confirm it is healthy."""

    version: str
    previous: str | None
    switched_at: float
    starts: int = 0
    max_starts: int = 3
    deadline_s: float = 600.0
    earlier: str | None = None  # the previous before the switch, kept until it is confirmed

    @classmethod
    def from_json(cls, value: Any) -> Pending | None:
        """Read pending.json's content (None when absent or unreadable)."""
        if not isinstance(value, dict):
            return None
        try:
            return cls(
                version=str(value["version"]),
                previous=None if value.get("previous") is None else str(value["previous"]),
                switched_at=float(value["switched_at"]),
                starts=int(value.get("starts", 0)),
                max_starts=int(value.get("max_starts", 3)),
                deadline_s=float(value.get("deadline_s", 600.0)),
                earlier=None if value.get("earlier") is None else str(value["earlier"]),
            )
        except (KeyError, TypeError, ValueError):
            return None


class Layout:
    """Releases side by side under one root; `current` is what systemd starts.

    root/releases/<version>/            an unpacked, verified release (read-only)
    root/releases/<version>.json        its signed manifest, and <version>.json.minisig
    root/releases/<version>.selftest.log the whole output of a failed self-test
    root/current -> releases/<version>  switched with one rename of a new symlink
    root/previous -> releases/<version> the version to go back to
    root/pending.json                   a switch not yet confirmed healthy (see guard)
    root/state.json                     versions that failed here, last outcomes
    root/incoming/                      downloads and unpacking in progress
    """

    def __init__(self, root: Path) -> None:
        root = root.absolute()  # programs under it run with another working folder
        self.root = root
        self.releases = root / "releases"
        self.current = root / "current"
        self.previous = root / "previous"
        self.pending_file = root / "pending.json"
        self.state_file = root / "state.json"
        self.incoming = root / "incoming"

    def ensure(self) -> None:
        """Create the folders."""
        self.releases.mkdir(parents=True, exist_ok=True)
        self.incoming.mkdir(parents=True, exist_ok=True)

    def release_dir(self, version: str) -> Path:
        """Where `version` is (or will be) unpacked."""
        if not is_version(version):
            raise ValueError(f"not a version: {version!r}")
        return self.releases / version

    def manifest_file(self, version: str) -> Path:
        """The signed manifest kept beside the release."""
        return self.releases / f"{version}.json"

    def signature_file(self, version: str) -> Path:
        """The manifest's signature."""
        return self.releases / f"{version}.json.minisig"

    def selftest_log(self, version: str) -> Path:
        """The whole output of the version's failed self-test (kept until the next update)."""
        return self.releases / f"{version}.selftest.log"

    def remove(self, version: str) -> None:
        """Delete a release: its manifest and signature first, so no half release is left."""
        for path in (
            self.manifest_file(version),
            self.signature_file(version),
            self.selftest_log(version),
        ):
            path.unlink(missing_ok=True)
        folder = self.release_dir(version)
        if folder.is_dir() and not folder.is_symlink():
            # Renamed aside first: a crash halfway leaves no folder that looks installed.
            doomed = self.releases / f".removing-{version}-{secrets.token_hex(4)}"
            folder.rename(doomed)
            shutil.rmtree(doomed, ignore_errors=True)

    def _version_of(self, link: Path) -> str | None:
        try:
            target = link.readlink()
        except OSError:
            return None
        name = target.name
        return name if is_version(name) and (self.releases / name).is_dir() else None

    def current_version(self) -> str | None:
        """The version `current` points to."""
        return self._version_of(self.current)

    def previous_version(self) -> str | None:
        """The version `previous` points to."""
        return self._version_of(self.previous)

    def installed(self) -> list[str]:
        """Every unpacked release."""
        if not self.releases.is_dir():
            return []
        return sorted(p.name for p in self.releases.iterdir() if p.is_dir() and is_version(p.name))

    def _point(self, link: Path, version: str | None) -> None:
        if version is None:
            link.unlink(missing_ok=True)
        else:
            temporary = link.with_name(f".{link.name}.{secrets.token_hex(4)}")
            temporary.symlink_to(Path("releases") / version)
            temporary.replace(link)
        fsync_folder(link.parent)

    def switch_to(self, version: str) -> str | None:
        """Make `version` current and the old current previous; the old current is returned."""
        if not self.release_dir(version).is_dir():
            raise FileNotFoundError(self.release_dir(version))
        old = self.current_version()
        if old is not None and old != version:
            self._point(self.previous, old)
        self._point(self.current, version)
        return old

    def switch_back(self) -> str | None:
        """Make `previous` current again (nothing when there is none); returns the new current.

        `previous` becomes the release before it when a pending switch kept it (`earlier`),
        else nothing.
        """
        back = self.previous_version()
        if back is None:
            return None
        pending = self.read_pending()
        earlier = pending.earlier if pending is not None else None
        if earlier is not None and (earlier == back or not self.release_dir(earlier).is_dir()):
            earlier = None
        self._point(self.current, back)
        self._point(self.previous, earlier)
        return back

    # -- state --------------------------------------------------------------------------------

    def read_pending(self) -> Pending | None:
        """The switch waiting for a health confirmation, if any."""
        return Pending.from_json(read_json(self.pending_file))

    def write_pending(self, pending: Pending) -> None:
        """Record a switch that must be confirmed."""
        write_json_atomically(self.pending_file, asdict(pending))

    def clear_pending(self) -> None:
        """The switch is confirmed or undone."""
        self.pending_file.unlink(missing_ok=True)
        fsync_folder(self.root)

    def read_state(self) -> dict[str, Any]:
        """state.json: {"failed": [...], "last": {...}}."""
        state = read_json(self.state_file)
        return state if isinstance(state, dict) else {}

    def failed_versions(self) -> list[str]:
        """Versions that failed their self-test or start here (not offered again)."""
        failed = self.read_state().get("failed", [])
        return [str(v) for v in failed] if isinstance(failed, list) else []

    def record(
        self, outcome: str, version: str, at: float, detail: str = "", failed: bool = False
    ) -> None:
        """Keep the last outcome (and the failed versions) for `kiosk update status`."""
        state = self.read_state()
        failures = self.failed_versions()
        if failed and version not in failures:
            failures.append(version)
        state["failed"] = failures[-20:]
        state["last"] = {"outcome": outcome, "version": version, "at": at, "detail": detail}
        write_json_atomically(self.state_file, state)

    def prune(self, *, downloads: bool = True) -> list[str]:
        """Delete releases other than current and previous (and the one before previous while
        a switch is pending, to go back to it), and stale downloads; returns what went."""
        keep = {self.current_version(), self.previous_version()}
        pending = self.read_pending()
        if pending is not None and pending.version == self.current_version():
            keep.add(pending.earlier)
        removed = []
        for version in self.installed():
            if version not in keep:
                self.remove(version)
                removed.append(version)
        if self.releases.is_dir():
            for leftover in self.releases.glob(".removing-*"):
                shutil.rmtree(leftover, ignore_errors=True)
            for log_file in self.releases.glob("*.selftest.log"):
                if log_file.name.removesuffix(".selftest.log") not in self.installed():
                    log_file.unlink(missing_ok=True)
        if downloads and self.incoming.is_dir():
            for leftover in self.incoming.iterdir():
                with contextlib.suppress(OSError):
                    if leftover.is_dir() and not leftover.is_symlink():
                        shutil.rmtree(leftover)
                    else:
                        leftover.unlink()
        return removed
