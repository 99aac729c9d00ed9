"""The apply form asks only the quick questions the offer's recruiter chose, on the real
window: shown, reached by the audio guide, reviewed and sent; the others nowhere."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kiosk.config import Settings, parse_config
from kiosk.formats import parse_payload
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.sealing import generate_keypair, load_private_key, unseal
from kiosk.ui.access_tree import Tree
from kiosk.ui.app import Kiosk
from tests.conftest import ORIGIN
from tests.ui.conftest import CONFIG, item, seed_records, shown
from tests.ui.test_apply import painted, press, sealed_rows
from tests.ui.test_audio_journey import Person

pytestmark = pytest.mark.ui

KEYS = generate_keypair()
QUESTION_ITEMS = {
    "available_now": "availableNow",
    "experience": "experience",
    "driving_licence": "drivingLicence",
}
# Words of the questions a French screen shows and the guide speaks.
QUESTION_WORDS = ("Disponible tout de suite", "Expérience dans ce métier", "Permis de conduire")


def posted(external_id: str, questions: list[str] | None) -> dict[str, Any]:
    """A JobPosting as the hub writes a recruiter's offer, taking applications here."""
    record: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": {"@type": "PropertyValue", "name": "Fournil", "value": external_id},
        "title": "Vendeur ou vendeuse en boulangerie",
        "description": "Vente au comptoir.",
        "datePosted": "2026-11-30T08:00:00Z",
        "url": f"https://hub.example/offers/posted/{external_id}",
        "hiringOrganization": {"@type": "Organization", "name": "Fournil"},
        "employmentType": ["PART_TIME"],
        "jobLocation": {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": "Paris"},
            "geo": {"latitude": ORIGIN.latitude, "longitude": ORIGIN.longitude},
        },
        "directApply": True,
    }
    if questions is not None:
        record["kioskQuestions"] = questions
    return record


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal with a hub key (it takes applications, sealed to KEYS); mock speech."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


@pytest.fixture
def seeded_store(ui_settings: Settings) -> Iterator[OfferStore]:
    """The seed offers, and posted offers that ask one question, none, or every one."""
    engine = open_offers_database(ui_settings.offers_db)
    store = OfferStore(engine, ui_settings.config.origin)
    store.ensure_origin()
    store.import_records(parse_payload({"resultats": seed_records()}, "test"))
    postings = [posted("ONE", ["experience"]), posted("NONE", []), posted("ALL", None)]
    report = store.import_records(parse_payload(postings, "posted"))
    assert report.rejected == []
    yield store
    engine.dispose()


def open_form(qtbot: Any, kiosk: Kiosk, external_id: str) -> None:
    """The apply form of a posted offer, opened with a tap on its "apply here" button."""
    kiosk.session.wake()
    found = kiosk.store.find("posted", external_id)
    assert found is not None
    kiosk.navigator.openOffer(found)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail" and kiosk.detail.canApplyHere)
    press(qtbot, kiosk, "applyHereButton")
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "applyForm")))
    painted(qtbot, kiosk)


def questions_shown(kiosk: Kiosk) -> list[str]:
    return [key for key, name in QUESTION_ITEMS.items() if shown(item(kiosk.window, name))]


def spoken_stops(kiosk: Kiosk) -> str:
    """What the audio guide can stop on in the form, as one text."""
    tree = Tree.of(kiosk.window)
    return "\n".join(f"{tree.nodes[i].name} {tree.nodes[i].description}" for i in tree.stops())


def test_an_offer_that_asks_one_question_shows_and_sends_only_it(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    open_form(qtbot, kiosk, "ONE")
    assert kiosk.apply.questions == ["experience"]
    assert shown(item(window, "quickQuestions"))
    assert questions_shown(kiosk) == ["experience"]
    stops = spoken_stops(kiosk)
    assert "Expérience dans ce métier" in stops
    assert "Disponible tout de suite" not in stops and "Permis de conduire" not in stops

    press(qtbot, kiosk, "answer-experience-1_to_3_years")
    assert kiosk.apply.experience == "1_to_3_years"
    kiosk.apply.availableNow = "yes"  # not asked: dropped, never sent
    assert kiosk.apply.availableNow == ""
    kiosk.apply.firstName, kiosk.apply.lastName = "Amélie", "Ndiaye"
    kiosk.apply.phone = "06 12 34 56 78"
    press(qtbot, kiosk, "consentButton")
    press(qtbot, kiosk, "reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    labels = [row["label"] for row in kiosk.apply.summary]
    assert "Expérience dans ce métier" in labels
    assert "Disponible tout de suite" not in labels

    press(qtbot, kiosk, "sendButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    [(application_id, sealed)] = sealed_rows(kiosk)
    document = json.loads(unseal(load_private_key(KEYS[0]), uuid.UUID(application_id), sealed))
    assert document["offer"]["id"] == "ONE"
    assert document["answers"] == {"experience": "1_to_3_years"}


def test_an_offer_that_asks_none_shows_no_question_nor_their_heading(
    qtbot: Any, kiosk: Kiosk
) -> None:
    open_form(qtbot, kiosk, "NONE")
    assert kiosk.apply.questions == []
    assert questions_shown(kiosk) == []
    stops = spoken_stops(kiosk)
    assert not any(words in stops for words in QUESTION_WORDS)
    assert "réponses rapides" not in stops  # "Facultatif : quelques réponses rapides…"
    assert not shown(item(kiosk.window, "quickQuestions"))

    # Back, and another offer without a choice: every question again, in the usual order.
    kiosk.navigator.home()
    open_form(qtbot, kiosk, "ALL")
    assert questions_shown(kiosk) == list(QUESTION_ITEMS)


def test_the_audio_guide_walks_only_the_questions_asked(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    person.press(Qt.Key.Key_F2)  # wakes the terminal in audio mode
    assert kiosk.guide.is_audio()
    found = kiosk.store.find("posted", "ONE")
    assert found is not None
    kiosk.navigator.openOffer(found)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    person.next_until(lambda name: name == "applyHereButton")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    mark = len(person.heard)
    visited: list[str] = []

    def walked_to_consent(name: str) -> bool:
        visited.append(name)
        return name == "consentButton"

    person.next_until(walked_to_consent)
    answers = [name for name in visited if name.startswith("answer-")]
    assert answers == [
        "answer-experience-none",
        "answer-experience-under_1_year",
        "answer-experience-1_to_3_years",
        "answer-experience-over_3_years",
    ]
    said = person.since(mark)
    assert "Expérience dans ce métier" in said
    assert "Disponible tout de suite" not in said and "Permis de conduire" not in said
