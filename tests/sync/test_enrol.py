"""`kiosk enrol`: a one-time code for the terminal's credential, kept out of the TOML file."""

from __future__ import annotations

import stat
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk import sealing_key
from kiosk.applications import ApplicationDesk
from kiosk.cli import main
from kiosk.config import load_settings
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sync import enrolment
from tests.sync.conftest import CONFIG, RunningHub, form


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


DEMO_ID = "demo-paris-gare-de-lyon"  # the built-in demo configuration's terminal


def _demo_terminal_with_applications(data: Path, count: int) -> list[str]:
    """A demo terminal (built-in configuration) that took `count` applications."""
    settings = load_settings(None, data)
    assert settings.demo
    sealing = sealing_key.resolve(settings, create_demo_key=True)
    outbox = Outbox(open_outbox_database(settings.outbox_db))
    desk = ApplicationDesk(outbox, DEMO_ID, sealing.key, problem=sealing.current_problem)
    offer = replace(form(), offer_source="demo", offer_id="DM000001")
    ids = [
        desk.take(replace(offer, first_name=f"Camille{'e' * n}")).application_id
        for n in range(count)
    ]
    outbox.engine.dispose()
    return ids


def _held_by_hub(hub: RunningHub) -> dict[str, str]:
    views = hub.services.inbox.iter_views()
    return {view["application_id"]: view["application"]["first_name"] for view in views}


@pytest.fixture
def demo_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No configuration file anywhere: the built-in demo."""
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "data"


def test_nothing_is_lost_by_enrolling_a_demo_terminal(
    sqlite_hub: RunningHub, demo_home: Path, capsys: Any
) -> None:
    data = demo_home
    taken = _demo_terminal_with_applications(data, 2)
    code, _ = sqlite_hub.services.terminals.create_code(DEMO_ID)
    common = ["--data-dir", str(data)]

    # Without a choice, enrolment stops before using the code, and says what to do.
    assert main(["enrol", sqlite_hub.url, code, *common]) == 1
    said = capsys.readouterr().err
    assert "2 applications taken while this terminal was a demo" in said
    assert "--demo-applications deliver" in said and "--demo-applications discard" in said
    assert not (data / enrolment.ENROLMENT_FILE).exists()

    # Deliver: sealed again to the hub's key, same UUIDs; the demo key pair is gone.
    assert main(["enrol", sqlite_hub.url, code, "--demo-applications", "deliver", *common]) == 0
    assert not (data / sealing_key.DEMO_PRIVATE).exists()
    assert main(["sync", "--once", *common]) == 0
    held = _held_by_hub(sqlite_hub)
    assert held == {taken[0]: "Camille", taken[1]: "Camillee"}  # opened by the hub
    assert "Camille" not in capsys.readouterr().out

    # The enrolled terminal never seals to a demo key again, and has nothing to report.
    settings = enrolment.overlay(load_settings(None, data))
    assert sealing_key.resolve(settings, create_demo_key=True).origin.endswith("enrolment.json")
    assert main(["status", *common]) == 0


def test_a_demo_terminal_enrolled_with_discard_keeps_nothing(
    sqlite_hub: RunningHub, demo_home: Path
) -> None:
    _demo_terminal_with_applications(demo_home, 1)
    code, _ = sqlite_hub.services.terminals.create_code(DEMO_ID)
    argv = ["enrol", sqlite_hub.url, code, "--demo-applications", "discard"]
    assert main([*argv, "--data-dir", str(demo_home)]) == 0
    outbox = Outbox(open_outbox_database(demo_home / "outbox.sqlite"))
    assert outbox.stats().depth == 0 and outbox.stats().parked == 0


def test_applications_stranded_by_an_older_enrolment_are_delivered_on_request(
    sqlite_hub: RunningHub, demo_home: Path, capsys: Any
) -> None:
    data = demo_home
    taken = _demo_terminal_with_applications(data, 1)
    code, _ = sqlite_hub.services.terminals.create_code(DEMO_ID)
    # As the kiosk enrolled before: the demo applications left untouched, then parked.
    enrolment.enrol(load_settings(None, data), sqlite_hub.url, code)
    common = ["--data-dir", str(data)]
    assert main(["sync", "--once", *common]) == 0
    assert _held_by_hub(sqlite_hub) == {}
    assert main(["status", *common]) == 1
    assert "1 applications are sealed to the demo key" in capsys.readouterr().out

    assert main(["outbox", "demo-applications", "deliver", *common]) == 0
    assert main(["sync", "--once", *common]) == 0
    assert set(_held_by_hub(sqlite_hub)) == set(taken)
    assert main(["status", *common]) == 0
