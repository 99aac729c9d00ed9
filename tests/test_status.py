"""A terminal that cannot deliver the applications it would take says so: `kiosk status`, the
key it would seal to, the desk that refuses, and the file the bad key really came from."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.applications import ApplicationDesk, ApplyError, demo_public_key
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sealing import SealingError, generate_keypair, load_public_key
from kiosk.sealing_key import ENROLLED_MARKER, resolve
from kiosk.sync import enrolment
from tests.sync.conftest import CONFIG, form

SMALL_ORDER_KEY = base64.b64encode(bytes(32)).decode()  # 32 bytes, yet nothing seals to it


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def _status(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, object]]:
    code = main(["status", "--json", *argv])
    return code, json.loads(capsys.readouterr().out)


def _config(tmp_path: Path, hub: str = "") -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(CONFIG + hub, encoding="utf-8")
    return path


def _enrolment(data: Path, public_key: str) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    path = data / enrolment.ENROLMENT_FILE
    credential = {"url": "http://127.0.0.1:9", "token": "kt_x", "public_key": public_key}
    path.write_text(json.dumps(credential), encoding="utf-8")
    return path


def test_an_invalid_hub_key_in_the_configuration_is_an_alert_naming_that_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = _config(
        tmp_path, '\n[hub]\nurl = "http://127.0.0.1:9"\ntoken = "kt_x"\npublic_key = "nope"\n'
    )
    code, status = _status(capsys, "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert code == 1
    assert status["applications"] == "refused"
    [alert] = status["alerts"]  # type: ignore[misc]
    assert alert.startswith(f"applications are refused: {config}: [hub] public_key")


def test_a_healthy_terminal_has_no_alert(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    key = generate_keypair()[1]
    config = _config(
        tmp_path, f'\n[hub]\nurl = "http://127.0.0.1:9"\ntoken = "kt_x"\npublic_key = "{key}"\n'
    )
    code, status = _status(capsys, "--config", str(config), "--data-dir", str(tmp_path / "d"))
    assert (code, status["alerts"], status["applications"]) == (0, [], "taken")
    assert status["sealing_key"] == str(config)


def test_a_key_from_the_enrolment_is_blamed_on_the_enrolment_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config, data = _config(tmp_path), tmp_path / "d"
    enrolled = _enrolment(data, SMALL_ORDER_KEY)
    code, status = _status(capsys, "--config", str(config), "--data-dir", str(data))
    assert code == 1
    [alert] = status["alerts"]  # type: ignore[misc]
    assert f"{enrolled}: [hub] public_key" in alert and "small-order" in alert
    assert str(config) not in alert


def test_a_demo_with_a_damaged_enrolment_file_refuses_rather_than_seal_to_its_demo_key(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "d"
    demo_public_key(data)  # the demo ran before it was enrolled
    (data / enrolment.ENROLMENT_FILE).write_text('{"url": "http://127.0.0.1:9", "tok', "utf-8")
    code, status = _status(capsys, "--data-dir", str(data))
    assert code == 1
    [alert] = status["alerts"]  # type: ignore[misc]
    assert str(data / enrolment.ENROLMENT_FILE) in alert and "enrol the terminal again" in alert
    settings = enrolment.overlay(load_settings(None, data))
    sealing = resolve(settings, create_demo_key=True)
    assert sealing.key is None and not sealing.demo
    outbox = Outbox(open_outbox_database(settings.outbox_db))
    desk = ApplicationDesk(outbox, "t", sealing.key, problem=sealing.current_problem)
    assert not desk.accepting
    with pytest.raises(ApplyError):
        desk.submit(form())
    assert outbox.stats().depth == 0


def test_a_terminal_once_enrolled_never_seals_to_a_demo_key_again(tmp_path: Path) -> None:
    data = tmp_path / "d"
    demo_public_key(data)
    (data / ENROLLED_MARKER).write_text("enrolled", encoding="utf-8")  # enrolment.json lost
    sealing = resolve(load_settings(None, data), create_demo_key=True)
    assert (
        sealing.key is None and sealing.problem and "never seals to its demo key" in sealing.problem
    )


def test_a_running_demo_stops_taking_applications_once_enrolled(tmp_path: Path) -> None:
    data = tmp_path / "d"
    sealing = resolve(load_settings(None, data), create_demo_key=True)
    assert sealing.demo and sealing.key is not None
    outbox = Outbox(open_outbox_database(data / "outbox.sqlite"))
    desk = ApplicationDesk(outbox, "t", sealing.key, problem=sealing.current_problem)
    desk.submit(form())
    assert desk.accepting
    _enrolment(data, generate_keypair()[1])  # `kiosk enrol` in a shell while the kiosk runs
    assert not desk.accepting
    with pytest.raises(ApplyError, match="no longer seals to its demo key"):
        desk.submit(form())
    assert outbox.stats().depth == 1


def test_a_small_order_key_is_refused_when_it_is_read() -> None:
    with pytest.raises(SealingError, match="small-order"):
        load_public_key(SMALL_ORDER_KEY)


def test_selftest_fails_while_applications_are_refused(tmp_path: Path) -> None:
    config = _config(
        tmp_path, '\n[hub]\nurl = "http://127.0.0.1:9"\ntoken = "kt_x"\npublic_key = "nope"\n'
    )
    data = tmp_path / "d"
    argv = ["-m", "kiosk", "--config", str(config), "--data-dir", str(data), "--selftest"]
    result = subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stderr[-2000:]
    assert "selftest: attract screen rendered" in result.stderr  # the window itself works
    assert f"selftest: applications are refused: {config}: [hub] public_key" in result.stderr
