"""A QR code that leads to the hub's public page of an offer (a demo offer's, a posted offer's)
names the passer-by's language, so that their phone opens the page in the language of the
screen; French, the page's own, is not named; a third party's page is never touched."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import zxingcpp

from hub.ingest import ingest_payload
from kiosk.config import Settings, parse_config
from kiosk.demo import generate_offers
from kiosk.formats import parse_payload
from kiosk.links import offer_page
from kiosk.offline.offers import OfferStore
from kiosk.ui.app import build_kiosk
from kiosk.ui.detail import DetailViewModel
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.qr import qr_source
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import RunningHub
from tests.ui.conftest import CONFIG, FakeChime, item, shown, tap

HUB = "http://127.0.0.1:8470"
# Where the hub publishes its posted offers: not always the address the terminal uses.
PUBLIC_HUB = "https://emplois.agence-exemple.fr"
FRANCE_TRAVAIL = "https://candidat.francetravail.fr/offres/recherche/detail/R1"


class Session:
    """The session's language, as the detail view-model reads it."""

    def __init__(self) -> None:
        self.language = "fr"


@pytest.fixture
def session() -> Session:
    return Session()


@pytest.fixture
def detail(qapp: Any, store: OfferStore, session: Session) -> Iterator[DetailViewModel]:
    yield DetailViewModel(
        store.get, OfferFormatter(), ORIGIN, hub_url=HUB, language=lambda: session.language
    )


def _posted(store: OfferStore) -> int:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "boulangerie-martin-7",
        "url": f"{PUBLIC_HUB}/offers/posted/boulangerie-martin-7",
        "title": "Vendeur ou vendeuse en boulangerie",
        "datePosted": "2026-11-18",
        "jobLocation": {"address": {"addressLocality": "Paris", "postalCode": "75012"}},
    }
    store.import_records(parse_payload(posting, "posted"))
    return store.find("posted", "boulangerie-martin-7") or -1


def _demo(store: OfferStore) -> tuple[int, str]:
    record = generate_offers(1, ORIGIN)[0]
    store.import_records(parse_payload({"resultats": [record]}, "demo"))
    return store.find("demo", record["id"]) or -1, str(record["id"])


def test_a_demo_offers_code_names_the_session_language(
    store: OfferStore, detail: DetailViewModel, session: Session
) -> None:
    offer_id, external_id = _demo(store)
    page = f"{HUB}/offers/demo/{external_id}"
    assert detail.open(offer_id)
    assert detail.offerUrl == page and detail.offerQr == qr_source(page)  # French: not named
    # The passer-by switches to Arabic with the offer open: the code follows.
    session.language = "ar"
    changed: list[bool] = []
    detail.offerChanged.connect(lambda: changed.append(True))
    detail.retranslate()
    assert changed
    assert detail.offerUrl == f"{page}?lang=ar"
    assert detail.offerQr == qr_source(f"{page}?lang=ar")
    session.language = "en"
    detail.retranslate()
    assert detail.offerUrl == f"{page}?lang=en"


def test_a_posted_offers_code_names_the_session_language(
    store: OfferStore, detail: DetailViewModel, session: Session
) -> None:
    page = f"{PUBLIC_HUB}/offers/posted/boulangerie-martin-7"
    offer_id = _posted(store)
    assert detail.open(offer_id)
    assert detail.offerUrl == page
    session.language = "ar"
    detail.retranslate()
    assert detail.offerUrl == f"{page}?lang=ar"
    assert detail.offerQr == qr_source(f"{page}?lang=ar")


def test_a_third_partys_page_is_never_touched(
    store: OfferStore, detail: DetailViewModel, session: Session
) -> None:
    session.language = "ar"
    store.import_records(parse_payload({"resultats": [ft_record(id="R1")]}, "francetravail"))
    assert detail.open(store.find("francetravail", "R1") or -1)
    assert detail.offerUrl == FRANCE_TRAVAIL and detail.offerQr == qr_source(FRANCE_TRAVAIL)
    # Pages that merely look like the hub's, or are the hub's page of another offer.
    for url, source, external_id in (
        ("https://ailleurs.fr/offers/posted/x-1", "francetravail", "x-1"),
        ("https://ailleurs.fr/offers/francetravail/R1", "francetravail", "R1"),
        (f"{PUBLIC_HUB}/offers/posted/x-1", "posted", "x-2"),
        (f"{PUBLIC_HUB}/offers/posted/x-1?ref=qr", "posted", "x-1"),
        ("ftp://ailleurs.fr/offers/posted/x-1", "posted", "x-1"),
    ):
        assert offer_page(url, source, external_id, HUB, "ar") == url
    # The terminal's own hub's page of the offer is the hub's, whatever its source.
    own = f"{HUB}/offers/agence/A%2F1"
    assert offer_page(own, "agence", "A/1", HUB + "/", "ar") == f"{own}?lang=ar"
    assert offer_page(None, "demo", "D1", HUB, "ar") is None


def test_the_code_on_screen_opens_the_page_in_arabic(
    qtbot: Any, sqlite_hub: RunningHub, tmp_path: Path
) -> None:
    hub = sqlite_hub
    record = generate_offers(1, ORIGIN)[0]
    ingest_payload(hub.services.offers, {"resultats": [record]}, "demo", False)
    token = hub.enrol("test-terminal")
    config = f'{CONFIG}\n[hub]\nurl = "{hub.url}"\ntoken = "{token}"\n'
    config += f'public_key = "{hub.services.keys.public_key}"\n'
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(config, "test"), "test", data_dir, demo=False)
    kiosk = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        qtbot.waitExposed(kiosk.window)
        qtbot.waitUntil(lambda: kiosk.store.find("demo", record["id"]) is not None, timeout=20000)
        offer_id = kiosk.store.find("demo", record["id"])
        assert offer_id is not None
        with qtbot.waitSignal(kiosk.window.frameSwapped):
            kiosk.window.update()
        tap(kiosk.window, "attractScreen")
        qtbot.waitUntil(kiosk.session.is_active)
        kiosk.navigator.openOffer(offer_id)
        qtbot.waitUntil(lambda: shown(item(kiosk.window, "detailScreen")))
        page = f"{hub.url}/offers/demo/{record['id']}"

        def codes() -> list[str]:
            with qtbot.waitSignal(kiosk.window.frameSwapped):
                kiosk.window.update()
            return [code.text for code in zxingcpp.read_barcodes(kiosk.window.grabWindow())]

        qtbot.waitUntil(lambda: codes() == [page])
        kiosk.language.setLanguage("ar")
        qtbot.waitUntil(lambda: codes() == [f"{page}?lang=ar"])
        # The phone that scans it gets the page in Arabic, whatever its own language.
        answer = httpx.get(f"{page}?lang=ar", headers={"Accept-Language": "fr"}, timeout=30)
        assert answer.status_code == 200
        assert '<html lang="ar" dir="rtl">' in answer.text
        assert "عرض تجريبي وهمي." in answer.text
        kiosk.language.setLanguage("fr")
        qtbot.waitUntil(lambda: codes() == [page])
        # On the apply screen, the offer's code follows a change of language too.
        kiosk.navigator.startApply(False)
        qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
        assert kiosk.apply.offerQr == qr_source(page)
        kiosk.language.setLanguage("ar")
        qtbot.waitUntil(lambda: kiosk.apply.offerQr == qr_source(f"{page}?lang=ar"))
    finally:
        kiosk.shutdown()
