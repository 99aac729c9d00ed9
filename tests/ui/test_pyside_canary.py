"""Canary for the PySide6 reference bug worked around in tests/ui/conftest.py (NONE_REFERENCES).

When these tests fail, PySide no longer drops references to None: remove NONE_REFERENCES, the
kiosk's keep_none_referenced and this file.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop
from PySide6.QtQuick import QQuickItem

from kiosk.ui.app import NONE_LOW_WATER, keep_none_referenced


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


def test_the_kiosk_keeps_none_referenced(qapp: Any) -> None:
    keep_none_referenced()
    assert sys.getrefcount(None) >= NONE_LOW_WATER
