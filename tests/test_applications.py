"""Applications: validation codes, sealing of hostile input, nothing in clear on disk."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from kiosk.applications import (
    REFERENCE_ALPHABET,
    ApplicationDesk,
    ApplicationForm,
    ApplyError,
    Kind,
    _payload,
    demo_public_key,
    display_phone,
    normalise_phone,
    normalise_reference,
    validate,
)
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sealing import generate_keypair, load_private_key, load_public_key, seal, unseal

GOOD = ApplicationForm(
    offer_source="francetravail",
    offer_id="100AAAA",
    first_name="Amélie",
    last_name="N'Diaye-Lefèvre",
    phone="06 12 34 56 78",
    consent=True,
)


def form(**changes: object) -> ApplicationForm:
    fields = {name: getattr(GOOD, name) for name in ApplicationForm.__dataclass_fields__}
    return ApplicationForm(**(fields | changes))  # type: ignore[arg-type]


def test_a_phone_number_only_is_enough() -> None:
    assert validate(GOOD) == {}


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("06 12 34 56 78", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0612345678", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("+44 7911 123456", "+447911123456"),
        ("01 23", None),
        ("06 12 34 56 78 90 12", None),
        ("not a number", None),
        ("06 12\x00 34 56 78", None),
    ],
)
def test_phone_numbers_the_french_way(typed: str, e164: str | None) -> None:
    assert normalise_phone(typed) == e164


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"first_name": "  "}, {"first_name": "required"}),
        ({"last_name": "x" * 10_000}, {"last_name": "too_long"}),
        ({"first_name": "Zoë 😀"}, {"first_name": "invalid_characters"}),
        ({"last_name": "'; DROP TABLE applications; --"}, {"last_name": "invalid_characters"}),
        ({"first_name": "Ana\x00"}, {"first_name": "unusable_characters"}),
        ({"phone": ""}, {"phone": "contact_required"}),
        ({"phone": "12"}, {"phone": "invalid_phone"}),
        ({"phone": "", "email": "amelie@exemple"}, {"email": "invalid_email"}),
        ({"consent": False}, {"consent": "consent_required"}),
        ({"answers": {"available_now": "maybe"}}, {"answer:available_now": "invalid_answer"}),
        ({"kind": Kind.CALLBACK, "phone": "", "email": "a@b.fr"}, {"phone": "required"}),
    ],
)
def test_errors_are_codes_by_field(changes: dict[str, object], errors: dict[str, str]) -> None:
    assert validate(form(**changes)) == errors


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        # Control characters never reach the recruiter (nor the CSV export).
        ({"email": "ana\x00@exemple.fr"}, {"email": "unusable_characters"}),
        ({"email": "ana\x07@exemple.fr"}, {"email": "unusable_characters"}),
        ({"email": "ana@exemple.fr\x1b[31m"}, {"email": "unusable_characters"}),
        ({"email": "ana\u202e@exemple.fr"}, {"email": "unusable_characters"}),  # RTL override
        ({"email": "ana\ud800@exemple.fr"}, {"email": "unusable_characters"}),  # lone surrogate
        ({"first_name": "Ana\x1b"}, {"first_name": "unusable_characters"}),
        ({"last_name": "Lima\udfff"}, {"last_name": "unusable_characters"}),
        ({"phone": "06 12 34 56 78\x07"}, {"phone": "unusable_characters"}),
        # An extension is refused, not dropped: the number would ring someone else.
        ({"phone": "06 12 34 56 78 ext 12"}, {"phone": "phone_extension"}),
        ({"phone": "06 12 34 56 78 #12"}, {"phone": "phone_extension"}),
        ({"phone": "06 12 34 56 78 x12"}, {"phone": "phone_extension"}),
        ({"phone": "06 12 34 56 78;12"}, {"phone": "phone_extension"}),
        # What phonenumbers skips quietly is not a phone number.
        ({"phone": "06 12 34 56 78 📞"}, {"phone": "phone_characters"}),
        ({"phone": "06 12 34 56 78 poste 12"}, {"phone": "phone_extension"}),
        ({"phone": "06 12 34 56 78 p. 12"}, {"phone": "phone_extension"}),
        ({"phone": "tel 06 12 34 56 78"}, {"phone": "phone_characters"}),
        ({"phone": "06 12 34 56 78*"}, {"phone": "phone_characters"}),
        ({"phone": "06+12 34 56 78"}, {"phone": "phone_characters"}),
        # A name needs a letter.
        ({"first_name": "-"}, {"first_name": "letter_required"}),
        ({"last_name": "'. -’"}, {"last_name": "letter_required"}),
    ],
)
def test_unusable_input_is_refused_with_its_own_code(
    changes: dict[str, object], errors: dict[str, str]
) -> None:
    assert validate(form(**changes)) == errors


@pytest.mark.parametrize(
    "name",
    ["Zoé", "N'Diaye-Lefèvre", "مريم", "عبد الله", "王小明", "Nguyễn Thị", "Ἀλέξανδρος", "محمد‌رضا"],
    ids=["accent", "apostrophe", "arabic", "arabic-two", "cjk", "vietnamese", "greek", "zwnj"],
)
def test_names_of_every_script_are_accepted(name: str) -> None:
    assert validate(form(first_name=name, last_name=name)) == {}


@pytest.mark.parametrize(
    "typed",
    [
        "06-12-34-56-78",
        "(06) 12 34 56 78",
        "06/12/34/56/78",
        "+33 (0)6 12 34 56 78",
        "٠٦١٢٣٤٥٦٧٨",  # Arabic-Indic digits
        "06\u00a012\u202f34 56 78",  # no-break spaces, as a paste brings them
    ],
)
def test_phone_numbers_written_with_usual_punctuation_or_other_digits(typed: str) -> None:
    assert validate(form(phone=typed)) == {}
    assert normalise_phone(typed) == "+33612345678"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("+33671234589", "06 71 23 45 89"),
        ("0671234589", "06 71 23 45 89"),
        ("+33 1 44 55 66 77", "01 44 55 66 77"),
        ("+44 7911 123456", "+44 7911 123456"),  # a foreign number keeps its country code
        ("+212 6 12 34 56 78", "+212 6 12 34 56 78"),
        ("06 12", None),
    ],
)
def test_phone_numbers_are_shown_as_people_read_them(typed: str, shown: str | None) -> None:
    assert display_phone(typed) == shown


def test_right_to_left_names_and_email_only_are_accepted() -> None:
    assert (
        validate(form(first_name="مريم", last_name="العلوي", phone="", email="m@exemple.fr")) == {}
    )


HOSTILE = ["Zoë 😀🎉", "مريم العلوي", "x" * 10_000, "'; DROP TABLE applications; --"]


@pytest.mark.parametrize("value", HOSTILE, ids=["emoji", "rtl", "10k", "sql"])
def test_seal_unseal_round_trips_hostile_text(value: str) -> None:
    private, public = generate_keypair()
    application_id = str(uuid.uuid4())
    payload = _payload(form(first_name=value, last_name=value), application_id, "QX7M4P")
    sealed = seal(load_public_key(public), uuid.UUID(application_id), payload)
    assert value.encode() not in sealed
    document = json.loads(unseal(load_private_key(private), uuid.UUID(application_id), sealed))
    assert document["first_name"] == value
    assert document["phone"] == "+33612345678"
    assert document["offer"] == {"source": "francetravail", "id": "100AAAA", "title": ""}
    assert document["consent"]["share_with_recruiter"] is True


def test_the_reference_code_travels_sealed_with_the_application(tmp_path: Path) -> None:
    outbox = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    private, public = generate_keypair()
    receipt = ApplicationDesk(outbox, "t-1", load_public_key(public)).take(GOOD)
    [item] = outbox.claim()
    document = json.loads(unseal(load_private_key(private), uuid.UUID(item.id), item.sealed))
    assert document["reference"] == receipt.reference
    assert receipt.reference.encode() not in item.sealed


@pytest.mark.parametrize(
    ("typed", "code"),
    [("qx7-m4p", "QX7M4P"), (" QX7 M4P ", "QX7M4P"), ("ＱＸ７Ｍ４Ｐ", "QX7M4P")],
)
def test_a_reference_code_is_read_back_as_typed(typed: str, code: str) -> None:
    assert normalise_reference(typed) == code


@pytest.mark.parametrize("typed", ["", "QX7M4", "QX7M4PP", "QX0M4P", "QX7M4P;"])
def test_what_cannot_be_a_reference_code_is_refused(typed: str) -> None:
    assert normalise_reference(typed) is None


@pytest.fixture
def desk(tmp_path: Path) -> tuple[ApplicationDesk, Outbox]:
    outbox = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    _, public = generate_keypair()
    return ApplicationDesk(outbox, "t-1", load_public_key(public)), outbox


def test_submit_queues_a_sealed_application(desk: tuple[ApplicationDesk, Outbox]) -> None:
    application_desk, outbox = desk
    reference = application_desk.submit(GOOD)
    assert len(reference) == 6
    assert set(reference) <= set(REFERENCE_ALPHABET)
    assert outbox.stats().depth == 1
    [item] = outbox.claim()
    assert (item.offer_source, item.offer_id) == ("francetravail", "100AAAA")


@pytest.mark.parametrize(
    "changes",
    [
        {"offer_title": "Serveur \ud83d"},  # a lone surrogate from a damaged offers source
        {"offer_title": "Caf\udce9"},  # what surrogateescape makes of Latin-1 bytes
        {"offer_id": "100\udc80", "offer_title": "\ud83d\ude00 Serveur"},
    ],
)
def test_a_damaged_offer_title_is_mended_not_a_crash(
    desk: tuple[ApplicationDesk, Outbox], changes: dict[str, str]
) -> None:
    application_desk, outbox = desk
    receipt = application_desk.take(form(**changes))
    assert len(receipt.reference) == 6
    [item] = outbox.claim()
    assert item.id == receipt.application_id
    assert "\ufffd" in item.offer_id or item.offer_id == "100AAAA"


@pytest.mark.parametrize(
    "changes", [{"email": "ana\ud800@exemple.fr", "phone": ""}, {"first_name": "\udc41na"}]
)
def test_a_lone_surrogate_typed_is_refused_not_a_crash(
    desk: tuple[ApplicationDesk, Outbox], changes: dict[str, str]
) -> None:
    application_desk, outbox = desk
    with pytest.raises(ApplyError, match="not valid"):
        application_desk.submit(form(**changes))
    assert outbox.stats().depth == 0


def test_an_invalid_form_is_never_queued(desk: tuple[ApplicationDesk, Outbox]) -> None:
    application_desk, outbox = desk
    with pytest.raises(ApplyError):
        application_desk.submit(form(consent=False))
    assert outbox.stats().depth == 0


def test_without_a_hub_key_nothing_is_taken(tmp_path: Path) -> None:
    outbox = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    application_desk = ApplicationDesk(outbox, "t-1", None)
    assert not application_desk.accepting
    with pytest.raises(ApplyError, match="no hub public key"):
        application_desk.submit(GOOD)
    assert outbox.stats().depth == 0


def test_no_personal_data_in_clear_on_disk(tmp_path: Path) -> None:
    outbox = Outbox(open_outbox_database(tmp_path / "outbox.sqlite"))
    _, public = generate_keypair()
    secret = form(first_name="Philoméne", last_name="Quasimodine", phone="07 98 76 54 32")
    ApplicationDesk(outbox, "t-1", load_public_key(public)).submit(secret)
    needles = [b"Philom", b"Quasimodine", b"798765432", b"98 76 54 32", "Philoméne".encode()]
    files = [p for p in tmp_path.iterdir() if p.is_file()]
    assert any(p.name.endswith("-wal") for p in files)  # the WAL is searched too
    for path in files:
        content = path.read_bytes()
        for needle in needles:
            assert needle not in content, (path.name, needle)


def test_the_demo_key_pair_is_made_once(tmp_path: Path) -> None:
    first = demo_public_key(tmp_path)
    second = demo_public_key(tmp_path)
    assert first.public_bytes_raw() == second.public_bytes_raw()
    assert oct((tmp_path / "demo-hub-key.private").stat().st_mode & 0o777) == "0o600"


_CHILD = """
import sys
from pathlib import Path
from kiosk.applications import ApplicationDesk, ApplicationForm
from kiosk.offline.outbox import Outbox, open_outbox_database
from kiosk.sealing import generate_keypair, load_public_key
outbox = Outbox(open_outbox_database(Path(sys.argv[1])))
desk = ApplicationDesk(outbox, "t-1", load_public_key(generate_keypair()[1]))
reference = desk.submit(ApplicationForm("francetravail", "100AAAA", first_name="Ana",
                                        last_name="Lima", phone="0612345678", consent=True))
print(reference, flush=True)  # what the confirmation screen shows
sys.stdin.read()  # and the process goes on living until it is killed
"""


def test_a_confirmed_application_survives_sigkill(tmp_path: Path) -> None:
    path = tmp_path / "outbox.sqlite"
    with subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as child:
        assert child.stdout is not None
        reference = child.stdout.readline().strip()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
    assert child.returncode == -signal.SIGKILL
    outbox = Outbox(open_outbox_database(path))
    assert outbox.stats().depth == 1
    with outbox.engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT reference FROM applications").scalar()
    assert stored == reference
