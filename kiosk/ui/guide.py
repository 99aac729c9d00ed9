"""Audio guidance and key navigation: one focus order for every screen, driven by keys or
explored by touch, and, in audio mode, spoken.

Everything the guide says of the screen comes from the accessibility tree (`access_tree`):
the role, name, description and state that each QML item declares with `Accessible`. The
screens hold no speech strings; the guide holds only its own words (roles, states, help).

- Key navigation works in every mode: next / previous / activate / back through the stops of
  the top layer, with a focus ring (FocusRing.qml follows `focusItem`).
- Audio mode adds speech (kiosk.ui.speech), explore by touch (the first touch says what is
  under the finger, a second tap on it operates it) and a character wheel to type in a text
  field with a keypad alone. It starts with F2 (or the keypad's key wired to it), a headset
  plugged in, or a long press on the attract screen; the end of the session ends it.
- Personal data (text fields with `Qt.ImhSensitiveData`, items declaring `personalData`) is
  spoken only with private listening, or when the person asked for it (F6).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QEvent,
    QObject,
    QPointF,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAccessibleActionInterface,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QSinglePointEvent,
)
from PySide6.QtQml import QmlElement
from PySide6.QtQuick import QQuickItem, QQuickWindow

from kiosk.ui.access_tree import Node, Role, Tree, key
from kiosk.ui.keymap import Command, command_for
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.scrolling import ensure_visible, reveal_neighbours
from kiosk.ui.session import AlertSound, Session
from kiosk.ui.speech import Headset, Speaker
from kiosk.ui.text_entry import TextEntry

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui.guide")

POLL_MS = 250  # how often audio mode looks for a new screen or alert nobody's key caused
COUNTDOWN_EVERY_S = 5.0  # a dialog's changing description (a countdown) is read this often

_POINTER_PRESS = {QEvent.Type.MouseButtonPress, QEvent.Type.TouchBegin}
_POINTER_RELEASE = {QEvent.Type.MouseButtonRelease, QEvent.Type.TouchEnd}
_POINTER_OTHER = {
    QEvent.Type.MouseMove,
    QEvent.Type.MouseButtonDblClick,
    QEvent.Type.TouchUpdate,
    QEvent.Type.TouchCancel,
}


def role_word(node: Node) -> str:
    """What kind of thing a node is, said after its name."""
    if node.role == Role.Button:
        return QCoreApplication.translate("Guide", "button")
    if node.role == Role.EditableText:
        return QCoreApplication.translate("Guide", "text field")
    if node.role == Role.Heading:
        return QCoreApplication.translate("Guide", "heading")
    if node.role == Role.Graphic:
        return QCoreApplication.translate("Guide", "image")
    if node.role == Role.Link:
        return QCoreApplication.translate("Guide", "link")
    return ""


@QmlElement
@uncreatable("the application creates the guide")
class Guide(QObject):
    """Focus order, key map, explore by touch and speech for one kiosk window."""

    focusChanged = Signal()
    audioChanged = Signal()
    requested = Signal(str)  # every command taken, for the benchmark and the tests

    def __init__(
        self,
        session: Session,
        speaker: Speaker,
        headset: Headset,
        *,
        back: Callable[[], None],
        right_to_left: Callable[[], bool],
        tick: AlertSound | None = None,
        attract_hint_s: int = 0,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window: QQuickWindow | None = None
        self._session = session
        self._speaker = speaker
        self._headset = headset
        self._back = back
        self._right_to_left = right_to_left
        self._audio = False
        self._focus: QQuickItem | None = None
        self._ring = False  # the ring shows once keys are used (and always in audio mode)
        self._screen: tuple[int, str] | None = None
        self._screen_description = ""
        self._described_at = 0.0
        self._alerts: dict[int, str] = {}
        self._typing = TextEntry(speaker, headset, self.is_audio, tick, self)
        self._pressed_at: QPointF | None = None
        self._passthrough = False
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_MS)
        self._poll.timeout.connect(self._follow_screen)
        self._hint = QTimer(self)
        self._hint.setInterval(max(1, attract_hint_s) * 1000)
        self._hint.timeout.connect(self._attract_hint)
        if attract_hint_s > 0:
            self._hint.start()
        headset.plugged.connect(lambda: self.setAudio(True))
        session.activeChanged.connect(self._on_session)

    def attach(self, window: QQuickWindow) -> None:
        """Guide `window`: its keys and, in audio mode, its touches come here first."""
        self._window = window
        window.installEventFilter(self)

    def detach(self) -> None:
        """Stop guiding (shutdown)."""
        self._poll.stop()
        self._hint.stop()
        self._speaker.stop()
        if self._window is not None:
            self._window.removeEventFilter(self)
        self._set_focus(None)

    def _tree(self) -> Tree:
        if self._window is None:
            return Tree([])
        return Tree.of(self._window)

    # -- state --------------------------------------------------------------------------------

    def is_audio(self) -> bool:
        """Whether audio mode is on."""
        return self._audio

    @Slot(bool)
    def setAudio(self, on: bool) -> None:
        """Audio mode on or off; turning it on wakes the terminal and says where it is."""
        if on == self._audio:
            return
        self._audio = on
        self._ring = self._ring or on
        log.info("audio mode %s", "on" if on else "off")
        self.audioChanged.emit()
        self.focusChanged.emit()
        if on:
            self._session.wake()
            self._screen = None
            self._poll.start()
            self._say(
                self.tr(
                    "Audio guidance on. Down arrow or Tab: next. Up arrow: previous. "
                    "Enter: choose. F1: help."
                ),
                then=self._follow_screen,
            )
        else:
            self._poll.stop()
            self._speaker.say(self.tr("Audio guidance off."))

    def reset(self) -> None:
        """The end of a session: audio mode off, silence, levels and choices back to default."""
        self._poll.stop()
        if self._audio:
            self._audio = False
            self.audioChanged.emit()
        self._speaker.reset()
        self._typing.reset()
        self._screen = None
        self._alerts = {}
        self._set_focus(None)
        self._ring = False
        self.focusChanged.emit()

    @property
    def focus(self) -> QQuickItem | None:
        """The item the guide's focus is on."""
        return self._focus

    # -- commands -----------------------------------------------------------------------------

    def command(self, command: Command) -> None:
        """Do what a key asked."""
        self.requested.emit(command.value)
        if self._audio:
            self._speaker.stop()  # any key stops speech (5.1.3.5)
        if command is Command.AUDIO:
            self.setAudio(not self._audio)
            return
        if not self._session.is_active():
            self._session.wake()
            return
        self._ring = True
        handlers: dict[Command, Callable[[], None]] = {
            Command.NEXT: lambda: self._move(1),
            Command.PREVIOUS: lambda: self._move(-1),
            Command.ACTIVATE: self._activate,
            Command.BACK: self._do_back,
            Command.REPEAT: self._speaker.repeat,
            Command.HELP: self._help,
            Command.VOLUME_UP: lambda: self._volume(1),
            Command.VOLUME_DOWN: lambda: self._volume(-1),
            Command.FASTER: lambda: self._rate(1),
            Command.SLOWER: lambda: self._rate(-1),
            Command.SPEAK_TYPED: self._toggle_speak_typed,
            Command.WHEEL_FORWARD: lambda: self._typing.turn(1),
            Command.WHEEL_BACK: lambda: self._typing.turn(-1),
        }
        handlers[command]()

    @Slot()
    def _follow_qt_focus(self) -> None:
        """A field took the keyboard focus by itself (a tap, Enter in the field before): the
        guide's focus goes there too."""
        focused = self._window.activeFocusItem() if self._window is not None else None
        if focused is None or focused is self._focus or not focused.inherits("QQuickTextInput"):
            return
        tree = self._tree()
        index = tree.index_of(focused)
        if index in tree.stops():
            self._focus_node(tree, index, speak=self._audio)

    def _move(self, step: int) -> None:
        self._follow_qt_focus()
        reveal_neighbours(self._focus, step)
        tree = self._tree()
        stops = tree.stops()
        if not stops:
            return
        here = tree.index_of(self._focus)
        if here in stops:
            target = stops[(stops.index(here) + step) % len(stops)]
        else:
            target = self._first_stop(tree) if step > 0 else stops[-1]
        self._focus_node(tree, target, speak=True)

    def _activate(self) -> None:
        tree = self._tree()
        here = tree.index_of(self._focus)
        if here < 0:
            self._move(1)
            return
        node = tree.nodes[here]
        if node.editable:
            if self._typing.wheel_turned:
                self._typing.type_chosen()
            elif node.item.hasActiveFocus():
                self._move(1)  # Enter in a field: on to what follows
            else:
                self._edit(node)
            return
        if not node.interactive:
            self._say(self._describe(node))
            return
        self._operate(node)
        self._after_action(here_key=key(node.item))

    def _operate(self, node: Node) -> None:
        """Press or toggle a control through its accessible action, as a screen reader
        would; an item without one gets a tap at its centre."""
        iface = node.interface
        actions = iface.actionInterface() if iface is not None else None
        names = actions.actionNames() if actions is not None else []
        for name in (
            QAccessibleActionInterface.toggleAction(),
            QAccessibleActionInterface.pressAction(),
        ):
            if (
                actions is not None
                and name in names
                and (name != QAccessibleActionInterface.toggleAction() or node.checkable)
            ):
                actions.doAction(name)
                return
        self._tap(node.scene_rect().center())

    def _tap(self, point: QPointF) -> None:
        self._passthrough = True
        try:
            for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease):
                event = QMouseEvent(
                    kind,
                    point,
                    point,
                    Qt.MouseButton.LeftButton,
                    Qt.MouseButton.LeftButton
                    if kind == QEvent.Type.MouseButtonPress
                    else Qt.MouseButton.NoButton,
                    Qt.KeyboardModifier.NoModifier,
                )
                QGuiApplication.sendEvent(self._window, event)  # type: ignore[arg-type]
        finally:
            self._passthrough = False

    def _edit(self, node: Node) -> None:
        node.item.forceActiveFocus()
        self._typing.reset_wheel()
        if self._audio:
            self._say(
                self.tr(
                    "Editing %1. Type on the keyboard, or turn the letter wheel with left "
                    "and right and choose with Enter. Down arrow when done."
                ).replace("%1", node.name)
            )

    def _do_back(self) -> None:
        self._back()
        self._after_action(here_key=None)

    def _volume(self, step: int) -> None:
        volume = self._speaker.change_volume(step)
        if self._audio:
            self._speaker.say(self.tr("Volume %1 of 10").replace("%1", str(round(volume * 10))))

    def _rate(self, step: int) -> None:
        rate = self._speaker.change_rate(step)
        if self._audio:
            if abs(rate) >= 1:
                self._speaker.say(self.tr("Fastest") if rate > 0 else self.tr("Slowest"))
            else:
                self._speaker.say(self.tr("Faster") if step > 0 else self.tr("Slower"))

    def _toggle_speak_typed(self) -> None:
        self._typing.speak_typed = not self._typing.speak_typed
        if self._audio:
            self._say(
                self.tr("What you type will be read aloud. People nearby may hear it.")
                if self._typing.speak_typed
                else self.tr("What you type will no longer be read aloud on the loudspeaker.")
            )

    def _help(self) -> None:
        if not self._audio:
            return
        parts = [
            self.tr(
                "Down arrow or Tab: next item. Up arrow or Shift Tab: previous item. "
                "Enter: choose. F4 or Backspace: back. F3: repeat. F9 and F10: volume. "
                "F7 and F8: speed. F2: audio guidance off."
            )
        ]
        tree = self._tree()
        here = tree.index_of(self._focus)
        if here >= 0 and tree.nodes[here].editable:
            parts.append(
                self.tr(
                    "In a text field, type on the keyboard, or turn the letter wheel with left "
                    "and right arrows and choose with Enter. F6: read what you type aloud."
                )
            )
        if not self._headset.is_private():
            parts.append(self.tr("Plug a headset into the jack to hear what you type privately."))
        self._say(" ".join(parts))

    # -- focus --------------------------------------------------------------------------------

    def _first_stop(self, tree: Tree) -> int:
        """Where a new screen starts: its first stop, before the bar of every screen."""
        stops = tree.stops()
        screen = tree.current_screen()
        inside = set(tree.within(screen)) if screen >= 0 else set()
        return next((i for i in stops if i in inside), stops[0] if stops else -1)

    def _focus_node(self, tree: Tree, index: int, *, speak: bool, keys: bool = True) -> None:
        """Put the guide's focus on node `index`. With `keys` the keyboard focus goes with it,
        so keys typed in a field go there and never reach a field the person has left;
        without (a new screen's first stop), a text field does not take the keys and bring
        the on-screen keyboard up before the person chose it. (Never ask an item for its
        window(): PySide makes the window's wrapper a child of the item's, and the window's
        wrapper dies with it.)"""
        node = tree.nodes[index]
        ensure_visible(node.item)
        self._set_focus(node.item, key_of_keyboard=node.types_into_field)
        self._typing.reset_wheel()
        if node.types_into_field:
            pass  # an on-screen key: the focus stays in the field it types into
        elif keys or not node.editable:
            node.item.forceActiveFocus()
        elif self._window is not None:
            self._window.contentItem().forceActiveFocus()
        if speak:
            self._say(self._describe(node))

    def _set_focus(self, item: QQuickItem | None, *, key_of_keyboard: bool = False) -> None:
        """The guide's focus on `item`. What is typed is followed in the field that has it,
        and still in that field while the focus is on a key of the on-screen keyboard."""
        if item is self._focus:
            return
        self._focus = item
        if not key_of_keyboard:
            self._typing.follow(item)
        self.focusChanged.emit()

    def _describe(self, node: Node) -> str:
        """What is said of a node: name, role, state, and what it holds."""
        private = self._typing.private()
        if node.personal and node.interactive and not node.editable and not private:
            # A control whose name is the secret (a PIN digit, a key typing into a name).
            return ". ".join((role_word(node), self.tr("not read aloud on the loudspeaker")))
        parts = [node.name] if node.name else []
        word = role_word(node)
        if node.checkable:
            parts.append(self.tr("checked") if node.checked else self.tr("not checked"))
        elif word:
            parts.append(word)
        if node.editable:
            value = node.value
            if not value:
                parts.append(self.tr("empty"))
            elif node.personal and not private:
                parts.append(self.tr("filled in; plug in a headset to hear it"))
            else:
                parts.append(value)
        if node.description:
            if node.personal and not node.editable and not private:
                parts.append(self.tr("not read aloud on the loudspeaker"))
            elif not node.editable or node.description != node.value:
                parts.append(node.description)
        return ". ".join(p for p in parts if p)

    # -- what changed -------------------------------------------------------------------------

    def _after_action(self, here_key: int | None) -> None:
        """After a control was operated: a new screen is announced; on the same screen, the
        control's new state and any new alert are said."""
        tree = self._tree()
        if self._screen_changed(tree):
            self._announce_screen(tree)
            return
        alerts = self._new_alerts(tree)
        here = tree.index_of(self._focus)
        said = []
        if here >= 0 and here_key == key(tree.nodes[here].item) and tree.nodes[here].checkable:
            said.append(self._describe(tree.nodes[here]))
        if alerts:
            said.extend(alerts)
            first = next(i for i in tree.stops() if tree.nodes[i].role == Role.AlertMessage)
            self._focus_node(tree, first, speak=False)
        elif here < 0:
            first = self._first_stop(tree)
            if first >= 0:
                self._focus_node(tree, first, speak=False)
        if said:
            self._say(" ".join(said))

    @Slot()
    def _follow_screen(self) -> None:
        """Audio mode, a few times a second: announce a screen or an alert that came without
        a key (the idle warning, a search's results, a send that failed)."""
        if not self._audio:
            return
        tree = self._tree()
        if self._screen_changed(tree):
            self._announce_screen(tree)
            return
        screen = tree.current_screen()
        if screen >= 0 and tree.nodes[screen].role == Role.Dialog:
            description = tree.nodes[screen].description
            now = time.monotonic()
            if (
                description != self._screen_description
                and now - self._described_at >= COUNTDOWN_EVERY_S
            ):
                self._screen_description = description
                self._described_at = now
                self._speaker.say(description)
        alerts = self._new_alerts(tree)
        if alerts:
            self._say(" ".join(alerts))
        if self._focus is not None and tree.index_of(self._focus) < 0:
            first = self._first_stop(tree)
            self._set_focus(tree.nodes[first].item if first >= 0 else None)

    def _screen_changed(self, tree: Tree) -> bool:
        screen = tree.current_screen()
        if screen < 0:
            return False
        identity = (key(tree.nodes[screen].item), tree.nodes[screen].name)
        if identity == self._screen:
            return False
        self._screen = identity
        return True

    def _announce_screen(self, tree: Tree) -> None:
        screen = tree.current_screen()
        node = tree.nodes[screen]
        count = sum(1 for i in tree.stops() if i in set(tree.within(screen)))
        self._screen_description = node.description
        self._described_at = time.monotonic()
        self._alerts = tree.alerts()
        first = self._first_stop(tree)
        if first >= 0:
            self._focus_node(tree, first, speak=False, keys=False)
        else:
            self._set_focus(None)
        if self._audio:
            items = self.tr("%n item(s)", "", count)
            self._say(". ".join(p for p in (node.name, node.description, items) if p))

    def _new_alerts(self, tree: Tree) -> list[str]:
        alerts = tree.alerts()
        new = [text for item, text in alerts.items() if self._alerts.get(item) != text]
        self._alerts = alerts
        return new

    def _say(self, text: str, then: Callable[[], None] | None = None) -> None:
        if self._audio:
            self._speaker.say(text)
        if then is not None:
            then()

    # -- events -------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keys become commands; in audio mode touches explore before they operate."""
        kind = event.type()
        if kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._on_key(event)
        if self._passthrough:
            return False
        if kind in _POINTER_PRESS or kind in _POINTER_RELEASE or kind in _POINTER_OTHER:
            if not self._audio:
                if kind in _POINTER_PRESS and self._ring:
                    self._ring = False  # a finger took over: no ring until the next key
                    self.focusChanged.emit()
                return False
            if isinstance(event, QSinglePointEvent) and event.points():
                self._on_pointer(kind, event.points()[0].scenePosition())
            return True
        return False

    def _on_key(self, event: QKeyEvent) -> bool:
        focus = self._window.activeFocusItem() if self._window is not None else None
        in_text = (
            focus is not None and focus.inherits("QQuickTextInput") and self._session.is_active()
        )
        command = command_for(
            event.key(), in_text=in_text, audio=self._audio, right_to_left=self._right_to_left()
        )
        if not self._session.is_active():
            # The attract screen: a key wakes the terminal and types nowhere.
            if command is Command.AUDIO:
                self.setAudio(True)
            elif event.key() != Qt.Key.Key_Escape:
                self._session.wake()
            return event.key() != Qt.Key.Key_Escape
        if self._session.warning():
            # "Are you still there?": any key says yes, as any touch on that screen does.
            self._session.extend()
            return True
        if command is None:
            if self._audio:
                self._speaker.stop()
            # A letter with no field to go to goes nowhere.
            return not in_text and bool(event.text()) and event.text().isprintable()
        if in_text and command is Command.ACTIVATE and not self._typing.wheel_turned:
            # Enter in a field does what the field says (on to the next field, or done); the
            # guide follows where the focus went.
            QTimer.singleShot(0, self._follow_qt_focus)
            return False
        if event.isAutoRepeat() and command not in {Command.NEXT, Command.PREVIOUS}:
            return True  # no key repeat for choices (5.7)
        self.command(command)
        return True

    def _on_pointer(self, kind: QEvent.Type, point: QPointF) -> None:
        self._speaker.stop()  # any touch stops speech
        if not self._session.is_active():
            if kind in _POINTER_RELEASE:
                self._session.wake()
            return
        if kind in _POINTER_PRESS:
            self._pressed_at = point
            return
        if kind in _POINTER_RELEASE and self._pressed_at is not None:
            self._pressed_at = None
            tree = self._tree()
            under = tree.stop_at(point)
            if under < 0:
                return
            self._ring = True
            if under == tree.index_of(self._focus):
                self.command(Command.ACTIVATE)  # the second tap on it operates it
            else:
                self._focus_node(tree, under, speak=True)

    def _on_session(self) -> None:
        if self._session.is_active():
            self._hint.stop()
        elif self._hint.interval() > 1000 and not self._hint.isActive():
            self._hint.start()

    @Slot()
    def _attract_hint(self) -> None:
        if not self._session.is_active() and not self._audio:
            self._speaker.say(
                self.tr("For audio guidance, press F2, or hold your finger on the screen.")
            )

    @Slot()
    def longPress(self) -> None:
        """A long press on the attract screen: audio mode on."""
        self.setAudio(True)

    def _get_focus_item(self) -> QObject | None:
        return self._focus if (self._ring or self._audio) else None

    audio = Property(bool, is_audio, setAudio, notify=audioChanged)
    focusItem = Property(QObject, _get_focus_item, notify=focusChanged)
