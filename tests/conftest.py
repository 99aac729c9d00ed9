"""Shared fixtures: file-backed stores under tmp_path and France Travail record factories."""

from __future__ import annotations

import copy
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kiosk.geo import Point
from kiosk.offline.db import open_offers_database
from kiosk.offline.offers import OfferStore
from kiosk.offline.search import Searcher

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "francetravail"


@pytest.fixture(autouse=True)
def _spare_references() -> None:
    """PySide6 6.12 drops a reference to True on every signal emitted from Python (and to
    None on many calls): top both up before each test, as the kiosk does on its heartbeat,
    so that a long run never brings them to zero ("bool_dealloc" at exit). See
    tests/ui/test_pyside_canary.py."""
    if "PySide6.QtCore" in sys.modules:
        from kiosk.ui.refcounts import keep_none_referenced  # noqa: PLC0415 (Qt tests only)

        keep_none_referenced()


# The terminal of the tests stands at Paris Gare de Lyon, like the built-in demo terminal.
ORIGIN = Point(48.8443, 2.3744)

_BASE_RECORD: dict[str, Any] = {
    "id": "100AAAA",
    "intitule": "Serveur / Serveuse en restauration (H/F)",
    "description": "Vous assurez le service en salle.\nVous accueillez la clientèle.",
    "dateCreation": "2026-11-18T09:30:00.000Z",
    "dateActualisation": "2026-11-19T10:00:00.000Z",
    "lieuTravail": {
        "libelle": "75 - PARIS 12",
        "latitude": 48.8412,
        "longitude": 2.3876,
        "codePostal": "75012",
        "commune": "75112",
    },
    "romeCode": "G1803",
    "romeLibelle": "Service en restauration",
    "appellationlibelle": "Serveur / Serveuse en restauration",
    "entreprise": {"nom": "LE BISTROT DU QUAI", "entrepriseAdaptee": False},
    "typeContrat": "CDI",
    "typeContratLibelle": "CDI",
    "natureContrat": "Contrat travail",
    "experienceExige": "D",
    "experienceLibelle": "Débutant accepté",
    "salaire": {"libelle": "Mensuel de 1801.80 Euros à 1900.00 Euros sur 12 mois"},
    "dureeTravailLibelle": "35H/semaine\nTravail en journée",
    "dureeTravailLibelleConverti": "Temps plein",
    "alternance": False,
    "contact": {},
    "agence": {},
    "nombrePostes": 1,
    "accessibleTH": False,
    "origineOffre": {
        "origine": "1",
        "urlOrigine": "https://candidat.francetravail.fr/offres/recherche/detail/100AAAA",
    },
}


def ft_record(**overrides: Any) -> dict[str, Any]:
    """A France Travail v2 offer like the real ones, with top-level keys overridden
    (a value of None removes the key)."""
    record = copy.deepcopy(_BASE_RECORD)
    for key, value in overrides.items():
        if value is None:
            record.pop(key, None)
        else:
            record[key] = value
    if "id" in overrides and "origineOffre" not in overrides:
        record["origineOffre"]["urlOrigine"] = (
            f"https://candidat.francetravail.fr/offres/recherche/detail/{overrides['id']}"
        )
    return record


@pytest.fixture
def offers_path(tmp_path: Path) -> Path:
    return tmp_path / "offers.sqlite"


@pytest.fixture
def store(offers_path: Path) -> Iterator[OfferStore]:
    engine = open_offers_database(offers_path)
    offer_store = OfferStore(engine, ORIGIN)
    offer_store.ensure_origin()
    yield offer_store
    engine.dispose()


@pytest.fixture
def searcher(store: OfferStore) -> Iterator[Searcher]:
    search = Searcher(store.engine)
    yield search
    search.close()
