"""The audio guide on the real window: keys on the attract screen, explore by touch, repeat,
the idle warning, the key map, voices and private listening."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtTest import QTest
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.config import AudioSection
from kiosk.ui.app import Kiosk, ManualClock, settle
from kiosk.ui.keymap import Command, command_for
from kiosk.ui.speech import Headset, Speaker
from tests.ui.conftest import centre, item, shown, tap_at

pytestmark = pytest.mark.ui


def transcript(kiosk: Kiosk) -> list[str]:
    heard: list[str] = []
    kiosk.speaker.spoke.connect(heard.append)
    return heard


def test_keys_on_the_attract_screen_wake_it_and_type_nowhere(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    for letter in "abc":
        QTest.keyClick(window, letter)
    assert kiosk.session.is_active()
    assert item(window, "searchField").property("text") == ""
    assert kiosk.browse.text == ""
    # Letters typed where no field has the focus go nowhere either.
    QTest.keyClick(window, "x")
    assert kiosk.browse.text == ""
    assert not kiosk.guide.is_audio()


def test_tab_walks_every_control_and_the_ring_follows(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    kiosk.session.wake()
    ring = item(window, "focusRing")
    assert not shown(ring)
    seen = []
    for _ in range(200):  # round the whole screen, back to the top bar
        if "finishButton" in seen:
            break
        QTest.keyClick(window, Qt.Key.Key_Tab)
        focus = kiosk.guide.focus
        assert focus is not None
        assert ring.parentItem() is focus or ring.parentItem() == focus
        assert shown(ring)
        seen.append(focus.objectName())
    for name in ("homeButton", "searchField", "chip-contract-CDI", "offerCard-0", "finishButton"):
        assert name in seen, name
    # A finger takes over: the ring goes until the next key.
    tap_at(window, centre(item(window, "resultSummary")))
    assert not shown(ring)


def test_explore_by_touch_says_first_then_operates(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    heard = transcript(kiosk)
    kiosk.guide.setAudio(True)
    chip = item(window, "chip-contract-CDI")
    settle(window)
    tap_at(window, centre(chip))
    assert "CDI" in heard[-1]
    assert chip.property("checked") is False  # the first touch only says what it is
    tap_at(window, centre(chip))
    qtbot.waitUntil(lambda: chip.property("checked") is True)
    assert "CDI" in heard[-1]


def test_repeat_help_volume_and_rate(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    heard = transcript(kiosk)
    QTest.keyClick(window, Qt.Key.Key_F2)
    QTest.keyClick(window, Qt.Key.Key_Down)
    last = heard[-1]
    QTest.keyClick(window, Qt.Key.Key_F3)
    assert heard[-1] == last
    QTest.keyClick(window, Qt.Key.Key_F1)
    assert "F3" in heard[-1] and "F9" in heard[-1]
    volume = kiosk.speaker.volume
    QTest.keyClick(window, Qt.Key.Key_F9)
    assert kiosk.speaker.volume < volume
    QTest.keyClick(window, Qt.Key.Key_F8)
    assert kiosk.speaker.rate > 0
    kiosk.session.end()
    assert kiosk.speaker.volume == volume and kiosk.speaker.rate == 0


def test_any_key_answers_the_idle_warning(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock
) -> None:
    kiosk.session.wake()
    idle_clock.advance(kiosk.monitor.warning_after_s)
    kiosk.monitor.check()
    assert kiosk.monitor.is_warning()
    QTest.keyClick(kiosk.window, Qt.Key.Key_Down)
    assert not kiosk.monitor.is_warning()
    assert kiosk.session.is_active()


def test_the_audio_key_turns_it_off_and_the_session_end_resets_it(qtbot: Any, kiosk: Kiosk) -> None:
    heard = transcript(kiosk)
    QTest.keyClick(kiosk.window, Qt.Key.Key_F2)
    assert kiosk.guide.is_audio()
    QTest.keyClick(kiosk.window, Qt.Key.Key_F2)
    assert not kiosk.guide.is_audio()
    assert heard[-1] == kiosk.guide.tr("Audio guidance off.")
    kiosk.guide.setAudio(True)
    kiosk.session.end()
    assert not kiosk.guide.is_audio() and not kiosk.session.is_active()


def test_the_key_map() -> None:
    assert command_for(Qt.Key.Key_Tab, in_text=True, audio=False) is Command.NEXT
    assert command_for(Qt.Key.Key_Space, in_text=False, audio=True) is Command.ACTIVATE
    assert command_for(Qt.Key.Key_Space, in_text=True, audio=True) is None  # types a space
    assert command_for(Qt.Key.Key_A, in_text=False, audio=True) is None
    assert command_for(Qt.Key.Key_Right, in_text=True, audio=False) is None  # the cursor
    assert command_for(Qt.Key.Key_Right, in_text=True, audio=True) is Command.WHEEL_FORWARD
    assert command_for(Qt.Key.Key_Right, in_text=False, audio=True) is Command.NEXT
    assert (
        command_for(Qt.Key.Key_Right, in_text=False, audio=True, right_to_left=True)
        is Command.PREVIOUS
    )
    assert command_for(Qt.Key.Key_Escape, in_text=False, audio=True) is None  # the lockdown's
    assert command_for(Qt.Key.Key_VolumeUp, in_text=True, audio=True) is Command.VOLUME_UP


def test_a_language_without_a_voice_is_said_once_in_the_log(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    speaker = Speaker(AudioSection(engine="mock"), QTextToSpeech("mock"))
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.speech"):
        speaker.set_language("ar", QLocale("ar_TN"))
        speaker.set_language("ar", QLocale("ar_TN"))
        speaker.set_language("en", QLocale("en_GB"))  # the mock engine has English voices
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 1 and "'ar'" in messages[0]
    heard: list[str] = []
    speaker.spoke.connect(heard.append)
    speaker.say("  hello \n world ")
    assert heard == ["hello world"]


def test_private_listening_follows_the_headset_and_the_operator() -> None:
    auto = Headset(AudioSection(engine="mock"))
    plugged: list[bool] = []
    auto.plugged.connect(lambda: plugged.append(True))
    auto.update(["Built-in Audio Analog Stereo"])
    assert not auto.is_private()
    auto.update(["Built-in Audio Analog Stereo", "Casque USB"])
    assert auto.is_private() and plugged == [True]
    auto.update(["Built-in Audio Analog Stereo"])
    assert not auto.is_private()
    assert Headset(AudioSection(engine="mock", headset="always")).is_private()
    never = Headset(AudioSection(engine="mock", headset="never"))
    never.update(["USB Headset"])
    assert not never.is_private()
