"""Spare references to None and True, for a PySide6 bug.

PySide6 6.12 on CPython 3.11 drops a reference to None on every call that returns None, and
a reference to True on every signal emitted from Python (tests/ui/test_pyside_canary.py
measures both). The guide makes such calls as it reads the screen, and every view-model
emits: a terminal used for days would bring either count to zero and abort ("none_dealloc",
"bool_dealloc"). The kiosk tops them up on its heartbeat, the tests before each test. No Qt
import here: the hub's tests use it too.
"""

from __future__ import annotations

import ctypes
import sys

NONE_LOW_WATER = 1_000_000


def keep_none_referenced() -> None:
    """Hold a million more references to None, and to True, when fewer than
    `NONE_LOW_WATER` are left. The references are never given back, not even at exit: by
    then they make up for the ones PySide dropped, and freeing them would take the count
    below zero in the interpreter's last collection ("bool_dealloc" at exit)."""
    for singleton in (None, True):
        if sys.getrefcount(singleton) < NONE_LOW_WATER:
            pin([singleton] * NONE_LOW_WATER)


def pin(value: object) -> None:
    """Keep `value` alive until the process ends, whatever the interpreter frees at exit."""
    ctypes.pythonapi.Py_IncRef(ctypes.py_object(value))
