"""End to end, as the operator's guide says: a real hub serves the signed releases, a blank
terminal (a layout in tmp_path) is provisioned by packaging/provision.sh itself, enrolled with
`kiosk enrol`, updated twice by the update unit's command, and a release that never reports
healthy is rolled back by the guard wrapper.

The bundles are tiny: their `kiosk` answers `--version` and `--selftest` itself and hands every
other command to this checkout's `kiosk` (the real updater, guard and enrolment). Only the
system steps of provision.sh (packages, user, PAM, units, boot) are left out
(PROVISION_SYSTEM=0); the release steps run as written, with curl and the stock minisign.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from hub.db import open_database
from hub.settings import HubConfig, ReleasesSection, sqlite_url
from kiosk.release.guard import confirm_healthy
from kiosk.release.layout import Layout
from tests.hub.conftest import GENEROUS, RunningHub, start_hub
from tests.release.conftest import build_folder

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"

pytestmark = pytest.mark.skipif(
    shutil.which("minisign") is None or shutil.which("curl") is None,
    reason="provision.sh needs the stock minisign and curl (apt install minisign curl)",
)


def bundle(builds: Path, version: str) -> Path:
    """A built folder whose `kiosk` is this version for --version/--selftest, else the real one."""
    folder = build_folder(builds, version)
    (folder / "kiosk").write_text(
        "#!/bin/sh\n"
        'case "${1:-}" in\n'
        f'    --version) echo "job-kiosk {version}"; exit 0 ;;\n'
        f'    --selftest) echo "self-test of {version}: Attract rendered"; exit 0 ;;\n'
        "esac\n"
        f'exec "{sys.executable}" -m kiosk "$@"\n'
    )
    return folder


@dataclass
class Terminal:
    """The provisioned places, and the commands as the units and an operator run them."""

    root: Path
    etc: Path
    data: Path
    bin: Path

    @property
    def env(self) -> dict[str, str]:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        return {**environment, "QT_QPA_PLATFORM": "offscreen"}

    def run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            argv, env=self.env, capture_output=True, text=True, timeout=300, check=False
        )
        if check:
            assert done.returncode == 0, f"{argv}: {done.stdout}\n{done.stderr}"
        return done

    def kiosk(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """`kiosk …` typed on the terminal: the wrapper provision.sh put on the PATH."""
        return self.run(str(self.bin / "kiosk"), *argv, check=check)

    def update_unit(self) -> subprocess.CompletedProcess[str]:
        """job-kiosk-update.service's ExecStart, with its Environment= lines."""
        env = {
            "KIOSK_CONFIG": str(self.etc / "kiosk.toml"),
            "KIOSK_DATA_DIR": str(self.data),
            "KIOSK_RELEASE_ROOT": str(self.root),
        }
        done = subprocess.run(
            [str(self.root / "current" / "kiosk"), "update", "apply",
             "--pubkey", str(self.etc / "release.pub"), "--selftest-user", user()],
            env={**self.env, **env}, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        return done

    def guard(self, *argv: str) -> str:
        """/opt/job-kiosk/bin/kiosk-guard, as ExecStartPre and the guard timer run it."""
        env = {**self.env, "KIOSK_RELEASE_ROOT": str(self.root), "KIOSK_DATA_DIR": str(self.data)}
        done = subprocess.run(
            ["/bin/sh", str(self.root / "bin" / "kiosk-guard"), *argv],
            env=env, capture_output=True, text=True, timeout=300, check=True,
        )  # fmt: skip
        return done.stdout.strip()


def user() -> str:
    return pwd.getpwuid(os.getuid()).pw_name


@pytest.fixture
def hub(tmp_path: Path) -> Iterator[RunningHub]:
    folder = tmp_path / "hub-releases"
    folder.mkdir()
    database = sqlite_url(tmp_path / "hub.sqlite")
    open_database(database).dispose()
    config = HubConfig(limits=GENEROUS, releases=ReleasesSection(folder=folder))
    running = start_hub(database, tmp_path / "hub-data", config)
    yield running
    running.stop()


def test_provision_from_the_hub_update_twice_and_roll_a_bad_release_back(
    tmp_path: Path, hub: RunningHub
) -> None:
    releases = tmp_path / "hub-releases"
    keys = tmp_path / "keys" / "release"
    builds = tmp_path / "builds"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "SOURCE_DATE"))}

    def publish(version: str) -> None:
        """The guide's release steps: make-release into the hub's release folder."""
        done = subprocess.run(
            [sys.executable, "-m", "kiosk", "make-release", str(bundle(builds / version, version)),
             "--key", f"{keys}.key", "--out", str(releases), "--expires-days", "30"],
            env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr

    subprocess.run(
        [sys.executable, "-m", "kiosk", "keygen", "--out", str(keys), "--no-password"],
        env=env, capture_output=True, timeout=120, check=True,
    )  # fmt: skip
    publish("0.4.0")

    # A blank terminal, provisioned from the hub as the guide says.
    terminal = Terminal(tmp_path / "opt", tmp_path / "etc", tmp_path / "var", tmp_path / "bin")
    config = tmp_path / "lyon-part-dieu-01.toml"
    config.write_text(
        '[terminal]\nid = "lyon-part-dieu-01"\nname = "Gare Part-Dieu, hall 1"\n\n'
        '[location]\nlatitude = 45.7606\nlongitude = 4.8593\nlabel = "Lyon Part-Dieu"\n',
        encoding="utf-8",
    )
    provision = terminal.run(
        "env", "PROVISION_SYSTEM=0", f"PROVISION_ROOT={terminal.root}",
        f"PROVISION_ETC={terminal.etc}", f"PROVISION_DATA={terminal.data}",
        f"PROVISION_BIN={terminal.bin}", f"PROVISION_USER={user()}",
        "bash", str(PACKAGING / "provision.sh"), "--from", f"{hub.url}/v1/releases/",
        "--pubkey", f"{keys}.pub", "--config", str(config),
    )  # fmt: skip
    assert "installed 0.4.0" in provision.stdout
    layout = Layout(terminal.root)
    assert layout.current_version() == "0.4.0"
    assert (terminal.etc / "kiosk.toml").stat().st_mode & 0o777 == 0o640
    assert (terminal.data.stat().st_mode & 0o777) == 0o700

    # On the terminal, `kiosk` is on the PATH and finds the configuration and data by itself.
    status = terminal.kiosk("update", "status").stdout
    assert "current: 0.4.0" in status and "first install" in status and "None" not in status
    # Enrolled as the guide says: a code from the hub, `kiosk enrol`; the credential is kept in
    # the data folder, never in the TOML file.
    code, _ = hub.services.terminals.create_code("lyon-part-dieu-01")
    assert "enrolled" in terminal.kiosk("enrol", hub.url, code).stdout
    assert (terminal.data / "enrolment.json").is_file()
    assert "token" not in (terminal.etc / "kiosk.toml").read_text()

    # Two updates, each from the hub the terminal enrolled with (the update unit has no --from),
    # each confirmed healthy by the new version.
    for version, before in (("0.5.0", "0.4.0"), ("0.6.0", "0.5.0")):
        publish(version)
        done = terminal.update_unit()
        assert done.returncode == 0, done.stdout + done.stderr
        assert f"installed {version}" in done.stdout
        assert (layout.current_version(), layout.previous_version()) == (version, before)
        assert "waiting for health" in terminal.guard("--count-start")
        confirm_healthy(terminal.data, version, 1e10)  # the new kiosk, once it shows Attract
        assert f"confirmed: {version} is healthy" in terminal.guard()
    assert layout.installed() == ["0.5.0", "0.6.0"]

    # A bad release: it passes its self-test but never reports healthy once started.
    publish("0.7.0")
    done = terminal.update_unit()
    assert done.returncode == 0 and "installed 0.7.0" in done.stdout
    said = [terminal.guard("--count-start") for _ in range(4)]
    assert "rolled-back" in said[-1] and "back to 0.6.0" in said[-1]
    assert (layout.current_version(), layout.previous_version()) == ("0.6.0", "0.5.0")
    assert layout.installed() == ["0.5.0", "0.6.0"]  # 0.7.0 is gone, previous is kept
    status = json.loads(terminal.kiosk("update", "status", "--json").stdout)
    assert status["failed"] == ["0.7.0"] and status["last"]["outcome"] == "rolled-back"
    # It is not offered again.
    assert "failed here before" in terminal.update_unit().stdout
