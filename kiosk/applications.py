"""Applications without a CV: validate what the passer-by typed, seal it, queue it.

Plain Python: the apply screen's view-model calls `validate` and `submit`; error *codes* come
back per field and the screen words them in the passer-by's language.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import time
import unicodedata
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey
from sqlalchemy.exc import IntegrityError

from kiosk.domain import QUICK_QUESTIONS
from kiosk.offline.outbox import Outbox, SealedApplication
from kiosk.sealing import generate_keypair, load_public_key, seal

log = logging.getLogger("kiosk.apply")

NAME_MAX = 60
EMAIL_MAX = 254
PHONE_MAX = 30
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B
REFERENCE_LENGTH = 6
RETENTION_DAYS = 90  # how long the recruiter's side keeps an application (the privacy notice)

# The optional quick answers, and the values each accepts.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "available_now": ("yes", "no"),
    "experience": ("none", "under_1_year", "1_to_3_years", "over_3_years"),
    "driving_licence": ("yes", "no"),
}
assert tuple(QUESTIONS) == QUICK_QUESTIONS, "the quick questions of kiosk.domain, in its order"

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")
_NAME_PUNCTUATION = frozenset(" -'’.")
# Joiners that some scripts need inside a word (Persian, Indic): invisible, yet part of a name.
_NAME_JOINERS = frozenset("\u200c\u200d")
# What a phone number may be written with besides digits (of any script): "+33 (0)6 12-34.56/78".
_PHONE_PUNCTUATION = frozenset(" \u00a0\u202f+-.()/")
# Unicode categories that can never be sent: control characters (NUL, BEL, ESC…), format
# characters (invisible marks, bidirectional overrides), lone surrogates, private use.
_UNUSABLE = frozenset({"Cc", "Cf", "Cs", "Co"})
# An extension written after the number: "poste 12", "ext. 12", "x12", "#12", "p12".
_EXTENSION = re.compile(r"(?:poste|ext(?:ension)?\.?|x|p\.?|#)\s*\d{1,6}\s*$", re.IGNORECASE)
PHONE_REGION = "FR"  # the terminal's country: numbers typed without "+" are read as French


class ApplyError(Exception):
    """The application cannot be taken; the message is for the operator, never shown as is."""


# The offer_source of a spontaneous application: to a firm that often hires near here, for one
# trade, through the organisation the operator designates (offer_id "<siret>.<rome>").
SPONTANEOUS = "spontaneous"


class Kind:
    """What the passer-by asks for."""

    APPLICATION = "application"  # apply to the offer through the terminal
    CALLBACK = "callback"  # be called back about an offer that takes no direct application


@dataclass(frozen=True, slots=True)
class ApplicationForm:
    """What the passer-by typed and chose. Held only for the few seconds of the form."""

    offer_source: str
    offer_id: str
    offer_title: str = ""
    first_name: str = ""
    last_name: str = ""
    phone: str = ""
    email: str = ""
    answers: Mapping[str, str] = field(default_factory=dict)
    consent: bool = False
    language: str = "fr"
    kind: str = Kind.APPLICATION
    # A spontaneous application's firm as the screen showed it: siret, name, city, rome, trade.
    firm: Mapping[str, str] | None = None
    questions: tuple[str, ...] = QUICK_QUESTIONS  # the quick questions the form asked


def _unusable(text: str, allowed: frozenset[str] = frozenset()) -> bool:
    """Whether `text` holds a character that cannot be sent (see `_UNUSABLE`)."""
    return any(c not in allowed and unicodedata.category(c) in _UNUSABLE for c in text)


def scrub(text: str) -> str:
    """`text` made safe to encode: a lone surrogate (from a damaged source) becomes U+FFFD,
    a surrogate pair the character it stands for."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def _name_error(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "required"
    if len(text) > NAME_MAX:
        return "too_long"
    if _unusable(text, _NAME_JOINERS):
        return "unusable_characters"
    for char in text:
        if char in _NAME_PUNCTUATION or char in _NAME_JOINERS:
            continue
        if unicodedata.category(char)[0] not in {"L", "M"}:
            return "invalid_characters"
    if not any(unicodedata.category(char)[0] == "L" for char in text):
        return "letter_required"  # "-", "'.'": punctuation alone is no name
    return None


def _parse_phone(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    # Any space (a narrow no-break space from a paste, say) as the space phonenumbers knows.
    text = "".join(" " if unicodedata.category(c) == "Zs" else c for c in text)
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _phone_error(value: str, region: str = PHONE_REGION) -> str | None:
    """Why a typed phone number cannot be used, or None.

    A number with an extension ("06 12 34 56 78 poste 12", "…#12") is refused rather than sent
    without it: the recruiter calls the person directly, and a silently shortened number would
    ring someone else's desk."""
    text = value.strip()
    if len(text) > PHONE_MAX:
        return "too_long"
    if _unusable(text):
        return "unusable_characters"
    number = _parse_phone(text, region)
    if (number is not None and number.extension) or _EXTENSION.search(text):
        return "phone_extension"
    if (
        any(not (c in _PHONE_PUNCTUATION or unicodedata.category(c) == "Nd") for c in text)
        or "+" in text[1:]
    ):
        return "phone_characters"  # letters, emoji, "*", "#"…: phonenumbers would skip them
    if number is None or not phonenumbers.is_valid_number(number):
        return "invalid_phone"
    return None


def normalise_phone(value: str, region: str = PHONE_REGION) -> str | None:
    """E.164 form of a phone number typed the French way ("06 12…", "+33 6 12…"), or None
    when it cannot be used (see `_phone_error`)."""
    text = value.strip()
    if not text or _phone_error(text, region) is not None:
        return None
    number = _parse_phone(text, region)
    assert number is not None  # _phone_error parsed it
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(value: str, region: str = PHONE_REGION) -> str | None:
    """A usable phone number as a person reads it: "06 71 23 45 89" for a number of the
    terminal's country, "+44 7911 123456" for a foreign one; None when it cannot be used."""
    e164 = normalise_phone(value, region)
    if e164 is None:
        return None
    number = phonenumbers.parse(e164)
    national = phonenumbers.region_code_for_number(number) == region
    style = phonenumbers.PhoneNumberFormat
    return phonenumbers.format_number(number, style.NATIONAL if national else style.INTERNATIONAL)


def _email_error(value: str) -> str | None:
    text = value.strip()
    if len(text) > EMAIL_MAX:
        return "too_long"
    if _unusable(text):
        return "unusable_characters"  # NUL, BEL, ESC… would reach the recruiter's export
    return None if _EMAIL.match(text) else "invalid_email"


def validate(form: ApplicationForm) -> dict[str, str]:
    """Error codes by field name; empty when the form can be sent.

    Codes: required, too_long, invalid_characters, letter_required, unusable_characters,
    invalid_phone, phone_extension, phone_characters, invalid_email, contact_required,
    invalid_answer (also an answer to a question the form did not ask), consent_required.
    """
    errors: dict[str, str] = {}
    for name in ("first_name", "last_name"):
        if (error := _name_error(getattr(form, name))) is not None:
            errors[name] = error
    phone, email = form.phone.strip(), form.email.strip()
    if form.kind == Kind.CALLBACK and not phone:
        errors["phone"] = "required"
    elif not phone and not email:
        errors["phone"] = "contact_required"
    if phone and (error := _phone_error(phone)) is not None:
        errors["phone"] = error
    if email and form.kind == Kind.APPLICATION and (error := _email_error(email)) is not None:
        errors["email"] = error
    for question, answer in form.answers.items():
        # An answer to a question the form did not ask (the recruiter chose not to ask it) is
        # refused, not dropped: nothing the recruiter did not ask for leaves the terminal, and
        # the caller's mistake shows instead of an answer vanishing without a word.
        if question not in form.questions or answer not in QUESTIONS.get(question, ()):
            errors[f"answer:{question}"] = "invalid_answer"
    if not form.consent:
        errors["consent"] = "consent_required"
    return errors


def new_reference() -> str:
    """A short code the applicant can read out and type back: no look-alike characters."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def normalise_reference(text: str) -> str | None:
    """A reference code as an operator may type it back ("qx7-m4p", "QX7 M4P"), in the form
    the terminal gave it; None when it cannot be one."""
    code = "".join(c for c in unicodedata.normalize("NFKC", text).upper() if c not in " -.\t")
    if len(code) != REFERENCE_LENGTH or any(c not in REFERENCE_ALPHABET for c in code):
        return None
    return code


def _payload(form: ApplicationForm, application_id: str, reference: str) -> bytes:
    """The sealed plaintext: `SealedApplication` of docs/protocol/openapi.json."""
    email = form.email.strip() if form.kind == Kind.APPLICATION else ""
    document = {
        "application_id": application_id,
        # The code shown to the passer-by: the hub finds the application by it when they
        # quote it to see or delete their data (kept there only as a keyed hash).
        "reference": reference,
        "kind": form.kind,
        "offer": {
            "source": scrub(form.offer_source),
            "id": scrub(form.offer_id),
            "title": scrub(form.offer_title),  # from the offers' source: never refused, mended
        },
        "first_name": " ".join(form.first_name.split()),
        "last_name": " ".join(form.last_name.split()),
        "phone": normalise_phone(form.phone) if form.phone.strip() else None,
        "email": email or None,
        "answers": dict(form.answers) if form.kind == Kind.APPLICATION else {},
        "consent": {"share_with_recruiter": form.consent, "keep_for_future_offers": False},
        "language": form.language,
    }
    if form.firm is not None:
        document["firm"] = {key: scrub(str(value)) for key, value in form.firm.items()}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True, slots=True)
class Receipt:
    """An application safely queued: its id (the sync reports its delivery by it) and the
    reference code shown to the applicant."""

    application_id: str
    reference: str


class ApplicationDesk:
    """Takes validated forms, seals them to the hub's key and queues them durably."""

    def __init__(
        self,
        outbox: Outbox,
        terminal_id: str,
        hub_public_key: X25519PublicKey | None,
        clock: Callable[[], float] = time.time,
        problem: Callable[[], str | None] = lambda: None,
    ) -> None:
        self._outbox = outbox
        self._terminal_id = terminal_id
        self._public_key = hub_public_key
        self._clock = clock
        # Why the key may no longer be used (kiosk.sealing_key: a demo terminal enrolled
        # while it runs), asked before each application.
        self._problem = problem

    @property
    def accepting(self) -> bool:
        """Whether applications can be taken (a usable hub key is configured)."""
        return self._public_key is not None and self._problem() is None

    def submit(self, form: ApplicationForm) -> str:
        """Seal and queue a valid form; the reference code, once it is on the disk."""
        return self.take(form).reference

    def take(self, form: ApplicationForm) -> Receipt:
        """Seal and queue a valid form; its id and reference code, once it is on the disk."""
        if self._public_key is None:
            raise ApplyError("no hub public key is configured ([hub] public_key): cannot seal")
        if (problem := self._problem()) is not None:
            raise ApplyError(f"cannot seal: {problem}")
        errors = validate(form)
        if errors:
            raise ApplyError(f"the form is not valid: {sorted(errors)}")
        application_id = str(uuid.uuid4())
        now = self._clock()
        for _attempt in range(5):
            reference = new_reference()
            sealed = seal(
                self._public_key,
                uuid.UUID(application_id),
                _payload(form, application_id, reference),
            )
            try:
                self._outbox.enqueue(
                    SealedApplication(
                        id=application_id,
                        reference=reference,
                        offer_source=scrub(form.offer_source),
                        offer_id=scrub(form.offer_id),
                        sealed=sealed,
                        created_ts=int(now),
                    )
                )
            except IntegrityError:  # the same reference is already queued: draw another
                continue
            return Receipt(application_id, reference)
        raise ApplyError("could not draw an unused reference code")


def demo_public_key(data_dir: Path) -> X25519PublicKey:
    """The demo terminal's own hub key pair, made once in its data folder.

    A demo terminal has no hub: it seals to this key so that nothing is ever kept in clear,
    and says so in its log. The private half stays beside it for a local demo hub.
    """
    private_path, public_path = data_dir / "demo-hub-key.private", data_dir / "demo-hub-key.public"
    if not public_path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        private, public = generate_keypair()
        private_path.touch(mode=0o600)
        private_path.write_text(private + "\n", encoding="ascii")
        public_path.write_text(public + "\n", encoding="ascii")
        log.warning("demo mode: generated a demo hub key pair in %s", data_dir)
    log.warning("demo mode: applications are sealed to the demo key in %s", public_path)
    return load_public_key(public_path.read_text(encoding="ascii"))
