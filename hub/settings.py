"""The hub's settings: an optional TOML file validated at start, plus command-line overrides."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Literal

import platformdirs
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, FilePath, model_validator

from hub.firms import client as lbb
from kiosk.config import validate_toml
from kiosk.sources import francetravail

APP_NAME = "job-kiosk-hub"
CONFIG_ENV = "KIOSK_HUB_CONFIG"
DATA_DIR_ENV = "KIOSK_HUB_DATA_DIR"
DATABASE_ENV = "KIOSK_HUB_DATABASE"
CONFIG_FILE = "hub.toml"


class SettingsError(Exception):
    """The settings cannot be used; the message names the file, the key and the problem."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ServerSection(_Section):
    """Where the hub listens (behind a TLS reverse proxy in production)."""

    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8470
    # The proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (uvicorn's
    # forwarded_allow_ips): the client address then drives the per-address rate limits.
    trusted_proxies: list[str] = ["127.0.0.1"]
    # Set the fleet session cookie with `Secure`; true behind TLS (the documented set-up).
    secure_cookies: bool = False
    # Slow clients: the request line and headers must arrive within header_timeout_s of the
    # connection (or of a request's first byte on a kept-alive one), and a body within
    # body_timeout_s of its headers (upload_timeout_s for the upload routes); else 408, closed.
    header_timeout_s: Annotated[float, Field(gt=0, le=300)] = 10.0
    body_timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    upload_timeout_s: Annotated[float, Field(gt=0, le=3600)] = 600.0
    keep_alive_s: Annotated[int, Field(ge=1, le=300)] = 5
    # Open connections at most; beyond, a new one is answered 503 and closed. Always kept
    # below the process's descriptor limit (RLIMIT_NOFILE) less what the hub itself needs.
    max_connections: Annotated[int, Field(ge=16, le=1_000_000)] = 4096


class DatabaseSection(_Section):
    """The database: the embedded SQLite file by default, or a PostgreSQL URL."""

    url: str | None = None


class RetentionSection(_Section):
    """How long the hub keeps what it keeps."""

    applications_days: Annotated[int, Field(ge=1, le=3650)] = 90
    tombstones_days: Annotated[int, Field(ge=1, le=3650)] = 30
    purge_every_minutes: Annotated[int, Field(ge=1, le=10080)] = 60


class WebhookSection(_Section):
    """Forward each application, unsealed, to the recruiter's system."""

    url: AnyHttpUrl | None = None
    secret: str | None = None  # HMAC-SHA256 of the body in X-Kiosk-Hub-Signature
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 12
    timeout_s: Annotated[float, Field(gt=0, le=120)] = 10.0

    @model_validator(mode="after")
    def _https_unless_local(self) -> WebhookSection:
        local = {"127.0.0.1", "localhost", "::1", "[::1]"}
        if self.url is not None and self.url.scheme != "https" and self.url.host not in local:
            raise ValueError("the webhook carries personal data: its url must be https")
        return self


class LimitsSection(_Section):
    """Request size and rate limits."""

    body_bytes: Annotated[int, Field(ge=1024, le=16 * 1024 * 1024)] = 64 * 1024
    upload_bytes: Annotated[int, Field(ge=1024, le=1024 * 1024 * 1024)] = 64 * 1024 * 1024
    terminal_per_s: Annotated[float, Field(gt=0, le=10000)] = 10.0
    terminal_burst: Annotated[int, Field(ge=1, le=100000)] = 60
    operator_per_s: Annotated[float, Field(gt=0, le=10000)] = 50.0
    operator_burst: Annotated[int, Field(ge=1, le=100000)] = 200
    anonymous_per_s: Annotated[float, Field(gt=0, le=10000)] = 2.0
    anonymous_burst: Annotated[int, Field(ge=1, le=100000)] = 20
    # Enrolment and fleet-login attempts per client address and minute, counted in the
    # database so that they hold across every hub instance serving it.
    attempts_per_minute: Annotated[int, Field(ge=1, le=100000)] = 30


class TerminalsSection(_Section):
    """What the hub expects from terminals."""

    heartbeat_s: Annotated[int, Field(ge=10, le=86400)] = 60
    enrol_code_hours: Annotated[float, Field(gt=0, le=24 * 30)] = 24.0


class FeedSection(_Section):
    """The offers feed."""

    page_default: Annotated[int, Field(ge=1, le=5000)] = 500
    page_max: Annotated[int, Field(ge=1, le=5000)] = 1000
    # Offers located only at département or region level have no coordinates; with this,
    # every terminal receives them (its search lists them after the located ones).
    include_unlocated: bool = False
    # Offer records kept in memory for the next terminals of the same area (0: none).
    cache_mb: Annotated[int, Field(ge=0, le=65536)] = 256


class ReleasesSection(_Section):
    """Signed terminal releases served to terminals at /v1/releases/ (`kiosk update`)."""

    # A flat folder: <channel>.json, <channel>.json.minisig and the archives they name.
    folder: Path | None = None


class SmtpSection(_Section):
    """The operator's mail server, for the recruiters' notifications (hub/recruiters/notify.py).
    No host: no mail is sent (the fleet page says so)."""

    host: str | None = None
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    # "starttls" (port 587), "tls" (implicit TLS, port 465), or "none" (a relay on localhost).
    security: Literal["starttls", "tls", "none"] = "starttls"
    username: str | None = None
    password: str | None = None
    # A PEM file of the certificates to trust for the server instead of the system's (a
    # server with its own authority); None: the system's trusted authorities.
    ca_file: FilePath | None = None
    sender: str = "Job Kiosk <no-reply@localhost>"
    timeout_s: Annotated[float, Field(gt=0, le=120)] = 20.0
    # Arrivals for one organisation are gathered this long into one mail.
    batch_minutes: Annotated[int, Field(ge=0, le=1440)] = 10
    max_attempts: Annotated[int, Field(ge=1, le=100)] = 10

    @model_validator(mode="after")
    def _safe(self) -> SmtpSection:
        local = {"127.0.0.1", "localhost", "::1"}
        if self.host and self.security == "none" and self.host not in local:
            raise ValueError("security 'none' is for a relay on this machine only")
        if (self.username is None) != (self.password is None):
            raise ValueError("'username' and 'password' go together")
        return self


class RecruitersSection(_Section):
    """The recruiters' pages (hub/recruiters/)."""

    # The address recruiters open the hub at (in invitation links and mails), e.g.
    # "https://hub.example.org"; without it, links use the address of the request.
    public_url: AnyHttpUrl | None = None
    session_hours: Annotated[float, Field(gt=0, le=24 * 30)] = 12.0
    idle_minutes: Annotated[int, Field(ge=5, le=24 * 60)] = 60
    invitation_days: Annotated[int, Field(ge=1, le=90)] = 7
    # Sign-in attempts per e-mail address and per client address, each minute.
    sign_in_per_minute: Annotated[int, Field(ge=1, le=1000)] = 10


class GeocodingSection(_Section):
    """Where a posted offer's place gets its coordinates: the Base Adresse Nationale's search
    API (or a server speaking its format)."""

    url: AnyHttpUrl = AnyHttpUrl("https://api-adresse.data.gouv.fr/search/")
    timeout_s: Annotated[float, Field(gt=0, le=60)] = 10.0
    min_score: Annotated[float, Field(ge=0, le=1)] = 0.5


class LaBonneBoiteSection(_Section):
    """La Bonne Boîte, France Travail's firms ranked by hiring potential per trade, harvested
    around the terminals' areas for "Firms near here that often hire" (hub/firms/). No
    section: no harvest, and terminals get an empty list."""

    client_id: Annotated[str, Field(min_length=1)]
    client_secret: Annotated[str, Field(min_length=1)]
    api_url: AnyHttpUrl = AnyHttpUrl(lbb.API_URL)
    token_url: AnyHttpUrl = AnyHttpUrl(francetravail.TOKEN_URL)
    scope: str = lbb.SCOPE
    requests_per_s: Annotated[float, Field(gt=0, le=10)] = 2.0  # the API allows 2
    # The trades searched in every area: ROME codes, or "auto": the `auto_romes` codes most
    # frequent among the live offers of each area.
    romes: list[Annotated[str, Field(pattern=r"^[A-N]\d{4}$")]] | Literal["auto"] = "auto"
    auto_romes: Annotated[int, Field(ge=1, le=200)] = 20
    # Pages of 100 firms read at most per (area, trade): the best potential comes first.
    max_pages: Annotated[int, Field(ge=1, le=100)] = 3
    refresh_hours: Annotated[float, Field(ge=1, le=24 * 31)] = 24.0

    @model_validator(mode="after")
    def _some_romes(self) -> LaBonneBoiteSection:
        if isinstance(self.romes, list) and not self.romes:
            raise ValueError("'romes' needs at least one ROME code, or \"auto\"")
        return self


class SourceSection(_Section):
    """One place the hub harvests offers from on a schedule (`kiosk-hub ingest sources`)."""

    kind: Literal["francetravail", "jobposting"]
    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]
    refresh_minutes: Annotated[int, Field(ge=5, le=10080)] = 60
    # jobposting
    url: AnyHttpUrl | None = None
    # francetravail
    client_id: str | None = None
    client_secret: str | None = None
    departements: list[Annotated[str, Field(pattern=r"^(\d{2,3}|2[AB])$")]] = []
    max_age_days: Annotated[int, Field(ge=1, le=365)] = francetravail.MAX_AGE_DAYS
    requests_per_s: Annotated[float, Field(gt=0, le=10)] = 5.0
    max_index: Annotated[int, Field(ge=149, le=100000)] = francetravail.MAX_INDEX
    api_url: AnyHttpUrl = AnyHttpUrl(francetravail.API_URL)
    token_url: AnyHttpUrl = AnyHttpUrl(francetravail.TOKEN_URL)
    scope: str = francetravail.SCOPE

    @model_validator(mode="after")
    def _complete(self) -> SourceSection:
        if self.kind == "jobposting" and self.url is None:
            raise ValueError("a 'jobposting' source needs 'url'")
        if self.kind == "francetravail" and not (self.client_id and self.client_secret):
            raise ValueError("a 'francetravail' source needs 'client_id' and 'client_secret'")
        return self


class HubConfig(_Section):
    """The whole hub configuration file."""

    server: ServerSection = ServerSection()
    database: DatabaseSection = DatabaseSection()
    retention: RetentionSection = RetentionSection()
    webhook: WebhookSection = WebhookSection()
    limits: LimitsSection = LimitsSection()
    terminals: TerminalsSection = TerminalsSection()
    feed: FeedSection = FeedSection()
    releases: ReleasesSection = ReleasesSection()
    smtp: SmtpSection = SmtpSection()
    recruiters: RecruitersSection = RecruitersSection()
    geocoding: GeocodingSection = GeocodingSection()
    labonneboite: LaBonneBoiteSection | None = None
    sources: list[SourceSection] = []

    @model_validator(mode="after")
    def _unique_sources(self) -> HubConfig:
        names = [s.name for s in self.sources]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"source names must be unique; repeated: {', '.join(repeated)}")
        if "spontaneous" in names:  # the offer_source of spontaneous applications
            raise ValueError("the source name 'spontaneous' is reserved")
        return self


def parse_hub_config(text: str, origin: str) -> HubConfig:
    """Validate TOML text; `origin` names it in error messages (the terminal's own rules:
    every key named, secrets never echoed)."""
    return validate_toml(text, origin, HubConfig, SettingsError)


class HubSettings(BaseModel):
    """The validated configuration, where data lives, and the database URL in use."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    config: HubConfig
    data_dir: Path
    database_url: str
    source: str  # the file the configuration came from, or "defaults"

    @property
    def key_file(self) -> Path:
        """The hub's HPKE private key (kept apart from the database and its backups)."""
        return self.data_dir / "hub-key"

    @property
    def embedded(self) -> bool:
        """Whether the database is the embedded SQLite file."""
        return self.database_url.startswith("sqlite")


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a SQLite file."""
    return f"sqlite:///{path}"


def load_hub_settings(
    config_path: Path | None = None,
    data_dir: Path | None = None,
    database_url: str | None = None,
) -> HubSettings:
    """Read and validate the settings.

    The file is `config_path`, else $KIOSK_HUB_CONFIG, else `hub.toml` in the data directory if
    present, else the defaults. The data directory is `data_dir`, else $KIOSK_HUB_DATA_DIR, else
    the platform's user data directory. The database is `database_url`, else
    $KIOSK_HUB_DATABASE, else the file's `database.url`, else `hub.sqlite` in the data directory.
    """
    folder = data_dir or (
        Path(os.environ[DATA_DIR_ENV])
        if os.environ.get(DATA_DIR_ENV)
        else Path(platformdirs.user_data_dir(APP_NAME))
    )
    path = config_path or (Path(os.environ[CONFIG_ENV]) if os.environ.get(CONFIG_ENV) else None)
    if path is None and (folder / CONFIG_FILE).is_file():
        path = folder / CONFIG_FILE
    if path is None:
        config, origin = HubConfig(), "defaults"
    else:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise SettingsError(f"{path}: cannot read: {exc.strerror}") from exc
        config, origin = parse_hub_config(text, str(path)), str(path)
    url = database_url or os.environ.get(DATABASE_ENV) or config.database.url
    return HubSettings(
        config=config,
        data_dir=folder,
        database_url=url or sqlite_url(folder / "hub.sqlite"),
        source=origin,
    )
