"""Canary for the PySide6 reference bug worked around in tests/ui/conftest.py (NONE_REFERENCES).

When these tests fail, PySide no longer drops references to None (or to True): remove
NONE_REFERENCES, the autouse top-up in tests/conftest.py, the kiosk's keep_none_referenced and
this file.
"""

from __future__ import annotations

import subprocess
import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Signal
from PySide6.QtQuick import QQuickItem

from kiosk.ui.refcounts import NONE_LOW_WATER, keep_none_referenced


def test_static_process_events_still_drops_none(qapp: Any) -> None:
    before = sys.getrefcount(None)
    for _ in range(100):
        QCoreApplication.processEvents()
    assert sys.getrefcount(None) - before <= -90


def test_event_loop_instance_is_sound(qapp: Any) -> None:
    loop = QEventLoop()
    before = sys.getrefcount(None)
    for _ in range(100):
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 1)
    assert sys.getrefcount(None) - before > -10


def test_calls_returning_none_still_drop_none(qapp: Any) -> None:
    # Why the kiosk tops None's references up (kiosk.ui.app.keep_none_referenced).
    item = QQuickItem()
    before = sys.getrefcount(None)
    for _ in range(100):
        item.parentItem()
    assert sys.getrefcount(None) - before <= -90


def test_python_signals_still_drop_true(qapp: Any) -> None:
    # Why the kiosk and the tests top True's references up too.
    class Emitter(QObject):
        changed = Signal()

    emitter = Emitter()
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.changed.emit()
    assert sys.getrefcount(True) - before <= -90


def test_the_kiosk_keeps_none_and_true_referenced(qapp: Any) -> None:
    keep_none_referenced()
    assert sys.getrefcount(None) >= NONE_LOW_WATER
    assert sys.getrefcount(True) >= NONE_LOW_WATER


def test_a_process_that_emitted_a_lot_exits_cleanly(tmp_path: Any) -> None:
    # More emits than True has references of its own: without the pinned spare references
    # the interpreter aborts in its last collection ("bool_dealloc").
    script = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "from kiosk.ui.refcounts import keep_none_referenced\n"
        "app = QCoreApplication([])\n"
        "class E(QObject):\n"
        "    s = Signal()\n"
        "e = E()\n"
        "keep_none_referenced()\n"
        "for _ in range(200_000):\n"
        "    e.s.emit()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "Fatal Python error" not in done.stderr
