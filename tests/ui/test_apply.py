"""Applying without a CV on the real window: few taps, errors in words, the wipe, no clear text."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication, QInputMethodEvent
from PySide6.QtTest import QTest

from kiosk.config import Settings, parse_config
from kiosk.formats import parse_payload
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sealing import generate_keypair, load_private_key, unseal
from kiosk.ui.app import Kiosk, ManualClock, build_kiosk
from tests.conftest import ft_record
from tests.ui.conftest import CONFIG, FakeChime, item, shown, tap

KEYS = generate_keypair()


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal with a hub key: it takes applications (sealed to KEYS)."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


def painted(qtbot: Any, kiosk: Kiosk) -> None:
    """Wait for the next frame: layouts are polished before it, so items are where a finger
    would see them."""
    with qtbot.waitSignal(kiosk.window.frameSwapped):
        kiosk.window.update()


def press(qtbot: Any, kiosk: Kiosk, name: str) -> None:
    """Tap the item `name` once the screen shows it where it is."""
    painted(qtbot, kiosk)
    tap(kiosk.window, name)


class Taps:
    """Counts the taps a passer-by makes (typing on the keyboard is counted apart)."""

    def __init__(self, qtbot: Any, kiosk: Kiosk) -> None:
        self.qtbot = qtbot
        self.kiosk = kiosk
        self.count = 0

    def __call__(self, name: str) -> None:
        painted(self.qtbot, self.kiosk)
        self.count += 1
        tap(self.kiosk.window, name)


def type_into(qtbot: Any, kiosk: Kiosk, field: str, text: str) -> None:
    """Type `text` into `field`, which must have the focus, as the on-screen keyboard does:
    the input method commits the text (typing is not counted as taps)."""
    target = item(kiosk.window, field)
    qtbot.waitUntil(target.hasActiveFocus)
    commit = QInputMethodEvent()
    commit.setCommitString(text)
    focus = QGuiApplication.focusObject()
    assert focus is not None
    QCoreApplication.sendEvent(focus, commit)
    qtbot.waitUntil(lambda: target.property("text").endswith(text))


def open_direct_offer(qtbot: Any, kiosk: Kiosk) -> None:
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)


def sealed_rows(kiosk: Kiosk) -> list[tuple[str, bytes]]:
    with kiosk.outbox.engine.connect() as connection:
        return [
            tuple(row) for row in connection.exec_driver_sql("SELECT id, sealed FROM applications")
        ]  # type: ignore[misc]


def test_apply_with_a_phone_number_in_a_few_taps(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_direct_offer(qtbot, kiosk)
    offer = kiosk.detail.offer
    assert offer is not None
    taps = Taps(qtbot, kiosk)

    taps("applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    assert kiosk.navigator.page == "apply"
    # The privacy notice says who receives the details, why, for how long, and how to ask.
    notice = item(window, "privacyNotice").childItems()[0].property("text")
    assert "recruiter" in notice.lower() or "recruteur" in notice.lower()
    assert "90" in notice

    # The first field has the focus; the keyboard's Enter key moves on.
    type_into(qtbot, kiosk, "firstNameInput", "Amélie")
    QTest.keyClick(window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "lastNameInput", "Ndiaye")
    QTest.keyClick(window, Qt.Key.Key_Return)
    type_into(qtbot, kiosk, "phoneInput", "06 12 34 56 78")
    assert kiosk.apply.phone == "06 12 34 56 78"

    taps("consentButton")
    taps("reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    # The phone as a person reads it, not "+33612345678".
    assert {"label": "Téléphone", "value": "06 12 34 56 78"} in [
        {"label": row["label"], "value": row["value"]} for row in kiosk.apply.summary
    ]

    taps("sendButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    assert taps.count <= 6  # besides typing the name and the phone
    reference = item(window, "referenceCode").property("text")
    assert len(reference) == 6
    # The offer stays with the passer-by: its QR code, read off the screen.
    qr_image = item(window, "doneQrImage")
    qtbot.waitUntil(lambda: qr_image.property("progress") == 1.0 and qr_image.implicitWidth() > 0)
    painted(qtbot, kiosk)
    codes = zxingcpp.read_barcodes(window.grabWindow())
    assert [code.text for code in codes] == [offer.offer_url]

    # Confirmed on screen means queued on disk, sealed to the hub's key.
    [(application_id, sealed)] = sealed_rows(kiosk)
    document = json.loads(unseal(load_private_key(KEYS[0]), uuid.UUID(application_id), sealed))
    assert (document["first_name"], document["last_name"]) == ("Amélie", "Ndiaye")
    assert document["phone"] == "+33612345678"
    assert document["offer"]["id"] == offer.external_id
    assert document["consent"]["share_with_recruiter"] is True
    # Nothing typed stays behind the confirmation, in the view-model or on screen.
    assert kiosk.apply.firstName == kiosk.apply.phone == ""
    assert item(window, "phoneInput").property("text") == ""

    # The end of the session takes the code away too (after the passer-by's verdict).
    taps("finishButton")
    taps("verdictSkip")
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert kiosk.apply.reference == ""
    assert kiosk.navigator.page == "browse"


def test_errors_are_shown_next_to_their_field_and_keep_what_was_typed(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    type_into(qtbot, kiosk, "firstNameInput", "Jean 😀")
    QTest.keyClick(window, Qt.Key.Key_Return)
    QTest.keyClick(window, Qt.Key.Key_Return)  # no last name
    type_into(qtbot, kiosk, "phoneInput", "12 34")
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: bool(kiosk.apply.errors))
    errors = kiosk.apply.errors
    assert errors["first_name"].startswith("Utilisez uniquement des lettres")
    assert errors["last_name"] == "Veuillez remplir ce champ."
    assert errors["phone"].startswith("Ce numéro de téléphone ne semble pas correct")
    assert "consent" in errors
    assert kiosk.apply.step == "form"
    assert item(window, "firstNameInput").property("text") == "Jean 😀"
    assert item(window, "phoneInput").property("text") == "12 34"
    assert sealed_rows(kiosk) == []


def test_idle_during_the_form_wipes_it(qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock) -> None:
    window = kiosk.window
    open_direct_offer(qtbot, kiosk)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    type_into(qtbot, kiosk, "firstNameInput", "Philomène")
    idle_clock.advance(kiosk.monitor.warning_after_s)
    qtbot.waitUntil(lambda: shown(item(window, "idleWarning")))
    idle_clock.advance(kiosk.monitor.countdown_s)
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert kiosk.apply.firstName == ""
    assert item(window, "firstNameInput").property("text") == ""
    assert kiosk.navigator.page == "browse"
    assert sealed_rows(kiosk) == []


def test_offers_without_direct_application_offer_a_call_back(
    qtbot: Any, kiosk: Kiosk, seeded_store: OfferStore
) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    # An offer whose recruiter wants applications on its own site.
    record = ft_record(id="X900", contact={"urlPostulation": "https://jobs.example/apply/X900"})
    seeded_store.import_records(parse_payload([record], "test"))
    offer_id = seeded_store.find("test", "X900")
    assert offer_id is not None
    kiosk.navigator.openOffer(offer_id)
    qtbot.waitUntil(lambda: shown(item(window, "callbackButton")))
    assert not shown(item(window, "applyHereButton"))
    press(qtbot, kiosk, "callbackButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    assert kiosk.apply.callback
    assert not shown(item(window, "emailField"))
    kiosk.apply.firstName, kiosk.apply.lastName, kiosk.apply.phone = "Ana", "Lima", "0612345678"
    kiosk.apply.consent = True
    assert kiosk.apply.review()
    assert kiosk.apply.send()
    [(application_id, sealed)] = sealed_rows(kiosk)
    document = json.loads(unseal(load_private_key(KEYS[0]), uuid.UUID(application_id), sealed))
    assert document["kind"] == "callback"
    assert document["email"] is None and document["answers"] == {}


def test_without_a_hub_key_the_terminal_refuses_clearly(
    qtbot: Any, tmp_path: Path, seeded_store: OfferStore, idle_clock: ManualClock
) -> None:
    settings = Settings(
        config=parse_config(CONFIG, "test"), source="test", data_dir=tmp_path, demo=False
    )
    built = build_kiosk(settings, size=(1080, 1920), idle_clock=idle_clock, sound=FakeChime())
    try:
        qtbot.waitExposed(built.window)
        built.apply.start("test", "T001", "Serveur", False)
        built.apply.firstName, built.apply.lastName, built.apply.phone = "Ana", "Lima", "0612345678"
        built.apply.consent = True
        assert built.apply.review()
        assert not built.apply.send()
        assert "send" in built.apply.errors
        assert built.apply.step == "review"
        assert built.outbox.stats().depth == 0
    finally:
        built.shutdown()


_KIOSK_CHILD = """
import sys
from pathlib import Path
from kiosk.config import Settings, parse_config
from kiosk.logs import setup_logging
from kiosk.ui.app import build_kiosk, prepare_environment, wait_until
setup_logging(verbose=True)  # as much logging as there can be: none of it may be personal
prepare_environment(headless=True)
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(sys.argv[:1])
config = parse_config(sys.argv[2], "test")
kiosk = build_kiosk(Settings(config, "test", Path(sys.argv[1]), demo=False), size=(1080, 1920))
wait_until(lambda: kiosk.results.rowCount() > 0, what="offers")
kiosk.session.wake()
kiosk.navigator.openOffer(kiosk.results.offerIdAt(0))
kiosk.navigator.startApply(False)
for name, value in (("firstName", "Philomène"), ("lastName", "Quasimodine"),
                    ("phone", "07 98 76 54 32"), ("consent", True)):
    kiosk.apply.setProperty(name, value)
assert kiosk.apply.review()
painted = []
kiosk.window.frameSwapped.connect(lambda: painted.append(kiosk.apply.step))
assert kiosk.apply.send()
wait_until(lambda: "done" in painted, what="the confirmation on screen")
print(kiosk.apply.reference, flush=True)  # the confirmation is on screen now
app.exec()  # ...and the kiosk goes on until it is killed
"""


def test_the_kiosk_killed_after_the_confirmation_keeps_the_application(
    tmp_path: Path, seeded_store: OfferStore, ui_settings: Settings
) -> None:
    config = CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n'
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QT_QUICK_BACKEND="software")
    with subprocess.Popen(
        [sys.executable, "-c", _KIOSK_CHILD, str(tmp_path), config],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        reference = child.stdout.readline().strip()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(30)
        logs = child.stderr.read()
    assert child.returncode == -signal.SIGKILL
    assert len(reference) == 6, logs[-2000:]
    # After the restart: the application is in the outbox, sealed, under that reference.
    outbox = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    assert outbox.recover() == 0
    with outbox.engine.connect() as connection:
        rows = connection.exec_driver_sql("SELECT id, reference, sealed FROM applications").all()
    outbox.engine.dispose()
    [(application_id, stored_reference, sealed)] = rows
    assert stored_reference == reference
    document = json.loads(unseal(load_private_key(KEYS[0]), uuid.UUID(application_id), sealed))
    assert document["last_name"] == "Quasimodine"
    # Neither the databases, their WAL, nor the log hold the name or the phone in clear.
    needles = ["Philom", "Quasimodine", "798765432", "98 76 54 32"]
    for path in tmp_path.iterdir():
        if path.is_file():
            content = path.read_bytes()
            assert not any(n.encode() in content for n in needles), path.name
    assert not any(n in logs for n in needles)
    assert reference in logs  # the log names the application by its reference only
