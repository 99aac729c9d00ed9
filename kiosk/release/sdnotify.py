"""systemd's notify protocol in plain Python: READY=1, WATCHDOG=1, STATUS= over $NOTIFY_SOCKET."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("kiosk.release")


class Notifier:
    """Talks to the service manager when there is one; every call is a no-op otherwise.

    The kiosk sends READY=1 after its first frame and WATCHDOG=1 every `watchdog_interval()`
    seconds from a timer on the GUI thread, so a frozen event loop stops feeding the watchdog
    and systemd restarts the kiosk (WatchdogSec= in job-kiosk.service).
    """

    def __init__(self, environ: Mapping[str, str] | None = None, pid: int | None = None) -> None:
        env = os.environ if environ is None else environ
        self._address = env.get("NOTIFY_SOCKET") or None
        self._watchdog_usec = env.get("WATCHDOG_USEC")
        self._watchdog_pid = env.get("WATCHDOG_PID")
        self._pid = os.getpid() if pid is None else pid

    @property
    def enabled(self) -> bool:
        """Whether a service manager listens."""
        return self._address is not None

    def watchdog_interval(self) -> float | None:
        """Seconds between WATCHDOG=1 messages (half of WatchdogSec=), or None when unused."""
        if self._watchdog_pid and self._watchdog_pid != str(self._pid):
            return None  # the watchdog is meant for another process (sd_watchdog_enabled)
        try:
            usec = int(self._watchdog_usec or "0")
        except ValueError:
            return None
        return usec / 2_000_000 if usec > 0 else None

    def notify(self, *assignments: str) -> bool:
        """Send "KEY=value" lines in one datagram; False when nobody listens or it failed."""
        if self._address is None or not assignments:
            return False
        address = self._address
        if address.startswith("@"):
            address = "\0" + address[1:]  # abstract namespace
        elif not address.startswith("/"):
            log.warning("NOTIFY_SOCKET %r is not a unix socket path; not notifying", address)
            return False
        message = "\n".join(assignments).encode("utf-8")
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
                sock.connect(address)
                sock.sendall(message)
        except OSError as exc:
            log.warning("cannot notify the service manager: %s", exc)
            return False
        return True

    def ready(self, status: str | None = None) -> bool:
        """Start-up is complete (Type=notify units become active only now)."""
        return self.notify("READY=1", *([f"STATUS={status}"] if status else []))

    def watchdog(self) -> bool:
        """Still alive: feed the watchdog."""
        return self.notify("WATCHDOG=1")

    def status(self, text: str) -> bool:
        """A one-line status shown by `systemctl status`."""
        return self.notify(f"STATUS={text}")

    def stopping(self) -> bool:
        """Shutting down on purpose."""
        return self.notify("STOPPING=1")
