"""Theme: WCAG contrast of every colour pair, sizes in millimetres of the configured panel."""

from __future__ import annotations

import math
from typing import Any

import pytest

from kiosk.config import PanelSection
from kiosk.ui.theme import (
    CAP_HEIGHT_RATIO,
    CONTROL_PAIRS,
    HIGH_CONTRAST,
    MIN_BAND_SHARE,
    NORMAL,
    REACH_TOP_MM,
    TARGET_MM,
    TEXT_PAIRS,
    Palette,
    Theme,
    contrast_ratio,
    large_text_cap_mm,
    pixels_per_mm,
)


def test_contrast_ratio_matches_wcag_examples() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1.0)
    # WebAIM's reference pair: #767676 on white is the lightest grey reaching 4.5:1.
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize(("palette", "text_min"), [(NORMAL, 4.5), (HIGH_CONTRAST, 7.0)])
@pytest.mark.parametrize(("foreground", "background"), TEXT_PAIRS)
def test_text_contrast(palette: Palette, text_min: float, foreground: str, background: str) -> None:
    ratio = contrast_ratio(getattr(palette, foreground), getattr(palette, background))
    assert ratio >= text_min, f"{foreground} on {background}: {ratio:.2f}"


@pytest.mark.parametrize("palette", [NORMAL, HIGH_CONTRAST])
@pytest.mark.parametrize(("carriers", "background"), CONTROL_PAIRS)
def test_control_contrast(palette: Palette, carriers: tuple[str, ...], background: str) -> None:
    best = max(contrast_ratio(getattr(palette, c), getattr(palette, background)) for c in carriers)
    assert best >= 3.0, f"{carriers} on {background}: {best:.2f}"


def test_every_palette_colour_is_in_a_checked_pair() -> None:
    checked = {name for pair in TEXT_PAIRS for name in pair}
    checked |= {name for carriers, background in CONTROL_PAIRS for name in (*carriers, background)}
    unchecked = set(Palette.__dataclass_fields__) - checked - {"scrim"}  # scrim: never behind text
    assert unchecked == set()


@pytest.mark.parametrize(
    ("panel", "size"),
    [
        (PanelSection(width_mm=598, height_mm=336), (1080, 1920)),  # 27", portrait
        (PanelSection(width_mm=598, height_mm=336), (1920, 1080)),  # 27", landscape
        (PanelSection(width_mm=476, height_mm=268), (1080, 1920)),  # 21.5"
        (PanelSection(width_mm=1210, height_mm=680), (1920, 1080)),  # 55"
        (PanelSection(width_mm=598, height_mm=336), (900, 1000)),  # a window of another shape
    ],
)
def test_touch_targets_are_20_mm_both_ways(
    qapp: Any, panel: PanelSection, size: tuple[int, int]
) -> None:
    theme = Theme(panel)
    theme.set_window_size(*size)
    width_px, height_px = size
    long_mm, short_mm = max(panel.width_mm, panel.height_mm), min(panel.width_mm, panel.height_mm)
    mm_per_px_x = (long_mm if width_px >= height_px else short_mm) / width_px
    mm_per_px_y = (short_mm if width_px >= height_px else long_mm) / height_px
    assert theme.target * mm_per_px_x >= TARGET_MM
    assert theme.target * mm_per_px_y >= TARGET_MM


def test_orientation_turns_the_panel(qapp: Any) -> None:
    panel = PanelSection(width_mm=598, height_mm=336)
    assert pixels_per_mm(panel, 1080, 1920) == pytest.approx(pixels_per_mm(panel, 1920, 1080))
    assert pixels_per_mm(panel, 1920, 1080) == pytest.approx(max(1920 / 598, 1080 / 336))


def test_large_text_reaches_0_7_degrees(qapp: Any) -> None:
    panel = PanelSection(viewing_distance_mm=600)
    theme = Theme(panel)
    theme.set_window_size(1080, 1920)
    assert large_text_cap_mm(600) == pytest.approx(7.33, abs=0.01)
    normal = [theme.fontSmall, theme.fontBody, theme.fontTitle]
    theme.setLargeText(True)
    for size, before in zip(
        [theme.fontSmall, theme.fontBody, theme.fontTitle], normal, strict=True
    ):
        cap_mm = size * CAP_HEIGHT_RATIO / theme.pxPerMm
        assert cap_mm >= large_text_cap_mm(600) - 0.01
        assert size > before


def test_switches_signal_and_reset(qtbot: Any) -> None:
    theme = Theme(PanelSection())
    with qtbot.waitSignal(theme.paletteChanged):
        theme.highContrast = True
    assert theme.palette.property("background").name() == "#000000"
    with qtbot.waitSignal(theme.metricsChanged):
        theme.largeText = True
    with qtbot.waitSignal(theme.switchesChanged):
        theme.lowerBand = False  # on by default on this portrait panel (below)
    theme.reset()
    assert (theme.largeText, theme.highContrast, theme.lowerBand) == (False, False, True)


def test_a_portrait_panel_reaching_too_high_starts_in_the_lower_layout(qapp: Any) -> None:
    theme = Theme(PanelSection(width_mm=598, height_mm=336, bottom_edge_mm=800))
    theme.set_window_size(1080, 1920)
    # 598 mm tall, bottom edge at 800 mm: the top 178 mm are above the 1,220 mm reach limit.
    assert theme.beyondReach and theme.lowerBand
    assert theme.bandTop == math.ceil(1920 * (1 - 420 / 598))
    reach_top_mm = 800 + (1920 - theme.bandTop) * 598 / 1920
    assert reach_top_mm <= REACH_TOP_MM and math.isclose(reach_top_mm, 1220, abs_tol=1)
    theme.setLowerBand(False)
    assert theme.bandTop == 0
    theme.reset()
    assert theme.lowerBand and theme.bandTop > 0
    # Turned to landscape, 336 mm tall: 1,136 mm, within reach; no band, the switch hides.
    theme.set_window_size(1920, 1080)
    assert not theme.beyondReach and theme.bandTop == 0


def test_a_low_enough_panel_starts_in_the_full_layout(qapp: Any) -> None:
    theme = Theme(PanelSection(width_mm=598, height_mm=336, bottom_edge_mm=600))
    theme.set_window_size(1080, 1920)
    assert not theme.beyondReach  # 600 + 598 = 1,198 mm
    assert not theme.lowerBand and theme.bandTop == 0
    theme.setLowerBand(True)
    assert theme.bandTop == 0  # nothing to lower
    theme.reset()
    assert not theme.lowerBand


def test_the_band_is_computed_in_landscape_too_and_keeps_its_minimum(qapp: Any) -> None:
    theme = Theme(PanelSection(width_mm=598, height_mm=336, bottom_edge_mm=1000))
    theme.set_window_size(1920, 1080)
    assert theme.beyondReach and theme.lowerBand  # 1,000 + 336 mm
    assert theme.bandTop == math.ceil(1080 * (1 - 220 / 336))
    # A bottom edge near the limit leaves the band its minimum share (keyboard and a list).
    high = Theme(PanelSection(bottom_edge_mm=1200))
    high.set_window_size(1080, 1920)
    assert high.bandTop == math.ceil(1920 * (1 - MIN_BAND_SHARE))
