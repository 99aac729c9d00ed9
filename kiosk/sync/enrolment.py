"""Enrolment with a hub: the one-time code an operator gave, exchanged for the terminal's token
and the hub's public key, kept in the data folder (0600) and laid over the configuration.

The TOML file stays the operator's: `kiosk enrol` never rewrites it. A `[hub] token` written in
the file wins over the enrolment (an operator's explicit choice).

A demo terminal seals the applications it takes to a demo key pair of its own. Enrolling it
would strand those (the hub cannot open them), so enrolment asks the operator first: deliver
them (opened with the demo key's private half, which the demo terminal holds, and sealed again
to the hub's key under the same UUID) or discard them. After enrolment the demo key pair is
deleted and never used again.
"""

from __future__ import annotations

import enum
import json
import logging
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import requests
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PublicKey

from kiosk import __version__
from kiosk.config import HubSection, Settings
from kiosk.files import write_json_atomically
from kiosk.offline.outbox import Outbox
from kiosk.sealing import SealingError, load_public_key, seal, unseal
from kiosk.sealing_key import ENROLMENT_FILE, demo_private_key, retire_demo_key

log = logging.getLogger("kiosk.sync")

__all__ = [
    "ENROLMENT_FILE",
    "DemoChoice",
    "EnrolmentError",
    "demo_sealed",
    "enrol",
    "hand_over_demo_applications",
    "overlay",
]

TIMEOUT_S = (5.0, 30.0)


class EnrolmentError(RuntimeError):
    """Enrolment failed; the message says why for people (never the token)."""


class DemoChoice(enum.StrEnum):
    """What becomes of the applications a demo terminal took, when it is enrolled."""

    DELIVER = "deliver"  # sealed again to the hub's key, delivered like any other
    DISCARD = "discard"  # deleted from the terminal


def demo_sealed(outbox: Outbox, data_dir: Path) -> list[str]:
    """The applications of the outbox (queued, sending or parked) sealed to this folder's
    demo key: those the demo key's private half opens."""
    private = demo_private_key(data_dir)
    if private is None:
        return []
    found = []
    for application_id, sealed in outbox.sealed_bodies():
        try:
            unseal(private, uuid.UUID(application_id), sealed)
        except (SealingError, ValueError):
            continue
        found.append(application_id)
    return found


def hand_over_demo_applications(
    outbox: Outbox, data_dir: Path, hub_key: X25519PublicKey, choice: DemoChoice
) -> int:
    """Deliver (seal again to `hub_key`, queued again if parked) or discard the applications
    sealed to the demo key; how many. The plaintext only passes through memory."""
    private = demo_private_key(data_dir)
    if private is None:
        return 0
    done = 0
    while ids := demo_sealed(outbox, data_dir):  # again: a running demo kiosk may add one
        if choice is DemoChoice.DISCARD:
            outbox.discard(ids)
        else:
            resealed = {}
            for application_id, sealed in outbox.sealed_bodies(ids):
                key = uuid.UUID(application_id)
                resealed[application_id] = seal(hub_key, key, unseal(private, key, sealed))
            outbox.reseal(resealed)
        done += len(ids)
    log.warning("enrolment: %d applications taken as a demo: %s", done, choice.value)
    return done


def _refuse_stranding(count: int) -> EnrolmentError:
    return EnrolmentError(
        f"{count} applications taken while this terminal was a demo wait in its outbox, sealed "
        "to the demo key: the hub could never open them. Choose what becomes of them and enrol "
        "again with --demo-applications deliver (sealed again to the hub's key and delivered "
        "to it, like any application) or --demo-applications discard (deleted from this "
        "terminal). The enrolment code was not used."
    )


def enrol(
    settings: Settings,
    url: str,
    code: str,
    session: requests.Session | None = None,
    *,
    outbox: Outbox | None = None,
    demo_applications: DemoChoice | None = None,
) -> Path:
    """Exchange `code` at the hub `url` for this terminal's credential; the file written.

    With `outbox`, the applications sealed to a demo key are delivered or discarded as
    `demo_applications` says; without a choice while there are some, nothing is done."""
    config = settings.config
    if outbox is not None and demo_applications is None:
        waiting = demo_sealed(outbox, settings.data_dir)
        if waiting:
            raise _refuse_stranding(len(waiting))
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
    try:
        hub_key = load_public_key(str(credential["public_key"]))
    except SealingError as exc:
        raise EnrolmentError(f"the hub's public key cannot be used: {exc}") from exc
    path = settings.data_dir / ENROLMENT_FILE
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    write_json_atomically(path, credential, mode=0o600)  # the token is a secret
    log.info("enrolled with %s as %s", base, config.terminal.id)
    if outbox is not None and demo_applications is not None:
        hand_over_demo_applications(outbox, settings.data_dir, hub_key, demo_applications)
    # The demo key pair goes once nothing it sealed is left (checked only with the outbox).
    retire_demo_key(
        settings.data_dir,
        delete=outbox is not None and not demo_sealed(outbox, settings.data_dir),
    )
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
        problem = f"{path} cannot be used ({type(exc).__name__}): enrol the terminal again"
        log.error("%s", problem)
        # Applications are refused (kiosk.sealing_key): never sealed to a demo key instead.
        return replace(settings, hub_origin=str(path), hub_problem=problem)
    config = settings.config.model_copy(update={"hub": hub})
    return replace(
        settings, config=config, demo=False if hub.url else settings.demo, hub_origin=str(path)
    )
