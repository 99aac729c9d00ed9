"""A demo offer's QR code leads somewhere true: the hub's public page of the offer when the
terminal has a hub (read off the rendered screen and opened), and no code but a plain word
when it has none. Never a francetravail.fr page that does not exist."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import zxingcpp
from markupsafe import escape

from hub.ingest import ingest_payload
from kiosk.config import Settings, parse_config
from kiosk.demo import generate_offers
from kiosk.formats import parse_payload
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import Kiosk, build_kiosk
from tests.conftest import ORIGIN
from tests.hub.conftest import RunningHub
from tests.ui.conftest import CONFIG, FakeChime, item, shown, tap

DEMO_COUNT = 30


def _open(qtbot: Any, kiosk: Kiosk, offer_id: int) -> None:
    """Wake the kiosk as a passer-by would, then open the offer."""
    with qtbot.waitSignal(kiosk.window.frameSwapped):
        kiosk.window.update()
    tap(kiosk.window, "attractScreen")
    qtbot.waitUntil(kiosk.session.is_active)
    kiosk.navigator.openOffer(offer_id)
    qtbot.waitUntil(lambda: shown(item(kiosk.window, "detailScreen")))
    with qtbot.waitSignal(kiosk.window.frameSwapped):
        kiosk.window.update()


def _codes(kiosk: Kiosk) -> list[str]:
    return [code.text for code in zxingcpp.read_barcodes(kiosk.window.grabWindow())]


def test_without_a_hub_a_demo_offer_has_no_code_and_says_why(
    qtbot: Any, kiosk: Kiosk, seeded_store: OfferStore
) -> None:
    records = generate_offers(DEMO_COUNT, ORIGIN)
    seeded_store.import_records(parse_payload({"resultats": records}, "demo"))
    offer_id = seeded_store.find("demo", records[0]["id"])
    assert offer_id is not None
    _open(qtbot, kiosk, offer_id)
    note = item(kiosk.window, "noPageNote")
    qtbot.waitUntil(lambda: shown(note))
    assert note.property("text") == "Offre de démonstration : pas de page en ligne"
    assert not shown(item(kiosk.window, "offerQr"))
    assert not shown(item(kiosk.window, "phoneButton"))  # no made-up site to apply on
    assert _codes(kiosk) == []


def test_with_a_hub_a_demo_offer_opens_the_hubs_page_of_it(
    qtbot: Any, sqlite_hub: RunningHub, tmp_path: Path
) -> None:
    hub = sqlite_hub
    records = generate_offers(DEMO_COUNT, ORIGIN)
    # The README's try-out: the hub serves demo offers (`kiosk demo-data --out`, then ingest).
    ingest_payload(hub.services.offers, {"resultats": records}, "demo", False)
    token = hub.enrol("test-terminal")
    config = f'{CONFIG}\n[hub]\nurl = "{hub.url}"\ntoken = "{token}"\n'
    config += f'public_key = "{hub.services.keys.public_key}"\n'
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(config, "test"), "test", data_dir, demo=False)
    kiosk = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(kiosk.window)
        qtbot.waitUntil(
            lambda: kiosk.store.find("demo", records[0]["id"]) is not None, timeout=20000
        )
        offer_id = kiosk.store.find("demo", records[0]["id"])
        assert offer_id is not None
        _open(qtbot, kiosk, offer_id)
        image = item(kiosk.window, "offerQrImage")
        qtbot.waitUntil(lambda: image.property("progress") == 1.0 and image.implicitWidth() > 0)
        assert not shown(item(kiosk.window, "noPageNote"))
        page = f"{hub.url}/offers/demo/{records[0]['id']}"
        assert _codes(kiosk) == [page]
        # The code leads to a page that exists and says what the offer is.
        answer = httpx.get(page, timeout=30)
        assert answer.status_code == 200
        offer = kiosk.store.get(offer_id)
        assert offer is not None
        assert str(escape(offer.title)) in answer.text
        assert "Offre fictive de démonstration" in answer.text
    finally:
        kiosk.shutdown()
