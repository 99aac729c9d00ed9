"""A person who cannot see the screen applies with keys alone, on the real window: wake with
the audio key, find a waiter's offer, hear it, apply with a name and a phone number, hear the
reference code. What the guide said is Qt's `mock` engine's transcript (the Speaker's
`spoke` signal); personal data must never be in it on the loudspeaker, and must be with a
headset."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.config import Settings, parse_config
from kiosk.sealing import generate_keypair
from kiosk.ui.app import Kiosk
from tests.ui.conftest import CONFIG, item, shown

pytestmark = pytest.mark.ui

KEYS = generate_keypair()
MAX_PRESSES = 120  # a screen has fewer stops than this: a search that never ends is a failure


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal that takes applications (a hub key), with the mock speech engine."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


class Person:
    """Presses keys on the window and keeps what the guide said."""

    def __init__(self, qtbot: Any, kiosk: Kiosk) -> None:
        self.qtbot = qtbot
        self.kiosk = kiosk
        self.heard: list[str] = []
        kiosk.speaker.spoke.connect(self.heard.append)

    def press(self, key: Qt.Key) -> None:
        QTest.keyClick(self.kiosk.window, key)

    def type(self, text: str) -> None:
        for character in text:
            QTest.keyClick(self.kiosk.window, character)

    def focus_name(self) -> str:
        focus = self.kiosk.guide.focus
        return focus.objectName() if focus is not None else ""

    def next_until(self, wanted: Callable[[str], bool], key: Qt.Key = Qt.Key.Key_Down) -> None:
        """Press `key` until the focus is on an item whose objectName `wanted` accepts."""
        for _ in range(MAX_PRESSES):
            if wanted(self.focus_name()):
                return
            self.press(key)
        raise AssertionError(
            f"never reached the item; last focus {self.focus_name()!r}: {self.heard[-5:]}"
        )

    def since(self, mark: int) -> str:
        return "\n".join(self.heard[mark:])


def test_a_blind_person_applies_with_keys_alone(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    window = kiosk.window
    assert not kiosk.session.is_active()

    # The audio key wakes the terminal and starts the guide, which says where we are.
    person.press(Qt.Key.Key_F2)
    assert kiosk.session.is_active() and kiosk.guide.is_audio()
    qtbot.waitUntil(lambda: any("offres" in line for line in person.heard))
    browse_title = item(window, "browseScreen").property("objectName")
    assert browse_title == "browseScreen"
    assert shown(item(window, "focusRing"))

    # The search field: the screen starts on it; Enter takes it, letters typed on the
    # keyboard are echoed aloud (a search is not personal data).
    person.next_until(lambda name: name == "searchField")
    assert not item(window, "searchField").hasActiveFocus()  # no keyboard before it is chosen
    person.press(Qt.Key.Key_Return)
    mark = len(person.heard)
    assert item(window, "searchField").hasActiveFocus()
    person.type("serveur")
    qtbot.waitUntil(lambda: kiosk.browse.text == "serveur")
    assert "s" in person.heard[mark:] and "r" in person.heard[mark:]
    qtbot.waitUntil(lambda: not kiosk.results.is_loading() and kiosk.results.total_count() == 15)

    # Down leaves the field; the offers are read with their title, company and place.
    person.next_until(lambda name: name.startswith("offerCard"))
    card = kiosk.guide.focus
    assert card is not None and "Serveur" in card.property("title")
    said = person.heard[-1]
    assert card.property("title") in said and card.property("company") in said
    assert "75" in said  # the place

    # Enter opens it; the new screen is announced with the offer's title and its stops.
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    assert kiosk.detail.title in person.since(mark)
    # The description is read on request, section by section.
    mark = len(person.heard)
    person.next_until(lambda name: name == "applyHereButton")
    assert len(person.heard) - mark >= 3

    # Apply: the form; name and phone typed, never spoken on the loudspeaker.
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    person.next_until(lambda name: name == "firstNameInput")
    mark = len(person.heard)
    assert item(window, "firstNameInput").hasActiveFocus()
    person.type("Amelie")
    person.next_until(lambda name: name == "lastNameInput")
    person.type("Ndiaye")
    person.next_until(lambda name: name == "phoneInput")
    person.type("0612345678")
    qtbot.waitUntil(lambda: kiosk.apply.phone == "0612345678")
    assert kiosk.apply.firstName == "Amelie" and kiosk.apply.lastName == "Ndiaye"
    typed_part = person.since(mark)
    for secret in ("Amelie", "Ndiaye", "0612345678", "06 12", "A", "N", "0", "6"):
        assert all(line != secret for line in person.heard[mark:]), secret
        assert secret not in typed_part or len(secret) == 1, secret
    # Back on the field, its value is not read either: "filled in".
    person.press(Qt.Key.Key_Up)
    assert "0612345678" not in person.heard[-1]

    # Consent, then Continue: the review is announced without the personal values.
    person.next_until(lambda name: name == "consentButton")
    person.press(Qt.Key.Key_Return)
    assert kiosk.apply.consent
    person.next_until(lambda name: name == "reviewButton")
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.apply.step == "review")
    person.next_until(lambda name: name == "sendButton")
    review_part = person.since(mark)
    for secret in ("Amelie", "Ndiaye", "0612345678", "+33612345678", "06 12 34 56 78"):
        assert secret not in review_part, secret

    # Send: the confirmation reads the reference code, spelled, and what happens next.
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.apply.step == "done")
    spelled = kiosk.apply.property("referenceSpoken")
    assert spelled and spelled in person.since(mark)

    # Repeat says it again; the end of the session ends audio mode and resets the volume.
    person.press(Qt.Key.Key_F10)
    assert kiosk.speaker.volume > kiosk.settings.config.audio.volume
    kiosk.session.end()
    assert not kiosk.guide.is_audio()
    assert kiosk.speaker.volume == kiosk.settings.config.audio.volume
    assert kiosk.guide.focus is None


def test_with_a_headset_what_is_typed_is_heard(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    window = kiosk.window

    # Plugging a headset in starts audio mode (and makes listening private).
    kiosk.headset.update(["Built-in Audio Analog Stereo", "USB Headset"])
    assert kiosk.guide.is_audio() and kiosk.headset.is_private()

    kiosk.navigator.openOffer(kiosk.results.offerIdAt(0))
    qtbot.waitUntil(lambda: kiosk.detail.canApplyHere)
    person.next_until(lambda name: name == "applyHereButton")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    person.next_until(lambda name: name == "lastNameInput")
    assert item(window, "lastNameInput").hasActiveFocus()
    mark = len(person.heard)
    person.type("Ndiaye")
    assert person.heard[mark:] == ["N", "d", "i", "a", "y", "e"]
    person.press(Qt.Key.Key_Backspace)
    assert "e" in person.heard[-1]

    # The character wheel types with arrows and Enter alone: the next letter is "B"...
    person.press(Qt.Key.Key_Right)
    assert person.heard[-1] == "A"
    person.press(Qt.Key.Key_Right)
    assert person.heard[-1] == "B"
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.apply.lastName == "NdiayB")
    # ...and the field, read back, says its value in the headset.
    person.press(Qt.Key.Key_Up)
    person.press(Qt.Key.Key_Down)
    assert "NdiayB" in person.heard[-1]
