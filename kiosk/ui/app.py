"""Composition root of the touch interface: store → search thread → view-models → QML window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from types import TracebackType

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QLocale,
    QLoggingCategory,
    QObject,
    QSize,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import QGuiApplication, QInputDevice
from PySide6.QtQml import QQmlApplicationEngine, QQmlError
from PySide6.QtQuick import QQuickItem, QQuickWindow

from kiosk import __version__, sealing_key, trades
from kiosk.applications import ApplicationDesk
from kiosk.config import KioskConfig, Settings
from kiosk.i18n import translations_dir
from kiosk.offline.db import verify_in_background
from kiosk.offline.firms import FirmsCache
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.offline.search import Searcher
from kiosk.offline.services import ServicesCache
from kiosk.release.gesture import OperatorGesture
from kiosk.sync.engine import SyncLoop
from kiosk.sync.runner import SyncBusyError, SyncLock, build_engine
from kiosk.ui.apply import ApplyViewModel
from kiosk.ui.attract import AttractViewModel
from kiosk.ui.browse import BrowseViewModel
from kiosk.ui.detail import DetailViewModel
from kiosk.ui.firms import FirmsViewModel
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.guide import Guide
from kiosk.ui.keyboard_policy import KeyboardPolicy
from kiosk.ui.language import LanguageController
from kiosk.ui.navigation import Navigator
from kiosk.ui.offer_model import OfferListModel
from kiosk.ui.operator import Lockdown, OperatorViewModel
from kiosk.ui.qr import PROVIDER_ID, QrImageProvider
from kiosk.ui.refcounts import keep_none_referenced
from kiosk.ui.search_worker import SearchService
from kiosk.ui.services import ServicesViewModel
from kiosk.ui.session import ActivityFilter, AlertSound, IdleMonitor, Session
from kiosk.ui.sound import Chime, tick_path
from kiosk.ui.speech import Headset, Speaker
from kiosk.ui.stop_signals import StopSignals
from kiosk.ui.sync import SyncViewModel
from kiosk.ui.theme import Theme
from kiosk.ui.trade_tiles import PROVIDER_ID as TRADE_ICONS
from kiosk.ui.trade_tiles import TradeIconProvider
from kiosk.ui.verdict import VerdictViewModel
from kiosk.usage import UsageCounters

log = logging.getLogger("kiosk.ui")

# Qt's own messages that say nothing about the kiosk. They also matter for a second reason:
# these two are emitted from the QML loader thread while the main thread waits in
# QQmlApplicationEngine.load() holding the GIL, so a Python message handler (pytest-qt's)
# would deadlock on them.
QT_LOG_RULES = (
    # Qt Multimedia (loaded by the virtual keyboard) probes PipeWire and VA-API at load time.
    "qt.multimedia.symbolsresolver=false",
    # Qt Virtual Keyboard's PopupList.qml overrides ListView.contentWidth (Qt 6.12).
    "qt.qml.propertyCache.append=false",
)
QML_DIR = Path(str(resources.files("kiosk.ui") / "qml"))
DEFAULT_SIZE = (1080, 1920)
SEARCH_START_LATEST_MS = 1000
STORE_REFRESH_MS = 5000  # at most one refresh of the screen's offers this often while syncing
SYNC_START_DELAY_MS = 2000  # after the first frame: start-up first, then the network


def prepare_environment(*, headless: bool = False) -> None:
    """What Qt reads before the QGuiApplication exists: the embedded virtual keyboard, the
    Controls style, quiet logging rules; offscreen software rendering when `headless`."""
    os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
    # The keyboard lives in our window (InputPanel), never in a window of its own.
    os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
    os.environ["QT_QUICK_CONTROLS_STYLE"] = "Basic"
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        os.environ.setdefault("QT_QUICK_BACKEND", "software")
    QLoggingCategory.setFilterRules("\n".join(QT_LOG_RULES))


class StoreWatcher(QObject):
    """Brings the store's change notices (from whichever thread wrote) to the UI thread: the
    first at once, then at most one every `interval_ms`. A sync of 100 pages refreshes the
    screen a handful of times, not 100 times (each refresh rebuilds the search index)."""

    changed = Signal()  # coalesced, on the UI thread
    _notified = Signal()

    def __init__(self, interval_ms: int = STORE_REFRESH_MS, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._on_interval)
        self._pending = False
        self._notified.connect(self._on_notified)

    def notify(self) -> None:
        """Called by OfferStore after a commit, on the writing thread: the signal is queued."""
        self._notified.emit()

    def _on_notified(self) -> None:
        if self._timer.isActive():
            self._pending = True  # told at the end of the interval
            return
        self.changed.emit()
        self._timer.start()

    def _on_interval(self) -> None:
        if self._pending:
            self._pending = False
            self.changed.emit()
            self._timer.start()  # and wait again before the next one

    def stop(self) -> None:
        """No more refreshes (shutdown)."""
        self._timer.stop()
        self._notified.disconnect(self._on_notified)


def wipe_input_method() -> None:
    """Forget what the keyboard holds: pre-edit text, its panel, and the clipboard."""
    method = QGuiApplication.inputMethod()
    method.reset()
    method.hide()
    clipboard = QGuiApplication.clipboard()
    if clipboard is not None:
        clipboard.clear()


@dataclass(slots=True)
class Kiosk:
    """Everything the composition root built, and its ordered shutdown."""

    settings: Settings
    store: OfferStore
    search: SearchService
    formatter: OfferFormatter
    language: LanguageController
    theme: Theme
    results: OfferListModel
    browse: BrowseViewModel
    attract: AttractViewModel
    detail: DetailViewModel
    outbox: Outbox
    apply: ApplyViewModel
    operator: OperatorViewModel
    lockdown: Lockdown
    navigator: Navigator
    monitor: IdleMonitor
    session: Session
    engine: QQmlApplicationEngine
    window: QQuickWindow
    activity: ActivityFilter
    watcher: StoreWatcher
    sync: SyncViewModel
    usage: UsageCounters
    sync_lock: SyncLock | None
    guide: Guide
    speaker: Speaker
    headset: Headset
    started_at: float  # time.time() when the build began
    first_frame_at: float | None = None  # time.time() when the first frame was on screen
    services: ServicesViewModel | None = None  # the services corner (set by build_kiosk)
    firms: FirmsViewModel | None = None  # firms near here that often hire (set by build_kiosk)
    verdict: VerdictViewModel | None = None  # "Did this terminal help you?" (set by build_kiosk)

    def shutdown(self) -> None:
        """Stop the sync thread, input and timers, destroy the QML scene, stop the search
        thread, close the databases: in that order, so nothing runs against something gone."""
        log.info("shutdown: stage 1/4 sync thread")
        self.watcher.stop()
        self.sync.stop()  # before the stores close: a round stops between two requests
        if self.sync_lock is not None:
            self.sync_lock.release()
        log.info("shutdown: stage 2/4 window")
        self.guide.detach()
        self.speaker.close()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self.activity)
        self.window.removeEventFilter(self.lockdown)
        self.lockdown.exit_allowed = True
        self.monitor.stop()
        self.window.hide()
        shiboken6.delete(self.engine)  # takes the window and every QML object with it
        self.language.unload()
        log.info("shutdown: stage 3/4 search thread")
        self.search.stop()
        log.info("shutdown: stage 4/4 storage")
        self.store.engine.dispose()
        self.outbox.engine.dispose()


def main_qml() -> QUrl:
    """The root QML file."""
    return QUrl.fromLocalFile(str(QML_DIR / "Main.qml"))


def open_terminal_store(settings: Settings, seed_demo: bool) -> OfferStore:
    """The terminal's offers cache, with the demo offers when it is empty and `seed_demo`."""
    from kiosk.cli import open_store, seed_demo_if_empty  # noqa: PLC0415 (cli imports ui lazily)

    store = open_store(settings)
    if seed_demo:
        seed_demo_if_empty(store, settings)
    return store


def open_application_desk(settings: Settings) -> tuple[Outbox, ApplicationDesk]:
    """The outbox, recovered after a stop, and the desk that seals applications to the hub.

    Without a usable hub key the desk refuses applications (kiosk.sealing_key: the operator is
    told in the log, the status, the heartbeat and the panel); a demo terminal that was never
    enrolled seals to a demo key pair of its own in its data folder.
    """
    config = settings.config
    outbox = Outbox(
        open_outbox_database(settings.outbox_db), backlog_limit=config.outbox.backlog_limit
    )
    outbox.recover()
    sealing = sealing_key.resolve(settings, create_demo_key=True)
    if sealing.problem is not None:
        log.error("applications are refused: %s", sealing.problem)
    desk = ApplicationDesk(outbox, config.terminal.id, sealing.key, problem=sealing.current_problem)
    return outbox, desk


def start_sync(
    settings: Settings, store: OfferStore, outbox: Outbox, usage: UsageCounters
) -> tuple[SyncLoop | None, SyncLock | None]:
    """The sync loop of this terminal, holding the data folder's sync lock; (None, None)
    without a hub or direct source, or when another process already syncs this folder."""
    engine = build_engine(
        settings, store, outbox, counters=usage.snapshot, offer_views=usage.offer_views
    )
    if not engine.configured:
        log.info("sync: no hub and no offer source configured")
        return None, None
    lock = SyncLock(settings.data_dir)
    try:
        lock.acquire()
    except SyncBusyError as exc:
        log.error("sync: %s; this kiosk will not sync", exc)
        return None, None
    return SyncLoop(engine, settings.config.hub.heartbeat_s), lock


def build_kiosk(
    settings: Settings,
    *,
    store: OfferStore | None = None,
    size: tuple[int, int] = DEFAULT_SIZE,
    fullscreen: bool = False,
    idle_clock: Callable[[], float] = time.monotonic,
    sound: AlertSound | None = None,
    tick: AlertSound | None = None,
    speech: bool = True,
    freeze_heap: bool = False,
    sync: bool = True,
) -> Kiosk:
    """Build the kiosk in logged stages and show its window. A QGuiApplication must exist
    (created after `prepare_environment`). With `freeze_heap` (the terminal's own process),
    what start-up built is set aside from garbage collection once the first search answered.
    Without `speech` (screenshots, the self-test) audio mode keeps its transcript but says
    nothing; `tick` is the sound of a character typed in a personal field on the loudspeaker."""
    app = QGuiApplication.instance()
    if not isinstance(app, QGuiApplication):
        raise RuntimeError("build_kiosk needs a QGuiApplication")
    config = settings.config
    started = time.perf_counter()
    started_at = time.time()

    def stage(number: int, name: str) -> None:
        log.info("start: stage %d/5 %s (%.0f ms)", number, name, _ms(started))

    stage(1, "storage")
    store = store or open_terminal_store(settings, seed_demo=settings.demo)

    stage(2, "search thread")
    # The thread starts once the first frame is on screen: building the search index (a few
    # hundred ms for 100,000 offers) would otherwise compete with the QML load for the GIL.
    search = SearchService(lambda: Searcher(store.engine))

    stage(3, "view-models")
    formatter = OfferFormatter()
    language = LanguageController(
        config.languages.available, config.languages.default, translations_dir(), formatter
    )
    theme = Theme(config.panel)
    results = OfferListModel(search, formatter)
    browse = BrowseViewModel(results, formatter, area_km=config.location.radius_km)
    attract = AttractViewModel(search, formatter, config.location.label, config.location.radius_km)
    hub_url = str(config.hub.url) if config.hub.url else None
    detail = DetailViewModel(
        store.get, formatter, config.origin, hub_url=hub_url, language=lambda: language.info.code
    )
    outbox, desk = open_application_desk(settings)
    apply = ApplyViewModel(desk, lambda: language.info.code)
    services = ServicesViewModel(ServicesCache(store.engine).entries, lambda: language.info.code)
    services.refresh()
    firms = FirmsViewModel(
        FirmsCache(store.engine, config.origin), formatter, lambda: desk.accepting
    )
    navigator = Navigator(browse, detail, apply, services=services, firms=firms)
    attract.tradeChosen.connect(browse.chooseTrade)
    lockdown = Lockdown(OperatorGesture())
    usage = UsageCounters()
    loop, sync_lock = start_sync(settings, store, outbox, usage) if sync else (None, None)
    sync_model = SyncViewModel(loop)
    operator = OperatorViewModel(settings, store, outbox, lockdown, sync_model)
    monitor = IdleMonitor(config.idle, clock=idle_clock)
    session = Session(
        monitor,
        wipers=[
            apply.wipe,
            operator.close,
            browse.reset,
            detail.clear,
            services.close,
            firms.clear,
            navigator.reset,
            wipe_input_method,
            language.reset,
            theme.reset,
            monitor.reset,  # the passer-by's "More time"
        ],
        sound=sound,
    )
    # The passer-by's verdict, asked when they leave after an offer or an application.
    verdict = VerdictViewModel(usage.add, session.end, lambda: monitor.factor, idle_clock)
    session.set_before_leaving(verdict.ask)
    navigator.offerOpened.connect(verdict.note_offer)
    apply.sent.connect(verdict.note_sent)
    speaker = Speaker(config.audio, config.audio.engine if speech else None)
    headset = Headset(config.audio)
    guide = Guide(
        session,
        speaker,
        headset,
        back=lambda: go_back(navigator, detail, browse, operator, verdict),
        right_to_left=lambda: language.info.right_to_left,
        tick=tick,
        attract_hint_s=config.audio.attract_hint_s if speech else 0,
    )
    session.add_wiper(guide.reset)
    session.add_wiper(verdict.wipe)
    session.add_draft(lambda: typed_something(browse, apply))
    language.languageChanged.connect(
        lambda: speaker.set_language(language.info.code, QLocale(language.info.locale))
    )
    speaker.set_language(language.info.code, QLocale(language.info.locale))
    watcher = StoreWatcher()
    store.on_change(watcher.notify)
    watcher.changed.connect(attract.refresh)
    # The list on screen follows the offers without losing its place; an open offer stays.
    watcher.changed.connect(results.refresh_in_place)
    apply.sent.connect(lambda _reference: sync_model.syncNow())  # deliver it now if online
    sync_model.applicationDelivered.connect(apply.markDelivered)  # "sent", once it is
    sync_model.servicesChanged.connect(services.refresh)  # the hub's new services corner
    sync_model.firmsChanged.connect(firms.refresh)  # the hub's new firms near here
    sync_model.firmsChanged.connect(firms.refresh_context)

    def browse_context() -> None:  # the firms for the trade tile or the search on screen
        firms.set_browse(
            str(browse.property("trade")),
            str(browse.property("text")),
            browse.leading_family(),
            browse.leading_trades(),
        )

    browse.filtersChanged.connect(browse_context)
    browse.textChanged.connect(browse_context)
    browse.summaryChanged.connect(browse_context)  # the offers found: their leading trade
    firms.firmOpened.connect(lambda: usage.add("firms.opened"))
    apply.sent.connect(lambda _reference: usage.add("applications.sent"))
    session.activeChanged.connect(
        lambda: usage.add("sessions.started") if session.is_active() else None
    )
    navigator.pageChanged.connect(lambda: usage.add(f"screens.{navigator.current.value}"))
    navigator.offerOpened.connect(usage.offer_views.add)
    services.entryOpened.connect(lambda: usage.add("services.opened"))
    sync_model.configApplied.connect(
        lambda config: apply_pushed_config(config, monitor, language, outbox)
    )
    session.activeChanged.connect(lambda: None if session.is_active() else attract.refresh())
    retranslators = (
        browse.retranslate,
        attract.retranslate,
        detail.retranslate,
        apply.retranslate,
        sync_model.retranslate,
        services.retranslate,
        firms.retranslate,
    )
    for retranslate in retranslators:
        language.languageChanged.connect(retranslate)

    stage(4, "QML engine")
    engine = QQmlApplicationEngine()
    engine.addImageProvider(PROVIDER_ID, QrImageProvider())
    engine.addImageProvider(TRADE_ICONS, TradeIconProvider())
    engine.addImportPath(str(QML_DIR / "keyboard"))  # the keyboard's kiosk style
    engine.warnings.connect(_log_qml_warnings)
    language.languageChanged.connect(engine.retranslate)
    engine.setInitialProperties(
        {
            "theme": theme,
            "language": language,
            "session": session,
            "monitor": monitor,
            "navigator": navigator,
            "attract": attract,
            "browse": browse,
            "detail": detail,
            "apply": apply,
            "operator": operator,
            "sync": sync_model,
            "guide": guide,
            "services": services,
            "firms": firms,
            "verdict": verdict,
        }
    )
    engine.load(main_qml())
    roots = engine.rootObjects()
    if not roots or not isinstance(roots[0], QQuickWindow):
        shiboken6.delete(engine)
        search.stop()
        raise RuntimeError(f"cannot load {main_qml().toLocalFile()} (see the QML errors above)")
    window = roots[0]
    window.installEventFilter(lockdown)  # no escape key, no close, the operator's gesture
    guide.attach(window)  # after the lockdown: keys reach the guide first
    # The keyboard follows the focus (owned by the window; after the QML's own handlers of
    # a page change, so that it sees which fields the new page shows).
    navigator.pageChanged.connect(KeyboardPolicy(window, window).page_changed)

    stage(5, "window")
    window.widthChanged.connect(lambda w: theme.set_window_size(w, window.height()))
    window.heightChanged.connect(lambda h: theme.set_window_size(window.width(), h))

    def input_happened() -> None:  # the idle time counts again, and the verdict's
        monitor.poke()
        verdict.poke()

    activity = ActivityFilter(input_happened)
    app.installEventFilter(activity)
    kiosk = Kiosk(
        settings,
        store,
        search,
        formatter,
        language,
        theme,
        results,
        browse,
        attract,
        detail,
        outbox,
        apply,
        operator,
        lockdown,
        navigator,
        monitor,
        session,
        engine,
        window,
        activity,
        watcher,
        sync_model,
        usage,
        sync_lock,
        guide,
        speaker,
        headset,
        started_at,
        services=services,
        firms=firms,
        verdict=verdict,
    )

    if freeze_heap:

        def first_answer() -> None:
            search.pageReady.disconnect(first_answer)
            QTimer.singleShot(0, search, freeze_startup_heap)

        search.pageReady.connect(first_answer)

    def first_frame() -> None:
        if kiosk.first_frame_at is None:
            kiosk.first_frame_at = time.time()
            log.info("start: first frame on screen at %.0f ms", _ms(started))
            search.start()
            QTimer.singleShot(SYNC_START_DELAY_MS, sync_model, sync_model.start)
            # The session's screens, under the attract screen, are made now (Main.qml), once
            # this frame's rendering has returned.
            QTimer.singleShot(0, window, make_screens)

    def make_screens() -> None:
        window.setProperty("screensMade", True)
        log.info("start: session screens made at %.0f ms", _ms(started))

    window.frameSwapped.connect(first_frame)
    # A window that is never exposed (covered, minimised) must not leave the kiosk blind.
    QTimer.singleShot(SEARCH_START_LATEST_MS, search, search.start)
    _show(app, window, size, fullscreen)
    theme.set_window_size(window.width(), window.height())
    browse.start()
    attract.refresh()
    log.info("start: ready in %.0f ms", _ms(started))
    return kiosk


def go_back(
    navigator: Navigator,
    detail: DetailViewModel,
    browse: BrowseViewModel,
    operator: OperatorViewModel,
    verdict: VerdictViewModel | None = None,
) -> None:
    """The "back" key: closes what is open on top (the operator's panel, a QR panel, the
    filter panel; the verdict's question is skipped), or goes one screen back."""
    if operator.property("open"):
        operator.close()
    elif verdict is not None and verdict.is_showing():
        verdict.answer("skipped")
    elif detail.property("panel"):
        detail.closePanel()
    elif browse.is_panel_open():
        browse.closePanel()
    else:
        navigator.back()


def typed_something(browse: BrowseViewModel, apply: ApplyViewModel) -> bool:
    """Whether leaving now would clear what the person typed: a search, or a form begun."""
    if browse.property("text"):
        return True
    if apply.property("step") not in ("form", "review"):
        return False  # no form, or an application already kept: nothing to lose
    return any(apply.property(name) for name in ("firstName", "lastName", "phone", "email"))


def apply_pushed_config(
    config: KioskConfig, monitor: IdleMonitor, language: LanguageController, outbox: Outbox
) -> None:
    """What a configuration pushed by the hub changes at once; the rest (name, radius) is
    saved and read at the next start."""
    monitor.configure(config.idle)
    language.set_default(config.languages.default)
    outbox.backlog_limit = config.outbox.backlog_limit
    log.info("configuration from the hub in use; the name and radius apply at the next start")


def freeze_startup_heap() -> None:
    """Keep the garbage collector off what start-up built (Qt bindings, SQLAlchemy, the QML
    view-models, the first search index): it lives as long as the kiosk, and walking it in a
    full collection took 60-100 ms on the 2-core reference machine, a visible hitch in the
    middle of typing or flicking. Later objects are collected as usual, and frozen ones are
    still freed when their last reference goes."""
    gc.collect()
    gc.freeze()
    log.info(
        "start: %d long-lived objects set aside from garbage collection", gc.get_freeze_count()
    )


def _ms(since: float) -> float:
    return (time.perf_counter() - since) * 1000


def _log_qml_warnings(warnings: list[QQmlError]) -> None:
    for warning in warnings:
        log.error("QML: %s", warning.toString())


def _show(app: QGuiApplication, window: QQuickWindow, size: tuple[int, int], full: bool) -> None:
    if full:
        window.setFlag(Qt.WindowType.FramelessWindowHint, True)
        # Without a window manager (bare X11), showFullScreen() alone keeps a small window.
        window.setGeometry(window.screen().geometry())
        window.showFullScreen()
    else:
        window.resize(QSize(*size))
        window.show()
    if any(d.type() == QInputDevice.DeviceType.TouchScreen for d in QInputDevice.devices()):
        app.setOverrideCursor(Qt.CursorShape.BlankCursor)  # a touch terminal shows no cursor


def run_kiosk(settings: Settings, *, windowed: bool, size: tuple[int, int] | None) -> int:
    """`kiosk run`: the kiosk window until the application quits."""
    prepare_environment()
    app = QGuiApplication(sys.argv[:1])
    app.setApplicationName("job-kiosk")
    kiosk = build_kiosk(
        settings,
        size=size or DEFAULT_SIZE,
        fullscreen=not windowed,
        sound=Chime(),
        tick=Chime(tick_path(), volume=0.5),
        freeze_heap=True,
    )
    kiosk.headset.watch_audio_outputs()  # plugging a headset in starts audio mode

    def on_bug(
        kind: type[BaseException], value: BaseException, trace: TracebackType | None
    ) -> None:
        # A bug must not leave a passer-by's data on screen: log it, wipe, back to attract.
        log.critical("unexpected error; ending the session", exc_info=(kind, value, trace))
        kiosk.session.end()

    sys.excepthook = on_bug

    # systemd stops the kiosk with SIGTERM. The event loop itself reads the signal and leaves
    # with exit(), which closes no window (quit() closes them all first, from wherever it is
    # called: inside a timer pass that crashed Qt). The window goes in the ordered shutdown,
    # once no event loop runs. (While it starts, SIGTERM ends the process at once: nothing is
    # lost, SQLite keeps the stores whole.)
    stop_signals = StopSignals()
    stop_signals.received.connect(lambda _number: app.exit(0))
    heartbeat = QTimer()
    heartbeat.start(500)
    heartbeat.timeout.connect(keep_none_referenced)
    watchdog = report_to_systemd(kiosk)
    # Once the terminal has settled, read every page of the offers cache in the background:
    # damage found there is repaired at the next start (only the tables needed to start are
    # checked while starting, to keep the start fast).
    full_check = QTimer()
    full_check.setSingleShot(True)
    full_check.timeout.connect(lambda: verify_in_background(settings.offers_db))
    full_check.start(FULL_CHECK_AFTER_MS)
    try:
        return app.exec()
    finally:
        for timer in (heartbeat, watchdog, full_check):
            if timer is not None:
                timer.stop()
        sys.excepthook = sys.__excepthook__
        kiosk.shutdown()
        stop_signals.close()  # a second SIGTERM during the shutdown was ignored


FULL_CHECK_AFTER_MS = 120_000


def report_to_systemd(kiosk: Kiosk) -> QTimer | None:
    """Under systemd: READY=1 once the first frame is on screen (and the release guard told
    this version started healthy), then WATCHDOG=1 from the UI thread, so a frozen interface
    is restarted. Outside systemd: nothing."""
    from kiosk.release.guard import confirm_healthy  # noqa: PLC0415
    from kiosk.release.sdnotify import Notifier  # noqa: PLC0415

    notifier = Notifier()

    def ready() -> None:
        if kiosk.first_frame_at is None:
            return
        kiosk.window.frameSwapped.disconnect(ready)
        confirm_healthy(kiosk.settings.data_dir, __version__, time.time())
        notifier.ready("kiosk window on screen")

    kiosk.window.frameSwapped.connect(ready)  # after build_kiosk's own first-frame slot
    interval = notifier.watchdog_interval()
    if not notifier.enabled or interval is None:
        return None
    timer = QTimer()
    timer.timeout.connect(notifier.watchdog)
    timer.start(max(500, round(interval * 1000 / 2)))
    return timer


def selftest(settings: Settings) -> int:
    """`kiosk --selftest`: offscreen, open the store, render the attract screen, exit 0.

    The release updater runs it on a new version before switching to it."""
    prepare_environment(headless=True)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    store = open_terminal_store(settings, seed_demo=False)
    kiosk = build_kiosk(settings, store=store, sound=None, speech=False, sync=False)
    try:
        wait_until(lambda: kiosk.first_frame_at is not None, what="the first frame")
        settle(kiosk.window)
        image = kiosk.window.grabWindow()
        if image.isNull() or image.width() == 0:
            log.error("selftest: the window rendered nothing")
            return 1
        distinct = {
            image.pixel(x, y)
            for x in range(0, image.width(), 37)
            for y in range(0, image.height(), 37)
        }
        if len(distinct) < 2:
            log.error("selftest: the attract screen is blank")
            return 1
        log.info("selftest: attract screen rendered, %d offers in the store", store.count())
        return 0
    finally:
        kiosk.shutdown()


# -- screenshots ------------------------------------------------------------------------------


class ManualClock:
    """A monotonic clock that moves only when told (screenshots of the idle warning, tests)."""

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move time forward."""
        self.now += seconds


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0, what: str = "") -> None:
    """Run the event loop until `predicate()` holds; RuntimeError after `timeout_s`.

    The loop sleeps between events (a spinning loop would hold the GIL the search thread
    needs) and checks the predicate every few milliseconds.
    """
    if predicate():
        return
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: loop.quit() if predicate() else None)
    limit = QTimer()
    limit.setSingleShot(True)
    limit.timeout.connect(loop.quit)
    poll.start()
    limit.start(round(timeout_s * 1000))
    # (PySide6 6.12 drops two references to None per exec(); a few waits per screenshot are
    # harmless — see tests/ui/conftest.py.)
    loop.exec()
    poll.stop()
    limit.stop()
    if not predicate():
        raise RuntimeError(f"timed out waiting for {what or 'the screen'}")


def settle(window: QQuickWindow, frames: int = 3) -> None:
    """Let bindings, images and animations settle and a few frames be painted."""
    painted = 0

    def count() -> None:
        nonlocal painted
        painted += 1

    window.frameSwapped.connect(count)
    try:
        for _ in range(frames):
            target = painted + 1
            window.update()
            wait_until(lambda: painted >= target, what="a frame")  # noqa: B023
    finally:
        window.frameSwapped.disconnect(count)


def show_screen(kiosk: Kiosk, screen: str, offer_id: str | None, clock: ManualClock) -> None:
    """Bring `kiosk` to `screen` ("attract", "browse", "filters", "detail", "apply",
    "confirmation", "idle", "operator", "operator-status", "services", "service": the first
    service open, "firms": the firms of the trade tile that has most, "firm": the first of
    them open, "firm-apply": a spontaneous application to it, "verdict": the question asked
    on leaving after an offer was opened)
    with its data loaded. The apply form shows sample answers and one error, as a passer-by
    would see it after a typo; nothing is sent."""
    wait_until(lambda: kiosk.attract.offer_count() is not None, what="the offer count")
    wait_until(lambda: screens_made(kiosk.window), what="the session's screens")
    if screen == "attract":
        return
    kiosk.session.wake()
    wait_until(
        lambda: not kiosk.results.is_loading() and kiosk.results.rowCount() > 0, what="offers"
    )
    if screen in {"detail", "apply", "confirmation", "verdict"}:
        if offer_id is not None:
            found = kiosk.store.find_external(offer_id)
            if found is None:
                raise LookupError(f"no offer with the id {offer_id} in the cache")
        else:
            found = kiosk.results.offerIdAt(0)
        kiosk.navigator.openOffer(found)
        if screen == "confirmation":
            kiosk.navigator.startApply(not kiosk.detail.property("canApplyHere"))
            kiosk.apply.preview_confirmation("K7Q2MX")
        if screen == "apply":
            kiosk.navigator.startApply(not kiosk.detail.property("canApplyHere"))
            kiosk.apply.setProperty("firstName", "Amélie")
            kiosk.apply.setProperty("lastName", "Ndiaye")
            kiosk.apply.setProperty("phone", "06 12 34")
            kiosk.apply.setProperty("availableNow", "yes")
            kiosk.apply.review()  # shows the phone number's error beside it
        if screen == "verdict":
            kiosk.session.leave()  # the person leaves after reading the offer
            if kiosk.verdict is None or not kiosk.verdict.is_showing():
                raise RuntimeError("the verdict did not show on leaving")
    elif screen in {"services", "service"}:
        kiosk.navigator.openServices()
        first = kiosk.services.first_id() if kiosk.services is not None else None
        if screen == "service" and first is not None and kiosk.services is not None:
            kiosk.services.open(first)
    elif screen in {"firms", "firm", "firm-apply"}:
        show_firms(kiosk, screen)
    elif screen == "operator":
        kiosk.operator.request()
    elif screen == "operator-status":
        kiosk.operator.unlock_for_screenshot()
    elif screen == "idle":
        clock.advance(kiosk.monitor.warning_after_s)
        kiosk.monitor.check()
        clock.advance(3)
        kiosk.monitor.check()  # a few seconds into the countdown, as a passer-by sees it
    elif screen == "filters":  # two filters in use and, in portrait, the filter panel
        kiosk.browse.toggleChip("contract-CDI")
        kiosk.browse.toggleChip("distance-10")
        kiosk.browse.openPanel()
        wait_until(lambda: not kiosk.results.is_loading(), what="the filtered offers")
    elif screen != "browse":
        raise ValueError(f"unknown screen {screen!r}")


def show_firms(kiosk: Kiosk, screen: str) -> None:
    """The firms of the trade tile with most firms, as a passer-by reaches them; with the
    first firm open ("firm"), and a spontaneous application to it begun ("firm-apply")."""
    cache = FirmsCache(kiosk.store.engine, kiosk.settings.config.origin)
    counts = {code: cache.count_family(code) for code in trades.CODES}
    family = max(counts, key=lambda code: counts[code])
    if kiosk.firms is None or counts[family] == 0:
        raise LookupError("no firms near here in the cache")
    kiosk.browse.chooseTrade(family)
    kiosk.navigator.openFirms("browse")
    first = kiosk.firms.first_key()
    if screen in {"firm", "firm-apply"} and first is not None:
        kiosk.firms.open(first)
    if screen == "firm-apply":
        kiosk.navigator.startSpontaneous()
        kiosk.apply.setProperty("firstName", "Amélie")
        kiosk.apply.setProperty("lastName", "Ndiaye")
        kiosk.apply.setProperty("phone", "06 12 34 56 78")
        settle(kiosk.window)  # the form took the focus as it showed: the whole form instead
        kiosk.window.contentItem().forceActiveFocus()
        QGuiApplication.inputMethod().hide()


def show_keyboard(kiosk: Kiosk) -> None:
    """Bring the on-screen keyboard up on the focused text field, else on the search field."""
    focused: QQuickItem | None = kiosk.window.activeFocusItem()  # None: no focus at all
    if focused is None or not focused.flags() & QQuickItem.Flag.ItemAcceptsInputMethod:
        field = _find_item(kiosk.window, "searchField")
        if field is None or not field.isVisible():
            raise LookupError("no text field on this screen for the keyboard")
        field.forceActiveFocus()
    QGuiApplication.inputMethod().show()
    panel = _find_item(kiosk.window, "keyboard")
    if panel is None:
        raise LookupError("no on-screen keyboard in the window")
    wait_until(lambda: bool(panel.property("active")), what="the keyboard")


def screens_made(window: QQuickWindow) -> bool:
    """Whether the session's screens exist (made just after the first frame, Main.qml)."""
    return bool(window.property("screensMade"))


def _find_item(window: QQuickWindow, name: str) -> QQuickItem | None:
    """The first item of the scene called `name` (objectName), or None."""
    stack = [window.contentItem()]
    while stack:
        current = stack.pop()
        if current.objectName() == name:
            return current
        stack.extend(reversed(current.childItems()))
    return None


def focus_in_audio_mode(kiosk: Kiosk, name: str, most: int = 200) -> None:
    """Audio mode on, then "next" until the item called `name` has the guide's focus."""
    from kiosk.ui.keymap import Command  # noqa: PLC0415

    kiosk.guide.setAudio(True)
    for _ in range(most):
        focus = kiosk.guide.focus
        if focus is not None and focus.objectName() == name:
            return
        kiosk.guide.command(Command.NEXT)
    raise LookupError(f"no item called {name} in the focus order of this screen")


def take_screenshot(
    settings: Settings,
    screen: str,
    out: Path,
    *,
    lang: str,
    size: tuple[int, int],
    offer_id: str | None,
    offline_hours: float | None = None,
    keyboard: bool = False,
    high_contrast: bool = False,
    large_text: bool = False,
    audio_focus: str | None = None,
) -> None:
    """`kiosk screenshot`: render one screen to a PNG file, offscreen when there is no display.
    With `audio_focus` (an item's objectName) audio mode is on and its focus ring on that item.

    It never syncs; with `offline_hours` it shows the offline banner for offers that old; with
    `keyboard` the on-screen keyboard is up; `high_contrast` and `large_text` are the passer-by's
    switches."""
    headless = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    prepare_environment(headless=headless)
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    assert isinstance(app, QGuiApplication)
    clock = ManualClock()
    kiosk = build_kiosk(settings, size=size, idle_clock=clock, speech=False, sync=False)
    try:
        kiosk.language.setLanguage(lang)
        if offline_hours is not None:
            kiosk.sync.show_offline(int(time.time() - offline_hours * 3600))
        show_screen(kiosk, screen, offer_id, clock)
        kiosk.theme.setHighContrast(high_contrast)
        kiosk.theme.setLargeText(large_text)
        if audio_focus is not None:
            focus_in_audio_mode(kiosk, audio_focus)
        if keyboard:
            show_keyboard(kiosk)
        settle(kiosk.window)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not kiosk.window.grabWindow().save(str(out)):
            raise OSError(f"cannot write {out}")
    finally:
        kiosk.shutdown()
