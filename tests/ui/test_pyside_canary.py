"""Canary for the PySide6 reference bug worked around in tests/ui/conftest.py (NONE_REFERENCES).

When this test fails, PySide no longer drops references to None in its event-loop functions:
remove NONE_REFERENCES and this file.
"""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QCoreApplication, QEventLoop


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
