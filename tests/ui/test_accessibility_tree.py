"""The accessibility tree of every screen, as the audio guide and any assistive technology read
it through QAccessible: every control named and at least 20 mm both ways, every text that a
person without sight needs exposed with its words, nothing hidden reported as showing."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject, QObject, QPoint
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtQuick import QQuickItem

from kiosk.config import Settings, parse_config
from kiosk.release.pin import hash_pin
from kiosk.sealing import generate_keypair
from kiosk.ui.access_tree import INTERACTIVE, Tree
from kiosk.ui.app import Kiosk, ManualClock
from kiosk.ui.apply import spell_reference
from kiosk.ui.detail import SectionRole
from tests.ui.conftest import CONFIG, item, shown, tap, tap_at
from tests.ui.test_apply import painted, press, type_into

pytestmark = pytest.mark.ui

KEYS = generate_keypair()
PIN = "246810"
Role = QAccessible.Role

READABLE = {Role.Heading, Role.StaticText, Role.AlertMessage}


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal that takes applications (a hub key) and has an operator PIN."""
    config = parse_config(
        CONFIG
        + f'\n[hub]\npublic_key = "{KEYS[1]}"\n'
        + f'\n[operator]\npin_hash = "{hash_pin(PIN, log2_n=10)}"\n',
        "test configuration",
    )
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


@dataclass(frozen=True)
class Node:
    """One node of the tree that reports itself as showing."""

    role: QAccessible.Role
    name: str
    description: str
    width: int
    height: int
    target: QObject | None

    def __str__(self) -> str:
        kind = type(self.target).__name__ if self.target is not None else "?"
        name = self.target.objectName() if self.target is not None else ""
        return f"{self.role.name} {self.name!r} ({kind} {name!r}, {self.width}×{self.height})"


def transparent(target: QObject | None) -> bool:
    """Whether `target`, or an item above it, is fully transparent (seen by nobody)."""
    current = target if isinstance(target, QQuickItem) else None
    while current is not None:
        if current.opacity() <= 0:
            return True
        current = current.parentItem()
    return False


def walk(kiosk: Kiosk) -> list[Node]:
    """The nodes of the window's tree that report themselves as showing: a node whose state is
    invisible, or whose item (or an item above it) has opacity 0, is skipped with its subtree."""
    root = QAccessible.queryAccessibleInterface(kiosk.window)
    assert root is not None
    nodes: list[Node] = []
    stack: list[QAccessibleInterface] = [root]
    while stack:
        iface = stack.pop()
        if iface is None or not iface.isValid() or iface.state().invisible:
            continue
        target = iface.object()
        if transparent(target):
            continue
        rect = iface.rect()
        nodes.append(
            Node(
                iface.role(),
                iface.text(QAccessible.Text.Name),
                iface.text(QAccessible.Text.Description),
                rect.width(),
                rect.height(),
                target,
            )
        )
        stack.extend(iface.child(i) for i in reversed(range(iface.childCount())))
    return nodes


def under(target: QObject | None, ancestor: QQuickItem) -> bool:
    current = target if isinstance(target, QQuickItem) else None
    while current is not None:
        if current is ancestor:
            return True
        current = current.parentItem()
    return False


def check_tree(qtbot: Any, kiosk: Kiosk, state: str) -> list[Node]:
    """Walk the tree once the screen is painted; fail on an unnamed or too small control and on
    a heading or text without words. Returns the nodes for the state's own checks."""
    painted(qtbot, kiosk)
    nodes = walk(kiosk)
    minimum = kiosk.theme.px(20) - 1  # 1 px of rounding
    problems = []
    for node in nodes:
        if node.role in INTERACTIVE:
            if not node.name.strip():
                problems.append(f"control without a name: {node}")
            if node.width < minimum or node.height < minimum:
                problems.append(f"control smaller than 20 mm: {node}")
        elif node.role in READABLE and not node.name.strip():
            problems.append(f"text without a name: {node}")
    assert not problems, f"{state} ({kiosk.language.language}):\n" + "\n".join(problems)
    return nodes


def names(nodes: list[Node], role: QAccessible.Role) -> list[str]:
    return [node.name for node in nodes if node.role == role]


def nothing_beneath_shows(kiosk: Kiosk, nodes: list[Node], state: str) -> None:
    """While an overlay covers the session, no node of the screens beneath reports showing."""
    band = item(kiosk.window, "band")
    beneath = [str(node) for node in nodes if under(node.target, band)]
    assert not beneath, f"{state}: nodes beneath reported as showing:\n" + "\n".join(beneath)


@pytest.fixture(params=["fr", "ar"])
def language(request: pytest.FixtureRequest, kiosk: Kiosk) -> Iterator[str]:
    kiosk.language.setLanguage(request.param)
    yield request.param


def test_attract_browse_detail_and_phone_dialog(qtbot: Any, kiosk: Kiosk, language: str) -> None:
    window = kiosk.window

    nodes = check_tree(qtbot, kiosk, "attract")
    [attract] = [n for n in nodes if n.target is item(window, "attractScreen")]
    assert attract.role == Role.Pane
    assert kiosk.attract.nearby in attract.description
    nothing_beneath_shows(kiosk, nodes, "attract")

    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    nodes = check_tree(qtbot, kiosk, "browse")
    [browse] = [n for n in nodes if n.target is item(window, "browseScreen")]
    assert browse.role == Role.Pane
    assert browse.name
    assert browse.description == kiosk.browse.summary
    assert kiosk.browse.summary in names(nodes, Role.StaticText)
    assert any(n.target is item(window, "filtersButton") for n in nodes)
    # The filter panel: a layer of its own over the list, which it hides from the tree.
    press(qtbot, kiosk, "filtersButton")
    qtbot.waitUntil(kiosk.browse.is_panel_open)
    nodes = check_tree(qtbot, kiosk, "filter panel")
    [panel] = [n for n in nodes if n.target is item(window, "filterPanel")]
    assert panel.role == Role.Dialog
    assert panel.description == kiosk.browse.summary
    tree = Tree.of(window)  # what the keys and audio mode reach: the panel only
    stops = [tree.nodes[i].item.objectName() for i in tree.stops()]
    assert "chip-contract-CDI" in stops and "filterPanelDone" in stops
    assert "offerCard-0" not in stops and "searchField" not in stops
    # A filter chip carries its group and says how many offers it gives.
    [chip] = [n for n in nodes if n.target is item(window, "chip-contract-CDI")]
    group = kiosk.browse.filterGroups[0].label
    assert chip.name.startswith(group)
    assert chip.name.endswith(item(window, "chip-contract-CDI").property("text"))
    assert chip.description == item(window, "chip-contract-CDI").property("description")
    assert group in names(nodes, Role.Heading)

    # A search and a filter on.
    kiosk.browse.text = "serveur"
    press(qtbot, kiosk, "chip-contract-CDI")
    qtbot.waitUntil(lambda: kiosk.browse.hasFilters and kiosk.results.rowCount() > 0)
    press(qtbot, kiosk, "filterPanelDone")
    qtbot.waitUntil(lambda: not kiosk.browse.is_panel_open())
    qtbot.waitUntil(lambda: shown(item(window, "clearSearch")))
    nodes = check_tree(qtbot, kiosk, "browse, searched and filtered")
    assert any(n.target is item(window, "clearSearch") for n in nodes)
    assert any(n.target is item(window, "clearFilters") for n in nodes)
    [in_use] = [n for n in nodes if n.target is item(window, "inUse-contract-CDI")]
    assert in_use.role == Role.Button
    assert in_use.name.endswith(item(window, "inUse-contract-CDI").property("text"))
    assert group in in_use.name

    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.offer is not None)
    nodes = check_tree(qtbot, kiosk, "detail")
    [detail] = [n for n in nodes if n.target is item(window, "detailScreen")]
    assert detail.role == Role.Pane
    assert detail.description == kiosk.detail.title
    headings = names(nodes, Role.Heading)
    assert kiosk.detail.title in headings
    sections = kiosk.detail.sections
    for row in range(sections.rowCount()):
        index = sections.index(row, 0)
        heading = sections.data(index, SectionRole.HEADING)
        body = sections.data(index, SectionRole.BODY)
        assert heading in headings
        assert body in names(nodes, Role.StaticText)
    assert kiosk.detail.company in names(nodes, Role.StaticText)
    # The screens and overlays not shown are not in the tree.
    assert not any(n.target is item(window, "browseScreen") for n in nodes)
    assert not any(n.target is item(window, "attractScreen") for n in nodes)

    if kiosk.detail.hasPhoneRoute:
        press(qtbot, kiosk, "phoneButton")
        qtbot.waitUntil(lambda: shown(item(window, "phoneDialog")))
        nodes = check_tree(qtbot, kiosk, "phone QR dialog")
        [dialog] = [n for n in nodes if n.role == Role.Dialog]
        assert dialog.name and dialog.description


def test_apply_form_errors_review_and_confirmation(qtbot: Any, kiosk: Kiosk, language: str) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))

    nodes = check_tree(qtbot, kiosk, "apply form")
    [screen] = [n for n in nodes if n.target is item(window, "applyScreen")]
    assert screen.role == Role.Pane
    assert screen.name
    assert screen.description == kiosk.apply.offerTitle
    assert kiosk.apply.privacyNotice in names(nodes, Role.StaticText)
    # Answer chips carry their question.
    [available_yes] = [n for n in nodes if n.target is item(window, "answer-availableNow-yes")]
    question = item(window, "availableNow").childItems()[0].property("text")
    answer = item(window, "answer-availableNow-yes").property("text")
    assert available_yes.name.startswith(question)
    assert available_yes.name.endswith(answer)
    assert available_yes.name != answer
    fields = [n for n in nodes if n.role == Role.EditableText]
    assert len(fields) == 4
    assert not any(n.role == Role.AlertMessage for n in nodes)  # no error yet

    # Errors: each one says which field and why; only while there is one.
    type_into(qtbot, kiosk, "firstNameInput", "Jean 😀")
    assert not kiosk.apply.review()  # what "Continue" does
    qtbot.waitUntil(lambda: bool(kiosk.apply.errors))
    nodes = check_tree(qtbot, kiosk, "apply form with errors")
    alerts = names(nodes, Role.AlertMessage)
    errors = kiosk.apply.errors
    assert any(errors["first_name"] in a and a != errors["first_name"] for a in alerts)
    assert any(errors["last_name"] in a for a in alerts)
    assert errors["consent"] in alerts
    first_name = next(n for n in nodes if n.target is item(window, "firstNameInput"))
    assert first_name.description == errors["first_name"]

    # The review: the answers are read, what the person typed is marked as personal data.
    kiosk.apply.firstName = "Amélie"
    kiosk.apply.lastName = "Ndiaye"
    kiosk.apply.phone = "06 12 34 56 78"
    kiosk.apply.availableNow = "yes"
    kiosk.apply.consent = True
    assert kiosk.apply.review()
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    nodes = check_tree(qtbot, kiosk, "review")
    rows = [n for n in nodes if isinstance(n.target, QQuickItem) and n.role == Role.StaticText]
    personal = [n for n in rows if n.target is not None and n.target.property("personalData")]
    assert {n.description for n in personal} == {"Amélie", "Ndiaye", "06 12 34 56 78"}
    for node in nodes:  # nothing typed is in a name, where speech would read it
        assert "Amélie" not in node.name
        assert "612345678" not in node.name and "06 12 34 56 78" not in node.name
        if node.target is not None and not node.target.property("personalData"):
            assert "Amélie" not in node.description
    assert any(n.name.endswith(answer) and n.name.startswith(question) for n in rows)

    assert kiosk.apply.send()
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    nodes = check_tree(qtbot, kiosk, "confirmation")
    reference = kiosk.apply.reference
    spoken = spell_reference(reference)
    assert kiosk.apply.referenceSpoken == spoken
    assert spoken in names(nodes, Role.StaticText)
    [screen] = [n for n in nodes if n.target is item(window, "applyScreen")]
    assert spoken in screen.description
    qr_captions = [n for n in names(nodes, Role.StaticText) if n.endswith(("phone", "téléphone"))]
    assert qr_captions or language == "ar"


def test_callback_form(qtbot: Any, kiosk: Kiosk, language: str) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    kiosk.navigator.startApply(True)
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")) and kiosk.apply.callback)
    nodes = check_tree(qtbot, kiosk, "callback form")
    assert len([n for n in nodes if n.role == Role.EditableText]) == 3


def test_idle_warning_hides_the_session(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock, language: str
) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    idle_clock.advance(kiosk.monitor.warning_after_s)
    qtbot.waitUntil(lambda: shown(item(window, "idleWarning")))
    nodes = check_tree(qtbot, kiosk, "idle warning")
    [warning] = [n for n in nodes if n.target is item(window, "idleWarning")]
    assert warning.role == Role.Dialog
    assert warning.name
    assert item(window, "idleCountdown").property("text") in warning.description
    nothing_beneath_shows(kiosk, nodes, "idle warning")


def test_operator_pin_pad_and_status(qtbot: Any, kiosk: Kiosk, language: str) -> None:
    window = kiosk.window
    tap(window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    for _ in range(5):
        tap_at(window, QPoint(10, 10))
    qtbot.waitUntil(lambda: shown(item(window, "operatorPanel")))
    nodes = check_tree(qtbot, kiosk, "operator PIN pad")
    [panel] = [n for n in nodes if n.target is item(window, "operatorPanel")]
    assert panel.role == Role.Dialog
    keys = {n.name for n in nodes if n.role == Role.Button}
    assert {*"0123456789", "OK"} <= keys
    assert len(keys & {"Effacer", "مسح"}) == 1  # "Erase", translated
    nothing_beneath_shows(kiosk, nodes, "operator panel")

    for digit in PIN:
        tap(window, f"pinKey-{digit}")
    tap(window, "pinKey-OK")
    qtbot.waitUntil(lambda: kiosk.operator.unlocked)
    nodes = check_tree(qtbot, kiosk, "operator status")
    rows = names(nodes, Role.StaticText)
    assert any(row.startswith(kiosk.operator.status[0]["label"]) for row in rows)


# -- right to left ------------------------------------------------------------------------------


def x_of(field: QQuickItem, position: int) -> float:
    rect = QMetaObject.invokeMethod(
        field, "positionToRectangle", Q_RETURN_ARG("QRectF"), Q_ARG(int, position)
    )
    return float(rect.x())


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_phone_and_email_read_left_to_right(qtbot: Any, kiosk: Kiosk, lang: str) -> None:
    window = kiosk.window
    kiosk.language.setLanguage(lang)
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    item(window, "phoneInput").forceActiveFocus()
    # Typed on the keyboard, as a passer-by does: the view-model gets the number unchanged.
    type_into(qtbot, kiosk, "phoneInput", "06 12 34 56 78")
    assert kiosk.apply.phone == "06 12 34 56 78"
    # Set by the view-model (e.g. back from the review).
    kiosk.apply.email = "12 34"
    painted(qtbot, kiosk)
    for name, value in (("phoneInput", "06 12 34 56 78"), ("emailInput", "12 34")):
        field = item(window, name)
        text = field.property("text")
        first = text.index(value[0])
        last = len(text) - 1
        # The first digit is drawn left of the last one: the groups are in the typed order.
        assert x_of(field, first) < x_of(field, last), f"{name} reversed in {lang}"
    assert kiosk.apply.email == "12 34"


def test_filter_group_titles_sit_at_the_start(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "filtersButton")
    for lang in ("fr", "ar"):
        kiosk.language.setLanguage(lang)
        painted(qtbot, kiosk)
        chip = item(window, "chip-contract-CDI")
        group = chip.parentItem().parentItem()  # chip → Flow → the group's Column
        title = group.childItems()[0]
        assert title.property("text") == kiosk.browse.filterGroups[0].label
        assert title.width() < group.width()  # otherwise the test proves nothing
        if lang == "fr":
            assert title.x() == 0
        else:
            assert title.x() + title.width() == pytest.approx(group.width())
