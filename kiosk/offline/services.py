"""The services corner in the offers cache: the hub's list, kept whole with its ETag, so the
Services screen works offline; the demo terminal's own list until a hub sends one."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Engine, delete, insert, select

from kiosk.offline.models import Meta, ServiceRow

log = logging.getLogger("kiosk.offline")

# The needs, in the order the screen shows them (the hub's own list, hub/services_corner.py).
CATEGORIES = ("choose_trade", "train", "prepare", "digital", "agency")
ETAG_KEY = "services_etag"
MAX_ENTRIES = 500
TITLE_MAX, TEXT_MAX, URL_MAX = 120, 600, 500


class ServicesFormatError(ValueError):
    """The hub's answer is not a services list."""


@dataclass(frozen=True, slots=True)
class ServiceEntry:
    """One service a passer-by can take away."""

    id: int
    category: str
    title: str
    text: str
    url: str
    languages: tuple[str, ...]  # empty: any language

    def speaks(self, language: str) -> bool:
        """Whether the service serves people in `language` (or says nothing of languages)."""
        return not self.languages or language in self.languages


def _entry(raw: Any) -> ServiceEntry | None:
    """One entry of the hub's list, or None when it is not one (left out, never shown)."""
    if not isinstance(raw, dict):
        return None
    identity, category = raw.get("id"), raw.get("category")
    title, text, url = raw.get("title"), raw.get("text", ""), raw.get("url")
    languages = raw.get("languages", [])
    if (
        not isinstance(identity, int)
        or isinstance(identity, bool)
        or category not in CATEGORIES
        or not isinstance(title, str)
        or not title.strip()
        or not isinstance(text, str)
        or not isinstance(url, str)
        or len(url) > URL_MAX
        or urlsplit(url).scheme not in ("http", "https")
        or not isinstance(languages, list)
        or not all(isinstance(code, str) and 2 <= len(code) <= 3 for code in languages)
    ):
        return None
    return ServiceEntry(
        identity,
        category,
        title.strip()[:TITLE_MAX],
        text.strip()[:TEXT_MAX],
        url,
        tuple(languages),
    )


def parse_services(body: Any) -> tuple[list[ServiceEntry], int]:
    """The entries of a services answer (`{"services": [...]}`) and how many were left out;
    ServicesFormatError when it is not one."""
    listed = body.get("services") if isinstance(body, dict) else None
    if not isinstance(listed, list):
        raise ServicesFormatError("the services answer has no `services` list")
    entries = [entry for entry in map(_entry, listed[:MAX_ENTRIES]) if entry is not None]
    return entries, len(listed) - len(entries)


def demo_services() -> list[ServiceEntry]:
    """The demo terminal's list: real public services (assets/demo/services.json)."""
    text = (resources.files("kiosk_assets") / "demo" / "services.json").read_text("utf-8")
    entries, rejected = parse_services(json.loads(text))
    assert not rejected, "assets/demo/services.json has entries the terminal refuses"
    return entries


class ServicesCache:
    """The services corner's table of the offers cache (short queries: fine on any thread)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def entries(self) -> list[ServiceEntry]:
        """Every entry, in the hub's order."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(ServiceRow).order_by(ServiceRow.position)).all()
        return [
            ServiceEntry(
                row.id,
                row.category,
                row.title,
                row.text,
                row.url,
                tuple(code for code in row.languages.split(",") if code),
            )
            for row in rows
        ]

    def etag(self) -> str | None:
        """The ETag of the list the hub last sent (None: no hub list yet)."""
        with self._engine.connect() as connection:
            return connection.scalar(select(Meta.value).where(Meta.key == ETAG_KEY))

    def replace(self, entries: Sequence[ServiceEntry], etag: str | None) -> None:
        """Keep `entries` instead of the list held, with their ETag, in one transaction."""
        with self._engine.begin() as connection:
            self._write(connection, entries)
            connection.execute(delete(Meta).where(Meta.key == ETAG_KEY))
            if etag is not None:
                connection.execute(insert(Meta).values(key=ETAG_KEY, value=etag))

    def seed_demo(self) -> int:
        """The demo list, when no hub ever sent one and the table is empty; how many."""
        with self._engine.begin() as connection:
            if connection.scalar(select(Meta.value).where(Meta.key == ETAG_KEY)) is not None:
                return 0
            if connection.scalar(select(ServiceRow.position).limit(1)) is not None:
                return 0
            entries = demo_services()
            self._write(connection, entries)
        log.info("services corner: the demo's %d services", len(entries))
        return len(entries)

    @staticmethod
    def _write(connection: Any, entries: Iterable[ServiceEntry]) -> None:
        connection.execute(delete(ServiceRow))
        rows = [
            {
                "position": position,
                "id": entry.id,
                "category": entry.category,
                "title": entry.title,
                "text": entry.text,
                "url": entry.url,
                "languages": ",".join(entry.languages),
            }
            for position, entry in enumerate(entries)
        ]
        if rows:
            connection.execute(insert(ServiceRow), rows)
