"""Release fixtures: a signing key, a fake built folder, published releases in a local folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.release.minisign import SecretKey
from kiosk.release.publish import ReleaseFiles, make_release

NOW = 1_795_000_000  # 2026-11-18: the injected clock of these tests
DAY = 86400


def build_folder(root: Path, version: str, selftest_exit: int = 0) -> Path:
    """A folder shaped like a PyInstaller bundle; its `kiosk` answers --selftest with a status."""
    folder = root / f"build-{version}"
    (folder / "_internal" / "kiosk_assets").mkdir(parents=True)
    entry = folder / "kiosk"
    entry.write_text(f'#!/bin/sh\necho kiosk {version} "$@"\nexit {selftest_exit}\n')
    entry.chmod(0o755)
    (folder / "_internal" / "base_library.zip").write_bytes(bytes(range(256)) * 40)
    (folder / "_internal" / "kiosk_assets" / "fr.qm").write_bytes(
        b"translations " + version.encode()
    )
    (folder / "_internal" / "libpython3.11.so").symlink_to("libpython3.11.so.1.0")
    (folder / "_internal" / "libpython3.11.so.1.0").write_bytes(b"\x7fELF fake")
    return folder


@pytest.fixture
def key() -> SecretKey:
    return SecretKey.generate()


Publish = Callable[..., ReleaseFiles]


@pytest.fixture
def publish(tmp_path: Path, key: SecretKey) -> Publish:
    """publish(version, ...) builds a folder and publishes it into tmp_path/server."""

    def run(
        version: str,
        *,
        min_from: str = "0.0.0",
        channel: str = "stable",
        platform: str = "linux-x86_64",
        now: int = NOW,
        expires_days: int = 30,
        selftest_exit: int = 0,
        signer: SecretKey | None = None,
        force: bool = False,
    ) -> ReleaseFiles:
        folder = build_folder(tmp_path / "builds", version, selftest_exit)
        return make_release(
            folder,
            tmp_path / "server",
            signer or key,
            version=version,
            min_from=min_from,
            channel=channel,
            platform=platform,
            built_at=NOW - DAY,
            now=now,
            expires_days=expires_days,
            force=force,
        )

    return run
