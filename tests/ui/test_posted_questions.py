"""End to end: a recruiter posts an offer on the hub choosing two of the three quick questions;
a terminal gets it through a real sync and its apply screen asks only those; the answer
reaches the recruiter's inbox."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hub.settings import GeocodingSection, HubConfig
from kiosk.config import Settings, parse_config
from kiosk.ui.app import Kiosk, build_kiosk
from tests.hub.conftest import GENEROUS, RunningHub, start_hub
from tests.hub.recruiters.ban import ban_stand_in
from tests.hub.recruiters.inbox_seed import browser, csrf_of, recruiter_session
from tests.hub.recruiters.test_postings import offer_fields
from tests.ui.conftest import CONFIG, FakeChime, item, shown
from tests.ui.test_apply import painted, press, sealed_rows
from tests.ui.test_apply_questions import questions_shown

pytestmark = pytest.mark.ui

TERMINAL_ID = "test-terminal"
BAKERY = "fournil-du-quai"


@pytest.fixture
def recruiter_hub(sqlite_database: str, tmp_path: Path) -> Iterator[tuple[RunningHub, Any]]:
    """A real hub on 127.0.0.1 (addresses placed by the BAN stand-in) and a signed-in
    recruiter of a bakery: the hub, and the recruiter's client."""
    with ban_stand_in() as ban:
        geocoding = GeocodingSection(url=ban.url, timeout_s=5)  # type: ignore[arg-type]
        hub = start_hub(
            sqlite_database, tmp_path / "hub", HubConfig(limits=GENEROUS, geocoding=geocoding)
        )
        try:
            organisation_id = hub.services.accounts.create_organisation(BAKERY, "Fournil du quai")
            session = recruiter_session(hub, organisation_id, "anne@fournil.example")
            yield hub, browser(hub, session)
        finally:
            hub.stop()


def test_a_posted_offer_asks_on_the_terminal_only_the_questions_its_recruiter_chose(
    qtbot: Any, recruiter_hub: tuple[RunningHub, Any], tmp_path: Path
) -> None:
    hub, recruiter = recruiter_hub
    # The recruiter posts an offer that asks two questions, not the one on experience.
    form = recruiter.get("/recruiters/offers/new")
    fields = {**offer_fields(), "questions": ["driving_licence", "available_now"]}
    answer = recruiter.post("/recruiters/offers", data={**fields, "csrf": csrf_of(form)})
    assert answer.status_code == 303, answer.text
    found = re.search(r"published=(\d+)", answer.headers["location"])
    assert found is not None
    external_id = f"{BAKERY}-{found.group(1)}"

    # A terminal enrolled with the hub gets it at its first sync, on its own thread.
    token = hub.enrol(TERMINAL_ID)
    settings_text = (
        CONFIG
        + f'\n[hub]\nurl = "{hub.url}"\ntoken = "{token}"\n'
        + f'public_key = "{hub.services.keys.public_key}"\n'
    )
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(settings_text, "test"), "test", data_dir, demo=False)
    kiosk: Kiosk = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(kiosk.window)
        qtbot.waitUntil(lambda: kiosk.store.find("posted", external_id) is not None, timeout=20_000)
        offer_id = kiosk.store.find("posted", external_id)
        assert offer_id is not None

        kiosk.session.wake()
        kiosk.navigator.openOffer(offer_id)
        qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
        press(qtbot, kiosk, "applyHereButton")
        qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyForm")))
        painted(qtbot, kiosk)
        assert questions_shown(kiosk) == ["available_now", "driving_licence"]  # their order

        press(qtbot, kiosk, "answer-drivingLicence-yes")
        kiosk.apply.firstName, kiosk.apply.lastName = "Camille", "Exemple"
        kiosk.apply.phone = "06 12 34 56 78"
        press(qtbot, kiosk, "consentButton")
        press(qtbot, kiosk, "reviewButton")
        qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyReview")))
        press(qtbot, kiosk, "sendButton")
        qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyDone")))
        [(application_id, _)] = sealed_rows(kiosk)
        qtbot.waitUntil(lambda: kiosk.apply.delivered, timeout=20_000)
    finally:
        kiosk.shutdown()

    # The recruiter reads the answer to the question they asked, and no other.
    page = recruiter.get(f"/recruiters/applications/{application_id}")
    assert page.status_code == 200
    assert "Permis de conduire" in page.text
    assert "Expérience dans ce métier" not in page.text
    assert "Disponible tout de suite" not in page.text  # asked, not answered
