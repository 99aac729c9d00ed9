"""The apply screen's view-model: the short form, its review, sending, and the confirmation.

What the passer-by types lives here only while the form is open: sending or the end of the
session clears it, so that only the reference code stays on screen.
"""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable, Sequence

from PySide6.QtCore import QT_TRANSLATE_NOOP, Property, QCoreApplication, QObject, Signal, Slot
from PySide6.QtQml import QmlElement

from kiosk.applications import (
    RETENTION_DAYS,
    SPONTANEOUS,
    ApplicationDesk,
    ApplicationForm,
    ApplyError,
    Kind,
    display_phone,
    validate,
)
from kiosk.domain import QUICK_QUESTIONS
from kiosk.offline.firms import NearbyFirm
from kiosk.ui.firms import spontaneous_privacy, spontaneous_status
from kiosk.ui.formatting import LRI, PDI
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.qr import qr_source

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.apply")


class Step(enum.StrEnum):
    """Where the passer-by is in the flow."""

    FORM = "form"
    REVIEW = "review"
    DONE = "done"


# Error codes of kiosk.applications.validate, in plain words.
_ERRORS = {
    "required": QT_TRANSLATE_NOOP("Apply", "Please fill this in."),
    "too_long": QT_TRANSLATE_NOOP("Apply", "This is too long."),
    "invalid_characters": QT_TRANSLATE_NOOP(
        "Apply", "Use letters only (spaces, hyphens and apostrophes are fine)."
    ),
    "letter_required": QT_TRANSLATE_NOOP("Apply", "Write your name with letters."),
    "unusable_characters": QT_TRANSLATE_NOOP(
        "Apply",
        "This contains an invisible or special character that cannot be sent. Please clear the field and type it again.",  # noqa: E501
    ),
    # The phone's errors point to the example shown above the field rather than repeat it
    # (and keep digit groups out of right-to-left sentences).
    "invalid_phone": QT_TRANSLATE_NOOP(
        "Apply", "This phone number does not look right: compare it with the example above."
    ),
    "phone_extension": QT_TRANSLATE_NOOP(
        "Apply", "Give a number without an extension, one that reaches you directly."
    ),
    "phone_characters": QT_TRANSLATE_NOOP(
        "Apply", "Use only digits, spaces, and a + at the start."
    ),
    "invalid_email": QT_TRANSLATE_NOOP(
        "Apply", "This e-mail address does not look right. Example: marie.dupont@exemple.fr"
    ),
    "contact_required": QT_TRANSLATE_NOOP(
        "Apply", "Give a phone number or an e-mail address so that the recruiter can reach you."
    ),
    "consent_required": QT_TRANSLATE_NOOP(
        "Apply", "Tick the box to agree to share these details with the recruiter."
    ),
    "invalid_answer": QT_TRANSLATE_NOOP("Apply", "Choose one of the answers."),
    # A spontaneous application goes to the job agency, not to a recruiter: its own words.
    "contact_required:agency": QT_TRANSLATE_NOOP(
        "Apply", "Give a phone number or an e-mail address so that the job agency can reach you."
    ),
    "consent_required:agency": QT_TRANSLATE_NOOP(
        "Apply", "Tick the box to agree to share these details with the job agency."
    ),
}
_LABELS = {
    "first_name": QT_TRANSLATE_NOOP("Apply", "First name"),
    "last_name": QT_TRANSLATE_NOOP("Apply", "Last name"),
    "phone": QT_TRANSLATE_NOOP("Apply", "Phone"),
    "email": QT_TRANSLATE_NOOP("Apply", "E-mail"),
    "available_now": QT_TRANSLATE_NOOP("Apply", "Available now"),
    "experience": QT_TRANSLATE_NOOP("Apply", "Experience in this job"),
    "driving_licence": QT_TRANSLATE_NOOP("Apply", "Driving licence"),
}
_ANSWERS = {
    "yes": QT_TRANSLATE_NOOP("Apply", "Yes"),
    "no": QT_TRANSLATE_NOOP("Apply", "No"),
    "none": QT_TRANSLATE_NOOP("Apply", "None"),
    "under_1_year": QT_TRANSLATE_NOOP("Apply", "Less than 1 year"),
    "1_to_3_years": QT_TRANSLATE_NOOP("Apply", "1 to 3 years"),
    "over_3_years": QT_TRANSLATE_NOOP("Apply", "More than 3 years"),
}


# One literal each: lupdate reads only the first of several adjacent string literals.
CANNOT_TAKE = str(
    QT_TRANSLATE_NOOP(
        "Apply",
        "Sorry, this terminal cannot take applications right now. Please apply from your phone.",
    )
)
PRIVACY_NOTICE = str(
    QT_TRANSLATE_NOOP(
        "Apply",
        "Your name and your phone number or e-mail go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can contact you about this job. Nothing is kept on this terminal once it is sent. The recruiter's side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.",  # noqa: E501
    )
)
# "Be called back": there is no e-mail field and no quick answers, so the notice names only
# what this form takes.
PRIVACY_NOTICE_CALLBACK = str(
    QT_TRANSLATE_NOOP(
        "Apply",
        "Your name and your phone number go only to the recruiter of this offer, through the job agency that runs this terminal, so that they can call you back about this job. Nothing is kept on this terminal once it is sent. The recruiter's side keeps them for %1 days at most. To see them or have them deleted, contact the agency with your reference code.",  # noqa: E501
    )
)
# The confirmation says what is true: kept on the terminal until the hub confirms delivery.
DONE_TITLES = {
    (Kind.APPLICATION, False): QT_TRANSLATE_NOOP("Apply", "Your application is saved"),
    (Kind.APPLICATION, True): QT_TRANSLATE_NOOP("Apply", "Your application is sent"),
    (Kind.CALLBACK, False): QT_TRANSLATE_NOOP("Apply", "Your request is saved"),
    (Kind.CALLBACK, True): QT_TRANSLATE_NOOP("Apply", "Your request is sent"),
}
DONE_QUEUED = str(
    QT_TRANSLATE_NOOP(
        "Apply",
        "It is kept safely on this terminal, locked so that only the agency can read it, and it leaves for the recruiter as soon as the network allows. You have nothing more to do.",  # noqa: E501
    )
)
DONE_DELIVERED = str(
    QT_TRANSLATE_NOOP(
        "Apply", "It has reached the job agency, which passes it on to the recruiter."
    )
)

ERRORS: dict[str, str] = {code: str(text) for code, text in _ERRORS.items()}
LABELS: dict[str, str] = {name: str(text) for name, text in _LABELS.items()}
ANSWERS: dict[str, str] = {value: str(text) for value, text in _ANSWERS.items()}


def _tr(text: str) -> str:
    return QCoreApplication.translate("Apply", text)


def _text_field(name: str) -> tuple[Callable[..., str], Callable[..., None]]:
    """Getter and setter of one typed field; typing in a field clears its error."""

    def get(view: ApplyViewModel) -> str:
        return view._fields[name]

    def set_(view: ApplyViewModel, value: str) -> None:
        if view._fields[name] != value:
            view._fields[name] = value
            if view._errors.pop(name, None) is not None:
                view.errorsChanged.emit()
            view.fieldsChanged.emit()

    return get, set_


def _answer(name: str) -> tuple[Callable[..., str], Callable[..., None]]:
    """Getter and setter of one quick answer ("" when not answered). A question the offer does
    not ask has no answer, and one set all the same is dropped: the screen never shows it."""

    def get(view: ApplyViewModel) -> str:
        return view._answers.get(name, "")

    def set_(view: ApplyViewModel, value: str) -> None:
        if name in view._answers and view._answers[name] != value:
            view._answers[name] = value
            view.fieldsChanged.emit()

    return get, set_


def _row(
    label: str, value: str, *, personal: bool = False, left_to_right: bool = False
) -> dict[str, object]:
    shown = f"{LRI}{value}{PDI}" if left_to_right else value
    return {"label": label, "value": value, "shown": shown, "personal": personal}


def spell_reference(code: str) -> str:
    """A reference code as speech should read it: one character at a time, in groups of three
    or four ("K7QM3XPA" → "K 7 Q M, 3 X P A"; "K7QM3X" → "K 7 Q, M 3 X")."""
    characters = [c for c in code if c.isalnum()]
    size = 4 if len(characters) % 4 == 0 else 3
    groups = [characters[i : i + size] for i in range(0, len(characters), size)]
    return ", ".join(" ".join(group) for group in groups)


@QmlElement
@uncreatable("the application creates the apply view-model")
class ApplyViewModel(QObject):
    """Holds the form of one application, checks it, and hands it to the application desk."""

    fieldsChanged = Signal()
    errorsChanged = Signal()
    stepChanged = Signal()
    offerChanged = Signal()  # another offer (or none), or the other kind of request
    availabilityChanged = Signal()  # the terminal can take applications, or no longer
    textChanged = Signal()  # the language, the kind or the delivery changed: worded again
    deliveredChanged = Signal()  # the hub confirmed the application on the confirmation
    sent = Signal(str)  # the reference code, once the application is safely queued

    def __init__(
        self,
        desk: ApplicationDesk,
        language: Callable[[], str],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._desk = desk
        self._accepting = desk.accepting
        self._language = language
        self._offer = ("", "", "")  # source, id, title
        self._offer_url = ""
        self._kind = Kind.APPLICATION
        self._step = Step.FORM
        self._reference = ""
        self._application_id = ""  # of the application on the confirmation
        self._delivered = False  # the hub confirmed it
        self._problem = ""
        self._questions = QUICK_QUESTIONS  # the quick questions the offer asks
        self._firm: dict[str, str] | None = None  # a spontaneous application's firm
        self._clear_fields()

    def _clear_fields(self) -> None:
        self._fields = {"first_name": "", "last_name": "", "phone": "", "email": ""}
        self._answers = dict.fromkeys(self._questions, "")
        self._consent = False
        self._errors: dict[str, str] = {}

    # -- the flow ----------------------------------------------------------------------------

    @Slot(str, str, str, bool)
    def start(
        self,
        source: str,
        external_id: str,
        title: str,
        callback: bool,
        questions: Sequence[str] = QUICK_QUESTIONS,
    ) -> None:
        """A new, empty form for one offer (`callback`: "be called back", name and phone)
        that asks the offer's quick `questions` (`Offer.quick_questions`), in their order."""
        self._offer = (source, external_id, title)
        self._firm = None
        self._kind = Kind.CALLBACK if callback else Kind.APPLICATION
        self._questions = tuple(q for q in QUICK_QUESTIONS if q in questions)
        self.refresh_availability()
        self._clear_fields()
        self._forget_receipt()
        self._problem = ""
        self._set_step(Step.FORM)
        self.offerChanged.emit()
        self.textChanged.emit()  # the privacy notice of this kind of request
        self.fieldsChanged.emit()
        self.errorsChanged.emit()

    def _forget_receipt(self) -> None:
        self._reference = ""
        self._application_id = ""
        if self._delivered:
            self._delivered = False
            self.deliveredChanged.emit()
            self.textChanged.emit()

    def start_spontaneous(self, nearby: NearbyFirm) -> None:
        """A new, empty spontaneous application to a firm for the trade it is shown for: it
        goes to the organisation the operator designates, never to the firm directly."""
        self.start(SPONTANEOUS, nearby.key, nearby.trade.label, False)
        firm = nearby.firm
        self._firm = {
            "siret": firm.siret,
            "name": firm.name,
            "city": firm.city or "",
            "rome": nearby.trade.rome,
            "trade": nearby.trade.label,
        }
        self.offerChanged.emit()
        self.textChanged.emit()  # the privacy notice of a spontaneous application

    @property
    def offer_key(self) -> tuple[str, str]:
        """(source, id) of the offer the form is for."""
        return self._offer[0], self._offer[1]

    def is_spontaneous(self) -> bool:
        """Whether the form is a spontaneous application to a firm."""
        return self._firm is not None

    def set_offer_url(self, url: str | None) -> None:
        """The offer's public page: its QR code stays on the confirmation, to keep the offer."""
        self._offer_url = url or ""
        self.offerChanged.emit()

    def _form(self) -> ApplicationForm:
        answers = {k: v for k, v in self._answers.items() if v}
        return ApplicationForm(
            offer_source=self._offer[0],
            offer_id=self._offer[1],
            offer_title=self._offer[2],
            first_name=self._fields["first_name"],
            last_name=self._fields["last_name"],
            phone=self._fields["phone"],
            email=self._fields["email"] if self._kind == Kind.APPLICATION else "",
            answers=answers if self._kind == Kind.APPLICATION else {},
            consent=self._consent,
            language=self._language(),
            kind=self._kind,
            questions=self._questions,
            firm=self._firm,
        )

    @Slot(result=bool)
    def review(self) -> bool:
        """Check the form: on to the review, or the errors beside their fields."""
        self._errors = validate(self._form())
        self.errorsChanged.emit()
        if self._errors:
            return False
        self._set_step(Step.REVIEW)
        return True

    @Slot()
    def edit(self) -> None:
        """Back from the review to the form, as it was."""
        self._set_step(Step.FORM)

    @Slot(result=bool)
    def send(self) -> bool:
        """Seal and queue the application; the confirmation shows once it is on the disk."""
        try:
            receipt = self._desk.take(self._form())
        except ApplyError as exc:
            log.error("application not taken: %s", exc)
            self._problem = _tr(CANNOT_TAKE)
            self.errorsChanged.emit()
            return False
        self._forget_receipt()
        self._reference, self._application_id = receipt.reference, receipt.application_id
        self._clear_fields()  # nothing typed stays behind the confirmation
        self.fieldsChanged.emit()
        self._set_step(Step.DONE)
        self.sent.emit(self._reference)
        return True

    def preview_confirmation(self, reference: str) -> None:
        """The confirmation as a passer-by sees it, for `kiosk screenshot`: nothing is sealed
        or queued (a screenshot taken on a terminal must not add an application)."""
        self._forget_receipt()
        self._reference = reference
        self._clear_fields()
        self.fieldsChanged.emit()
        self._set_step(Step.DONE)

    @Slot(str)
    def markDelivered(self, application_id: str) -> None:
        """The hub confirmed the delivery of `application_id`: if it is the one on the
        confirmation, the confirmation now says "sent"."""
        if (
            application_id
            and application_id == self._application_id
            and self._step is Step.DONE
            and not self._delivered
        ):
            self._delivered = True
            self.deliveredChanged.emit()
            self.textChanged.emit()

    def refresh_availability(self) -> None:
        """Ask the desk again whether applications can be taken (a demo terminal enrolled
        while it runs can no longer): at every session's end and new form."""
        accepting = self._desk.accepting
        if accepting != self._accepting:
            self._accepting = accepting
            self.availabilityChanged.emit()

    def wipe(self) -> None:
        """The end of the session: the form, the code, everything goes."""
        self.refresh_availability()
        self._questions = QUICK_QUESTIONS
        self._firm = None
        self._clear_fields()
        self._forget_receipt()
        self._problem = ""
        self._offer = ("", "", "")
        self._offer_url = ""
        self._set_step(Step.FORM)
        self.offerChanged.emit()
        self.fieldsChanged.emit()
        self.errorsChanged.emit()

    def retranslate(self) -> None:
        """Words in the new language."""
        self.textChanged.emit()
        self.errorsChanged.emit()
        self.fieldsChanged.emit()  # the review's labels

    def _set_step(self, step: Step) -> None:
        if step is not self._step:
            self._step = step
            self.stepChanged.emit()

    # -- fields (two-way bound from QML) -----------------------------------------------------

    def _set_consent(self, value: bool) -> None:
        if self._consent != value:
            self._consent = value
            if self._errors.pop("consent", None) is not None:
                self.errorsChanged.emit()
            self.fieldsChanged.emit()

    firstName = Property(str, *_text_field("first_name"), notify=fieldsChanged)
    lastName = Property(str, *_text_field("last_name"), notify=fieldsChanged)
    phone = Property(str, *_text_field("phone"), notify=fieldsChanged)
    email = Property(str, *_text_field("email"), notify=fieldsChanged)
    availableNow = Property(str, *_answer("available_now"), notify=fieldsChanged)
    experience = Property(str, *_answer("experience"), notify=fieldsChanged)
    drivingLicence = Property(str, *_answer("driving_licence"), notify=fieldsChanged)
    consent = Property(bool, lambda self: self._consent, _set_consent, notify=fieldsChanged)

    # -- what the screen shows ---------------------------------------------------------------

    def _error_code(self, code: str) -> str:
        """The message of `code` for this form: a spontaneous one's names the job agency."""
        agency = f"{code}:agency"
        return agency if self._firm is not None and agency in ERRORS else code

    def _get_errors(self) -> dict[str, str]:
        shown = {field: _tr(ERRORS[self._error_code(code)]) for field, code in self._errors.items()}
        if self._problem:
            shown["send"] = self._problem
        return shown

    def _get_summary(self) -> list[dict[str, object]]:
        """The review's rows: label, value, `shown` (the value as the screen draws it: phone
        and e-mail as an isolated left-to-right run), and `personal` (what the person typed,
        never spoken on the loudspeaker)."""
        rows = [
            _row(_tr(LABELS[name]), " ".join(self._fields[name].split()), personal=True)
            for name in ("first_name", "last_name")
        ]
        phone = self._fields["phone"].strip()
        if phone:
            shown = display_phone(phone) or phone  # "06 71 23 45 89", as a person reads it
            rows.append(_row(_tr(LABELS["phone"]), shown, personal=True, left_to_right=True))
        if self._fields["email"].strip() and self._kind == Kind.APPLICATION:
            email = self._fields["email"].strip()
            rows.append(_row(_tr(LABELS["email"]), email, personal=True, left_to_right=True))
        for name, value in self._answers.items():
            if value and self._kind == Kind.APPLICATION:
                rows.append(_row(_tr(LABELS[name]), _tr(ANSWERS[value])))
        return rows

    def _get_privacy(self) -> str:
        if self._firm is not None:
            return spontaneous_privacy(RETENTION_DAYS)
        notice = PRIVACY_NOTICE_CALLBACK if self._kind == Kind.CALLBACK else PRIVACY_NOTICE
        return _tr(notice).replace("%1", str(RETENTION_DAYS))

    def _get_done_title(self) -> str:
        return _tr(str(DONE_TITLES[(self._kind, self._delivered)]))

    def _get_done_status(self) -> str:
        if self._firm is not None:
            return spontaneous_status(self._delivered)
        return _tr(DONE_DELIVERED if self._delivered else DONE_QUEUED)

    step = Property(str, lambda self: self._step.value, notify=stepChanged)
    callback = Property(bool, lambda self: self._kind == Kind.CALLBACK, notify=offerChanged)
    offerTitle = Property(str, lambda self: self._offer[2], notify=offerChanged)
    # A spontaneous application to a firm (kiosk/ui/firms.py): the screen says so, and names it.
    spontaneous = Property(bool, is_spontaneous, notify=offerChanged)
    firmName = Property(
        str, lambda self: self._firm["name"] if self._firm else "", notify=offerChanged
    )
    # The quick questions the form shows (keys of kiosk.applications.QUESTIONS, in its order).
    questions = Property(list, lambda self: list(self._questions), notify=offerChanged)
    offerQr = Property(
        str,
        lambda self: qr_source(self._offer_url) if self._offer_url else "",
        notify=offerChanged,
    )
    reference = Property(str, lambda self: self._reference, notify=stepChanged)
    referenceSpoken = Property(
        str, lambda self: spell_reference(self._reference), notify=stepChanged
    )  # "K 7 Q, M 3 X": the code as speech reads it, character by character
    # Whether the terminal can take applications now: when not (no usable hub key: the
    # operator has an alert), the offer screen says so instead of offering to apply.
    canTakeApplications = Property(bool, lambda self: self._accepting, notify=availabilityChanged)
    cannotTakeReason = Property(str, lambda self: _tr(CANNOT_TAKE), notify=textChanged)
    errors = Property(dict, _get_errors, notify=errorsChanged)  # field → message
    summary = Property(list, _get_summary, notify=fieldsChanged)
    privacyNotice = Property(str, _get_privacy, notify=textChanged)
    delivered = Property(bool, lambda self: self._delivered, notify=deliveredChanged)
    doneTitle = Property(str, _get_done_title, notify=textChanged)
    doneStatus = Property(str, _get_done_status, notify=textChanged)
