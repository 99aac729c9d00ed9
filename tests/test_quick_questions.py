"""The quick questions an offer asks (a recruiter's choice, JobPosting `kioskQuestions`): read by
the parser, kept through the offers cache, and the only answers an application may carry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kiosk.applications import QUESTIONS, ApplicationForm, validate
from kiosk.domain import QUICK_QUESTIONS, Offer
from kiosk.formats import parse_payload
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from tests.conftest import ORIGIN, ft_record
from tests.test_format_jobposting import one, posting


def test_the_terminal_and_the_domain_name_the_same_questions_in_the_same_order() -> None:
    assert tuple(QUESTIONS) == QUICK_QUESTIONS == ("available_now", "experience", "driving_licence")


def test_without_a_choice_every_question_is_asked() -> None:
    assert one().quick_questions == QUICK_QUESTIONS
    assert one(kioskQuestions=None).quick_questions == QUICK_QUESTIONS  # null: no choice
    assert one().notes == ()
    [france_travail] = parse_payload({"resultats": [ft_record()]}, "ft")
    assert isinstance(france_travail, Offer)
    assert france_travail.quick_questions == QUICK_QUESTIONS


def test_an_empty_choice_asks_no_question() -> None:
    offer = one(kioskQuestions=[])
    assert offer.quick_questions == ()
    assert offer.notes == ()


@pytest.mark.parametrize(
    ("chosen", "asked"),
    [
        (["experience"], ("experience",)),
        (["driving_licence", "available_now"], ("available_now", "driving_licence")),
        (["experience", "experience"], ("experience",)),
        (list(QUICK_QUESTIONS), QUICK_QUESTIONS),
    ],
)
def test_a_subset_is_asked_in_the_terminal_s_order(chosen: list[str], asked: tuple[str]) -> None:
    offer = one(kioskQuestions=chosen)
    assert offer.quick_questions == asked
    assert offer.notes == ()


def test_unknown_keys_are_left_out_with_a_note() -> None:
    offer = one(kioskQuestions=["experience", "salary_wanted", 3, {"x": 1}, "Experience"])
    assert offer.quick_questions == ("experience",)
    [note] = offer.notes
    assert note.startswith("kioskQuestions: unknown questions left out: salary_wanted, 3")
    # Only unknown keys: the recruiter chose none of the terminal's questions.
    assert one(kioskQuestions=["salary_wanted"]).quick_questions == ()


@pytest.mark.parametrize("value", ["experience", 1, True, {"experience": True}])
def test_a_value_that_is_not_a_list_is_no_choice_all_are_asked(value: Any) -> None:
    offer = one(kioskQuestions=value)
    assert offer.quick_questions == QUICK_QUESTIONS
    [note] = offer.notes
    assert note.startswith("kioskQuestions is not a list")


def test_the_choice_survives_the_offers_cache(tmp_path: Path) -> None:
    """The cache keeps a JobPosting's whole record and reads the offer back from it."""
    engine = open_offers_database(tmp_path / "offers.db")
    try:
        store = OfferStore(engine, ORIGIN)
        records = [
            posting(identifier="ASKS-ONE", kioskQuestions=["experience"]),
            posting(identifier="ASKS-NONE", kioskQuestions=[]),
            posting(identifier="ASKS-ALL"),
        ]
        report = store.import_records(parse_payload(records, "posted"))
        assert report.rejected == []
        read_back = {}
        for external_id in ("ASKS-ONE", "ASKS-NONE", "ASKS-ALL"):
            found = store.find("posted", external_id)
            assert found is not None
            offer = store.get(found)
            assert offer is not None
            read_back[external_id] = offer.quick_questions
        assert read_back == {
            "ASKS-ONE": ("experience",),
            "ASKS-NONE": (),
            "ASKS-ALL": QUICK_QUESTIONS,
        }
    finally:
        engine.dispose()


def _form(**changes: Any) -> ApplicationForm:
    values: dict[str, Any] = dict(
        offer_source="posted",
        offer_id="X-1",
        first_name="Camille",
        last_name="Exemple",
        phone="06 12 34 56 78",
        consent=True,
    )
    return ApplicationForm(**{**values, **changes})


def test_only_answers_to_the_questions_asked_are_taken() -> None:
    asked = ("experience",)
    assert validate(_form(questions=asked, answers={"experience": "none"})) == {}
    assert validate(_form(questions=asked, answers={})) == {}  # the answers stay optional
    # An answer to a question the form did not ask is refused, never sent.
    assert validate(
        _form(questions=asked, answers={"experience": "none", "driving_licence": "yes"})
    ) == {"answer:driving_licence": "invalid_answer"}
    assert validate(_form(questions=(), answers={"available_now": "yes"})) == {
        "answer:available_now": "invalid_answer"
    }
    # A form that says nothing of its questions asked them all, as before.
    assert validate(_form(answers={"available_now": "yes", "driving_licence": "no"})) == {}
