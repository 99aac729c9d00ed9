"""QR codes: what the image provider draws reads back as the text it was given."""

from __future__ import annotations

from typing import Any

import pytest
import zxingcpp
from PySide6.QtCore import QSize

from kiosk.ui.qr import QUIET_ZONE, QrImageProvider, qr_image, qr_matrix, qr_source

URLS = [
    "https://candidat.francetravail.fr/offres/recherche/detail/100AAAA",
    "https://jobs.example/apply?id=42&lang=fr&q=caf%C3%A9#top",
    "https://example.org/offre/é-à/ü",
]


@pytest.mark.parametrize("url", URLS)
def test_provider_round_trip(qapp: Any, url: str) -> None:
    provider = QrImageProvider()
    source = qr_source(url)
    assert source.startswith("image://qr/")
    size = QSize()
    image = provider.requestImage(source.removeprefix("image://qr/"), size, QSize(200, 200))
    assert (size.width(), size.height()) == (image.width(), image.height())
    assert image.width() <= 200
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [url]


def test_modules_are_whole_pixels(qapp: Any) -> None:
    modules = len(qr_matrix(URLS[0]))
    image = qr_image(URLS[0], 300)
    assert image.width() % modules == 0
    scale = image.width() // modules
    # The quiet zone is white, the finder pattern's corner dark.
    assert image.pixelColor(QUIET_ZONE * scale - 1, QUIET_ZONE * scale - 1).name() == "#ffffff"
    assert image.pixelColor(QUIET_ZONE * scale, QUIET_ZONE * scale).name() == "#000000"


def test_provider_reuses_images(qapp: Any) -> None:
    provider = QrImageProvider()
    key = qr_source(URLS[0]).removeprefix("image://qr/")
    first = provider.requestImage(key, QSize(), QSize(150, 150))
    again = provider.requestImage(key, QSize(), QSize(150, 150))
    assert first.cacheKey() == again.cacheKey()


@pytest.mark.parametrize("url", URLS)
def test_through_qml(qtbot: Any, url: str) -> None:
    """The id QML hands the provider is the encoded text, special characters intact."""
    from PySide6.QtQml import QQmlApplicationEngine  # noqa: PLC0415
    from PySide6.QtQuick import QQuickItem, QQuickWindow  # noqa: PLC0415

    engine = QQmlApplicationEngine()
    engine.addImageProvider("qr", QrImageProvider())
    engine.setInitialProperties({"code": qr_source(url)})
    engine.loadData(
        b"import QtQuick\n"
        b"Window { required property string code; width: 300; height: 300; visible: true;"
        b" color: 'white'; Image { objectName: 'qr'; x: 30; y: 30; source: code;"
        b" sourceSize.width: 240; sourceSize.height: 240; smooth: false } }"
    )
    window = engine.rootObjects()[0]
    assert isinstance(window, QQuickWindow)
    qtbot.waitExposed(window)
    image = window.findChild(QQuickItem, "qr")
    qtbot.waitUntil(lambda: image.property("progress") == 1.0 and image.implicitWidth() > 0)
    codes = zxingcpp.read_barcodes(window.grabWindow())
    assert [code.text for code in codes] == [url]
    engine.deleteLater()
