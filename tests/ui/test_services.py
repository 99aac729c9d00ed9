"""The services corner on the real window: reached from the attract screen and from the list,
grouped by need, the screen's language first, a service opened and its QR code read off the
rendered screen; every control named and large enough, reachable and read in audio mode."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest

from kiosk.offline.offers import OfferStore
from kiosk.offline.services import ServiceEntry, ServicesCache
from kiosk.ui.app import Kiosk
from kiosk.ui.services import ServiceGroupModel, ServicesViewModel, arrange, language_note
from tests.ui.conftest import find_item, item, shown, tap
from tests.ui.test_accessibility_tree import check_tree, names
from tests.ui.test_apply import painted
from tests.ui.test_audio_journey import Person

pytestmark = pytest.mark.ui

Role = QAccessible.Role
ENTRIES = [
    ServiceEntry(
        11,
        "train",
        "La Bonne Formation",
        "Trouver une formation près d’ici.",
        "https://labonneformation.francetravail.fr/",
        ("fr",),
    ),
    ServiceEntry(12, "train", "Coursera", "Online courses.", "https://www.coursera.org/", ("en",)),
    ServiceEntry(
        13,
        "digital",
        "Pix",
        "Tester ses compétences numériques.",
        "https://pix.fr/",
        ("fr", "en"),
    ),
    ServiceEntry(
        14,
        "agency",
        "France Travail Paris 12e",
        "Lundi–vendredi, 8 h 30 – 16 h 30. 3949.",
        "https://www.francetravail.fr/",
        (),
    ),
]


@pytest.fixture
def seeded_store(seeded_store: OfferStore) -> Iterator[OfferStore]:
    """The seed offers and a services corner as a sync left it."""
    ServicesCache(seeded_store.engine).replace(ENTRIES, 'W/"test"')
    yield seeded_store


def _services(kiosk: Kiosk) -> ServicesViewModel:
    assert kiosk.services is not None
    return kiosk.services


def _codes(kiosk: Kiosk) -> list[str]:
    """The QR codes read off the rendered window."""
    image = item(kiosk.window, "serviceQrImage")
    painted_at_least = image.property("progress") == 1.0 and image.implicitWidth() > 0
    assert painted_at_least
    return [code.text for code in zxingcpp.read_barcodes(kiosk.window.grabWindow())]


def test_from_attract_to_a_service_taken_away_by_qr_code(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    services = _services(kiosk)
    assert not kiosk.session.is_active()
    painted(qtbot, kiosk)
    tap(window, "attractServices")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "services" and kiosk.session.is_active())
    qtbot.waitUntil(lambda: shown(item(window, "servicesScreen")))
    assert not shown(item(window, "browseScreen"))

    # By need, in the fixed order; what the screen says is French (the default language).
    needs = [item(window, f"need-{key}") for key in ("train", "digital", "agency")]
    assert all(shown(need) for need in needs)
    assert find_item(window, "need-choose_trade") is None  # no service: no heading
    # The column places its children when it is next polished: wait for the layout.
    qtbot.waitUntil(lambda: needs[0].y() < needs[1].y() < needs[2].y())
    assert item(window, "needHeading-train").property("text") == "Me former"
    intro = item(window, "servicesIntro").property("text")
    assert intro.startswith("4 services gratuits")
    # The French service before the English one in its need.
    qtbot.waitUntil(lambda: item(window, "service-11").y() < item(window, "service-12").y())

    tap(window, "service-12")
    qtbot.waitUntil(lambda: shown(item(window, "serviceDialog")))
    assert item(window, "serviceNote").property("text") == "Langue du site : English"
    image = item(window, "serviceQrImage")
    qtbot.waitUntil(lambda: image.property("progress") == 1.0 and image.implicitWidth() > 0)
    assert _codes(kiosk) == ["https://www.coursera.org/"]  # the only code on screen

    tap(window, "dialogClose")
    qtbot.waitUntil(lambda: not shown(item(window, "serviceDialog")))
    tap(window, "service-14")
    qtbot.waitUntil(lambda: services.openTitle == "France Travail Paris 12e")
    qtbot.waitUntil(lambda: image.property("progress") == 1.0)
    assert _codes(kiosk) == ["https://www.francetravail.fr/"]
    assert item(window, "serviceNote").property("visible") is False  # any language

    # Back closes the service, back again leads to the offers; from there, Services again.
    tap(window, "backButton")
    qtbot.waitUntil(lambda: not services.isOpen)
    assert kiosk.navigator.page == "services"
    tap(window, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    qtbot.waitUntil(lambda: shown(item(window, "browseServices")))
    tap(window, "browseServices")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "services")

    # In English, the English service comes first in its need.
    tap(window, "lang-en")
    qtbot.waitUntil(lambda: item(window, "needHeading-train").property("text") == "Train")
    qtbot.waitUntil(lambda: item(window, "service-12").y() < item(window, "service-11").y())
    assert item(window, "servicesIntro").property("text").startswith("4 free services")

    # Leaving wipes it all: the next person starts on the attract screen, nothing open.
    tap(window, "service-13")
    qtbot.waitUntil(lambda: services.isOpen)
    kiosk.session.end()
    assert kiosk.navigator.page == "browse" and not services.isOpen


def test_every_control_is_named_and_large_enough(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    for language in ("fr", "ar"):
        kiosk.language.setLanguage(language)
        nodes = check_tree(qtbot, kiosk, "attract")
        assert any(n.target is item(window, "attractServices") for n in nodes)
        kiosk.navigator.openServices()
        kiosk.session.wake()
        nodes = check_tree(qtbot, kiosk, "services")
        [screen] = [n for n in nodes if n.target is item(window, "servicesScreen")]
        assert screen.role == Role.Pane and screen.name and "4" in screen.description
        assert len(names(nodes, Role.Heading)) >= 4  # the title and three needs
        [card] = [n for n in nodes if n.target is item(window, "service-11")]
        assert card.role == Role.Button and card.name == "La Bonne Formation"
        assert "Trouver une formation" in card.description
        _services(kiosk).open(11)
        nodes = check_tree(qtbot, kiosk, "a service")
        [dialog] = [n for n in nodes if n.role == Role.Dialog]
        assert dialog.name == "La Bonne Formation"
        assert dialog.description == "Trouver une formation près d’ici."
        kiosk.session.end()


def test_audio_mode_reaches_and_reads_a_service(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    window = kiosk.window
    person.press(Qt.Key.Key_F2)  # wakes the terminal in audio mode, on the offers
    assert kiosk.session.is_active() and kiosk.guide.is_audio()
    person.next_until(lambda name: name == "browseServices")
    assert "Services : formation, CV, aide au numérique" in person.heard[-1]

    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "services")
    qtbot.waitUntil(lambda: "4 services gratuits" in person.since(mark))
    assert "Services" in person.since(mark)

    # The needs are read as headings, the services with their text.
    person.next_until(lambda name: name == "service-13")
    assert "Pix" in person.heard[-1] and "Tester ses compétences" in person.heard[-1]
    assert "Me faire aider au numérique" in person.since(mark)

    # Enter opens it: the guide reads its name and its text, then its code's caption.
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(item(window, "serviceDialog")))
    qtbot.waitUntil(lambda: "Tester ses compétences numériques." in person.since(mark))
    assert "Pix" in person.since(mark)
    person.next_until(lambda name: name == "dialogClose")
    assert "pix.fr" in person.since(mark)  # the caption: the site it opens

    # The back key closes it, and again leads back to the offers.
    person.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: not shown(item(window, "serviceDialog")))
    assert kiosk.navigator.page == "services"
    person.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")


def test_no_service_no_entry_point(qtbot: Any, kiosk: Kiosk) -> None:
    ServicesCache(kiosk.store.engine).replace([], 'W/"empty"')
    kiosk.sync.servicesChanged.emit()  # as after a sync that brought it: the screen follows
    qtbot.waitUntil(lambda: not _services(kiosk).available)
    assert not shown(item(kiosk.window, "attractServices"))
    QTest.keyClick(kiosk.window, Qt.Key.Key_Space)  # any key wakes it
    qtbot.waitUntil(kiosk.session.is_active)
    assert not shown(item(kiosk.window, "browseServices"))


def test_the_needs_model(qtbot: Any, qtmodeltester: Any) -> None:
    model = ServiceGroupModel()
    model.reset(arrange(ENTRIES, "fr"))
    qtmodeltester.check(model, force_py=True)
    qtmodeltester.check(model)
    groups = arrange(ENTRIES, "en")
    assert [g.key for g in groups] == ["train", "digital", "agency"]
    assert [e["entryId"] for e in groups[0].entries] == [12, 11]
    assert language_note(ENTRIES[0], "ar") == "Site in français"
    assert language_note(ENTRIES[3], "ar") == ""  # any language


def test_a_service_gone_at_the_next_refresh_closes(qtbot: Any) -> None:
    held = list(ENTRIES)
    services = ServicesViewModel(lambda: held, lambda: "fr")
    services.refresh()
    services.open(13)
    assert services.isOpen and services.openSite == "pix.fr"
    held.remove(ENTRIES[2])
    services.refresh()
    assert not services.isOpen and services.count == 3
