"""The language controller: translator, locale, direction and keyboard layout switch together."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, Qt
from PySide6.QtGui import QGuiApplication

from kiosk.i18n import translations_dir
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.language import LanguageController


def test_switching_language(qtbot: Any) -> None:
    controller = LanguageController(["fr", "en", "ar"], "fr", translations_dir(), OfferFormatter())
    try:
        assert QCoreApplication.translate("AccessBar", "Home") == "Accueil"
        assert controller.keyboardLocale == "fr_FR"
        with qtbot.waitSignal(controller.languageChanged):
            controller.setLanguage("ar")
        assert QCoreApplication.translate("AccessBar", "Home") == "الرئيسية"
        assert controller.rightToLeft
        assert controller.keyboardLocale == "ar_AR"
        assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft
        assert QLocale().name() == "ar_TN"
        with qtbot.assertNotEmitted(controller.languageChanged):
            controller.setLanguage("de")  # not offered: ignored
            controller.setLanguage("ar")  # already on
        controller.reset()
        assert controller.language == "fr"
        assert QGuiApplication.layoutDirection() == Qt.LayoutDirection.LeftToRight
        assert [c["code"] for c in controller.choices] == ["fr", "en", "ar"]
    finally:
        controller.unload()
    assert QCoreApplication.translate("AccessBar", "Home") == "Home"


def test_only_configured_languages(qapp: Any) -> None:
    controller = LanguageController(["fr", "en"], "en", translations_dir(), OfferFormatter())
    try:
        controller.setLanguage("ar")
        assert controller.language == "en"
        assert [c["code"] for c in controller.choices] == ["fr", "en"]
    finally:
        controller.unload()


def test_missing_translation_is_reported(
    qapp: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.ERROR, "kiosk.ui"):
        controller = LanguageController(["fr"], "fr", tmp_path, OfferFormatter())
    controller.unload()
    assert "kiosk.i18n build" in caplog.text
