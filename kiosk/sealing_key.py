"""Which key this terminal seals applications to, the file it came from, and why there is none.

An application sealed to a key the hub does not hold can never be delivered, yet the passer-by
would be told it was taken. So a key is usable only when it is certain: the hub's key from the
enrolment file or the configuration (and it must be a key one can seal to), or, on a demo
terminal that was never enrolled, the demo key pair of its data folder. Anything else — a
damaged enrolment file, an invalid `[hub] public_key`, a demo terminal that was once enrolled —
is a *problem*: the terminal refuses applications, and says so (status, heartbeat, operator
panel, the apply button).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey

from kiosk.config import Settings
from kiosk.sealing import SealingError, load_private_key, load_public_key

log = logging.getLogger("kiosk.apply")

ENROLMENT_FILE = "enrolment.json"  # kiosk.sync.enrolment writes it
DEMO_PRIVATE = "demo-hub-key.private"
DEMO_PUBLIC = "demo-hub-key.public"
# Written at enrolment, kept for ever: a terminal that was enrolled once never seals to a demo
# key again, even when its enrolment file is later damaged or deleted.
ENROLLED_MARKER = "enrolled-once"


@dataclass(frozen=True, slots=True)
class SealingKey:
    """The key applications are sealed to (None when there is a problem) and its origin."""

    key: X25519PublicKey | None
    origin: str  # the file the key came from (or would have)
    problem: str | None = None  # for the operator: the file, the key, what is wrong
    demo: bool = False
    data_dir: Path | None = None

    def current_problem(self) -> str | None:
        """The problem now: a demo key stops being usable the moment the terminal is enrolled
        (a `kiosk enrol` while the kiosk runs), without waiting for a restart."""
        if self.problem is not None:
            return self.problem
        if self.demo and self.data_dir is not None and ever_enrolled(self.data_dir):
            return (
                f"this terminal was enrolled with a hub ({self.data_dir / ENROLMENT_FILE}): it "
                "no longer seals to its demo key; restart the kiosk"
            )
        return None


def ever_enrolled(data_dir: Path) -> bool:
    """Whether this data folder was ever enrolled with a hub."""
    return (data_dir / ENROLMENT_FILE).exists() or (data_dir / ENROLLED_MARKER).exists()


def _demo_key(data_dir: Path) -> X25519PublicKey:
    from kiosk.applications import demo_public_key  # noqa: PLC0415 (applications imports Qt-free code only)

    return demo_public_key(data_dir)


def resolve(settings: Settings, *, create_demo_key: bool = False) -> SealingKey:
    """The sealing key of this terminal, or the problem that leaves it without one.

    A demo terminal's key pair is made on its first start (`create_demo_key`); before that,
    its key is None with no problem."""
    hub = settings.config.hub
    origin = settings.hub_origin or settings.source.split(" + hub v")[0]
    data_dir = settings.data_dir
    if settings.hub_problem is not None:
        return SealingKey(None, str(data_dir / ENROLMENT_FILE), settings.hub_problem)
    if hub.public_key:
        try:
            key = load_public_key(hub.public_key)
        except SealingError as exc:
            return SealingKey(None, origin, f"{origin}: [hub] public_key: {exc}")
        return SealingKey(key, origin)
    if hub.url is not None or hub.token:
        return SealingKey(None, origin, f"{origin}: [hub] has a url or token but no public_key")
    if settings.demo and ever_enrolled(data_dir):
        return SealingKey(
            None,
            str(data_dir / ENROLMENT_FILE),
            f"this demo terminal was enrolled with a hub, but {data_dir / ENROLMENT_FILE} is "
            "missing: it never seals to its demo key again; enrol it again",
        )
    if settings.demo:
        public = data_dir / DEMO_PUBLIC
        demo_key: X25519PublicKey | None = None
        try:
            if create_demo_key:
                demo_key = _demo_key(data_dir)
            elif public.exists():
                demo_key = load_public_key(public.read_text(encoding="ascii"))
        except (OSError, UnicodeDecodeError, SealingError) as exc:
            return SealingKey(None, str(public), f"{public}: the demo key cannot be used: {exc}")
        return SealingKey(demo_key, str(public), demo=True, data_dir=data_dir)
    return SealingKey(None, origin, f"{origin}: no [hub] public_key: applications are refused")


def demo_private_key(data_dir: Path) -> X25519PrivateKey | None:
    """The private half of the demo key pair, when this folder has one (a demo terminal's)."""
    path = data_dir / DEMO_PRIVATE
    try:
        return load_private_key(path.read_text(encoding="ascii"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, SealingError) as exc:
        log.error("%s cannot be read (%s)", path, exc)
        return None


def retire_demo_key(data_dir: Path, *, delete: bool = True) -> None:
    """After enrolment: the marker that forbids the demo key for good; then, with `delete`
    (nothing is left that it must open), the key pair goes."""
    marker = data_dir / ENROLLED_MARKER
    if not marker.exists():
        marker.write_text(
            "This terminal was enrolled with a hub: it never seals applications to a demo key "
            "again.\n",
            encoding="utf-8",
        )
    for name in (DEMO_PRIVATE, DEMO_PUBLIC) if delete else ():
        (data_dir / name).unlink(missing_ok=True)
