"""`kiosk sync --once`: a one-line summary, and clear refusals."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.cli import main
from tests.sync.conftest import CONFIG, PARIS_01, RunningHub


def _config(tmp_path: Path, hub: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG + hub, encoding="utf-8")
    return path


def test_sync_once_prints_a_summary(
    sqlite_hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    token = sqlite_hub.enrol(PARIS_01)
    hub = f'\n[hub]\nurl = "{sqlite_hub.url}"\ntoken = "{token}"\n'
    args = ["--config", str(_config(tmp_path, hub)), "--data-dir", str(tmp_path / "data")]
    assert main([*args, "sync", "--once"]) == 0
    out = capsys.readouterr().out
    assert out.strip() == "delivered 0, retried 0, parked 0; offers in 0, withdrawn 0"
    assert token not in out


def test_sync_refuses_without_a_hub_or_with_a_refused_token(
    sqlite_hub: RunningHub, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = ["--data-dir", str(tmp_path / "data")]
    assert main(["--config", str(_config(tmp_path)), *data, "sync", "--once"]) == 1
    assert "no hub is configured" in capsys.readouterr().err
    hub = f'\n[hub]\nurl = "{sqlite_hub.url}"\ntoken = "kt_revoked"\n'
    assert main(["--config", str(_config(tmp_path, hub)), *data, "sync", "--once"]) == 1
    assert "refused this terminal's token" in capsys.readouterr().err
