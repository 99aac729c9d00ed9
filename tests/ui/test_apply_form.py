"""The apply form as a first-time user meets it, on the real window: an example that reads as
an example, the phone as people read it, actions that stay put, a checkbox that looks like
one, privacy words that fit the request, and a confirmation that says where the application is
(kept on the terminal, then sent once a real hub on 127.0.0.1 confirmed it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QAccessible, QColor, QGuiApplication
from PySide6.QtQuick import QQuickItem

from hub.ingest import ingest_payload
from kiosk.config import Settings, parse_config
from kiosk.ui.app import Kiosk, build_kiosk
from tests.hub.conftest import RunningHub
from tests.ui.conftest import CONFIG, FakeChime, item, seed_records, shown
from tests.ui.test_apply import KEYS, open_direct_offer, painted, press, sealed_rows


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal with a hub key: it takes applications (sealed to KEYS)."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


def open_form(qtbot: Any, kiosk: Kiosk) -> None:
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyForm")))


def fill(kiosk: Kiosk, phone: str = "06 71 23 45 89") -> None:
    kiosk.apply.firstName, kiosk.apply.lastName, kiosk.apply.phone = "Amélie", "Ndiaye", phone
    kiosk.apply.consent = True


def where(kiosk: Kiosk, name: str) -> tuple[float, float, float, float]:
    """The item's rectangle in the window, as a finger finds it."""
    target = item(kiosk.window, name)
    corner = target.mapToScene(QPointF(0, 0))
    return corner.x(), corner.y(), target.width(), target.height()


def texts_under(parent: QQuickItem) -> list[str]:
    """What the visible Text items under `parent` show."""
    found = []
    stack = list(parent.childItems())
    while stack:
        current = stack.pop()
        stack.extend(current.childItems())
        text = current.property("text")
        if isinstance(text, str) and text and current.isVisible():
            found.append(text)
    return found


def hide_keyboard(qtbot: Any, kiosk: Kiosk) -> None:
    """No field focused, no keyboard: the screen as it is between two fields."""
    kiosk.window.contentItem().forceActiveFocus()
    QGuiApplication.inputMethod().hide()
    qtbot.waitUntil(lambda: not item(kiosk.window, "keyboard").property("active"))


# -- 12.7: what cannot be sent is refused at its field, in words ------------------------------


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("email", "ana\x07@exemple.fr", "caractère invisible ou spécial"),
        ("email", "ana\x1b[2J@exemple.fr", "caractère invisible ou spécial"),
        ("phone", "06 12 34 56 78 poste 12", "sans poste"),
        ("phone", "06 12 34 56 78 📞", "uniquement des chiffres"),
        ("lastName", "-'-", "avec des lettres"),
    ],
)
def test_unusable_input_is_refused_at_its_field(
    qtbot: Any, kiosk: Kiosk, field: str, value: str, words: str
) -> None:
    window = kiosk.window
    open_form(qtbot, kiosk)
    fill(kiosk)
    kiosk.apply.setProperty(field, value)  # as the field hands it over
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: bool(kiosk.apply.errors))
    assert kiosk.apply.step == "form"
    # The message is under that field (its alert text), and nothing was queued.
    painted(qtbot, kiosk)
    alerts = [t for t in texts_under(item(window, f"{field}Field")) if t.startswith("⚠")]
    assert len(alerts) == 1 and words in alerts[0], alerts
    assert sealed_rows(kiosk) == []


# -- 13.4: the phone's example is a hint above the field, in every language -------------------


@pytest.mark.parametrize(
    ("language", "word"), [("fr", "Exemple :"), ("en", "Example:"), ("ar", "مثال:")]
)
def test_the_phone_example_is_a_hint_not_a_value(
    qtbot: Any, kiosk: Kiosk, language: str, word: str
) -> None:
    open_form(qtbot, kiosk)
    kiosk.language.setLanguage(language)
    painted(qtbot, kiosk)
    phone_input = item(kiosk.window, "phoneInput")
    # Nothing in the field looks typed: no placeholder, no text.
    assert phone_input.property("placeholderText") == ""
    assert phone_input.property("text") in {"", "\u200e"}
    hint = item(kiosk.window, "phoneInputHint")
    assert shown(hint)
    shown_texts = [t.strip("\u2066\u2069") for t in texts_under(hint)]
    assert sorted(shown_texts) == sorted(["06 12 34 56 78", word])
    # Above the field, between its label and its box.
    assert where(kiosk, "phoneInputHint")[1] < where(kiosk, "phoneInput")[1]
    # The example in a text of its own, isolated left to right: in Arabic its digit groups
    # keep their order.
    assert item(kiosk.window, "phoneInputExample").property("text") == "\u206606 12 34 56 78\u2069"


# -- 13.5: the review shows the phone as a person reads it ------------------------------------


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("+33671234589", "06 71 23 45 89"),
        ("0671234589", "06 71 23 45 89"),
        ("+44 7911 123456", "+44 7911 123456"),  # a foreign number keeps its country code
    ],
)
def test_the_review_shows_the_phone_in_its_national_format(
    qtbot: Any, kiosk: Kiosk, typed: str, read: str
) -> None:
    open_form(qtbot, kiosk)
    fill(kiosk, phone=typed)
    assert kiosk.apply.review()
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyReview")))
    painted(qtbot, kiosk)
    on_screen = [t.strip("\u2066\u2069") for t in texts_under(item(kiosk.window, "applyReview"))]
    assert read in on_screen
    assert "+33671234589" not in on_screen


# -- 13.6: the primary action of a step stays put ---------------------------------------------


@pytest.mark.parametrize("large_text", [False, True], ids=["normal", "large-text"])
def test_continue_stays_put_when_optional_answers_are_chosen(
    qtbot: Any, kiosk: Kiosk, large_text: bool
) -> None:
    open_form(qtbot, kiosk)
    kiosk.theme.setLargeText(large_text)  # larger chips: a chosen one (✓) may wrap its row
    hide_keyboard(qtbot, kiosk)
    painted(qtbot, kiosk)
    before = where(kiosk, "reviewButton")
    for answer in ("answer-availableNow-yes", "answer-experience-1_to_3_years"):
        press(qtbot, kiosk, answer)  # scrolled into view first, as a finger would
    press(qtbot, kiosk, "answer-drivingLicence-no")
    assert (kiosk.apply.availableNow, kiosk.apply.drivingLicence) == ("yes", "no")
    painted(qtbot, kiosk)
    assert where(kiosk, "reviewButton") == before


def test_send_stays_put_whatever_was_answered(qtbot: Any, kiosk: Kiosk) -> None:
    open_form(qtbot, kiosk)
    hide_keyboard(qtbot, kiosk)
    fill(kiosk)
    assert kiosk.apply.review()
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyReview")))
    painted(qtbot, kiosk)
    before = where(kiosk, "sendButton")
    press(qtbot, kiosk, "editButton")
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyForm")))
    hide_keyboard(qtbot, kiosk)
    press(qtbot, kiosk, "answer-availableNow-yes")
    press(qtbot, kiosk, "answer-experience-over_3_years")
    press(qtbot, kiosk, "answer-drivingLicence-yes")
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyReview")))
    assert len(kiosk.apply.summary) == 6  # three more rows above the button
    painted(qtbot, kiosk)
    assert where(kiosk, "sendButton") == before
    # ...and the confirmation's actions take the same place.
    press(qtbot, kiosk, "sendButton")
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyDone")))
    painted(qtbot, kiosk)
    assert where(kiosk, "similarButton")[1] == before[1]


# -- 13.9: the consent is a checkbox, not a second blue bar -----------------------------------


def _colour(image: Any, x: float, y: float) -> QColor:
    return QColor(image.pixel(round(x), round(y)))


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_the_consent_looks_and_reads_as_a_checkbox(qtbot: Any, kiosk: Kiosk, language: str) -> None:
    window = kiosk.window
    open_form(qtbot, kiosk)
    kiosk.language.setLanguage(language)
    hide_keyboard(qtbot, kiosk)
    consent = item(window, "consentButton")
    iface = QAccessible.queryAccessibleInterface(consent)
    assert iface is not None
    assert iface.role() == QAccessible.Role.CheckBox
    assert not iface.state().checked
    press(qtbot, kiosk, "consentButton")
    qtbot.waitUntil(lambda: kiosk.apply.consent)
    assert iface.state().checked
    assert consent.height() >= kiosk.theme.px(20) - 1  # a large target: the whole row

    painted(qtbot, kiosk)
    image = window.grabWindow()
    accent = kiosk.theme.palette.accent
    box_x, box_y, box_w, box_h = where(kiosk, "consentButtonBox")
    row_x, row_y, row_w, row_h = where(kiosk, "consentButton")
    # A square box before the words (on the left in French, on the right in Arabic).
    assert box_w == box_h < row_h
    if language == "ar":
        assert box_x + box_w == pytest.approx(row_x + row_w, abs=1)
    else:
        assert box_x == pytest.approx(row_x, abs=1)
    # Ticked: the box is filled (beside its tick); the row itself is not a filled bar...
    assert _colour(image, box_x + box_w * 0.2, box_y + box_h * 0.2) == accent
    far_end = row_x + 4 if language == "ar" else row_x + row_w - 4
    assert _colour(image, far_end, row_y + row_h / 2) != accent
    # ...while "Continue" is one, end to end.
    x, y, w, h = where(kiosk, "reviewButton")
    assert _colour(image, x + w - kiosk.theme.radius * 2, y + h / 2) == accent

    press(qtbot, kiosk, "consentButton")
    qtbot.waitUntil(lambda: not kiosk.apply.consent)
    painted(qtbot, kiosk)
    image = window.grabWindow()
    assert _colour(image, box_x + box_w * 0.5, box_y + box_h * 0.5) != accent
    assert not iface.state().checked


# -- 13.8: each kind of request has its own privacy text --------------------------------------


E_MAIL = {"fr": "e-mail", "en": "e-mail", "ar": "الإلكتروني"}


@pytest.mark.parametrize("language", ["fr", "en", "ar"])
def test_the_call_back_notice_does_not_speak_of_e_mail(
    qtbot: Any, kiosk: Kiosk, language: str
) -> None:
    window = kiosk.window
    open_form(qtbot, kiosk)
    kiosk.language.setLanguage(language)

    def notice() -> str:
        painted(qtbot, kiosk)
        return str(item(window, "privacyNotice").childItems()[0].property("text"))

    assert E_MAIL[language] in notice().lower()  # the application form has an e-mail field
    kiosk.apply.start("test", "T001", "Serveur", True)  # "be called back": name and phone
    assert not shown(item(window, "emailField"))
    text = notice()
    assert E_MAIL[language] not in text.lower()
    assert "90" in text  # still who, why and for how long


# -- 13.12: "saved" while it is on the terminal, "sent" once the hub has it ------------------


def test_the_confirmation_says_kept_until_the_hub_confirms(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_form(qtbot, kiosk)
    fill(kiosk)
    assert kiosk.apply.review()
    assert kiosk.apply.send()
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    title = item(window, "applyTitle")
    status = item(window, "deliveryStatus")
    assert title.property("text") == "Votre candidature est enregistrée"
    assert "sur cette borne" in status.property("text")
    assert "dès que le réseau le permet" in status.property("text")
    [(application_id, _)] = sealed_rows(kiosk)
    kiosk.apply.markDelivered("another-application")  # someone else's: no change
    assert title.property("text") == "Votre candidature est enregistrée"
    kiosk.apply.markDelivered(application_id)
    assert title.property("text") == "Votre candidature est envoyée"
    assert "arrivée" in status.property("text")
    # The next person starts from "saved" again, and a late delivery changes nothing.
    kiosk.session.end()
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert not kiosk.apply.delivered
    kiosk.apply.markDelivered(application_id)
    assert not kiosk.apply.delivered


def test_a_call_back_request_is_worded_as_a_request(qtbot: Any, kiosk: Kiosk) -> None:
    open_form(qtbot, kiosk)
    kiosk.apply.start("test", "T001", "Serveur", True)
    fill(kiosk)
    assert kiosk.apply.review()
    assert kiosk.apply.send()
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyDone")))
    assert item(kiosk.window, "applyTitle").property("text") == "Votre demande est enregistrée"


TERMINAL_ID = "test-terminal"


@pytest.fixture
def hub_kiosk(qtbot: Any, sqlite_hub: RunningHub, tmp_path: Path) -> Iterator[Kiosk]:
    """A kiosk enrolled with a real hub on 127.0.0.1, syncing on its own thread."""
    ingest_payload(sqlite_hub.services.offers, {"resultats": seed_records()}, None, False)
    token = sqlite_hub.enrol(TERMINAL_ID)
    hub = (
        f'\n[hub]\nurl = "{sqlite_hub.url}"\ntoken = "{token}"\n'
        f'public_key = "{sqlite_hub.services.keys.public_key}"\n'
    )
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(CONFIG + hub, "test"), "test", data_dir, demo=False)
    built = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(built.window)
        qtbot.waitUntil(lambda: built.results.total_count() == 60, timeout=20_000)
        yield built
    finally:
        built.shutdown()


def test_the_confirmation_turns_to_sent_when_the_real_hub_confirms(
    qtbot: Any, hub_kiosk: Kiosk
) -> None:
    kiosk = hub_kiosk
    window = kiosk.window
    kiosk.session.wake()
    kiosk.navigator.openOffer(kiosk.results.offerIdAt(0))
    qtbot.waitUntil(lambda: kiosk.detail.canApplyHere)
    kiosk.navigator.startApply(False)
    fill(kiosk)
    assert kiosk.apply.review()
    assert kiosk.apply.send()  # queued on disk; the sync is woken to deliver it
    title = item(window, "applyTitle")
    # Until the hub has it, the screen says only what is true.
    assert title.property("text") == "Votre candidature est enregistrée"
    qtbot.waitUntil(
        lambda: title.property("text") == "Votre candidature est envoyée", timeout=20_000
    )
    assert kiosk.outbox.stats().depth == 0  # the hub confirmed it: gone from the terminal
    assert "arrivée" in item(window, "deliveryStatus").property("text")
