"""`kiosk enrol`: a one-time code for the terminal's credential, kept out of the TOML file."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.sync import enrolment
from tests.sync.conftest import CONFIG, RunningHub


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def test_enrol_then_sync_with_the_hub(
    sqlite_hub: RunningHub, config_file: Path, tmp_path: Path, capsys: Any
) -> None:
    data = tmp_path / "data"
    code, _ = sqlite_hub.services.terminals.create_code("paris-01")
    common = ["--config", str(config_file), "--data-dir", str(data)]
    assert main(["enrol", sqlite_hub.url, code.lower(), *common]) == 0
    saved = data / enrolment.ENROLMENT_FILE
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    output = capsys.readouterr()
    assert "enrolled" in output.out and "kt_" not in output.out + output.err
    settings = enrolment.overlay(load_settings(config_file, data))
    assert settings.config.hub.token and settings.config.hub.token.startswith("kt_")
    assert settings.config.hub.public_key == sqlite_hub.services.keys.public_key
    # The credential works: one sync round, and the hub saw the terminal.
    assert main(["sync", "--once", *common]) == 0
    seen = sqlite_hub.admin.get("/v1/admin/terminals/paris-01").json()
    assert seen["status"] == "ok"
    # A second enrolment with a used code is refused with a reason, the credential kept.
    assert main(["enrol", sqlite_hub.url, code, *common]) == 1
    assert "refused the code" in capsys.readouterr().err
    assert enrolment.overlay(load_settings(config_file, data)).config.hub.token


def test_an_unreachable_hub_is_said_plainly(config_file: Path, tmp_path: Path, capsys: Any) -> None:
    code = main(
        [
            "enrol",
            "http://127.0.0.1:9",
            "K7QM-3XPA-WB9D",
            "--config",
            str(config_file),
            "--data-dir",
            str(tmp_path / "d"),
        ]
    )
    assert code == 1
    assert "cannot reach the hub at http://127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "d" / enrolment.ENROLMENT_FILE).exists()
