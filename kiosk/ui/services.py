"""The Services screen's view-model: the services corner by need, in the session's language
first, and the entry open with its text and the QR code that takes it away."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    Property,
    QCoreApplication,
    QLocale,
    QObject,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtQml import QmlElement
from sqlalchemy.exc import SQLAlchemyError

from kiosk.offline.services import CATEGORIES, ServiceEntry
from kiosk.ui.list_model import RowsModel
from kiosk.ui.qmltypes import uncreatable
from kiosk.ui.qr import qr_source

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")

ServicesLoader = Callable[[], list[ServiceEntry]]

_NEEDS = {
    "choose_trade": QT_TRANSLATE_NOOP("Services", "Choose a trade"),
    "train": QT_TRANSLATE_NOOP("Services", "Train"),
    "prepare": QT_TRANSLATE_NOOP("Services", "Prepare my application"),
    "digital": QT_TRANSLATE_NOOP("Services", "Get help with digital"),
    "agency": QT_TRANSLATE_NOOP("Services", "The agency near here"),
}
NEEDS: dict[str, str] = {key: str(label) for key, label in _NEEDS.items()}


def need_label(category: str) -> str:
    """A need's name in the current language."""
    return QCoreApplication.translate("Services", NEEDS[category])


def language_name(code: str) -> str:
    """A language's name in itself: "français", "English" (not Qt's "American English")."""
    locale = QLocale(code)
    if locale.language() == QLocale.Language.C:
        return code
    if locale.language() == QLocale.Language.English:
        return "English"
    return locale.nativeLanguageName() or code


def language_note(entry: ServiceEntry, language: str) -> str:
    """ "Site in français" for a service that does not serve the screen's language, else ""."""
    if entry.speaks(language):
        return ""
    names = [language_name(code) for code in entry.languages]
    return QCoreApplication.translate("Services", "Site in %1").replace("%1", ", ".join(names))


def site(url: str) -> str:
    """A service's site as people write it: "https://www.onisep.fr/x" → "onisep.fr"."""
    host = urlsplit(url).hostname or url
    return host.removeprefix("www.")


@dataclass(frozen=True, slots=True)
class Group:
    """The services of one need, as the screen shows them."""

    key: str
    heading: str
    entries: list[dict[str, Any]]


def arrange(entries: list[ServiceEntry], language: str) -> list[Group]:
    """The needs that have services, in their fixed order; within a need, the services in
    `language` (or in any) first, each side in the hub's order."""
    groups = []
    for category in CATEGORIES:
        mine = [e for e in entries if e.category == category]
        mine.sort(key=lambda e: not e.speaks(language))  # stable: the hub's order within
        if mine:
            groups.append(
                Group(
                    category,
                    need_label(category),
                    [
                        {
                            "entryId": e.id,
                            "title": e.title,
                            "text": e.text,
                            "note": language_note(e, language),
                        }
                        for e in mine
                    ],
                )
            )
    return groups


class GroupRole(enum.IntEnum):
    """The roles a need's delegate reads."""

    KEY = Qt.ItemDataRole.UserRole + 1
    HEADING = enum.auto()
    ENTRIES = enum.auto()


@QmlElement
@uncreatable("the services view-model owns its needs")
class ServiceGroupModel(RowsModel[Group]):
    """The needs that have services, each with its services (a short list: no paging)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            {
                GroupRole.KEY: attrgetter("key"),
                GroupRole.HEADING: attrgetter("heading"),
                GroupRole.ENTRIES: attrgetter("entries"),
            },
            display=GroupRole.HEADING,
            parent=parent,
        )


@QmlElement
@uncreatable("the application creates the services view-model")
class ServicesViewModel(QObject):
    """The services corner from the offers cache (a few dozen rows: read on the UI thread)."""

    listChanged = Signal()
    entryChanged = Signal()
    entryOpened = Signal()  # for the anonymous usage count

    def __init__(
        self, load: ServicesLoader, language: Callable[[], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._load = load
        self._language = language
        self._entries: list[ServiceEntry] = []
        self._open: ServiceEntry | None = None
        self._groups = ServiceGroupModel(self)

    def refresh(self) -> None:
        """Read the list again (the sync may have brought a new one); an open entry that is
        gone closes."""
        try:
            self._entries = self._load()
        except SQLAlchemyError:  # a damaged cache is rebuilt at the next start: none now
            log.exception("services corner: the list cannot be read")
            self._entries = []
        if self._open is not None and self._open not in self._entries:
            self._set_open(None)
        self._rebuild()

    def retranslate(self) -> None:
        """Every text in the new language, the services in it first."""
        self._rebuild()
        self.entryChanged.emit()

    def _rebuild(self) -> None:
        self._groups.reset(arrange(self._entries, self._language()))
        self.listChanged.emit()

    @property
    def entry(self) -> ServiceEntry | None:
        """The open entry, if any."""
        return self._open

    def first_id(self) -> int | None:
        """The id of the first service the screen shows, or None when there is none."""
        groups = arrange(self._entries, self._language())
        return int(groups[0].entries[0]["entryId"]) if groups else None

    @Slot(int)
    def open(self, entry_id: int) -> None:
        """Show entry `entry_id` with its QR code."""
        found = next((e for e in self._entries if e.id == entry_id), None)
        self._set_open(found)
        if found is not None:
            self.entryOpened.emit()

    @Slot()
    def close(self) -> None:
        """Back to the list."""
        self._set_open(None)

    def is_open(self) -> bool:
        """Whether an entry is open over the list."""
        return self._open is not None

    def _set_open(self, entry: ServiceEntry | None) -> None:
        if entry != self._open:
            self._open = entry
            self.entryChanged.emit()

    def _text(self, read: Callable[[ServiceEntry], str]) -> str:
        return read(self._open) if self._open is not None else ""

    available = Property(bool, lambda self: bool(self._entries), notify=listChanged)
    count = Property(int, lambda self: len(self._entries), notify=listChanged)
    needs = Property(QObject, lambda self: self._groups, constant=True)
    isOpen = Property(bool, is_open, notify=entryChanged)
    openTitle = Property(str, lambda self: self._text(lambda e: e.title), notify=entryChanged)
    openText = Property(str, lambda self: self._text(lambda e: e.text), notify=entryChanged)
    openNeed = Property(
        str, lambda self: self._text(lambda e: need_label(e.category)), notify=entryChanged
    )
    openNote = Property(
        str,
        lambda self: self._text(lambda e: language_note(e, self._language())),
        notify=entryChanged,
    )
    openUrl = Property(str, lambda self: self._text(lambda e: e.url), notify=entryChanged)
    openSite = Property(str, lambda self: self._text(lambda e: site(e.url)), notify=entryChanged)
    openQr = Property(str, lambda self: self._text(lambda e: qr_source(e.url)), notify=entryChanged)
