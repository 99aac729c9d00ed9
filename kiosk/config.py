"""One TOML file per terminal, validated at start: a bad file stops with the file, key and why."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, TypeVar

import platformdirs
from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from kiosk.geo import Point

APP_NAME = "job-kiosk"
CONFIG_ENV = "KIOSK_CONFIG"
DATA_DIR_ENV = "KIOSK_DATA_DIR"
LANGUAGES = ("fr", "en", "ar")  # languages the interface is translated into

Language = Literal["fr", "en", "ar"]


class ConfigError(Exception):
    """The configuration cannot be used; the message names the file, the key and the problem."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TerminalSection(_Section):
    """Who this terminal is."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    name: Annotated[str, Field(min_length=1, max_length=120)]


class LocationSection(_Section):
    """Where the terminal stands, and how far offers may be."""

    latitude: Annotated[float, Field(ge=-90, le=90)]
    longitude: Annotated[float, Field(ge=-180, le=180)]
    label: Annotated[str, Field(min_length=1, max_length=120)]
    radius_km: Annotated[float, Field(gt=0, le=1000)] = 30.0


class LanguagesSection(_Section):
    """Interface languages offered on screen, and the one an idle terminal returns to."""

    available: Annotated[list[Language], Field(min_length=1)] = ["fr", "en", "ar"]
    default: Language = "fr"

    @model_validator(mode="after")
    def _default_is_available(self) -> LanguagesSection:
        if self.default not in self.available:
            raise ValueError(f"default {self.default!r} must be one of available {self.available}")
        return self


class StorageSection(_Section):
    """Where the terminal keeps its data (overridden by --data-dir and KIOSK_DATA_DIR)."""

    data_dir: Path | None = None


class SourceSection(_Section):
    """One place offers come from."""

    kind: Literal["hub", "francetravail", "jobposting", "file"]
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    url: AnyHttpUrl | None = None
    path: Path | None = None
    client_id: str | None = None
    client_secret: str | None = None
    departements: list[str] = []
    refresh_minutes: Annotated[int, Field(ge=5, le=10080)] = 60

    @model_validator(mode="after")
    def _needs_location(self) -> SourceSection:
        if self.kind == "file" and self.path is None:
            raise ValueError("a 'file' source needs 'path'")
        if self.kind == "jobposting" and self.url is None:
            raise ValueError("a 'jobposting' source needs 'url'")
        if self.kind == "francetravail" and not (self.client_id and self.client_secret):
            raise ValueError("a 'francetravail' source needs 'client_id' and 'client_secret'")
        if self.kind == "francetravail" and not self.departements:
            # The API searches by département or commune, not around a point.
            raise ValueError("a 'francetravail' source needs 'departements', e.g. [\"75\"]")
        return self


class HubSection(_Section):
    """The hub that receives applications and serves offers (used by sync)."""

    url: AnyHttpUrl | None = None
    token: str | None = None
    public_key: str | None = None  # base64 X25519 public key applications are sealed to
    # How often the terminal syncs and reports its health when nothing else wakes it up.
    heartbeat_s: Annotated[int, Field(ge=15, le=3600)] = 60


class IdleSection(_Section):
    """Inactivity: when the "are you still there?" warning shows and how long it counts down."""

    warning_after_s: Annotated[int, Field(ge=15, le=3600)] = 90
    countdown_s: Annotated[int, Field(ge=20, le=300)] = 30
    more_time_factor: Annotated[float, Field(ge=1, le=10)] = 1.0
    # The confirmation (the reference code) stays this long after the last input before the
    # same warning shows; scaled by more_time_factor and by the passer-by's "More time".
    done_after_s: Annotated[int, Field(ge=15, le=600)] = 45


class PanelSection(_Section):
    """The physical screen, so touch targets are sized in millimetres, not pixels."""

    width_mm: Annotated[float, Field(gt=50, le=3000)] = 598.0  # a 27-inch 16:9 panel
    height_mm: Annotated[float, Field(gt=50, le=3000)] = 336.0
    viewing_distance_mm: Annotated[float, Field(ge=200, le=2000)] = 550.0
    # Height of the visible area's lower edge above the floor: where the controls sit against
    # the 1,220 mm reach limit (a stand-mounted portrait terminal typically has it at 800 mm).
    bottom_edge_mm: Annotated[float, Field(ge=0, le=2500)] = 800.0
    # The attract screen's motion (the nearest offers passing by, the pulse of the invitation).
    # false: everything stands still, for a site where movement distracts or disturbs.
    motion: bool = True


class AudioSection(_Section):
    """Audio mode (speech output for people who cannot see or read the screen)."""

    # Qt TextToSpeech engine: "speechd" (speech-dispatcher, Linux), "sapi"/"winrt" (Windows);
    # "mock" speaks nothing (tests). A missing engine leaves the kiosk running, silent, and says so.
    engine: Annotated[str, Field(pattern=r"^[a-z0-9_-]{1,32}$")] = "speechd"
    # Speech volume each session starts at (0-1 of the output's level): set it so the speaker
    # stays at or under 65 dBA here; the passer-by can go up and down from it by key.
    volume: Annotated[float, Field(ge=0.05, le=1)] = 0.6
    rate: Annotated[float, Field(ge=-1, le=1)] = 0.0  # -1 slowest, 0 the voice's normal rate
    # Private listening: "auto" when an audio output named like a headset is plugged in (see
    # headset_outputs), "always" for a terminal whose only output is a handset or headset,
    # "never" to never speak personal data.
    headset: Literal["auto", "always", "never"] = "auto"
    headset_outputs: Annotated[str, Field(min_length=1, max_length=200)] = (
        "headphone|headset|casque|écouteur|handset"
    )
    # How often the attract screen says how to start audio guidance (0: never).
    attract_hint_s: Annotated[int, Field(ge=0, le=3600)] = 120


class OutboxSection(_Section):
    """Applications waiting for the hub."""

    # Past this many waiting applications the terminal raises an operator alert (status,
    # heartbeat); it never drops one.
    backlog_limit: Annotated[int, Field(ge=10, le=100_000)] = 500


class OperatorSection(_Section):
    """The operator's way in: the hash of the PIN (`kiosk hash-pin`)."""

    pin_hash: Annotated[str, Field(pattern=r"^scrypt\$")] | None = None


class KioskConfig(_Section):
    """The whole configuration of one terminal."""

    terminal: TerminalSection
    location: LocationSection
    languages: LanguagesSection = LanguagesSection()
    storage: StorageSection = StorageSection()
    sources: list[SourceSection] = []
    hub: HubSection = HubSection()
    idle: IdleSection = IdleSection()
    panel: PanelSection = PanelSection()
    audio: AudioSection = AudioSection()
    outbox: OutboxSection = OutboxSection()
    operator: OperatorSection = OperatorSection()

    @field_validator("sources")
    @classmethod
    def _unique_source_names(cls, sources: list[SourceSection]) -> list[SourceSection]:
        names = [s.name for s in sources]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"source names must be unique; repeated: {', '.join(duplicates)}")
        return sources

    @property
    def origin(self) -> Point:
        """The terminal's position."""
        return Point(self.location.latitude, self.location.longitude)


DEMO_CONFIG_TOML = """\
# Built-in demo configuration: a terminal in the hall of Paris Gare de Lyon.
[terminal]
id = "demo-paris-gare-de-lyon"
name = "Démo — Paris Gare de Lyon"

[location]
latitude = 48.8443
longitude = 2.3744
label = "Paris Gare de Lyon"
radius_km = 30
"""


@dataclass(frozen=True, slots=True)
class Settings:
    """The validated configuration plus where it came from and where data lives."""

    config: KioskConfig
    source: str  # the file it was read from, or "built-in demo configuration"
    data_dir: Path
    demo: bool
    # Where `[hub]` came from when not from `source` (the enrolment file), and why a hub
    # credential that exists cannot be used (a damaged enrolment file): see kiosk.sealing_key.
    hub_origin: str | None = None
    hub_problem: str | None = None

    @property
    def offers_db(self) -> Path:
        """The offers cache."""
        return self.data_dir / "offers.sqlite"

    @property
    def outbox_db(self) -> Path:
        """The queue of sealed applications."""
        return self.data_dir / "outbox.sqlite"


# Keys whose values never appear in an error message (they may be printed or logged).
SECRET_KEYS = frozenset({"client_secret", "secret", "token", "pin_hash"})
_Model = TypeVar("_Model", bound=BaseModel)


def describe_error(error: ErrorDetails) -> str:
    """One problem of a validated file, for people: the key, what is wrong, what was given."""
    key = ".".join(str(part) for part in error["loc"]) or "(top level)"
    message = str(error["msg"])
    if error["type"] == "extra_forbidden":
        message = "unknown key (misspelt, or in the wrong section?)"
    elif error["type"] == "missing":
        message = "required key is missing"
    received = error.get("input")
    secret = any(str(part) in SECRET_KEYS for part in error["loc"])
    hidden = error["type"] == "missing" or isinstance(received, dict) or secret
    return f"{key}: {message}" + ("" if hidden else f" (got {received!r})")


def validate_toml(text: str, origin: str, model: type[_Model], error: type[Exception]) -> _Model:
    """`model` from TOML text; `error` names `origin`, each key and what is expected."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(f"{origin}: not valid TOML: {exc}") from exc
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = "\n  ".join(describe_error(e) for e in exc.errors())
        raise error(f"{origin}: invalid configuration:\n  {problems}") from exc


def parse_config(text: str, origin: str) -> KioskConfig:
    """Validate TOML text; `origin` names it in error messages."""
    return validate_toml(text, origin, KioskConfig, ConfigError)


def load_settings(config_path: Path | None = None, data_dir: Path | None = None) -> Settings:
    """Read and validate the configuration; resolve the data directory.

    The configuration is `config_path`, else $KIOSK_CONFIG, else `kiosk.toml` in the user's
    configuration directory, else the built-in demo. The data directory is `data_dir`, else
    $KIOSK_DATA_DIR, else the file's `storage.data_dir`, else the user's data directory.
    """
    path = config_path or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    if path is None:
        default = Path(platformdirs.user_config_dir(APP_NAME)) / "kiosk.toml"
        path = default if default.is_file() else None
    if path is None:
        config = parse_config(DEMO_CONFIG_TOML, "built-in demo configuration")
        origin, demo = "built-in demo configuration", True
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the configuration: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise ConfigError(f"{path}: the configuration is not UTF-8 text") from exc
        config = parse_config(text, str(path))
        origin, demo = str(path), False
    chosen = (
        data_dir
        or (Path(os.environ[DATA_DIR_ENV]) if os.environ.get(DATA_DIR_ENV) else None)
        or config.storage.data_dir
        or Path(platformdirs.user_data_dir(APP_NAME))
    )
    return Settings(config=config, source=origin, data_dir=chosen.expanduser(), demo=demo)
