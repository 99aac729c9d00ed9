"""A terminal that cannot deliver applications says so on the offer screen instead of offering
to apply, and its operator panel carries the alert (the real QML window)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtQml import QQmlProperty

from kiosk.config import Settings, parse_config
from kiosk.sealing_key import DEMO_PUBLIC
from kiosk.sync import enrolment
from kiosk.ui.app import Kiosk
from tests.ui.conftest import CONFIG, item, shown, tap


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A demo terminal whose enrolment file is damaged (the worst case: before the fix it
    sealed to its demo key, and the hub parked every application as unsealable)."""
    damaged = tmp_path / enrolment.ENROLMENT_FILE
    damaged.write_text('{"url": "http://127.0.0.1:9", "tok', encoding="utf-8")
    settings = Settings(parse_config(CONFIG, "test configuration"), "test", tmp_path, demo=True)
    return enrolment.overlay(settings)


def _text(kiosk: Kiosk, name: str) -> str:
    return str(QQmlProperty(item(kiosk.window, name), "text").read())


def test_the_offer_screen_says_the_terminal_cannot_take_applications(
    qtbot: Any, kiosk: Kiosk, ui_settings: Settings
) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    tap(window, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    assert not kiosk.apply.canTakeApplications
    assert not shown(item(window, "applyHereButton"))
    assert not shown(item(window, "callbackButton"))
    notice = item(window, "cannotApplyNotice")
    assert shown(notice)
    assert _text(kiosk, "cannotApplyNotice").startswith("Désolé, cette borne ne peut pas")
    kiosk.language.setLanguage("ar")
    qtbot.waitUntil(lambda: _text(kiosk, "cannotApplyNotice").startswith("عذرًا"))
    # Nothing was sealed to a demo key, none was even made.
    assert not (ui_settings.data_dir / DEMO_PUBLIC).exists()
    assert kiosk.outbox.stats().depth == 0
    # The operator sees why, naming the file to fix.
    kiosk.operator.unlock_for_screenshot()
    rows = {row["label"]: row["value"] for row in kiosk.operator.status}
    assert rows["Applications"] == rows["Enrolment"].replace("DAMAGED", "REFUSED")
    alerts = [row["value"] for row in kiosk.operator.status if row["label"] == "ALERT"]
    assert any(str(ui_settings.data_dir / enrolment.ENROLMENT_FILE) in a for a in alerts)
