"""Sync as the screen sees it: the loop on a thread of its own, its state brought to the UI
thread by a queued signal, the offline banner's words, and the operator's "sync now"."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from PySide6.QtCore import Property, QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.sync.engine import SyncLoop, SyncStatus
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui.sync")

AGE_REFRESH_MS = 60_000  # the banner's "updated 2 hours ago" is redrawn every minute
STOP_TIMEOUT_S = 10.0


def offers_age_text(last_sync_ts: int | None, now: float) -> str:
    """ "Offers updated 2 hours ago", in the interface's language."""
    if last_sync_ts is None:
        return QCoreApplication.translate("Sync", "These offers may be out of date.")
    minutes = max(0, int(now - last_sync_ts) // 60)
    if minutes < 60:
        return QCoreApplication.translate("Sync", "Offers updated %n minute(s) ago.", None, minutes)
    hours = minutes // 60
    if hours < 48:
        return QCoreApplication.translate("Sync", "Offers updated %n hour(s) ago.", None, hours)
    return QCoreApplication.translate("Sync", "Offers updated %n day(s) ago.", None, hours // 24)


@QmlElement
@uncreatable("the application creates the sync view-model")
class SyncViewModel(QObject):
    """Runs `loop` on a Python thread (the engine is plain Python) and shows its state.

    The loop calls `_post` from its own thread; the queued `_arrived` signal hands the state to
    the UI thread. Without a loop (no hub, no direct source) nothing runs and no banner shows.
    """

    changed = Signal()
    configApplied = Signal(object)  # KioskConfig, on the UI thread
    applicationDelivered = Signal(str)  # an application's id, once the hub confirmed it
    _arrived = Signal(object)  # SyncStatus, from the loop's thread
    _configArrived = Signal(object)
    _deliveredArrived = Signal(str)  # from the loop's thread
    servicesChanged = Signal()  # the hub sent a new services corner (on the UI thread)
    _servicesArrived = Signal()  # from the loop's thread
    firmsChanged = Signal()  # the hub sent a new list of firms near here (on the UI thread)
    _firmsArrived = Signal()  # from the loop's thread

    def __init__(
        self,
        loop: SyncLoop | None,
        clock: Callable[[], float] = time.time,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._loop = loop
        self._clock = clock
        self._status: SyncStatus | None = None
        self._thread: threading.Thread | None = None
        self._arrived.connect(self._on_status)
        self._configArrived.connect(self.configApplied)
        self._deliveredArrived.connect(self.applicationDelivered)  # queued to the UI thread
        self._servicesArrived.connect(self.servicesChanged)  # queued too
        self._firmsArrived.connect(self.firmsChanged)  # queued too
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self.changed)
        if loop is not None:
            loop.on_status = self._post  # wired once, before the thread starts
            loop.engine.on_config = self._configArrived.emit
            loop.engine.on_delivered = self._deliveredArrived.emit
            loop.engine.on_services = self._servicesArrived.emit
            loop.engine.on_firms = self._firmsArrived.emit

    # -- the thread ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the loop's thread (once)."""
        if self._loop is None or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._loop.run, name="sync", daemon=True)
        self._thread.start()
        self._age_timer.start()
        log.info("sync started (every %.0f s)", self._loop.interval_s)

    def stop(self) -> None:
        """Ask the loop to stop and wait for the round under way to reach a safe point."""
        self._age_timer.stop()
        if self._loop is None or self._thread is None:
            return
        self._loop.stop()
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            log.warning("the sync thread is still in a request; leaving it to the exit")
        self._thread = None

    def _post(self, status: SyncStatus) -> None:
        self._arrived.emit(status)  # from the loop's thread: queued to the UI thread

    @Slot(object)
    def _on_status(self, status: SyncStatus) -> None:
        if status != self._status:
            self._status = status
            self.changed.emit()

    def show_offline(self, last_sync_ts: int | None) -> None:
        """Show the offline state without a loop (`kiosk screenshot --offline-hours`)."""
        self._on_status(
            SyncStatus(
                syncing=False, online=False, last_sync_ts=last_sync_ts, queue_depth=0, parked=0
            )
        )

    @Slot()
    def syncNow(self) -> None:
        """Start a round now ("sync now", or an application just sent)."""
        if self._loop is not None:
            self._loop.wake()

    @Slot()
    def retranslate(self) -> None:
        """The banner's words in the new language."""
        self.changed.emit()

    # -- what the screen shows ----------------------------------------------------------------

    @property
    def status(self) -> SyncStatus | None:
        """The last state the loop reported."""
        return self._status

    def _offline(self) -> bool:
        return self._status is not None and self._status.online is False

    def _banner(self) -> str:
        if not self._offline() or self._status is None:
            return ""
        return " ".join(
            (
                QCoreApplication.translate("Sync", "No network."),
                offers_age_text(self._status.last_sync_ts, self._clock()),
                QCoreApplication.translate(
                    "Sync",
                    "You can still apply: your application leaves as soon as the network is back.",
                ),
            )
        )

    def operator_rows(self) -> list[tuple[str, str]]:
        """The operator panel's lines about sync (English, like the rest of the panel)."""
        status = self._status
        if self._loop is None and status is None:
            return [("Sync", "off: no hub and no offer source configured")]
        if status is None:
            return [("Sync", "starting")]
        if status.unauthorised:
            network = "the hub refuses this terminal's token: re-enrol it"
        elif status.online is None:
            network = "not tried yet"
        else:
            network = "online" if status.online else f"offline ({status.error or 'no answer'})"
        state = "syncing" if status.syncing else "idle"
        if status.syncing and status.pages:
            state += f" (page {status.pages}, {status.offers_in} offers in)"
        last = (
            time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(status.last_sync_ts))
            if status.last_sync_ts is not None
            else "never"
        )
        return [
            ("Network", network),
            ("Sync", f"{state}; offers up to date at {last}"),
        ]

    running = Property(bool, lambda self: self._loop is not None, notify=changed)
    offline = Property(bool, _offline, notify=changed)
    syncing = Property(
        bool, lambda self: bool(self._status and self._status.syncing), notify=changed
    )
    banner = Property(str, _banner, notify=changed)
