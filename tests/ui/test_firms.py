"""Firms near here that often hire, on the real window: reached from a trade tile, an offer and
a search, listed best first with their size, sector and distance, said not to be offers; a
spontaneous application sent to a firm in a few taps, through a real sync to a real hub, read
in the inbox of the organisation the operator designated; every control named, large enough,
and reachable and read in audio mode; the empty and offline states."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible

from kiosk.config import Settings, parse_config
from kiosk.formats import parse_payload
from kiosk.offline.db import open_offers_database
from kiosk.offline.firms import FirmsCache, parse_firms
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher, SearchQuery
from kiosk.sealing import generate_keypair, load_private_key, unseal
from kiosk.ui.app import Kiosk, build_kiosk
from kiosk.ui.browse import leading_family, leading_trades
from kiosk.ui.firms import FirmListModel, FirmRole, FirmsViewModel
from kiosk.ui.formatting import OfferFormatter
from kiosk.ui.trade_tiles import trade_name
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import RunningHub, start_hub
from tests.hub.firms_seed import firms_config, seed_firms, spontaneous_organisation
from tests.hub.recruiters.inbox_seed import browser, recruiter_session
from tests.sync.conftest import ingest
from tests.ui.conftest import CONFIG, FakeChime, find_item, item, laid_out, shown
from tests.ui.test_accessibility_tree import check_tree
from tests.ui.test_apply import Taps, painted, press, sealed_rows
from tests.ui.test_audio_journey import Person

pytestmark = pytest.mark.ui

Role = QAccessible.Role
KEYS = generate_keypair()


def _firm(siret: str, name: str, trades: list[tuple[str, str, float, bool]], km: float) -> dict:
    return {
        "siret": siret,
        "name": name,
        "sector": "Restauration traditionnelle",
        "naf": "5610A",
        "headcount_min": 20,
        "headcount_max": 49,
        "latitude": ORIGIN.latitude + km / 111.2,
        "longitude": ORIGIN.longitude,
        "city": "Paris",
        "postcode": "75012",
        "trades": [
            {"rome": r, "label": label, "hiring_potential": p, "high": h}
            for r, label, p, h in trades
        ],
    }


# The seed offers are all waiters' (G1803); firms for that trade, another of its family, and
# bakers (found by a search).
WAITERS = ("G1803", "Service en restauration", 2.0, True)
WAITERS_LOW = ("G1803", "Service en restauration", 0.7, False)
COOKS = ("G1602", "Personnel de cuisine", 1.5, True)
BAKERS = ("D1102", "Boulangerie - viennoiserie", 1.2, True)
BODY: dict[str, Any] = {
    "spontaneous": True,
    "source": "La Bonne Boîte, France Travail",
    "firms": [
        _firm("10000000000001", "Bistrot Lointain", [WAITERS], km=4.0),
        _firm("10000000000002", "Café de la Gare", [WAITERS], km=0.8),
        _firm("10000000000003", "Cantine Modeste", [WAITERS_LOW], km=0.3),
        _firm("10000000000004", "Cuisines Réunies", [COOKS], km=2.0),
        {
            **_firm("10000000000005", "Fournil du Quai", [BAKERS], km=1.0),
            "sector": "Boulangerie et boulangerie-pâtisserie",
            "headcount_min": 3,
            "headcount_max": 5,
        },
    ],
}  # fmt: skip


def hold(engine: Any, body: dict[str, Any] = BODY, etag: str = 'W/"test"') -> None:
    """Firms in the terminal's cache as a sync would leave them."""
    FirmsCache(engine, ORIGIN).replace(parse_firms(body)[0], etag)


@pytest.fixture
def ui_settings(tmp_path: Path) -> Settings:
    """A terminal that takes applications (a hub key)."""
    config = parse_config(CONFIG + f'\n[hub]\npublic_key = "{KEYS[1]}"\n', "test configuration")
    return Settings(config=config, source="test configuration", data_dir=tmp_path, demo=False)


@pytest.fixture
def seeded_store(seeded_store: OfferStore) -> Iterator[OfferStore]:
    """The seed offers and firms near here, as a sync left them."""
    hold(seeded_store.engine)
    yield seeded_store


def _firms(kiosk: Kiosk) -> FirmsViewModel:
    assert kiosk.firms is not None
    return kiosk.firms


def _text(kiosk: Kiosk, name: str) -> str:
    return str(item(kiosk.window, name).property("text"))


def _role(kiosk: Kiosk, row: int, role: FirmRole) -> str:
    model = _firms(kiosk).firms
    return str(model.data(model.index(row, 0), role))


def _listed(kiosk: Kiosk) -> list[str]:
    """The names of the firms' cards, top to bottom (portrait: one card a row)."""
    laid_out(kiosk.window)  # the column places its cards when the window is next polished
    count = _firms(kiosk).count
    tops = [item(kiosk.window, f"firm-{row}").y() for row in range(count)]
    assert all(top < below for top, below in pairwise(tops))
    return [_role(kiosk, row, FirmRole.NAME) for row in range(count)]


def test_from_a_trade_tile_to_the_firms_and_back(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    kiosk.session.wake()
    assert not shown(item(window, "browseFirms"))  # no trade, no search: no button
    press(qtbot, kiosk, "tradeTile-G")
    qtbot.waitUntil(lambda: kiosk.browse.trade == "G")
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    assert _firms(kiosk).browseCount == 4  # the family's firms, not the baker

    press(qtbot, kiosk, "browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    qtbot.waitUntil(lambda: shown(item(window, "firmsScreen")))
    painted(qtbot, kiosk)
    assert _text(kiosk, "firmsTitle") == "Entreprises qui recrutent souvent près d’ici"
    assert _text(kiosk, "firmsScope") == "Pour les métiers : Hôtellerie, restauration, loisirs"
    assert "ne sont pas des offres" in _text(kiosk, "firmsNotOffers")
    assert _text(kiosk, "firmsCredit") == "Source : La Bonne Boîte, France Travail"
    # Those most likely to hire first, the nearest first among them; each for its trade.
    assert _listed(kiosk) == [
        "Café de la Gare",
        "Cuisines Réunies",
        "Bistrot Lointain",
        "Cantine Modeste",
    ]
    assert _role(kiosk, 0, FirmRole.TRADE) == "Service en restauration"
    assert _role(kiosk, 0, FirmRole.DETAILS) == "Restauration traditionnelle · 20 à 49 salariés"
    assert _role(kiosk, 0, FirmRole.PLACE) == "Paris · 800 m"
    assert _role(kiosk, 0, FirmRole.HIGH) == "Recrute souvent"
    assert _role(kiosk, 3, FirmRole.HIGH) == ""
    assert not shown(item(window, "firmsEmpty")) and not shown(item(window, "firmsOffline"))

    # Back leads to the list as it was: the trade still chosen.
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    assert kiosk.browse.trade == "G"


def test_an_offer_and_a_search_lead_to_their_firms(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    kiosk.session.wake()
    kiosk.navigator.openOffer(kiosk.results.offerIdAt(0))
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")
    qtbot.waitUntil(lambda: shown(item(window, "detailFirms")))
    assert _firms(kiosk).offerCount == 3  # the offer's own trade (G1803), not its family
    press(qtbot, kiosk, "detailFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    assert _text(kiosk, "firmsScope") == "Pour le métier : Service en restauration"
    assert _firms(kiosk).count == 3
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "detail")  # back where it came from
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")

    # A search: the firms whose trade, name, sector or town starts a word typed.
    kiosk.browse.text = "boulang"
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    press(qtbot, kiosk, "browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    assert _text(kiosk, "firmsScope") == "Pour votre recherche : « boulang »"
    assert _listed(kiosk) == ["Fournil du Quai"]
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    # A job title in no firm's trade ("serveur" starts no word of "Service en restauration"):
    # the firms of the trade the offers found are in (all of them are waiters').
    kiosk.browse.text = "serveur"
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    press(qtbot, kiosk, "browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    assert _text(kiosk, "firmsScope") == "Pour le métier : Service en restauration"
    assert "Cuisines Réunies" not in _listed(kiosk) and _firms(kiosk).count == 3
    press(qtbot, kiosk, "backButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    kiosk.browse.text = "plombier"  # no firm for it, no offer either: no button
    qtbot.waitUntil(lambda: not shown(item(window, "browseFirms")))


def test_a_firm_opens_with_its_spontaneous_application_in_few_taps(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    taps = Taps(qtbot, kiosk)
    qtbot.waitUntil(lambda: find_item(window, "attractTrade-G") is not None)
    taps("attractTrade-G")  # wakes the terminal on the trade
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    taps("browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    taps("firm-0")
    qtbot.waitUntil(lambda: shown(item(window, "firmDialog")))
    assert _firms(kiosk).openName == "Café de la Gare"
    assert "pas directement à l’entreprise" in _text(kiosk, "firmHowItGoes")
    taps("spontaneousButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    assert _text(kiosk, "applyTitle") == "Candidature spontanée"
    assert kiosk.apply.offerTitle == "Service en restauration"
    assert (
        "l’agence" in kiosk.apply.privacyNotice
        and "pas à l’entreprise" in kiosk.apply.privacyNotice
    )

    # Back from the form (the back key): the firm again, still open.
    kiosk.navigator.back()
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms" and _firms(kiosk).isOpen)
    taps("spontaneousButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
    kiosk.apply.firstName, kiosk.apply.lastName = "Amélie", "Ndiaye"
    kiosk.apply.phone = "06 12 34 56 78"
    taps("reviewButton")  # without consent: the message names who receives it
    qtbot.waitUntil(lambda: "consent" in kiosk.apply.errors)
    assert "l’agence pour l’emploi" in kiosk.apply.errors["consent"]
    taps("consentButton")
    taps("reviewButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
    taps("sendButton")
    qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
    assert taps.count <= 9  # tile, firms, firm, write (twice here), review, consent, review, send
    [(application_id, sealed)] = sealed_rows(kiosk)
    with kiosk.outbox.engine.connect() as connection:
        [(source, offer_id)] = connection.exec_driver_sql(
            "SELECT offer_source, offer_id FROM applications"
        ).all()
    assert (source, offer_id) == ("spontaneous", "10000000000002.G1803")
    assert "Amélie".encode() not in sealed  # sealed: not readable on the terminal
    # The sealed body names the firm and trade as the screen showed them (docs/protocol.md).
    document = json.loads(unseal(load_private_key(KEYS[0]), uuid.UUID(application_id), sealed))
    assert document["offer"] == {
        "source": "spontaneous",
        "id": "10000000000002.G1803",
        "title": "Service en restauration",
    }
    assert document["firm"] == {
        "siret": "10000000000002",
        "name": "Café de la Gare",
        "city": "Paris",
        "rome": "G1803",
        "trade": "Service en restauration",
    }
    assert document["first_name"] == "Amélie" and document["consent"]["share_with_recruiter"]

    # "See similar offers": the offers of the firm's trade family.
    press(qtbot, kiosk, "similarButton")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse" and kiosk.browse.trade == "G")
    assert kiosk.browse.text == "" and not kiosk.apply.is_spontaneous()
    assert "agence" in kiosk.apply.doneStatus


def test_without_an_organisation_for_them_no_spontaneous_application(
    qtbot: Any, kiosk: Kiosk
) -> None:
    window = kiosk.window
    hold(kiosk.store.engine, BODY | {"spontaneous": False}, 'W/"none"')
    kiosk.sync.firmsChanged.emit()  # as after a sync that brought it
    kiosk.session.wake()
    kiosk.browse.chooseTrade("G")
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    press(qtbot, kiosk, "browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    assert "proposer vos services" in _text(kiosk, "firmsNotOffers")
    press(qtbot, kiosk, "firm-0")
    qtbot.waitUntil(lambda: shown(item(window, "firmDialog")))
    assert not shown(item(window, "spontaneousButton"))
    assert "demandez à l’agence" in _text(kiosk, "firmHowItGoes")
    kiosk.navigator.startSpontaneous()  # even asked directly: no form without the organisation
    assert kiosk.navigator.page == "firms" and not kiosk.apply.is_spontaneous()


def test_the_list_emptied_by_a_sync_and_the_offline_state(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    kiosk.session.wake()
    kiosk.browse.chooseTrade("G")
    qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
    press(qtbot, kiosk, "browseFirms")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    kiosk.sync.show_offline(0)
    qtbot.waitUntil(lambda: shown(item(window, "firmsOffline")))
    assert "hors ligne" in _text(kiosk, "firmsOffline")

    hold(kiosk.store.engine, BODY | {"firms": []}, 'W/"empty"')
    kiosk.sync.firmsChanged.emit()
    qtbot.waitUntil(lambda: shown(item(window, "firmsEmpty")))
    assert _firms(kiosk).count == 0 and _firms(kiosk).browseCount == 0
    press(qtbot, kiosk, "firmsBack")
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")
    assert not shown(item(window, "browseFirms"))


def test_every_control_is_named_and_large_enough(qtbot: Any, kiosk: Kiosk) -> None:
    window = kiosk.window
    for language, size in (("fr", (1080, 1920)), ("ar", (1920, 1080))):
        kiosk.language.setLanguage(language)
        window.resize(*size)
        kiosk.session.wake()
        kiosk.browse.chooseTrade("G")
        qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
        nodes = check_tree(qtbot, kiosk, "browse with firms")
        [button] = [n for n in nodes if n.target is item(window, "browseFirms")]
        assert button.role == Role.Button and "4" in button.description
        kiosk.navigator.openFirms("browse")
        nodes = check_tree(qtbot, kiosk, "firms")
        [screen] = [n for n in nodes if n.target is item(window, "firmsScreen")]
        assert screen.role == Role.Pane and screen.name and screen.description
        [card] = [n for n in nodes if n.target is item(window, "firm-0")]
        assert card.role == Role.Button and card.name == "Café de la Gare"
        assert "Service en restauration" in card.description
        _firms(kiosk).open(_firms(kiosk).first_key() or "")
        nodes = check_tree(qtbot, kiosk, "a firm")
        [dialog] = [n for n in nodes if n.role == Role.Dialog]
        assert dialog.name == "Café de la Gare"
        assert any(n.target is item(window, "spontaneousButton") for n in nodes)
        kiosk.session.end()


def test_audio_mode_reaches_the_firms_and_the_spontaneous_form(qtbot: Any, kiosk: Kiosk) -> None:
    person = Person(qtbot, kiosk)
    window = kiosk.window
    person.press(Qt.Key.Key_F2)  # wakes the terminal in audio mode, on the offers
    assert kiosk.session.is_active() and kiosk.guide.is_audio()
    person.next_until(lambda name: name == "tradeTile-G")
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.browse.trade == "G")
    person.next_until(lambda name: name == "browseFirms")
    assert "Entreprises qui recrutent souvent près d’ici" in person.heard[-1]

    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
    qtbot.waitUntil(lambda: "Hôtellerie, restauration, loisirs" in person.since(mark))
    person.next_until(lambda name: name == "firmsNotOffers")
    assert "ne sont pas des offres" in person.heard[-1]
    person.next_until(lambda name: name == "firm-0")
    assert "Café de la Gare" in person.heard[-1] and "Service en restauration" in person.heard[-1]

    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: shown(item(window, "firmDialog")))
    qtbot.waitUntil(lambda: "Café de la Gare" in person.since(mark))
    person.next_until(lambda name: name == "spontaneousButton")
    assert "Envoyer une candidature spontanée" in person.heard[-1]
    mark = len(person.heard)
    person.press(Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "apply")
    qtbot.waitUntil(lambda: "Candidature spontanée" in person.since(mark))

    # The back key: the firm again; again, the list; again, the offers.
    person.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "firms" and _firms(kiosk).isOpen)
    person.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: not _firms(kiosk).isOpen)
    person.press(Qt.Key.Key_F4)
    qtbot.waitUntil(lambda: kiosk.navigator.page == "browse")


def test_the_model(qtbot: Any, qtmodeltester: Any, kiosk: Kiosk) -> None:
    kiosk.browse.chooseTrade("G")
    qtbot.waitUntil(lambda: _firms(kiosk).browseCount > 0)
    kiosk.navigator.openFirms("browse")
    model = _firms(kiosk).firms
    assert isinstance(model, FirmListModel) and model.rowCount() == 4
    qtmodeltester.check(model)


def test_the_buttons_count_what_the_firms_screen_lists(qtbot: Any, tmp_path: Path) -> None:
    engine = open_offers_database(tmp_path / "offers.sqlite")
    both = _firm("10000000000006", "Brasserie Double", [WAITERS_LOW, COOKS], km=1.5)  # two of G
    hold(engine, BODY | {"firms": [*BODY["firms"], both]})
    firms = FirmsViewModel(FirmsCache(engine, ORIGIN), OfferFormatter())
    # (tile, search, the family of the offers found) → firms counted, then listed.
    for family, search, leading, expected in [
        ("G", "", "", 5),  # the brasserie of two waiters' trades counted once
        ("", "restauration", "", 5),  # its sector: every firm but the baker's
        ("D", "paris", "", 1),  # the search in the tile chosen
        ("G", "cuisine", "", 2),
        ("", "serveur", "G", 5),  # in no firm's words: the family of its offers
        ("", "plombier", "", 0),
    ]:
        firms.set_browse(family, search, leading)
        assert firms.show("browse")
        assert firms.browseCount == firms.count == expected, (family, search)
    firms.set_offer("G1602", "G", "Cuisinier")
    assert firms.show("offer") and firms.offerCount == firms.count == 2

    hold(engine, BODY, 'W/"next"')  # a sync's new list: the buttons count it, not the old one
    firms.refresh_context()
    assert firms.offerCount == 1


def test_a_search_in_no_firms_words_leads_to_the_trade_of_most_of_its_offers(
    tmp_path: Path,
) -> None:
    engine = open_offers_database(tmp_path / "offers.sqlite")
    store = OfferStore(engine, ORIGIN)
    store.ensure_origin()
    titles = [
        *(("Serveur", "G1803") for _ in range(4)),
        ("Serveur en cuisine", "G1602"),
        *(("Vendeur", "D1211") for _ in range(3)),  # no firm held for it; the baker is of D
        # A tie at half each: the first code has no firm held, the second has.
        *(("Chef plongeur", "G1601") for _ in range(3)),
        *(("Plongeur en cuisine", "G1602") for _ in range(3)),
        ("Barman", "G1801"),
        ("Barman", "G1801"),
        ("Barman serveur", "G1803"),
        ("Barman cuisine", "G1602"),
        ("Barman de nuit", "G1605"),  # no trade holds half: the family of them all
    ]
    records = [
        ft_record(id=f"O{i}", intitule=title, romeCode=rome, appellationlibelle=None)
        | {"romeLibelle": None}
        for i, (title, rome) in enumerate(titles)
    ]
    store.import_records(parse_payload({"resultats": records}, "test"))
    hold(engine)
    searcher = Searcher(engine)
    firms = FirmsViewModel(FirmsCache(engine, ORIGIN), OfferFormatter())
    waiters = ["Café de la Gare", "Bistrot Lointain", "Cantine Modeste"]
    # (search, the scope's words on screen) → firms listed.
    for search, shown_as, expected in [
        ("serveur", "Service en restauration", waiters),
        ("vendeur", trade_name("D"), ["Fournil du Quai"]),
        ("plongeur", "Personnel de cuisine", ["Cuisines Réunies"]),
        ("barman", trade_name("G"), [waiters[0], "Cuisines Réunies", *waiters[1:]]),
    ]:
        facets = searcher.search(SearchQuery(text=search)).facets
        assert not FirmsCache(engine, ORIGIN).count_text(search), search  # in no firm's words
        family = leading_family(facets.trades)
        firms.set_browse(
            "", search, family, leading_trades(facets.romes, sum(facets.trades.values()))
        )
        assert firms.show("browse")
        assert shown_as in firms.heading, search
        assert firms.browseCount == firms.count == len(expected), search
        assert [
            firms.firms.data(firms.firms.index(row, 0)) for row in range(firms.count)
        ] == expected
    # A search the firms' words match is still theirs, whatever its offers' trade.
    firms.set_browse("", "restauration", "G", ("G1803",))
    assert firms.show("browse") and "restauration" in firms.heading and firms.count == 4
    searcher.close()
    engine.dispose()


# -- end to end: through a real sync to the designated organisation's inbox --------------------


@pytest.fixture
def spontaneous_hub(sqlite_database: str, tmp_path: Path) -> Iterator[tuple[RunningHub, Any]]:
    """A real hub on 127.0.0.1 with firms near Paris, an organisation designated for the
    spontaneous applications and a recruiter of it signed in: the hub, the recruiter's client."""
    hub = start_hub(sqlite_database, tmp_path / "hub", config=firms_config())
    try:
        seed_firms(hub.services.db)
        organisation_id = spontaneous_organisation(hub)
        session = recruiter_session(hub, organisation_id, "conseil@agence.example")
        yield hub, browser(hub, session)
    finally:
        hub.stop()


def test_a_spontaneous_application_reaches_the_designated_organisations_inbox(
    qtbot: Any, spontaneous_hub: tuple[RunningHub, Any], tmp_path: Path
) -> None:
    hub, recruiter = spontaneous_hub
    ingest(hub, ["100AAAA", "100AAAB"])  # waiters' offers near Paris (G1803)
    token = hub.enrol("test-terminal")
    settings_text = (
        CONFIG
        + f'\n[hub]\nurl = "{hub.url}"\ntoken = "{token}"\n'
        + f'public_key = "{hub.services.keys.public_key}"\n'
    )
    data_dir = tmp_path / "terminal"
    data_dir.mkdir()
    settings = Settings(parse_config(settings_text, "test"), "test", data_dir, demo=False)
    kiosk: Kiosk = build_kiosk(settings, size=(1080, 1920), sound=FakeChime())
    try:
        window = kiosk.window
        qtbot.waitExposed(window)
        cache = FirmsCache(kiosk.store.engine, ORIGIN)
        qtbot.waitUntil(lambda: cache.spontaneous() and kiosk.store.count() == 2, timeout=20_000)
        qtbot.waitUntil(lambda: find_item(window, "attractTrade-G") is not None)
        press(qtbot, kiosk, "attractTrade-G")
        qtbot.waitUntil(lambda: shown(item(window, "browseFirms")))
        press(qtbot, kiosk, "browseFirms")
        qtbot.waitUntil(lambda: kiosk.navigator.page == "firms")
        assert _listed(kiosk) == ["Brasserie du Lion"]  # the hub's firm for the family
        press(qtbot, kiosk, "firm-0")
        qtbot.waitUntil(lambda: shown(item(window, "spontaneousButton")))
        press(qtbot, kiosk, "spontaneousButton")
        qtbot.waitUntil(lambda: shown(item(window, "applyForm")))
        kiosk.apply.firstName, kiosk.apply.lastName = "Camille", "Exemple"
        kiosk.apply.phone = "06 12 34 56 78"
        press(qtbot, kiosk, "answer-availableNow-yes")
        press(qtbot, kiosk, "consentButton")
        press(qtbot, kiosk, "reviewButton")
        qtbot.waitUntil(lambda: shown(item(window, "applyReview")))
        press(qtbot, kiosk, "sendButton")
        qtbot.waitUntil(lambda: shown(item(window, "applyDone")))
        [(application_id, _)] = sealed_rows(kiosk)
        reference = kiosk.apply.reference
        qtbot.waitUntil(lambda: kiosk.apply.delivered, timeout=20_000)
        assert "pas l’entreprise" in kiosk.apply.doneStatus  # who calls back: the agency
    finally:
        kiosk.shutdown()

    # The designated organisation reads it: a spontaneous application, the firm, the trade.
    inbox = recruiter.get("/recruiters/inbox")
    assert inbox.status_code == 200 and reference in inbox.text
    page = recruiter.get(f"/recruiters/applications/{application_id}")
    assert page.status_code == 200
    for shown_text in ("Candidature spontanée", "Brasserie du Lion", "98765432100034"):
        assert shown_text in page.text
    assert "Camille" in page.text and "Personnel de cuisine" in page.text
