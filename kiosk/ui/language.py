"""The interface language: translator, locale, layout direction and keyboard layout together."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QLocale,
    QObject,
    Qt,
    QTranslator,
    Signal,
    Slot,
)
from PySide6.QtGui import QGuiApplication
from PySide6.QtQml import QmlElement

from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui")


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    """What one interface language needs besides its translation file."""

    code: str
    native_name: str  # the language's name in itself, as the language buttons show it
    short: str  # the corner buttons' label
    locale: str  # numbers and dates
    keyboard: str  # a layout of Qt Virtual Keyboard
    right_to_left: bool = False


# The source strings are English; fr.ts and ar.ts translate all of them, en.ts only gives the
# English plural forms. Arabic uses the Tunisian locale for numbers and dates: Western digits,
# as on the rest of a French terminal (offer texts, phone numbers), with Arabic month names.
LANGUAGES: dict[str, LanguageInfo] = {
    "fr": LanguageInfo("fr", "Français", "FR", "fr_FR", "fr_FR"),
    "en": LanguageInfo("en", "English", "EN", "en_GB", "en_GB"),
    "ar": LanguageInfo("ar", "العربية", "ع", "ar_TN", "ar_AR", right_to_left=True),
}


@QmlElement
@uncreatable("the application creates the language controller")
class LanguageController(QObject):
    """Switches the interface language; QML retranslates on `languageChanged` (the composition
    root connects it to `QQmlEngine.retranslate`) and view-models rebuild their text."""

    languageChanged = Signal()

    def __init__(
        self,
        available: Sequence[str],
        default: str,
        translations: Path,
        formatter: OfferFormatter,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._available = [code for code in available if code in LANGUAGES]
        self._default = default
        self._translations = translations
        self._formatter = formatter
        self._translator: QTranslator | None = None
        self._current = ""
        self.setLanguage(default)

    @property
    def info(self) -> LanguageInfo:
        """The current language."""
        return LANGUAGES[self._current]

    def set_default(self, code: str) -> None:
        """The language an idle terminal returns to (pushed by the hub), from the next reset."""
        if code in self._available:
            self._default = code

    def reset(self) -> None:
        """Back to the terminal's default language (end of a session)."""
        self.setLanguage(self._default)

    def unload(self) -> None:
        """Remove the installed translation from the application (shutdown)."""
        if self._translator is not None:
            QCoreApplication.removeTranslator(self._translator)
            self._translator = None

    @Slot(str)
    def setLanguage(self, code: str) -> None:
        """Install the translation of `code` and tell everyone showing text."""
        if code == self._current or code not in self._available:
            return
        info = LANGUAGES[code]
        self.unload()
        translator = QTranslator(self)
        path = self._translations / f"{code}.qm"
        if translator.load(str(path)):
            QCoreApplication.installTranslator(translator)
            self._translator = translator
        elif code != "en":
            log.error("translation %s is missing: run `python -m kiosk.i18n build`", path.name)
        locale = QLocale(info.locale)
        QLocale.setDefault(locale)  # %Ln in translations groups digits the local way
        self._formatter.locale = locale
        app = QCoreApplication.instance()
        if isinstance(app, QGuiApplication):
            app.setLayoutDirection(
                Qt.LayoutDirection.RightToLeft
                if info.right_to_left
                else Qt.LayoutDirection.LeftToRight
            )
        self._current = code
        log.info("interface language: %s", code)
        self.languageChanged.emit()

    def _get_language(self) -> str:
        return self._current

    def _get_choices(self) -> list[dict[str, str]]:
        return [
            {"code": c, "name": LANGUAGES[c].native_name, "short": LANGUAGES[c].short}
            for c in self._available
        ]

    language = Property(str, _get_language, setLanguage, notify=languageChanged)
    rightToLeft = Property(bool, lambda self: self.info.right_to_left, notify=languageChanged)
    keyboardLocale = Property(str, lambda self: self.info.keyboard, notify=languageChanged)
    keyboardLocales = Property(
        list, lambda self: [LANGUAGES[c].keyboard for c in self._available], constant=True
    )
    choices = Property(list, _get_choices, constant=True)
