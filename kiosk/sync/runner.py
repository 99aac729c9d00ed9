"""Building a terminal's sync engine from its configuration, and the lock that keeps a second
one (`kiosk sync` while the kiosk runs) off the same stores."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from kiosk.config import KioskConfig, Settings
from kiosk.offline.offers import OfferStore
from kiosk.offline.outbox import Outbox
from kiosk.sync.engine import SyncEngine
from kiosk.sync.feed import parser_pool
from kiosk.sync.hub import HubClient
from kiosk.usage import OfferViews

LOCK_FILE = "sync.lock"


class SyncBusyError(RuntimeError):
    """Another process already syncs this data folder."""


class SyncLock:
    """An exclusive lock on the data folder's sync (released by the system if we die)."""

    def __init__(self, data_dir: Path) -> None:
        self._path = data_dir / LOCK_FILE
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock, or SyncBusyError at once if another process holds it."""
        fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise SyncBusyError(
                f"another process already syncs {self._path.parent} (the kiosk itself?)"
            ) from None
        self._fd = fd

    def release(self) -> None:
        """Let go of the lock (closing the descriptor releases it)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> SyncLock:
        self.acquire()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()


def hub_client(settings: Settings) -> HubClient | None:
    """A client of the configured hub, or None when the terminal has none."""
    hub = settings.config.hub
    if hub.url is None or not hub.token:
        return None
    return HubClient(str(hub.url), hub.token)


def build_engine(
    settings: Settings,
    store: OfferStore,
    outbox: Outbox,
    *,
    counters: Callable[[], dict[str, int]] = dict,
    on_config: Callable[[KioskConfig], None] | None = None,
    offer_views: OfferViews | None = None,
) -> SyncEngine:
    """The engine of this terminal (its client is None without a hub)."""
    return SyncEngine(
        settings,
        store,
        outbox,
        hub_client(settings),
        counters=counters,
        on_config=on_config,
        parsers=parser_pool,
        offer_views=offer_views,
    )
