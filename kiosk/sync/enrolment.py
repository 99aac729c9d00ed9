"""Enrolment with a hub: the one-time code an operator gave, exchanged for the terminal's token
and the hub's public key, kept in the data folder (0600) and laid over the configuration.

The TOML file stays the operator's: `kiosk enrol` never rewrites it. A `[hub] token` written in
the file wins over the enrolment (an operator's explicit choice).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests

from kiosk import __version__
from kiosk.config import HubSection, Settings
from kiosk.files import write_json_atomically

log = logging.getLogger("kiosk.sync")

ENROLMENT_FILE = "enrolment.json"
TIMEOUT_S = (5.0, 30.0)


class EnrolmentError(RuntimeError):
    """Enrolment failed; the message says why for people (never the token)."""


def enrol(settings: Settings, url: str, code: str, session: requests.Session | None = None) -> Path:
    """Exchange `code` at the hub `url` for this terminal's credential; the file written."""
    config = settings.config
    body: dict[str, Any] = {
        "code": code.strip(),
        "terminal_id": config.terminal.id,
        "name": config.terminal.name,
        "latitude": config.location.latitude,
        "longitude": config.location.longitude,
        "radius_km": config.location.radius_km,
        "version": __version__,
    }
    base = url.rstrip("/")
    http = session or requests.Session()
    try:
        answer = http.post(f"{base}/v1/enrol", json=body, timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise EnrolmentError(f"cannot reach the hub at {base}: {type(exc).__name__}") from exc
    finally:
        if session is None:
            http.close()
    if answer.status_code == 403:
        raise EnrolmentError(
            "the hub refused the code: unknown, already used, expired, or made for another "
            f"terminal id than {config.terminal.id!r}"
        )
    if answer.status_code == 409:
        raise EnrolmentError(
            f"{config.terminal.id!r} is already enrolled: revoke it on the hub first, or ask "
            "for a replacement code (kiosk-hub enrol-code --replace)"
        )
    if answer.status_code != 201:
        raise EnrolmentError(f"the hub answered HTTP {answer.status_code}")
    try:
        granted = answer.json()
        credential = {
            "url": base,
            "token": str(granted["token"]),
            "public_key": str(granted["public_key"]),
            "heartbeat_s": int(granted.get("heartbeat_s", 60)),
        }
    except (ValueError, KeyError, TypeError) as exc:
        raise EnrolmentError("the hub's answer is not what the protocol says") from exc
    path = settings.data_dir / ENROLMENT_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, credential, mode=0o600)  # the token is a secret
    log.info("enrolled with %s as %s", base, config.terminal.id)
    return path


def overlay(settings: Settings) -> Settings:
    """`settings` with the enrolment's hub, when the file has none of its own."""
    if settings.config.hub.token:
        return settings
    path = settings.data_dir / ENROLMENT_FILE
    try:
        credential: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        hub = HubSection(
            url=credential["url"],
            token=credential["token"],
            public_key=credential["public_key"],
            heartbeat_s=credential.get("heartbeat_s", settings.config.hub.heartbeat_s),
        )
    except FileNotFoundError:
        return settings
    except (OSError, ValueError, KeyError, TypeError) as exc:
        log.error("%s cannot be used (%s): enrol the terminal again", path, type(exc).__name__)
        return settings
    config = settings.config.model_copy(update={"hub": hub})
    return replace(settings, config=config, demo=False if hub.url else settings.demo)
