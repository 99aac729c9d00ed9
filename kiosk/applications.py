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

_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\".]{2,}$")
_NAME_PUNCTUATION = frozenset(" -'’.")


class ApplyError(Exception):
    """The application cannot be taken; the message is for the operator, never shown as is."""


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


def _name_error(value: str) -> str | None:
    text = value.strip()
    if not text:
        return "required"
    if len(text) > NAME_MAX:
        return "too_long"
    for char in text:
        if char in _NAME_PUNCTUATION:
            continue
        if unicodedata.category(char)[0] not in {"L", "M"}:
            return "invalid_characters"
    return None


def normalise_phone(value: str, region: str = "FR") -> str | None:
    """E.164 form of a phone number typed the French way ("06 12…", "+33 6 12…"), or None."""
    text = value.strip()
    if not text or len(text) > PHONE_MAX or "\x00" in text:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email_error(value: str) -> str | None:
    text = value.strip()
    if len(text) > EMAIL_MAX:
        return "too_long"
    return None if _EMAIL.match(text) else "invalid_email"


def validate(form: ApplicationForm) -> dict[str, str]:
    """Error codes by field name; empty when the form can be sent.

    Codes: required, too_long, invalid_characters, invalid_phone, invalid_email,
    contact_required, invalid_answer, consent_required.
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
    if phone and normalise_phone(phone) is None:
        errors["phone"] = "invalid_phone"
    if email and form.kind == Kind.APPLICATION and (error := _email_error(email)) is not None:
        errors["email"] = error
    for question, answer in form.answers.items():
        if answer not in QUESTIONS.get(question, ()):
            errors[f"answer:{question}"] = "invalid_answer"
    if not form.consent:
        errors["consent"] = "consent_required"
    return errors


def new_reference() -> str:
    """A short code the applicant can read out and type back: no look-alike characters."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def _payload(form: ApplicationForm, application_id: str) -> bytes:
    """The sealed plaintext: `SealedApplication` of docs/protocol/openapi.json."""
    email = form.email.strip() if form.kind == Kind.APPLICATION else ""
    document = {
        "application_id": application_id,
        "kind": form.kind,
        "offer": {"source": form.offer_source, "id": form.offer_id, "title": form.offer_title},
        "first_name": " ".join(form.first_name.split()),
        "last_name": " ".join(form.last_name.split()),
        "phone": normalise_phone(form.phone) if form.phone.strip() else None,
        "email": email or None,
        "answers": dict(form.answers) if form.kind == Kind.APPLICATION else {},
        "consent": {"share_with_recruiter": form.consent, "keep_for_future_offers": False},
        "language": form.language,
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


class ApplicationDesk:
    """Takes validated forms, seals them to the hub's key and queues them durably."""

    def __init__(
        self,
        outbox: Outbox,
        terminal_id: str,
        hub_public_key: X25519PublicKey | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._outbox = outbox
        self._terminal_id = terminal_id
        self._public_key = hub_public_key
        self._clock = clock

    @property
    def accepting(self) -> bool:
        """Whether applications can be taken (a hub key is configured)."""
        return self._public_key is not None

    def submit(self, form: ApplicationForm) -> str:
        """Seal and queue a valid form; the reference code, once it is on the disk."""
        if self._public_key is None:
            raise ApplyError("no hub public key is configured ([hub] public_key): cannot seal")
        errors = validate(form)
        if errors:
            raise ApplyError(f"the form is not valid: {sorted(errors)}")
        application_id = str(uuid.uuid4())
        now = self._clock()
        sealed = seal(self._public_key, uuid.UUID(application_id), _payload(form, application_id))
        for _attempt in range(5):
            reference = new_reference()
            try:
                self._outbox.enqueue(
                    SealedApplication(
                        id=application_id,
                        reference=reference,
                        offer_source=form.offer_source,
                        offer_id=form.offer_id,
                        sealed=sealed,
                        created_ts=int(now),
                    )
                )
            except IntegrityError:  # the same reference is already queued: draw another
                continue
            return reference
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
