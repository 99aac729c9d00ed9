"""Locked-down session: no escape key or close; the operator's gesture, PIN and panel."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Property as QtProperty
from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent, QTouchEvent
from PySide6.QtQml import QmlElement

from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox
from kiosk.release.gesture import OperatorGesture
from kiosk.release.pin import PinGate, PinResult
from kiosk.status import describe_terminal
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.sync import SyncViewModel

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.operator")

# What a passer-by could press to leave a full-screen application.
_ESCAPES = (
    (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
    (Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
    (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
    (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
)


class Lockdown(QObject):
    """An event filter on the kiosk window: escape shortcuts and close requests go nowhere
    (until the operator unlocks the exit), and taps feed the operator's hidden gesture."""

    gestureCompleted = Signal()

    def __init__(self, gesture: OperatorGesture, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._gesture = gesture
        self.exit_allowed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.Close and not self.exit_allowed:
            log.info("window close refused (locked-down session)")
            event.ignore()
            return True
        if kind in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride) and isinstance(
            event, QKeyEvent
        ):
            modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            for key, needed in _ESCAPES:
                if event.key() == key and modifiers == needed:
                    return True
        if kind == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            self._tap(watched, event.scenePosition().x(), event.scenePosition().y())
        elif kind == QEvent.Type.TouchBegin and isinstance(event, QTouchEvent):
            points = event.points()
            if points:
                self._tap(watched, points[0].scenePosition().x(), points[0].scenePosition().y())
        return False

    def _tap(self, watched: QObject, x: float, y: float) -> None:
        width = watched.property("width") or 0
        height = watched.property("height") or 0
        if self._gesture.tap(x, y, float(width), float(height)):
            log.info("operator gesture recognised")
            self.gestureCompleted.emit()


@QmlElement
@uncreatable("the application creates the operator view-model")
class OperatorViewModel(QObject):
    """The PIN pad and the operator's status panel; the PIN is checked off the UI thread
    (scrypt takes a few hundred milliseconds) with lock-out after repeated failures."""

    changed = Signal()
    _checked = Signal(object)  # PinResult, from the checking thread

    def __init__(
        self,
        settings: Settings,
        store: OfferStore,
        outbox: Outbox,
        lockdown: Lockdown,
        sync: SyncViewModel | None = None,
        quit_app: Callable[[], None] = QGuiApplication.exit,  # quit() would close the window
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._settings = settings
        self._sync = sync
        self._store = store
        self._outbox = outbox
        self._lockdown = lockdown
        self._quit = quit_app
        self._gate = PinGate(settings.config.operator.pin_hash, settings.data_dir)
        self._open = False
        self._unlocked = False
        self._checking = False
        self._message = ""
        lockdown.gestureCompleted.connect(self.request)
        self._checked.connect(self._on_checked)
        if sync is not None:
            sync.changed.connect(self._on_sync_changed)

    def _on_sync_changed(self) -> None:
        if self._unlocked:
            self.changed.emit()  # the panel shows sync live while it is open

    @Slot()
    def syncNow(self) -> None:
        """Start a sync round now (only once the PIN was accepted)."""
        if self._unlocked and self._sync is not None:
            log.info("operator asked for a sync")
            self._sync.syncNow()

    @Slot()
    def request(self) -> None:
        """The hidden gesture: the PIN pad opens."""
        self._open, self._unlocked, self._message = True, False, ""
        self.changed.emit()

    @Slot(str)
    def submitPin(self, pin: str) -> None:
        """Check a PIN on a worker thread; the panel opens if it is right."""
        if self._checking:
            return
        self._checking = True
        self.changed.emit()
        threading.Thread(
            target=lambda: self._checked.emit(self._gate.verify(pin)),
            name="operator-pin",
            daemon=True,
        ).start()

    def _on_checked(self, result: PinResult) -> None:
        self._checking = False
        if result.ok:
            self._unlocked, self._message = True, ""
            log.info("operator unlocked the panel")
        elif result.outcome == "disabled":
            self._message = "no operator PIN is configured ([operator] pin_hash)"
        elif result.outcome == "locked":
            self._message = f"locked: try again in {int(result.retry_after_s or 0) + 1} s"
        else:
            self._message = "wrong PIN"
        self.changed.emit()

    def unlock_for_screenshot(self) -> None:
        """Open the status panel without a PIN: `kiosk screenshot operator-status` only (a
        plain method, not a slot: nothing on screen can call it)."""
        self._open = self._unlocked = True
        self.changed.emit()

    @Slot()
    def close(self) -> None:
        """Back to the passer-by's screen."""
        self._open = self._unlocked = False
        self._message = ""
        self.changed.emit()

    @Slot()
    def exitKiosk(self) -> None:
        """Leave the application (only once the PIN was accepted)."""
        if self._unlocked:
            log.info("operator exit")
            self._lockdown.exit_allowed = True
            self._quit()

    def _get_status(self) -> list[dict[str, str]]:
        if not self._unlocked:
            return []
        config = self._settings.config
        status = describe_terminal(self._settings, self._store, self._outbox)
        oldest = status["oldest_queued_age_s"]
        waited = f"oldest {oldest:.0f} s, " if oldest is not None else ""
        queue = f"{status['queue_depth']} ({waited}"
        rows = [
            ("Terminal", f"{status['terminal_id']} — {config.terminal.name}"),
            ("Version", status["version"]),
            ("Location", f"{config.location.label} ({config.location.radius_km:g} km)"),
            ("Offers", str(status["offers"])),
            ("Offers updated", status["last_import"] or "—"),
            ("Queued applications", queue + f"parked {status['parked']})"),
            ("Hub", str(config.hub.url) if config.hub.url else "none configured"),
            (
                "Enrolment",
                "enrolled"
                if config.hub.token
                else "DAMAGED: see the alert"
                if self._settings.hub_problem
                else "not enrolled",
            ),
            (
                "Applications",
                f"taken, sealed to the key of {status['sealing_key']}"
                if status["applications"] == "taken"
                else "REFUSED: see the alert",
            ),
            *(self._sync.operator_rows() if self._sync is not None else []),
            ("Configuration", status["config"]),
            ("Clock", time.strftime("%Y-%m-%d %H:%M:%S %Z")),
        ]
        rows += [("ALERT", alert) for alert in status["alerts"]]
        return [{"label": label, "value": value} for label, value in rows]

    open = QtProperty(bool, lambda self: self._open, notify=changed)
    unlocked = QtProperty(bool, lambda self: self._unlocked, notify=changed)
    checking = QtProperty(bool, lambda self: self._checking, notify=changed)
    message = QtProperty(str, lambda self: self._message, notify=changed)
    status = QtProperty(list, _get_status, notify=changed)
    canSync = QtProperty(bool, lambda self: bool(self._sync and self._sync.running), notify=changed)
