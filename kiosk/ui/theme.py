"""The look of the kiosk: sizes in millimetres of the real panel, named palettes, a11y switches."""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

from PySide6.QtCore import Property, QObject, Signal, Slot
from PySide6.QtGui import QColor
from PySide6.QtQml import QmlElement

from kiosk.config import PanelSection
from kiosk.ui.qmltypes import uncreatable

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

TARGET_MM = 20.0  # every touch target, both ways (Colle & Hiszem 2004; product brief)
GAP_MM = 3.0  # between neighbouring targets
LARGE_TEXT_DEGREES = 0.7  # EN 301 549 5.1.4: a capital H spans at least 0.7° in large-text mode
CAP_HEIGHT_RATIO = 0.72  # cap height / font size of DejaVu Sans and Noto Sans
# Reach of operable parts (EN 301 549, ADA): 380-1,220 mm above the floor. The panel's bottom
# edge height is `[panel] bottom_edge_mm`; when the screen's top is above the limit, the lower
# layout (the operable band) is on by default.
REACH_TOP_MM = 1220.0
# The band never gets smaller than this share of the window: the keyboard and a list must fit.
MIN_BAND_SHARE = 0.55

# Cap heights in millimetres of the text styles (normal mode). Large-text mode raises every
# style to at least the 0.7° cap height at the configured viewing distance.
_CAP_MM = {"small": 3.4, "body": 4.2, "title": 5.6, "headline": 8.0, "display": 13.0, "far": 9.4}
# "far" is for the attract screen, read by people passing 2 m away: a capital H of 9.4 mm spans
# 16 minutes of arc at 2 m, ISO 9241-303's least for reading (its display style, 13 mm, spans
# 22', the preferred size).
_LARGE_FACTOR = 1.45


@dataclass(frozen=True, slots=True)
class Palette:
    """Every colour the screens use, by role. Pairs that must contrast are listed below."""

    background: str  # screen background
    surface: str  # cards, panels, dialogs
    text: str  # body text on background and surface
    text_muted: str  # secondary text (company, dates) on background and surface
    accent: str  # primary buttons, selected chips
    on_accent: str  # text and icons on accent
    border: str  # outline of every control (cards, chips, fields)
    focus: str  # the keyboard/field focus ring
    attract: str  # attract screen background
    on_attract: str  # text on the attract screen
    overlay: str  # "are you still there?" background
    on_overlay: str  # text on the overlay
    highlight: str  # the countdown figure on the overlay
    scrim: str  # dimming behind dialogs (drawn translucent; never behind text)
    error: str  # what went wrong in a form (always with a ⚠ and words, never colour alone)
    keyboard: str  # the on-screen keyboard's tray, behind its keys
    key_face: str  # a key of the on-screen keyboard
    on_key: str  # a key's label, on key_face and on key_active
    key_active: str  # a pressed key, shift on, the chosen one in a key's alternatives


NORMAL = Palette(
    background="#f3f1ec",
    surface="#ffffff",
    text="#1a1c20",
    text_muted="#4a4f57",
    accent="#0b4f8a",
    on_accent="#ffffff",
    border="#6b7078",
    focus="#c2410c",
    attract="#0b3c6d",
    on_attract="#ffffff",
    overlay="#102a43",
    on_overlay="#ffffff",
    highlight="#ffd166",
    scrim="#000000",
    error="#a4161a",
    keyboard="#3b4048",
    key_face="#ffffff",
    on_key="#1a1c20",
    key_active="#ffd166",
)

HIGH_CONTRAST = Palette(
    background="#000000",
    surface="#000000",
    text="#ffffff",
    text_muted="#e6e6e6",
    accent="#ffd400",
    on_accent="#000000",
    border="#ffffff",
    focus="#00e5ff",
    attract="#000000",
    on_attract="#ffffff",
    overlay="#000000",
    on_overlay="#ffffff",
    highlight="#ffd400",
    scrim="#000000",
    error="#ff9e9e",
    keyboard="#000000",
    key_face="#ffffff",
    on_key="#000000",
    key_active="#ffd400",
)

# (foreground, background) pairs where the foreground is text: WCAG 1.4.3 4.5:1, 7:1 in
# high-contrast mode (1.4.6).
TEXT_PAIRS: tuple[tuple[str, str], ...] = (
    ("text", "background"),
    ("text", "surface"),
    ("text_muted", "background"),
    ("text_muted", "surface"),
    ("accent", "surface"),  # headings and links drawn in the accent colour
    ("accent", "background"),
    ("on_accent", "accent"),
    ("on_attract", "attract"),
    ("on_overlay", "overlay"),
    ("highlight", "overlay"),
    ("overlay", "highlight"),  # the "I'm still here" button
    ("attract", "highlight"),  # chosen buttons on the attract screen
    ("error", "background"),  # form errors
    ("error", "surface"),
    ("on_key", "key_face"),  # the keyboard's labels
    ("on_key", "key_active"),
)
# Controls (WCAG 1.4.11, 3:1): a control is seen against its background by its fill or by its
# outline, so each entry names the colours that can carry it; the best of them must contrast.
CONTROL_PAIRS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("border",), "background"),
    (("border",), "surface"),
    (("accent",), "background"),  # primary buttons and chosen chips
    (("accent",), "surface"),
    (("focus",), "background"),
    (("focus",), "surface"),
    (("surface", "border"), "attract"),  # buttons on the attract screen
    (("highlight",), "attract"),  # chosen buttons on the attract screen
    (("highlight",), "overlay"),  # the "I'm still here" button and the countdown bar
    (("on_overlay",), "overlay"),  # the countdown bar's frame
    (("key_face",), "keyboard"),  # the keys of the on-screen keyboard
    (("key_active",), "keyboard"),
)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour "#rrggbb"."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = QColor(colour)
    return (
        0.2126 * channel(rgb.red()) + 0.7152 * channel(rgb.green()) + 0.0722 * channel(rgb.blue())
    )


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours, from 1 to 21."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def large_text_cap_mm(viewing_distance_mm: float) -> float:
    """The cap height that spans LARGE_TEXT_DEGREES at the viewing distance."""
    return 2 * viewing_distance_mm * math.tan(math.radians(LARGE_TEXT_DEGREES / 2))


def pixels_per_mm(panel: PanelSection, width_px: int, height_px: int) -> float:
    """Pixels per millimetre of the window, the panel turned to match the window's orientation.

    The larger of the two axes' densities is used, so a size in millimetres is never smaller
    than asked along either axis (a window that does not match the panel's aspect, as in
    windowed mode, gets targets that are large enough both ways).
    """
    long_mm, short_mm = max(panel.width_mm, panel.height_mm), min(panel.width_mm, panel.height_mm)
    long_px, short_px = max(width_px, height_px), min(width_px, height_px)
    return max(long_px / long_mm, short_px / short_mm)


class ThemePalette(QObject):
    """One palette as QML properties (read-only; the theme swaps whole palettes)."""

    def __init__(self, palette: Palette, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._colours = {f.name: QColor(getattr(palette, f.name)) for f in fields(Palette)}

    def _get(self, name: str) -> QColor:
        return self._colours[name]

    background = Property(QColor, lambda self: self._get("background"), constant=True)
    surface = Property(QColor, lambda self: self._get("surface"), constant=True)
    text = Property(QColor, lambda self: self._get("text"), constant=True)
    textMuted = Property(QColor, lambda self: self._get("text_muted"), constant=True)
    accent = Property(QColor, lambda self: self._get("accent"), constant=True)
    accentText = Property(QColor, lambda self: self._get("on_accent"), constant=True)
    border = Property(QColor, lambda self: self._get("border"), constant=True)
    focus = Property(QColor, lambda self: self._get("focus"), constant=True)
    attract = Property(QColor, lambda self: self._get("attract"), constant=True)
    attractText = Property(QColor, lambda self: self._get("on_attract"), constant=True)
    overlay = Property(QColor, lambda self: self._get("overlay"), constant=True)
    overlayText = Property(QColor, lambda self: self._get("on_overlay"), constant=True)
    highlight = Property(QColor, lambda self: self._get("highlight"), constant=True)
    scrim = Property(QColor, lambda self: self._get("scrim"), constant=True)
    error = Property(QColor, lambda self: self._get("error"), constant=True)
    keyboard = Property(QColor, lambda self: self._get("keyboard"), constant=True)
    keyFace = Property(QColor, lambda self: self._get("key_face"), constant=True)
    keyText = Property(QColor, lambda self: self._get("on_key"), constant=True)
    keyActive = Property(QColor, lambda self: self._get("key_active"), constant=True)


@QmlElement
@uncreatable("the application creates the theme")
class Theme(QObject):
    """Sizes in pixels computed from millimetres of the configured panel, and the palette.

    The window reports its size (`set_window_size`); the large-text, high-contrast and
    lower-band switches are the passer-by's and go back to their defaults when a session ends.
    """

    metricsChanged = Signal()
    paletteChanged = Signal()
    switchesChanged = Signal()

    def __init__(self, panel: PanelSection, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._panel = panel
        self._width, self._height = 1080, 1920
        self._large_text = False
        self._high_contrast = False
        self._lower_band: bool | None = None  # None: the default for this panel and orientation
        self._palettes = (ThemePalette(NORMAL, self), ThemePalette(HIGH_CONTRAST, self))
        self._ppm = pixels_per_mm(panel, self._width, self._height)

    # -- inputs -------------------------------------------------------------------------------

    def set_window_size(self, width: int, height: int) -> None:
        """The window's size in pixels changed (start, rotation, windowed resize)."""
        if width <= 0 or height <= 0 or (width, height) == (self._width, self._height):
            return
        lower_before = self._get_lower_band()
        self._width, self._height = width, height
        self._ppm = pixels_per_mm(self._panel, width, height)
        if self._get_lower_band() != lower_before:  # turned: the default may differ
            self.switchesChanged.emit()
        self.metricsChanged.emit()

    def reset(self) -> None:
        """The switches back to their defaults (end of a session)."""
        self.setLargeText(False)
        self.setHighContrast(False)
        if self._lower_band is not None:
            before = self._get_lower_band()
            self._lower_band = None
            if self._get_lower_band() != before:
                self.switchesChanged.emit()
                self.metricsChanged.emit()

    # -- computed sizes -----------------------------------------------------------------------

    def px(self, mm: float) -> int:
        """A length in millimetres on this panel, in whole pixels (rounded up)."""
        return math.ceil(mm * self._ppm)

    def font_px(self, style: str) -> int:
        """The pixel size of a text style, large-text mode applied."""
        cap = _CAP_MM[style]
        if self._large_text:
            cap = max(cap * _LARGE_FACTOR, large_text_cap_mm(self._panel.viewing_distance_mm))
        return math.ceil(cap / CAP_HEIGHT_RATIO * self._ppm)

    def _get_ppm(self) -> float:
        return self._ppm

    def _get_portrait(self) -> bool:
        return self._height > self._width

    def screen_height_mm(self) -> float:
        """The panel's height as it stands: its long side in portrait, its short side else."""
        long_mm, short_mm = (
            max(self._panel.width_mm, self._panel.height_mm),
            min(self._panel.width_mm, self._panel.height_mm),
        )
        return long_mm if self._get_portrait() else short_mm

    def _get_beyond_reach(self) -> bool:
        """Whether the screen's top is above the reach limit (the lower layout is useful)."""
        return self._panel.bottom_edge_mm + self.screen_height_mm() > REACH_TOP_MM

    def _get_band_top(self) -> int:
        """Where the operable band starts (px from the top): 0 unless the lower layout is on
        and the screen reaches above the limit; then that part of the screen is left passive."""
        if not (self._get_lower_band() and self._get_beyond_reach()):
            return 0
        reachable = (REACH_TOP_MM - self._panel.bottom_edge_mm) / self.screen_height_mm()
        reachable = min(1.0, max(MIN_BAND_SHARE, reachable))
        return math.ceil(self._height * (1 - reachable))  # never a pixel above the limit

    pxPerMm = Property(float, _get_ppm, notify=metricsChanged)
    portrait = Property(bool, _get_portrait, notify=metricsChanged)
    target = Property(int, lambda self: self.px(TARGET_MM), notify=metricsChanged)
    gap = Property(int, lambda self: self.px(GAP_MM), notify=metricsChanged)
    margin = Property(int, lambda self: self.px(6.0), notify=metricsChanged)
    radius = Property(int, lambda self: self.px(2.5), notify=metricsChanged)
    borderWidth = Property(int, lambda self: max(2, self.px(0.6)), notify=metricsChanged)
    focusWidth = Property(int, lambda self: max(3, self.px(1.2)), notify=metricsChanged)
    qrSize = Property(int, lambda self: self.px(48.0), notify=metricsChanged)
    bandTop = Property(int, _get_band_top, notify=metricsChanged)
    # Whether the attract screen may move (`[panel] motion`).
    motion = Property(bool, lambda self: self._panel.motion, constant=True)
    beyondReach = Property(bool, _get_beyond_reach, notify=metricsChanged)
    fontSmall = Property(int, lambda self: self.font_px("small"), notify=metricsChanged)
    fontBody = Property(int, lambda self: self.font_px("body"), notify=metricsChanged)
    fontTitle = Property(int, lambda self: self.font_px("title"), notify=metricsChanged)
    fontHeadline = Property(int, lambda self: self.font_px("headline"), notify=metricsChanged)
    fontDisplay = Property(int, lambda self: self.font_px("display"), notify=metricsChanged)
    fontFar = Property(int, lambda self: self.font_px("far"), notify=metricsChanged)

    # -- switches -----------------------------------------------------------------------------

    def _get_large_text(self) -> bool:
        return self._large_text

    @Slot(bool)
    def setLargeText(self, on: bool) -> None:
        if on != self._large_text:
            self._large_text = on
            self.switchesChanged.emit()
            self.metricsChanged.emit()

    def _get_high_contrast(self) -> bool:
        return self._high_contrast

    @Slot(bool)
    def setHighContrast(self, on: bool) -> None:
        if on != self._high_contrast:
            self._high_contrast = on
            self.switchesChanged.emit()
            self.paletteChanged.emit()

    def _get_lower_band(self) -> bool:
        """The passer-by's choice, else on wherever the screen reaches above the limit."""
        if self._lower_band is not None:
            return self._lower_band
        return self._get_beyond_reach()

    @Slot(bool)
    def setLowerBand(self, on: bool) -> None:
        before = self._get_lower_band()
        self._lower_band = on
        if on != before:
            self.switchesChanged.emit()
            self.metricsChanged.emit()

    largeText = Property(bool, _get_large_text, setLargeText, notify=switchesChanged)
    highContrast = Property(bool, _get_high_contrast, setHighContrast, notify=switchesChanged)
    lowerBand = Property(bool, _get_lower_band, setLowerBand, notify=switchesChanged)
    palette = Property(
        QObject,
        lambda self: self._palettes[1 if self._high_contrast else 0],
        notify=paletteChanged,
    )
