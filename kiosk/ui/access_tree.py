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
from PySide6.QtQml import QQmlProperty
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


def ancestor(item: QQuickItem | None, class_name: str) -> QQuickItem | None:
    """The nearest item above `item` that is a `class_name` (a Qt class: "QQuickFlickable",
    "QQuickItemView"), or None. It stops at the window's root item without asking for the
    root's parent: PySide 6.12 loses a reference to None on every call that returns None."""
    current = item
    while current is not None and not current.inherits(ROOT):
        above: QQuickItem | None = current.parentItem()  # None for an item out of any scene
        if above is not None and above.inherits(class_name):
            return above
        current = above
    return None


ROOT = "QQuickRootItem"  # the window's content item, the top of every scene


def declared(item: QQuickItem, name: str) -> object:
    """The value of the QML property `name` that `item` declares, or False when it declares
    none. (Not `QObject.property`, whose None for a missing property PySide 6.12 pays with a
    reference to None; nor `metaObject()`, whose wrapper outlives the QML type it describes
    and is handed back later for an item at the same address.)"""
    found = QQmlProperty(item, name)
    return found.read() if found.isValid() else False


def input_hints(item: QQuickItem) -> int:
    """The input method hints of a text field (what the keyboard offers, whether it is
    personal data)."""
    return int(item.inputMethodQuery(Qt.InputMethodQuery.ImHints) or 0)


def sensitive(item: QQuickItem) -> bool:
    """Whether a text field holds personal data (`Qt.ImhSensitiveData`)."""
    return bool(input_hints(item) & Qt.InputMethodHint.ImhSensitiveData.value)


class _Faded:
    """Whether an item, or an item above it, is fully transparent (not seen, not read); each
    item is looked at once per walk."""

    def __init__(self) -> None:
        self._known: dict[int, bool] = {}

    def __call__(self, item: QQuickItem) -> bool:
        pointer = key(item)
        known = self._known.get(pointer)
        if known is None:
            known = item.opacity() <= 0.001 or (not item.inherits(ROOT) and self(item.parentItem()))
            self._known[pointer] = known
        return known


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
            return sensitive(self.item)
        return bool(declared(self.item, "personalData"))

    @property
    def types_into_field(self) -> bool:
        """Whether it is a key of the on-screen keyboard (it declares `typesIntoField`)."""
        return bool(declared(self.item, "typesIntoField"))

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
        root = QAccessible.queryAccessibleInterface(window)
        if root is not None:
            _collect(root, -1, 0, nodes, _Faded())
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


def _collect(
    parent: QAccessibleInterface, parent_index: int, depth: int, out: list[Node], faded: _Faded
) -> None:
    for iface, item in _children(parent):
        state = iface.state()
        if state.invisible or faded(item):
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
        _collect(iface, index, depth + 1, out, faded)


def _children(parent: QAccessibleInterface) -> list[tuple[QAccessibleInterface, QQuickItem]]:
    """The accessible children of `parent` in reading order. Those of a list view are read
    from its delegates, live, in the order they show: Qt's own list lags a frame behind a
    scroll, and holds the delegates in the order they were made or recycled. (Every delegate
    must be accessible itself: a Grouping at least.)"""
    view = parent.object()
    if isinstance(view, QQuickItem) and view.inherits("QQuickItemView"):
        content = view.property("contentItem")
        delegates = []
        for delegate in content.childItems() if isinstance(content, QQuickItem) else []:
            iface = QAccessible.queryAccessibleInterface(delegate) if delegate.isVisible() else None
            if iface is not None and iface.isValid():
                delegates.append((iface, delegate))
        return sorted(delegates, key=lambda pair: _position(pair[1]))
    children = []
    for i in range(parent.childCount()):
        child: QAccessibleInterface | None = parent.child(i)
        if child is None or not child.isValid():
            continue
        item = child.object()
        if isinstance(item, QQuickItem):
            children.append((child, item))
    return children


def _position(item: QQuickItem) -> tuple[float, float]:
    point = item.mapToScene(QPointF(0, 0))
    return (round(point.y()), point.x())
