"""The on-screen keyboard's kiosk style, measured on the rendered window: contrast of key faces
and labels in every mode, letter height in large text, and an accessible button per key."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface, QImage
from PySide6.QtQuick import QQuickItem

from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import Kiosk, take_screenshot
from kiosk.ui.theme import HIGH_CONTRAST, NORMAL, contrast_ratio, large_text_cap_mm
from tests.ui.conftest import item, keyboard_keys, laid_out, tap

pytestmark = pytest.mark.ui

LETTERS = "azertyuiopqsdfghjklmwxcvbn"  # AZERTY, the French layout


def keyboard_up(qtbot: Any, kiosk: Kiosk) -> QQuickItem:
    """Wake the kiosk and tap the search field: the keyboard comes up with the kiosk style."""
    window = kiosk.window
    kiosk.session.wake()
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    tap(window, "searchField")
    keyboard = item(window, "keyboard")
    qtbot.waitUntil(lambda: keyboard.property("active") is True)
    qtbot.waitUntil(lambda: all(letter in keyboard_keys(window) for letter in LETTERS))
    qtbot.waitUntil(lambda: keyboard.property("y") + keyboard.height() == window.height())
    qtbot.waitUntil(lambda: face_of(keyboard_keys(window)["h"]) is not None)
    laid_out(window)  # its rows of keys placed, as drawn
    return keyboard


def descendants(root: QQuickItem) -> Iterator[QQuickItem]:
    stack = list(root.childItems())
    while stack:
        current = stack.pop()
        yield current
        stack.extend(current.childItems())


def face_of(key: QQuickItem) -> QQuickItem | None:
    """The painted face of a key (the kiosk style's KeyFace)."""
    return next((i for i in descendants(key) if i.objectName() == "keyFace"), None)


def scene_rect(target: QQuickItem) -> QRectF:
    return target.mapRectToScene(QRectF(0, 0, target.width(), target.height()))


def colour_at(image: QImage, x: float, y: float) -> str:
    return image.pixelColor(round(x), round(y)).name()


def measure(image: QImage, key: QQuickItem) -> tuple[str, str, str]:
    """(tray, face, label) colours of a key as rendered: the tray in the key's margin, the face
    as the commonest colour of its face, the label as the face's pixel that contrasts most."""
    outer = scene_rect(key)
    tray = colour_at(image, outer.left() + 1, outer.top() + 1)
    face_item = face_of(key)
    assert face_item is not None
    rect = scene_rect(face_item).toAlignedRect()
    pixels = [
        image.pixelColor(x, y).name()
        for y in range(rect.top() + 2, rect.bottom() - 2)
        for x in range(rect.left() + 2, rect.right() - 2)
    ]
    face = Counter(pixels).most_common(1)[0][0]
    label = max(set(pixels), key=lambda colour: contrast_ratio(colour, face))
    return tray, face, label


def glyph_rows(image: QImage, key: QQuickItem, face: str) -> int:
    """How many pixel rows the key's label covers (rows with a pixel unlike the face)."""
    face_item = face_of(key)
    assert face_item is not None
    rect = scene_rect(face_item).toAlignedRect()
    inked = [
        y
        for y in range(rect.top() + 2, rect.bottom() - 2)
        if any(
            contrast_ratio(image.pixelColor(x, y).name(), face) > 2.0
            for x in range(rect.left() + 2, rect.right() - 2)
        )
    ]
    return inked[-1] - inked[0] + 1 if inked else 0


def tray_is(keyboard: QQuickItem, colour: str) -> bool:
    tray = next((i for i in descendants(keyboard) if i.objectName() == "keyboardTray"), None)
    return tray is not None and tray.property("color").name() == colour


@pytest.mark.parametrize(
    ("high_contrast", "large_text", "label_min"),
    [(False, False, 4.5), (True, False, 7.0), (False, True, 4.5), (True, True, 7.0)],
    ids=["normal", "high-contrast", "large-text", "both"],
)
def test_keys_contrast_in_every_mode(
    qtbot: Any, kiosk: Kiosk, high_contrast: bool, large_text: bool, label_min: float
) -> None:
    window = kiosk.window
    keyboard = keyboard_up(qtbot, kiosk)
    # Switched while the keyboard is up: it follows at once.
    kiosk.theme.setHighContrast(high_contrast)
    kiosk.theme.setLargeText(large_text)
    palette = HIGH_CONTRAST if high_contrast else NORMAL
    qtbot.waitUntil(lambda: tray_is(keyboard, palette.keyboard))
    qtbot.waitUntil(lambda: keyboard.property("y") + keyboard.height() == window.height())
    image = window.grabWindow()
    keys = keyboard_keys(window)
    measured = {text: keys[text] for text in ("h", "a", "m")}
    measured |= {kind: special_key(keyboard, kind) for kind in ("BackspaceKey", "ShiftKey")}
    for name, key in measured.items():
        tray, face, label = measure(image, key)
        assert contrast_ratio(face, tray) >= 3.0, (name, face, tray)
        assert contrast_ratio(label, face) >= label_min, (name, label, face)
        assert (tray, face) == (palette.keyboard, palette.key_face), name


def test_large_text_letters_reach_0_7_degrees(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    keyboard = keyboard_up(qtbot, kiosk)
    tap(window, "searchField")
    shift = special_key(keyboard, "ShiftKey")
    qtbot.mouseClick(window, Qt.MouseButton.LeftButton, pos=scene_rect(shift).center().toPoint())
    key_h = keyboard_keys(window)["h"]
    qtbot.waitUntil(lambda: key_h.property("uppercased") is True)

    def cap_rows() -> int:
        image = window.grabWindow()
        _, face, _ = measure(image, key_h)
        return glyph_rows(image, key_h, face)

    normal_rows = cap_rows()
    height_before = keyboard.height()
    kiosk.theme.setLargeText(True)
    qtbot.waitUntil(lambda: keyboard.height() > height_before)
    qtbot.waitUntil(lambda: keyboard.property("y") + keyboard.height() == window.height())
    needed = large_text_cap_mm(kiosk.settings.config.panel.viewing_distance_mm)
    needed_px = needed * kiosk.theme.pxPerMm
    rows = cap_rows()
    assert rows >= needed_px, f"capital H {rows / kiosk.theme.pxPerMm:.1f} mm < {needed:.1f} mm"
    assert rows > normal_rows
    # The key still holds its label: at least 20 mm high, the label inside the face.
    assert key_h.height() >= 20 * kiosk.theme.pxPerMm


def type_name(target: QQuickItem) -> str:
    return target.metaObject().className()


def special_key(keyboard: QQuickItem, kind: str) -> QQuickItem:
    """The visible key of a kind ("ShiftKey", "BackspaceKey", "EnterKey", "SpaceKey")."""
    return next(
        k
        for k in descendants(keyboard)
        if type_name(k).startswith(f"{kind}_QML") and k.isVisible() and k.width() > 0
    )


def accessible_nodes(root: QAccessibleInterface) -> Iterator[QAccessibleInterface]:
    """Every node that shows under `root`, depth first."""
    for i in range(root.childCount()):
        child = root.child(i)
        if child is None or not child.isValid() or child.state().invisible:
            continue
        yield child
        yield from accessible_nodes(child)


def test_every_key_is_an_accessible_button(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    keyboard_up(qtbot, kiosk)
    root = QAccessible.queryAccessibleInterface(window)
    assert root is not None
    by_key: dict[str, QAccessibleInterface] = {}
    for node in accessible_nodes(root):
        panel = node.object()
        if isinstance(panel, QQuickItem) and panel.objectName() == "keyPanel":
            control = panel.parentItem().parentItem()  # the key's Loader, then the key
            kind = type_name(control).split("_QML")[0]
            text = control.property("text")
            by_key[text if kind == "Key" and text != " " else kind] = node
    expected = [*LETTERS, "ShiftKey", "BackspaceKey", "SpaceKey", "EnterKey"]
    missing = [name for name in expected if name not in by_key]
    assert not missing, f"no accessible node for {missing}"
    minimum = 20 * kiosk.theme.pxPerMm
    assert kiosk.theme.portrait  # the keyboard is the window's full width
    for name in expected:
        node = by_key[name]
        assert node.role() == QAccessible.Role.Button, name
        spoken = node.text(QAccessible.Text.Name)
        assert spoken, name
        if len(name) == 1:
            assert spoken == name, (name, spoken)
        else:
            assert len(spoken) > 1 and any(c.isalpha() for c in spoken), (name, spoken)
        rect = node.rect()
        assert rect.width() >= minimum and rect.height() >= minimum, (name, rect)
    # Words in the interface's language.
    assert by_key["SpaceKey"].text(QAccessible.Text.Name) == "Espace"
    assert by_key["BackspaceKey"].text(QAccessible.Text.Name) == "Effacer"

    # An assistive technology's "press" types like a tap.
    action = by_key["s"].actionInterface()
    assert action is not None
    action.doAction(QAccessibleActionInterface.pressAction())
    qtbot.waitUntil(lambda: item(window, "searchField").property("text") == "s")


def test_screenshot_with_the_keyboard_up(
    qapp: Any, ui_settings: Settings, seeded_store: OfferStore, tmp_path: Path
) -> None:
    out = tmp_path / "keyboard.png"
    take_screenshot(
        ui_settings,
        "browse",
        out,
        lang="ar",
        size=(1920, 1080),
        offer_id=None,
        keyboard=True,
        high_contrast=True,
        large_text=True,
    )
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    # The keyboard's white keys on the black tray fill the bottom of the screen's middle.
    row = [image.pixelColor(x, image.height() - 40).name() for x in range(700, 1220)]
    assert {HIGH_CONTRAST.key_face, HIGH_CONTRAST.keyboard} <= set(row)
