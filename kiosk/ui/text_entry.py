"""Typing in audio mode: what is typed into a field is said (or, for personal data on the
loudspeaker, a neutral tick), and a character wheel types with arrows and Enter alone."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtQuick import QQuickItem

from kiosk.ui.access_tree import input_hints, sensitive
from kiosk.ui.session import AlertSound
from kiosk.ui.speech import Headset, Speaker

# The character wheels: names, phone numbers, e-mail addresses.
NAME_WHEEL = "ABCDEFGHIJKLMNOPQRSTUVWXYZÉÈÊÀÇÏÔ -'"
PHONE_WHEEL = "0123456789+ "
EMAIL_WHEEL = "abcdefghijklmnopqrstuvwxyz0123456789@.-_"
ERASE = "\b"  # the wheel's last place erases the character before the cursor


def character_word(character: str) -> str:
    """A typed or chosen character as it is said."""
    words = {
        " ": QCoreApplication.translate("Guide", "space"),
        ERASE: QCoreApplication.translate("Guide", "erase"),
        "-": QCoreApplication.translate("Guide", "hyphen"),
        "'": QCoreApplication.translate("Guide", "apostrophe"),
        "@": QCoreApplication.translate("Guide", "at sign"),
        ".": QCoreApplication.translate("Guide", "dot"),
    }
    return words.get(character, character)


def common_prefix(a: str, b: str) -> str:
    """The start two texts share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return a[:n]


class TextEntry(QObject):
    """The field being typed into, its echo, the character wheel and the person's choice to
    hear personal data on the loudspeaker (F6)."""

    def __init__(
        self,
        speaker: Speaker,
        headset: Headset,
        audio: Callable[[], bool],
        tick: AlertSound | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._speaker = speaker
        self._headset = headset
        self._audio = audio
        self._tick = tick
        self._field: QQuickItem | None = None
        self._text = ""
        self._wheel = -1
        self.speak_typed = False

    @property
    def wheel_turned(self) -> bool:
        """Whether the wheel holds a character that Enter would type."""
        return self._wheel >= 0

    def private(self) -> bool:
        """Whether personal data may be said: private listening, or the person asked (F6)."""
        return self._headset.is_private() or self.speak_typed

    def follow(self, field: QQuickItem | None) -> None:
        """Follow what is typed into `field` (None, or not a text field: nothing); the wheel
        starts again."""
        self._wheel = -1
        if self._field is not None:
            QObject.disconnect(self._field, SIGNAL("textChanged()"), self._on_text_changed)
        self._field = None
        if field is None or not field.inherits("QQuickTextInput"):
            return
        self._field = field
        text = field.property("text")
        self._text = text if isinstance(text, str) else ""
        QObject.connect(field, SIGNAL("textChanged()"), self._on_text_changed)

    def reset_wheel(self) -> None:
        """The wheel starts again (the focus moved)."""
        self._wheel = -1

    def reset(self) -> None:
        """The end of a session: no field, no choice to hear what is typed."""
        self.follow(None)
        self.speak_typed = False

    def turn(self, step: int) -> None:
        """Turn the wheel of the followed field one place and say (or tick) the character."""
        field = self._field
        if field is None or not field.hasActiveFocus():
            return
        characters = self._characters(field)
        self._wheel = (
            (self._wheel + step) % len(characters)
            if self._wheel >= 0
            else (0 if step > 0 else len(characters) - 1)
        )
        character = characters[self._wheel]
        if self._may_say() or character == ERASE:
            self._speaker.say(character_word(character))
        elif self._tick is not None:
            self._tick.play()

    def type_chosen(self) -> None:
        """Type the wheel's character into the field (or erase one)."""
        field = self._field
        if field is None or self._wheel < 0:
            return
        character = self._characters(field)[self._wheel]
        if character == ERASE:
            _send_key(field, Qt.Key.Key_Backspace, "")
        else:
            _send_key(field, Qt.Key.Key_unknown, character)

    def _characters(self, field: QQuickItem) -> str:
        hints = input_hints(field)
        if hints & Qt.InputMethodHint.ImhDialableCharactersOnly.value:
            return PHONE_WHEEL + ERASE
        if hints & Qt.InputMethodHint.ImhEmailCharactersOnly.value:
            return EMAIL_WHEEL + ERASE
        return NAME_WHEEL + ERASE

    def _may_say(self) -> bool:
        """Whether what is typed in the field may be said: it is not personal data, or
        listening is private, or the person asked for it."""
        return self._field is None or not sensitive(self._field) or self.private()

    def _on_text_changed(self) -> None:
        field = self._field
        if field is None:
            return
        text = field.property("text")
        text = text if isinstance(text, str) else ""
        before, self._text = self._text, text
        if not self._audio() or not field.hasActiveFocus():
            return
        start = len(common_prefix(before, text))
        if len(text) > len(before):
            if self._may_say():
                typed = text[start : start + len(text) - len(before)]
                self._speaker.say(" ".join(character_word(c) for c in typed))
            elif self._tick is not None:
                self._tick.play()
        elif len(text) < len(before):
            if self._may_say():
                removed = before[start : start + len(before) - len(text)]
                words = " ".join(map(character_word, removed))
                erased = QCoreApplication.translate("Guide", "erased %1")
                self._speaker.say(erased.replace("%1", words))
            else:
                self._speaker.say(QCoreApplication.translate("Guide", "erased"))


def _send_key(item: QQuickItem, qt_key: Qt.Key, text: str) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QGuiApplication.sendEvent(
            item, QKeyEvent(kind, qt_key, Qt.KeyboardModifier.NoModifier, text)
        )
