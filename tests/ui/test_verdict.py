"""The passer-by's verdict on the real window: asked when a person leaves after opening an offer
or applying, answered with a face (by touch or, in audio mode, with keys), skipped, or gone by
itself; never after idle time, never without an offer, never twice. The answer travels as an
anonymous counter through a real sync to a real hub, counted there in the week's row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from hub.ingest import ingest_payload
from hub.models import TerminalWeekVerdicts
from hub.verdicts import week_of
from kiosk.config import Settings, parse_config
from kiosk.sealing import generate_keypair
from kiosk.ui.app import Kiosk, ManualClock, build_kiosk
from kiosk.ui.verdict import VERDICT_S
from tests.hub.conftest import RunningHub
from tests.ui.conftest import (
    CONFIG,
    FakeChime,
    centre,
    item,
    seed_records,
    shown,
    tap,
    tap_at,
)
from tests.ui.test_apply import painted
from tests.ui.test_audio_journey import Person

pytestmark = pytest.mark.ui

KEYS = generate_keypair()
TERMINAL_ID = "test-terminal"


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal that takes applications (a hub key), with the mock speech engine."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


def press(qtbot: Any, kiosk: Kiosk, name: str) -> None:
    """Tap the item `name` once the screen shows it where it is."""
    painted(qtbot, kiosk)
    tap(kiosk.window, name)


def verdicts(kiosk: Kiosk) -> dict[str, int]:
    """The verdict counters the next heartbeat carries."""
    return {k: v for k, v in kiosk.usage.snapshot().items() if k.startswith("verdict.")}


def verdict_shown(kiosk: Kiosk) -> bool:
    return shown(item(kiosk.window, "verdictLayer"))


def open_an_offer(qtbot: Any, kiosk: Kiosk) -> None:
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "offerCard-0")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")


def leave_to_the_verdict(qtbot: Any, kiosk: Kiosk) -> None:
    press(qtbot, kiosk, "finishButton")  # "Leave", in the bar at the top
    qtbot.waitUntil(lambda: verdict_shown(kiosk))
    assert kiosk.session.is_active()  # not ended yet: the question is its last screen
    assert not item(kiosk.window, "band").isEnabled()  # nothing behind it takes a touch
    assert item(kiosk.window, "band").opacity() == 0  # nor shows what the session held


# -- by touch ----------------------------------------------------------------------------------


def test_leaving_after_an_offer_asks_and_a_face_is_counted(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    for name in ("verdictHelped", "verdictNeutral", "verdictNotHelped", "verdictSkip"):
        face = item(window, name)
        assert shown(face)
        assert face.property("text")  # each with its words, not a face alone
    assert item(window, "verdictQuestion").property("text") == "Cette borne vous a-t-elle aidé ?"
    press(qtbot, kiosk, "verdictNotHelped")
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert not kiosk.session.is_active() and not verdict_shown(kiosk)
    assert verdicts(kiosk) == {"verdict.not_helped": 1}
    assert kiosk.navigator.page == "browse" and kiosk.detail.title == ""  # wiped as ever


def test_skip_is_counted_and_the_question_is_not_asked_twice(qtbot: Any, kiosk: Kiosk) -> None:
    assert kiosk.verdict is not None
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    kiosk.session.leave()  # a second "leave" (a double tap) while it shows: still one question
    assert kiosk.verdict.is_showing()
    press(qtbot, kiosk, "verdictSkip")
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert verdicts(kiosk) == {"verdict.skipped": 1}
    # The next person: nothing opened, nothing sent, so leaving asks nothing.
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert not kiosk.verdict.is_showing()
    assert verdicts(kiosk) == {"verdict.skipped": 1}


def test_no_question_when_nothing_was_opened_or_sent(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    press(qtbot, kiosk, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.navigator.openServices()  # browsing the services corner is not an offer opened
    press(qtbot, kiosk, "finishButton")
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    assert not verdict_shown(kiosk)
    assert verdicts(kiosk) == {}


def test_no_question_after_idle_time(qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock) -> None:
    window = kiosk.window
    open_an_offer(qtbot, kiosk)
    idle_clock.advance(kiosk.monitor.warning_after_s)
    kiosk.monitor.check()
    qtbot.waitUntil(lambda: shown(item(window, "idleWarning")))
    idle_clock.advance(kiosk.monitor.countdown_s)
    kiosk.monitor.check()  # nobody answered: the session ends by itself
    qtbot.waitUntil(lambda: shown(item(window, "attractScreen")))
    painted(qtbot, kiosk)
    assert not verdict_shown(kiosk)
    assert verdicts(kiosk) == {}


def test_the_question_goes_by_itself_and_input_keeps_it(
    qtbot: Any, kiosk: Kiosk, idle_clock: ManualClock
) -> None:
    assert kiosk.verdict is not None
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    assert kiosk.verdict.timeout_s == VERDICT_S
    # The idle monitor stands still meanwhile: no "are you still there?" over the question.
    assert not kiosk.monitor.property("running")
    # A touch (on the backdrop, not an answer) gives it its time again.
    idle_clock.advance(VERDICT_S - 1)
    press(qtbot, kiosk, "verdictQuestion")
    idle_clock.advance(VERDICT_S - 1)
    kiosk.verdict.check()
    assert kiosk.verdict.is_showing() and kiosk.session.is_active()
    idle_clock.advance(1)
    kiosk.verdict.check()
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "attractScreen")))
    assert not verdict_shown(kiosk)
    assert verdicts(kiosk) == {"verdict.unanswered": 1}


def test_finish_on_the_confirmation_asks(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_an_offer(qtbot, kiosk)
    kiosk.navigator.startApply(False)
    kiosk.apply.firstName, kiosk.apply.lastName, kiosk.apply.phone = "Ana", "Lima", "0612345678"
    kiosk.apply.consent = True
    assert kiosk.apply.review() and kiosk.apply.send()
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    painted(qtbot, kiosk)
    [finish] = [
        i
        for i in _descendants(item(window, "applyScreen"))
        if i.objectName() == "finishButton" and shown(i)
    ]
    tap_at(window, centre(finish))
    qtbot.waitUntil(lambda: verdict_shown(kiosk))
    assert kiosk.apply.reference != ""  # (under the question, hidden: wiped when it goes)
    press(qtbot, kiosk, "verdictHelped")
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert kiosk.apply.reference == ""
    assert verdicts(kiosk) == {"verdict.helped": 1}


def _descendants(root: Any) -> list[Any]:
    found, stack = [], [root]
    while stack:
        current = stack.pop()
        found.append(current)
        stack.extend(current.childItems())
    return found


def test_the_verdict_fits_in_landscape(qtbot: Any, kiosk: Kiosk) -> None:
    kiosk.window.resize(1920, 1080)
    qtbot.waitUntil(lambda: kiosk.window.width() == 1920)
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    painted(qtbot, kiosk)
    target = kiosk.theme.property("target")
    for name in ("verdictHelped", "verdictNeutral", "verdictNotHelped", "verdictSkip"):
        face = item(kiosk.window, name)
        corner = face.mapToScene(face.boundingRect().bottomRight())
        assert corner.x() <= 1920 and corner.y() <= 1080, name
        assert face.width() >= target and face.height() >= target, name


# -- with keys, in audio mode ------------------------------------------------------------------


def test_a_blind_person_answers_with_the_keypad(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    person.press(Qt.Key.Key_F2)  # audio mode, and the session
    assert kiosk.guide.is_audio()
    qtbot.waitUntil(lambda: kiosk.results.rowCount() > 0)
    person.next_until(lambda name: name.startswith("offerCard"))
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    person.next_until(lambda name: name == "finishButton")
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: verdict_shown(kiosk))
    # The question is said, with what to do; then the faces by their words, in that order.
    qtbot.waitUntil(lambda: "Cette borne vous a-t-elle aidé ?" in person.since(mark))
    assert "anonyme" in person.since(mark)
    order = [person.focus_name()]  # the first answer has the focus
    for _ in range(6):
        person.press(Qt.Key.Key_Down)
        if person.focus_name() not in order:
            order.append(person.focus_name())
    assert order[:4] == ["verdictHelped", "verdictNeutral", "verdictNotHelped", "verdictSkip"]
    assert "Moyennement" in person.since(mark)
    person.next_until(lambda name: name == "verdictNeutral", key=Qt.Key.Key_Up)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert verdicts(kiosk) == {"verdict.neutral": 1}
    assert not kiosk.guide.is_audio()  # the end of the session ends audio mode, as ever


def test_the_back_key_skips_the_question(qtbot: Any, kiosk: Kiosk) -> None:
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    person = Person(qtbot, kiosk)
    person.press(Qt.Key.Key_F4)  # the keypad's "back"
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert verdicts(kiosk) == {"verdict.skipped": 1}


# -- to the hub --------------------------------------------------------------------------------


@pytest.fixture
def synced(
    qtbot: Any, sqlite_hub: RunningHub, tmp_path: Path, idle_clock: ManualClock
) -> Iterator[Kiosk]:
    """A kiosk with an empty cache, enrolled at a hub that holds the seed offers."""
    ingest_payload(sqlite_hub.services.offers, {"resultats": seed_records()}, None, False)
    token = sqlite_hub.enrol(TERMINAL_ID)
    hub = (
        f'\n[hub]\nurl = "{sqlite_hub.url}"\ntoken = "{token}"\n'
        f'public_key = "{sqlite_hub.services.keys.public_key}"\n'
    )
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(CONFIG + hub, "test"), "test", data_dir, demo=False)
    built = build_kiosk(settings, size=(1080, 1920), idle_clock=idle_clock, sound=FakeChime())
    try:
        qtbot.waitExposed(built.window)
        yield built
    finally:
        built.shutdown()


def _at_the_hub(hub: RunningHub) -> dict[int, tuple[int, ...]]:
    table = TerminalWeekVerdicts.__table__.c
    with hub.services.db.read() as connection:
        rows = connection.execute(
            select(
                table.week,
                table.helped,
                table.neutral,
                table.not_helped,
                table.skipped,
                table.unanswered,
            ).where(table.terminal_id == TERMINAL_ID)
        )
        return {row[0]: tuple(row[1:]) for row in rows}


def test_an_answer_reaches_the_hub_in_the_weeks_table(
    qtbot: Any, synced: Kiosk, sqlite_hub: RunningHub
) -> None:
    kiosk = synced
    # The first round runs by itself after the first frame: the offers come from the hub.
    qtbot.waitUntil(lambda: kiosk.results.total_count() == 60, timeout=20_000)
    qtbot.waitUntil(lambda: kiosk.attract.offer_count() is not None)
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    press(qtbot, kiosk, "verdictHelped")
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    assert verdicts(kiosk) == {"verdict.helped": 1}
    # The next heartbeat carries the running totals; the hub adds the increase to this week.
    kiosk.sync.syncNow()
    week = week_of(int(sqlite_hub.clock()))
    qtbot.waitUntil(lambda: _at_the_hub(sqlite_hub) == {week: (1, 0, 0, 0, 0)}, timeout=20_000)
    # Another heartbeat with the same totals adds nothing; a second person's skip adds one.
    open_an_offer(qtbot, kiosk)
    leave_to_the_verdict(qtbot, kiosk)
    press(qtbot, kiosk, "verdictSkip")
    qtbot.waitUntil(lambda: not kiosk.session.is_active())
    kiosk.sync.syncNow()
    qtbot.waitUntil(lambda: _at_the_hub(sqlite_hub) == {week: (1, 0, 0, 1, 0)}, timeout=20_000)
