"""`kiosk screenshot`: each screen renders to a PNG; the detail screen's QR reads back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import zxingcpp
from PySide6.QtGui import QImage

from kiosk.cli import main
from kiosk.config import Settings
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import take_screenshot

pytestmark = pytest.mark.ui


def test_detail_screenshot_of_a_chosen_offer(
    qapp: Any, ui_settings: Settings, seeded_store: OfferStore, tmp_path: Path
) -> None:
    out = tmp_path / "detail.png"
    take_screenshot(ui_settings, "detail", out, lang="en", size=(1920, 1080), offer_id="T012")
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1920, 1080)
    codes = zxingcpp.read_barcodes(image)
    assert [c.text for c in codes] == [
        "https://candidat.francetravail.fr/offres/recherche/detail/T012"
    ]


def test_cli_idle_screenshot(
    qapp: Any,
    ui_settings: Settings,
    seeded_store: OfferStore,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    config = tmp_path / "kiosk.toml"
    from tests.ui.conftest import CONFIG  # noqa: PLC0415

    config.write_text(CONFIG, encoding="utf-8")
    out = tmp_path / "idle.png"
    code = main(
        [
            "screenshot",
            "idle",
            "--out",
            str(out),
            "--lang",
            "ar",
            "--config",
            str(config),
            "--data-dir",
            str(ui_settings.data_dir),
        ]
    )
    assert code == 0
    assert f"wrote {out}" in capsys.readouterr().out
    assert QImage(str(out)).width() == 1080


def test_unknown_offer(
    qapp: Any, ui_settings: Settings, seeded_store: OfferStore, tmp_path: Path
) -> None:
    with pytest.raises(LookupError, match="NOPE"):
        take_screenshot(
            ui_settings, "detail", tmp_path / "x.png", lang="fr", size=(1080, 1920), offer_id="NOPE"
        )
