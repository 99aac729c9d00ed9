"""QR codes for QML: `image://qr/<text in base64url>`, drawn crisp at whole pixels per module."""

from __future__ import annotations

import base64
from collections import OrderedDict

import qrcode
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtQuick import QQuickImageProvider

PROVIDER_ID = "qr"
QUIET_ZONE = 4  # modules of white around the code, as ISO/IEC 18004 asks
_DEFAULT_MODULE_PX = 8
_CACHE_SIZE = 16


def qr_source(text: str) -> str:
    """The QML image source that shows `text` as a QR code.

    The text travels as base64url: QML hands providers a partly percent-decoded id, which
    would alter a URL holding "%", "?" or non-ASCII characters.
    """
    encoded = base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii").rstrip("=")
    return f"image://{PROVIDER_ID}/{encoded}"


def qr_text(image_id: str) -> str:
    """The text of an id made by `qr_source`."""
    padded = image_id + "=" * (-len(image_id) % 4)
    return base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8")


def qr_matrix(text: str) -> list[list[bool]]:
    """The modules of the QR code of `text` (quiet zone included), medium error correction."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=QUIET_ZONE)
    code.add_data(text)
    code.make(fit=True)
    matrix: list[list[bool]] = code.get_matrix()
    return matrix


def qr_image(text: str, side_px: int | None = None) -> QImage:
    """The QR code of `text` as an image no wider than `side_px` (if given), each module a
    whole number of pixels, dark on white whatever the theme (phone cameras expect that)."""
    matrix = qr_matrix(text)
    count = len(matrix)
    module = max(1, side_px // count) if side_px else _DEFAULT_MODULE_PX
    image = QImage(count * module, count * module, QImage.Format.Format_Grayscale8)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        black = QColor("black")
        for y, row in enumerate(matrix):
            x = 0
            while x < count:  # one rectangle per run of dark modules
                if not row[x]:
                    x += 1
                    continue
                start = x
                while x < count and row[x]:
                    x += 1
                painter.fillRect(start * module, y * module, (x - start) * module, module, black)
    finally:
        painter.end()
    return image


class QrImageProvider(QQuickImageProvider):
    """Draws the QR codes QML asks for, keeping the last few (a screen asks again on resize)."""

    def __init__(self) -> None:
        super().__init__(QQuickImageProvider.ImageType.Image)
        self._cache: OrderedDict[tuple[str, int], QImage] = OrderedDict()

    def requestImage(self, id: str, size: QSize, requestedSize: QSize) -> QImage:  # noqa: N803
        text = qr_text(id)
        side = max(requestedSize.width(), requestedSize.height(), 0)
        key = (text, side)
        image = self._cache.get(key)
        if image is None:
            image = qr_image(text, side or None)
            self._cache[key] = image
            while len(self._cache) > _CACHE_SIZE:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        size.setWidth(image.width())
        size.setHeight(image.height())
        return image
