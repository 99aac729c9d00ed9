"""RowsModel, the base of the screens' short lists: roles by getter, the row check, resets."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt
from PySide6.QtQml import QQmlComponent, QQmlEngine
from PySide6.QtTest import QSignalSpy

from kiosk.ui.list_model import RowsModel, qml_name


@dataclass(frozen=True)
class Row:
    key: str
    title: str
    count: int


class Role(enum.IntEnum):
    KEY = Qt.ItemDataRole.UserRole + 1
    TITLE = enum.auto()
    COUNT_TEXT = enum.auto()


class RowModel(RowsModel[Row]):
    def __init__(self, display: Role | None = Role.TITLE, parent: QObject | None = None) -> None:
        super().__init__(
            {
                Role.KEY: lambda row: row.key,
                Role.TITLE: lambda row: row.title,
                Role.COUNT_TEXT: lambda row: f"{row.count} offers",
            },
            display=display,
            parent=parent,
        )


ROWS = [Row("a", "Bakery", 3), Row("b", "Building", 12)]


def _column(model: RowModel, role: int) -> list[Any]:
    return [model.data(model.index(row, 0), role) for row in range(model.rowCount())]


def test_each_role_reads_its_getter_by_its_qml_name(qtbot: Any, qtmodeltester: Any) -> None:
    model = RowModel()
    model.reset(list(ROWS))
    assert model.rowCount() == 2 and list(model.rows) == ROWS
    assert {role: bytes(name.data()) for role, name in model.roleNames().items()} == {
        Role.KEY: b"key",
        Role.TITLE: b"title",
        Role.COUNT_TEXT: b"countText",
    }
    assert _column(model, Role.KEY) == ["a", "b"]
    assert _column(model, Role.COUNT_TEXT) == ["3 offers", "12 offers"]
    assert _column(model, Qt.ItemDataRole.DisplayRole) == ["Bakery", "Building"]
    assert _column(model, Qt.ItemDataRole.ToolTipRole) == [None, None]  # a role it lacks
    assert _column(model, Role.COUNT_TEXT + 1) == [None, None]
    undisplayed = RowModel(display=None)
    undisplayed.reset(list(ROWS))
    assert _column(undisplayed, Qt.ItemDataRole.DisplayRole) == [None, None]
    assert qml_name(Role.COUNT_TEXT) == "countText"
    qtmodeltester.check(model, force_py=True)


def test_no_row_outside_the_list(qtbot: Any) -> None:
    model = RowModel()
    model.reset(list(ROWS))
    for row in (-1, 2, 10):
        assert model.data(model.createIndex(row, 0), Role.KEY) is None
    assert model.data(QModelIndex(), Role.KEY) is None
    assert model.rowCount(model.index(0, 0)) == 0  # a flat list: no row has children


def test_reset_and_refresh_signal_what_changed(qtbot: Any) -> None:
    model = RowModel()
    about, reset = QSignalSpy(model.modelAboutToBeReset), QSignalSpy(model.modelReset)
    changed = QSignalSpy(model.dataChanged)
    model.refresh()  # no rows: nothing to say
    assert (about.count(), reset.count(), changed.count()) == (0, 0, 0)
    model.reset(list(ROWS))
    assert (about.count(), reset.count(), changed.count()) == (1, 1, 0)
    model.refresh([Row("a", "Bakery", 4), Row("b", "Building", 13)])  # same rows, new counts
    assert (about.count(), reset.count(), changed.count()) == (1, 1, 1)
    first, last = changed.at(0)[0], changed.at(0)[1]
    assert (first.row(), last.row()) == (0, 1)  # every row, at once
    assert _column(model, Role.COUNT_TEXT) == ["4 offers", "13 offers"]
    model.reset([])
    assert (about.count(), reset.count(), model.rowCount()) == (2, 2, 0)


def test_qml_reads_the_roles_by_name(qtbot: Any) -> None:
    model = RowModel()
    model.reset(list(ROWS))
    engine = QQmlEngine()
    component = QQmlComponent(engine)
    component.setData(
        b"""import QtQml
        Instantiator {
            property string seen
            delegate: QtObject { required property string key; required property string countText }
            onObjectAdded: (index, object) => seen += `${object.key}: ${object.countText}. `
        }""",
        "",
    )
    delegates = component.createWithInitialProperties({"model": model})
    assert delegates is not None, component.errorString()
    assert delegates.property("seen") == "a: 3 offers. b: 12 offers. "
    engine.deleteLater()
