"""The window's accessibility tree as the audio guide reads it: each QML item's `Accessible`
role, name and description, what shows now, which layer is on top, and the focus stops.

The tree is Qt's own (`QAccessible`), the one a screen reader would see: the screens declare
it in QML and nothing else says what an item is called. A node counts as showing when Qt
does not flag it invisible and neither it nor any item above it is fully transparent (the
session's screens are faded out, not hidden, under the "are you still there?" screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import shiboken6
from PySide6.QtCore import QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtQuick import QQuickItem, QQuickWindow

Role = QAccessible.Role

# What a person operates.
INTERACTIVE = frozenset(
    {
        Role.Button,
        Role.CheckBox,
        Role.RadioButton,
        Role.EditableText,
        Role.ComboBox,
        Role.Link,
        Role.ListItem,
        Role.Slider,
        Role.SpinBox,
        Role.PageTab,
        Role.MenuItem,
    }
)
# What a person reads (a stop of the focus order when it has a name).
READABLE = frozenset(
    {Role.Heading, Role.StaticText, Role.Paragraph, Role.Graphic, Role.AlertMessage}
)
# Containers: a screen (Pane) or a modal layer on top of everything (Dialog).
SCREENS = frozenset({Role.Pane, Role.Dialog})


def key(item: QObject) -> int:
    """Identity of a Qt object (its C++ address), stable whatever Python wrapper holds it."""
    return int(shiboken6.getCppPointer(item)[0])


def faded(item: QQuickItem | None) -> bool:
    """Whether `item` or an item above it is fully transparent (not seen, not read)."""
    while item is not None:
        if item.opacity() <= 0.001:
            return True
        item = item.parentItem()
    return False


@dataclass(slots=True)
class Node:
    """One accessible item that shows."""

    item: QQuickItem
    role: QAccessible.Role
    name: str
    description: str
    parent: int  # index of the parent node, -1 for the window's children
    depth: int
    checkable: bool = False
    checked: bool = False
    children: list[int] = field(default_factory=list)

    @property
    def interface(self) -> QAccessibleInterface | None:
        """Qt's accessible interface of the item (for its actions)."""
        return QAccessible.queryAccessibleInterface(self.item)

    @property
    def interactive(self) -> bool:
        """Whether a person operates it."""
        return self.role in INTERACTIVE

    @property
    def editable(self) -> bool:
        """Whether it is a text field."""
        return self.role == Role.EditableText

    @property
    def personal(self) -> bool:
        """Whether it holds a person's data: a text field with `Qt.ImhSensitiveData`, or an
        item that declares `personalData: true` (its description is the data)."""
        if self.editable:
            hints = self.item.inputMethodQuery(Qt.InputMethodQuery.ImHints)
            return bool(int(hints or 0) & Qt.InputMethodHint.ImhSensitiveData.value)
        return bool(self.item.property("personalData"))

    @property
    def value(self) -> str:
        """What a text field holds."""
        text = self.item.property("text") if self.editable else None
        return text if isinstance(text, str) else ""

    def scene_rect(self) -> QRectF:
        """Where it is in the window."""
        return self.item.mapRectToScene(QRectF(0, 0, self.item.width(), self.item.height()))


class Tree:
    """A snapshot of what shows: nodes in reading order (depth first), the top layer, stops."""

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes
        self._index = {key(n.item): i for i, n in enumerate(nodes)}
        self.layer = self._top_layer()

    @classmethod
    def of(cls, window: QQuickWindow) -> Tree:
        """The tree of `window` as it shows now."""
        nodes: list[Node] = []
        _collect(window.contentItem(), -1, 0, nodes)
        return cls(nodes)

    def _top_layer(self) -> int:
        """The last Dialog in reading order (the top-most modal layer), or -1 for none."""
        for i in range(len(self.nodes) - 1, -1, -1):
            if self.nodes[i].role == Role.Dialog:
                return i
        return -1

    def index_of(self, item: QObject | None) -> int:
        """The node index of `item`, or -1 when it does not show."""
        return -1 if item is None else self._index.get(key(item), -1)

    def within(self, ancestor: int) -> Iterator[int]:
        """Indices of `ancestor`'s descendants, in reading order (the whole tree for -1)."""
        if ancestor < 0:
            yield from range(len(self.nodes))
            return
        stack = list(reversed(self.nodes[ancestor].children))
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(self.nodes[current].children))

    def stops(self) -> list[int]:
        """The focus order of the top layer: every control, and every text with a name."""
        return [i for i in self.within(self.layer) if self._is_stop(i)]

    def _is_stop(self, index: int) -> bool:
        node = self.nodes[index]
        if node.role in INTERACTIVE:
            return True
        if node.role not in READABLE or not (node.name or node.description):
            return False
        # A label inside a control is said with the control.
        parent = node.parent
        while parent >= 0:
            if self.nodes[parent].role in INTERACTIVE:
                return False
            parent = self.nodes[parent].parent
        return True

    def screen_of(self, index: int) -> int:
        """The screen (Pane or Dialog) that holds node `index`, or -1."""
        current = self.nodes[index].parent if index >= 0 else -1
        while current >= 0 and self.nodes[current].role not in SCREENS:
            current = self.nodes[current].parent
        return current

    def current_screen(self) -> int:
        """The screen a person is on: the top layer, or the first Pane of the tree."""
        if self.layer >= 0:
            return self.layer
        return next((i for i, n in enumerate(self.nodes) if n.role == Role.Pane), -1)

    def alerts(self) -> dict[int, str]:
        """The alert messages that show, by item."""
        return {
            key(n.item): n.name
            for i in self.within(self.layer)
            if (n := self.nodes[i]).role == Role.AlertMessage and n.name
        }

    def stop_at(self, point: QPointF) -> int:
        """The smallest stop of the top layer under `point` (window coordinates), or -1."""
        best, best_area = -1, float("inf")
        for i in self.stops():
            rect = self.nodes[i].scene_rect()
            area = rect.width() * rect.height()
            if rect.contains(point) and area < best_area:
                best, best_area = i, area
        return best


def _collect(parent: QQuickItem, parent_index: int, depth: int, out: list[Node]) -> None:
    """Walk the items under `parent` as Qt's accessibility does (an item without `Accessible`
    is passed through to its children), live: Qt's own child lists of a list view lag a frame
    behind the delegates a scroll has just made."""
    children: list[tuple[QAccessibleInterface | None, QQuickItem]] = []
    for item in parent.childItems():
        if not item.isVisible() or item.opacity() <= 0.001:
            continue
        children.append((QAccessible.queryAccessibleInterface(item), item))
    for iface, item in _in_view_order(children):
        if iface is None or not iface.isValid():
            _collect(item, parent_index, depth, out)
            continue
        state = iface.state()
        if state.invisible:
            continue
        node = Node(
            item=item,
            role=iface.role(),
            name=iface.text(QAccessible.Text.Name).strip(),
            description=iface.text(QAccessible.Text.Description).strip(),
            parent=parent_index,
            depth=depth,
            checkable=bool(state.checkable),
            checked=bool(state.checked),
        )
        out.append(node)
        index = len(out) - 1
        if parent_index >= 0:
            out[parent_index].children.append(index)
        _collect(item, index, depth + 1, out)


def _in_view_order(
    children: list[tuple[QAccessibleInterface | None, QQuickItem]],
) -> list[tuple[QAccessibleInterface | None, QQuickItem]]:
    """The children in reading order: the delegates of a list view come in the order their
    items were made or recycled, so each run of them is put in the order they show."""
    if not children or not _is_content_of_view(children[0][1].parentItem()):
        return children
    return sorted(children, key=lambda pair: _position(pair[1]))


def _is_content_of_view(item: QQuickItem | None) -> bool:
    parent = item.parentItem() if item is not None else None
    return parent is not None and parent.inherits("QQuickItemView")


def view_of(item: QQuickItem | None) -> QQuickItem | None:
    """The list or grid view whose delegate `item` is (or is inside), or None."""
    current = item.parentItem() if item is not None else None
    while current is not None and not current.inherits("QQuickItemView"):
        current = current.parentItem()
    return current


def _position(item: QQuickItem) -> tuple[float, float]:
    point = item.mapToScene(QPointF(0, 0))
    return (round(point.y()), point.x())
