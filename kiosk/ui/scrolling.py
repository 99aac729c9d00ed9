"""Scrolling for the audio guide: bring an item into view, or its neighbours into being."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtQuick import QQuickItem

from kiosk.ui.access_tree import ancestor


def ensure_visible(item: QQuickItem) -> None:
    """Scroll every view holding `item` so that it shows whole (or its start, if larger), as
    a person scrolls to what they want to read or press."""
    view = ancestor(item, "QQuickFlickable")
    while view is not None:
        rect = item.mapRectToItem(view, QRectF(0, 0, item.width(), item.height()))
        for axis, start, end, size in (
            ("contentY", rect.top(), rect.bottom(), view.height()),
            ("contentX", rect.left(), rect.right(), view.width()),
        ):
            if start < 0 or end - start > size:
                _scroll(view, axis, start)
            elif end > size:
                _scroll(view, axis, end - size)
        view.ensurePolished()
        view = ancestor(view, "QQuickFlickable")


def reveal_neighbours(item: QQuickItem | None, step: int) -> None:
    """In a list that builds its items as they scroll in, bring `item` to the edge it leaves
    from (the start going forward, `step` > 0), so the items after it (or before it) exist."""
    view = ancestor(item, "QQuickItemView")
    if item is None or view is None:
        return
    rect = item.mapRectToItem(view, QRectF(0, 0, item.width(), item.height()))
    if _horizontal(view):
        _scroll(view, "contentX", rect.left() if step > 0 else rect.right() - view.width())
    else:
        _scroll(view, "contentY", rect.top() if step > 0 else rect.bottom() - view.height())
    view.ensurePolished()


def _horizontal(view: QQuickItem) -> bool:
    width = view.property("contentWidth")
    height = view.property("contentHeight")
    return (
        isinstance(width, float | int)
        and isinstance(height, float | int)
        and width > view.width() + 1
        and height <= view.height() + 1
    )


def _scroll(view: QQuickItem, axis: str, shift: float) -> None:
    """Move a Flickable's content by `shift` pixels along `axis`, within its bounds."""
    if abs(shift) < 0.5:
        return
    horizontal = axis == "contentX"
    origin = float(view.property("originX" if horizontal else "originY") or 0.0)
    content = float(view.property("contentWidth" if horizontal else "contentHeight") or 0.0)
    size = view.width() if horizontal else view.height()
    start_margin = float(view.property("leftMargin" if horizontal else "topMargin") or 0.0)
    end_margin = float(view.property("rightMargin" if horizontal else "bottomMargin") or 0.0)
    low = origin - start_margin
    high = max(low, origin + content + end_margin - size)
    current = float(view.property(axis) or 0.0)
    view.setProperty(axis, min(high, max(low, current + shift)))
