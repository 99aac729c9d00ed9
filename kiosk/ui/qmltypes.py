"""QML registration: the view-models are types of the QML module `Kiosk` that only Python makes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QObject
from PySide6.QtQml import QmlUncreatable

QML_MODULE = "Kiosk"
_Q = TypeVar("_Q", bound=type[QObject])


def uncreatable(reason: str) -> Callable[[_Q], _Q]:
    """`QmlUncreatable(reason)`, typed: QML may name the type (typed required properties)
    but never create one. Put it under `@QmlElement`."""
    decorator: Callable[[_Q], _Q] = QmlUncreatable(reason)  # type: ignore[assignment]  # stub: a class, not a decorator
    return decorator
