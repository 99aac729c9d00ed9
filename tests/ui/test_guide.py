"""The audio guide on the real window: keys on the attract screen, explore by touch, repeat,
the idle warning, the key map, voices and private listening."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtTest import QTest

from kiosk.config import AudioSection
from kiosk.ui.app import Kiosk, ManualClock, focus_in_audio_mode, settle
from kiosk.ui.keymap import Command, command_for
from kiosk.ui.speech import Headset, Speaker, Voice
from tests.ui.conftest import centre, item, keyboard_keys, shown, tap_at

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
    for name in ("homeButton", "searchField", "filtersButton", "offerCard-0", "finishButton"):
        assert name in seen, name
    # A finger takes over: the ring goes until the next key.
    tap_at(window, centre(item(window, "resultSummary")))
    assert not shown(ring)


def test_explore_by_touch_says_first_then_operates(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    heard = transcript(kiosk)
    kiosk.guide.setAudio(True)
    kiosk.browse.openPanel()
    settle(window)
    qtbot.waitUntil(lambda: bool(heard) and heard[-1].startswith("Filtres"))  # announced
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
    voice = Voice("mock")  # what the voice process runs
    with caplog.at_level(logging.ERROR, logger="kiosk.ui.speech"):
        voice.handle(json.dumps({"language": ["ar", "ar_TN"]}).encode())
        voice.handle(json.dumps({"language": ["ar", "ar_TN"]}).encode())
        voice.handle(json.dumps({"language": ["en", "en_GB"]}).encode())  # mock speaks English
        voice.handle(b"not json")
        voice.handle(json.dumps({"say": "hello"}).encode())
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "'ar'" in messages[0] and "not JSON" in messages[1]


def test_the_voice_process_speaks_apart_and_ends_with_the_kiosk(qtbot: Any) -> None:
    speaker = Speaker(AudioSection(engine="mock"), "mock")
    heard: list[str] = []
    speaker.spoke.connect(heard.append)
    assert not speaker.started
    speaker.say("  hello \n world ")
    assert heard == ["hello world"]
    assert speaker.started
    speaker.close()
    assert not speaker.started
    silent = Speaker(AudioSection(engine="mock"), None)
    silent.say("kept in the transcript")
    assert silent.last == "kept in the transcript" and not silent.started


def test_no_speech_service_is_started_before_audio_mode(qtbot: Any, kiosk: Kiosk) -> None:
    # A terminal nobody uses in audio mode never talks to speech-dispatcher.
    kiosk.session.wake()
    QTest.keyClick(kiosk.window, Qt.Key.Key_Tab)
    assert not kiosk.speaker.started
    kiosk.guide.setAudio(True)
    assert kiosk.speaker.started


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


def test_keys_of_the_keyboard_and_pin_digits_are_not_said_on_the_loudspeaker(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    heard = transcript(kiosk)
    unsaid = ". ".join(
        (
            QCoreApplication.translate("Guide", "button"),
            QCoreApplication.translate("Guide", "not read aloud on the loudspeaker"),
        )
    )
    kiosk.session.wake()
    kiosk.navigator.openOffer(kiosk.results.offerIdAt(0))
    kiosk.navigator.startApply(False)
    focus_in_audio_mode(kiosk, "lastNameInput")
    field = item(window, "lastNameInput")
    assert field.hasActiveFocus()
    keyboard = item(window, "keyboard")
    qtbot.waitUntil(lambda: keyboard.property("active") is True)
    qtbot.waitUntil(lambda: "n" in keyboard_keys(window))
    settle(window)
    key = keyboard_keys(window)["n"]

    # The first touch says it is a key, not which letter: the field holds a name.
    tap_at(window, centre(key))
    assert heard[-1] == unsaid
    # The second tap types it, into the field that kept the focus.
    tap_at(window, centre(key))
    qtbot.waitUntil(lambda: field.property("text").lower() == "n")
    assert field.hasActiveFocus()
    assert all(line.strip().lower() != "n" for line in heard)

    # The operator's PIN digits, reached by keys, are never said either.
    kiosk.operator.request()
    qtbot.waitUntil(lambda: shown(item(window, "pinKey-1")))
    for _ in range(20):
        QTest.keyClick(window, Qt.Key.Key_Down)
        focus = kiosk.guide.focus
        if focus is not None and focus.objectName() == "pinKey-7":
            break
    else:
        raise AssertionError("the PIN pad was not reached")
    assert heard[-1] == unsaid
