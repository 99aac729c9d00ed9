"""A list model over a Python list, for the screens' short lists (sections, needs, firms,
tiles): the roles table, the row check and the reset that each of them would otherwise write.

Lists that page (kiosk.ui.offer_model: fetchMore) or signal single rows with their roles
(kiosk.ui.browse's filter chips) keep their own QAbstractListModel.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex


def qml_name(role: enum.IntEnum) -> str:
    """The name QML reads a role by: its member's name in camelCase (COUNT_TEXT → countText)."""
    first, *rest = role.name.lower().split("_")
    return first + "".join(word.capitalize() for word in rest)


class RowsModel(QAbstractListModel, Generic[R]):
    """Rows of type `R`, each role read from a row by its getter.

    `roles` maps each role (an IntEnum from `Qt.ItemDataRole.UserRole + 1`, so Python can
    name it) to its getter; QML names it by `qml_name`. Qt's DisplayRole reads `display`. A
    subclass registers itself with `@QmlElement` (this base is never named in QML).
    """

    def __init__(
        self,
        roles: Mapping[enum.IntEnum, Callable[[R], Any]],
        display: enum.IntEnum | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._getters = {int(role): getter for role, getter in roles.items()}
        if display is not None:
            self._getters[int(Qt.ItemDataRole.DisplayRole)] = roles[display]
        self._names = {int(role): qml_name(role).encode() for role in roles}
        self._rows: list[R] = []

    @property
    def rows(self) -> Sequence[R]:
        """The rows shown."""
        return self._rows

    def reset(self, rows: list[R]) -> None:
        """Replace every row (the view starts again from the top)."""
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def refresh(self, rows: list[R] | None = None) -> None:
        """The same rows with new values (`rows`, or new words after a language change):
        every row's data changed, without a reset, so the view keeps its place."""
        if rows is not None:
            self._rows = rows
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def roleNames(self) -> dict[int, QByteArray]:
        return {role: QByteArray(name) for role, name in self._names.items()}

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = index.row()
        if not index.isValid() or index.parent().isValid() or not 0 <= row < len(self._rows):
            return None
        getter = self._getters.get(role)
        return None if getter is None else getter(self._rows[row])
