"""The protocol's request and response bodies (pydantic): what the OpenAPI description shows."""

from __future__ import annotations

import base64
import binascii
from datetime import datetime
from typing import Annotated, Any, Literal
from uuid import UUID

from pydantic import AwareDatetime, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

TERMINAL_ID = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
SOURCE_NAME = r"^[a-z0-9][a-z0-9._-]{0,63}$"
COUNTER_NAME = r"^[a-z0-9][a-z0-9_.]{0,63}$"
SETTING_NAME = r"^[a-z][a-z0-9_]{0,63}$"
VERSION = r"^[\x21-\x7e]{1,64}$"  # printable ASCII, no spaces
MAX_SEALED_BYTES = 32 * 1024

TerminalId = Annotated[str, Field(pattern=TERMINAL_ID, examples=["lyon-part-dieu-01"])]
SourceName = Annotated[str, Field(pattern=SOURCE_NAME, examples=["francetravail"])]
OfferId = Annotated[str, Field(min_length=1, max_length=512, examples=["201ABCD"])]


def _json_integer(value: Any) -> Any:
    """An integer as JSON Schema means it: 12 or 12.0, never `false` nor "12"."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value  # the strict int check refuses booleans, strings and fractions


def _timestamp_text(value: Any) -> Any:
    """Times travel as ISO 8601 strings: a number is not read as seconds since 1970."""
    if value is not None and not isinstance(value, str):
        raise ValueError("must be an ISO 8601 date-time string")
    return value


Count = Annotated[int, Field(ge=0, le=2**53), BeforeValidator(_json_integer)]
Timestamp = Annotated[AwareDatetime, BeforeValidator(_timestamp_text), Field(strict=False)]
# Standard base64 with its padding, as `sealed` must be (checked again when decoded).
BASE64 = r"^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$"
MIN_SEALED_BASE64 = 68  # 49 bytes: 32 of encapsulated key, 16 of tag, at least one of data
SettingValue = Annotated[str, Field(max_length=500)] | bool | int | float
# A map whose keys must all match its `patternProperties` (JSON Schema allows other keys
# unless told not to; the hub refuses them).
ONLY_NAMED_KEYS: dict[str, Any] = {"additionalProperties": False}


class _In(BaseModel):
    # Strict: `false` is not a count, "12" is not a number, 0 is not a boolean, and a string
    # setting is never read as a number. Times stay lax: JSON carries them as strings.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Problem(_Out):
    """One reason a request was refused."""

    field: str = Field(description="Where: `body.latitude`, `query.limit`, `header.…`.")
    problem: str


class Error(_Out):
    """Every 4xx and 5xx answer has this body."""

    error: str = Field(description="Stable machine-readable code, e.g. `invalid_request`.")
    message: str = Field(description="What went wrong, for people; never personal data.")
    details: list[Problem] | None = None


# -- terminals ---------------------------------------------------------------------------------


class EnrolRequest(_In):
    """A terminal introduces itself with the one-time code an operator gave it."""

    code: Annotated[str, Field(min_length=1, max_length=40, examples=["K7QM-3XPA-WB9D"])]
    terminal_id: TerminalId
    name: Annotated[str, Field(min_length=1, max_length=120)]
    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    radius_km: Annotated[float, Field(gt=0, le=1000)]
    version: Annotated[str, Field(pattern=VERSION)]


class EnrolResponse(_Out):
    """The terminal's credential (shown once) and what it needs to talk to this hub."""

    token: str = Field(description="Send as `Authorization: Bearer <token>`; keep it secret.")
    public_key: str = Field(description="Base64 X25519 key: seal applications to it (HPKE).")
    terminal_id: str
    heartbeat_s: int = Field(description="How often the hub expects a heartbeat.")
    feed_page_max: int = Field(description="The largest `limit` the feed accepts.")


class FeedOffer(_Out):
    """One offer as its source published it: parse `raw` with the parser of `format`."""

    source: str
    id: str
    format: Literal["francetravail", "jobposting"]
    raw: dict[str, Any]


class Tombstone(_Out):
    """An offer to delete (withdrawn at its source, or moved out of the terminal's area)."""

    source: str
    id: str


class FeedResponse(_Out):
    """One page of the changes in the terminal's area after its cursor."""

    offers: list[FeedOffer]
    tombstones: list[Tombstone]
    cursor: str = Field(description="Opaque; store it with the page, send it back next time.")
    more: bool = Field(description="Ask again at once with the new cursor.")
    resync: bool = Field(
        description="The cursor is no longer valid: forget this hub's offers and page again "
        "from the returned cursor (the page holds nothing)."
    )


class ApplicationSubmission(_In):
    """An application, sealed on the terminal to the hub's public key."""

    sealed: Annotated[
        str,
        Field(
            min_length=MIN_SEALED_BASE64,
            max_length=(MAX_SEALED_BYTES * 4) // 3 + 4,
            pattern=BASE64,
            description="Base64 of the HPKE-sealed application (X25519, HKDF-SHA256, "
            "ChaCha20-Poly1305; info binds the application's UUID).",
        ),
    ]
    offer_source: SourceName
    offer_id: OfferId
    terminal_id: TerminalId
    created_at: Timestamp

    @field_validator("sealed")
    @classmethod
    def _base64(cls, value: str) -> str:
        try:
            raw = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ValueError("sealed is not base64") from exc
        if len(raw) < 49:  # 32 bytes of encapsulated key, 16 of tag, at least one of data
            raise ValueError("sealed is too short to be an HPKE-sealed body")
        if len(raw) > MAX_SEALED_BYTES:
            raise ValueError(f"sealed is larger than {MAX_SEALED_BYTES} bytes")
        return value

    def sealed_bytes(self) -> bytes:
        """The sealed body itself."""
        return base64.b64decode(self.sealed, validate=True)


class ApplicationReceipt(_Out):
    """The hub has the application: the same answer for every replay of its UUID."""

    application_id: UUID
    status: Literal["received"]
    received_at: datetime


class OfferView(_In):
    """How many times a terminal's screen showed one offer (anonymous: no who, no when)."""

    source: SourceName
    id: OfferId
    views: Annotated[int, Field(ge=1, le=100_000), BeforeValidator(_json_integer)]


class Heartbeat(_In):
    """How the terminal is doing: no personal data, only states and anonymous counts."""

    version: Annotated[str, Field(pattern=VERSION)]
    uptime_s: Count
    last_sync: Timestamp | None = None
    offers: Count
    queue_depth: Count
    oldest_queued_age_s: Count | None = Field(
        default=None,
        description="How long the oldest queued application has waited, in seconds, when the "
        "heartbeat is sent (null when nothing is queued); the hub adds the time since.",
    )
    free_disk_mb: Count
    counters: Annotated[
        dict[Annotated[str, Field(pattern=COUNTER_NAME)], Count],
        Field(max_length=64, json_schema_extra=ONLY_NAMED_KEYS),
    ] = {}
    config_version: Count | None = Field(
        default=None, description="The version of the configuration the terminal applied."
    )
    config_refused: Annotated[str, Field(max_length=500)] | None = Field(
        default=None,
        description="Why the terminal refused the configuration it was last sent (its "
        "`config_version` stays the one it applied before).",
    )
    alerts: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=20)] = Field(
        default=[],
        description="What needs an operator, worst first: above all a state in which the "
        "terminal refuses applications (no usable key) or holds some it cannot deliver.",
    )
    offer_views: Annotated[list[OfferView], Field(max_length=500)] = Field(
        default=[],
        description="The offers opened on the terminal since its last acknowledged heartbeat, "
        "each with its number of openings; the terminal forgets them once the hub answered.",
    )


class TerminalConfig(_Out):
    """Configuration pushed by operators; apply it and report its version."""

    version: int
    name: str
    radius_km: float
    heartbeat_s: int
    settings: dict[str, SettingValue]


class HeartbeatResponse(_Out):
    """`config` is set when the operators changed something the terminal has not applied."""

    config: TerminalConfig | None


# -- operators ---------------------------------------------------------------------------------


class TerminalView(_Out):
    """A terminal and its health, as operators see it."""

    terminal_id: str
    name: str
    latitude: float
    longitude: float
    radius_km: float
    status: Literal["ok", "late", "offline", "never", "revoked"]
    warnings: list[str]
    enrolled_at: datetime
    revoked_at: datetime | None
    last_seen_at: datetime | None
    version: str | None
    uptime_s: int | None
    last_sync_at: datetime | None
    offers: int | None
    queue_depth: int | None
    oldest_queued_age_s: int | None = Field(
        description="How long the oldest queued application has waited, now: its age at the "
        "last heartbeat plus the time since that heartbeat (null when nothing is queued)."
    )
    oldest_queued_at: datetime | None = Field(
        description="When the oldest queued application was taken (by the hub's clock)."
    )
    free_disk_mb: int | None
    counters: dict[str, int]
    config_version: int
    reported_config_version: int | None
    config_refused: str | None
    alerts: list[str]


class TerminalList(_Out):
    """Every terminal."""

    terminals: list[TerminalView]


class TerminalChange(_In):
    """What an operator may change; the terminal hears it in its next heartbeat answer."""

    name: Annotated[str, Field(min_length=1, max_length=120)] | None = None
    latitude: Annotated[float, Field(ge=-90, le=90)] | None = None
    longitude: Annotated[float, Field(ge=-180, le=180)] | None = None
    radius_km: Annotated[float, Field(gt=0, le=1000)] | None = None
    settings: (
        Annotated[
            dict[Annotated[str, Field(pattern=SETTING_NAME)], SettingValue],
            Field(max_length=64, json_schema_extra=ONLY_NAMED_KEYS),
        ]
        | None
    ) = None


class ReferenceLookup(_In):
    """A reference code as the applicant quoted it (case, spaces and dashes do not matter)."""

    reference: Annotated[
        str,
        Field(
            max_length=40,
            pattern=r"^[ .\-]*(?:[ACDEFGHJKMNPQRTUVWXYacdefghjkmnpqrtuvwxy34679][ .\-]*){6}$",
        ),
    ]


class EnrolCodeRequest(_In):
    """Ask for a one-time enrolment code for a terminal id."""

    terminal_id: TerminalId
    hours: Annotated[float, Field(gt=0, le=720)] | None = None
    replace: bool = Field(
        default=False, description="Let it re-enrol a terminal that is still enrolled."
    )


class EnrolCode(_Out):
    """The code, shown once: the terminal's installer types it at enrolment."""

    code: str
    terminal_id: str
    expires_at: datetime


class ApplicationView(_Out):
    """A received application, unsealed for an operator (`application` is None once purged)."""

    application_id: UUID
    terminal_id: str
    offer_source: str
    offer_id: str
    offer_title: str | None
    created_at: str
    received_at: datetime
    webhook: Literal["none", "pending", "sent", "failed", "dropped"]
    purged: bool
    application: dict[str, Any] | None
    unreadable: str | None = Field(
        default=None, description="Why the sealed body could not be read, if it could not."
    )


class ApplicationList(_Out):
    """Applications, newest first."""

    applications: list[ApplicationView]


class OfferApplications(_Out):
    """How many applications one offer received."""

    offer_source: str
    offer_id: str
    offer_title: str | None
    applications: int
    last_received_at: datetime


class OfferApplicationsList(_Out):
    """Offers that received applications, the most recent first."""

    offers: list[OfferApplications]


class IngestResult(_Out):
    """What an ingest did."""

    inserted: int
    updated: int
    unchanged: int
    withdrawn: int
    rejected: int
    rejections: list[dict[str, str | None]]
    complete: bool


class PurgeResult(_Out):
    """What a retention purge did."""

    applications: int
    tombstones: int
    codes: int


# -- what a terminal seals (documented in the OpenAPI components; never sent in clear) --------


class SealedOffer(_Out):
    """The offer applied to, as the terminal showed it."""

    source: str
    id: str
    title: str | None = None


class SealedFirm(_Out):
    """A spontaneous application's firm and trade, as the passer-by saw them on screen (the
    offer is then `spontaneous/<siret>.<rome>`). The organisation that receives spontaneous
    applications reads it; the firm itself never gets it from the hub."""

    siret: Annotated[str, Field(pattern=r"^\d{14}$")]
    name: Annotated[str, Field(max_length=200)]
    city: Annotated[str, Field(max_length=120)] | None = None
    rome: Annotated[str, Field(pattern=r"^[A-N]\d{4}$")]
    trade: Annotated[str, Field(max_length=200)] | None = Field(
        default=None, description="The trade's label the terminal showed."
    )


class Consent(_Out):
    """What the person agreed to, on screen."""

    share_with_recruiter: bool
    keep_for_future_offers: bool = False


class SealedApplication(_Out):
    """The plaintext a terminal seals with HPKE to the hub's public key (JSON, UTF-8).

    Only what a recruiter needs to call back. The hub checks that it opens and is a JSON
    object; operators read it unsealed; the export's columns follow these fields.
    """

    application_id: UUID = Field(description="The same UUID as in the path and the HPKE info.")
    offer: SealedOffer
    first_name: Annotated[str, Field(max_length=100)]
    last_name: Annotated[str, Field(max_length=100)]
    phone: Annotated[str, Field(max_length=40)] | None = None
    email: Annotated[str, Field(max_length=254)] | None = None
    answers: dict[str, bool | int | str] = Field(
        default={}, description="Quick answers: available_now, experience, driving_licence…"
    )
    consent: Consent
    firm: SealedFirm | None = Field(
        default=None, description="Only in a spontaneous application (offer source `spontaneous`)."
    )
    language: Annotated[str, Field(max_length=8)] | None = None
    reference: Annotated[str, Field(pattern=r"^[ACDEFGHJKMNPQRTUVWXY34679]{6}$")] | None = Field(
        default=None,
        description="The code the applicant was given to quote to see or delete their data. "
        "The hub keeps only a keyed hash of it, to find the application by "
        "(`POST /v1/admin/applications/find-reference`).",
    )
