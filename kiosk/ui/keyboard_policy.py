"""When the on-screen keyboard shows: while a text field that can be seen has the focus, and
never otherwise.

Qt's own rule is looser: the keyboard comes up when a field is pressed and stays up until
something hides it, so it outlived its field (an offer opened from the search left the
keyboard over the offer), and a field focused from code (the first field of a form) showed
no keyboard until it was tapped. One rule, kept in one place, for every screen:

- a visible, editable field takes the focus → the keyboard comes up;
- the focus goes anywhere else → the keyboard goes;
- the page changes and the focused field is no longer visible → it loses the focus (so that
  coming back to its page does not bring the keyboard up by surprise).

A field may still hide the keyboard while it keeps the focus (the Search key): the person
brings it back with a tap on the field.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QGuiApplication
from PySide6.QtQuick import QQuickItem, QQuickWindow

log = logging.getLogger("kiosk.ui")


def is_typing_target(item: QObject | None) -> bool:
    """Whether `item` is a field a person can type into right now (seen, enabled, editable)."""
    if not isinstance(item, QQuickItem):
        return False
    if not item.flags() & QQuickItem.Flag.ItemAcceptsInputMethod:
        return False
    if not item.isVisible() or not item.isEnabled():
        return False
    # A read-only text takes the focus (to select) but no typing.
    return item.inputMethodQuery(Qt.InputMethodQuery.ImReadOnly) is not True


class KeyboardPolicy(QObject):
    """Shows and hides the input panel with the focus of the kiosk's window."""

    def __init__(self, window: QQuickWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._window = window
        self._method = QGuiApplication.inputMethod()
        window.activeFocusItemChanged.connect(self._on_focus_changed)

    def detach(self) -> None:
        """No more decisions (shutdown)."""
        self._window.activeFocusItemChanged.disconnect(self._on_focus_changed)

    @Slot()
    def page_changed(self) -> None:
        """A page was replaced by another: a field left behind gives its focus up."""
        focused: QQuickItem | None = self._window.activeFocusItem()  # None: no focus at all
        if focused is None:
            return
        if focused.flags() & QQuickItem.Flag.ItemAcceptsInputMethod and not focused.isVisible():
            # (Not the root's forceActiveFocus(): a focus scope hands it back to the field.)
            focused.setFocus(False)
        self._apply()

    @Slot()
    def _on_focus_changed(self) -> None:
        self._apply()

    def _apply(self) -> None:
        focused: QQuickItem | None = self._window.activeFocusItem()  # None: no focus at all
        wanted = is_typing_target(focused)
        if wanted and not self._method.isVisible():
            self._method.show()
        elif not wanted and self._method.isVisible():
            self._method.hide()
