"""The fictional demo offers: reproducible, shaped like France Travail v2, near the terminal."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from kiosk.demo import DEMO_FOOTER, DEMO_NOTICE, generate_offers, write_demo_file
from kiosk.domain import Offer as DomainOffer
from kiosk.formats import parse_payload
from kiosk.geo import Point, haversine_km

NOW = datetime(2026, 11, 21, 9, 30, tzinfo=UTC)
PARIS = Point(48.8566, 2.3522)
ANNECY = Point(45.8992, 6.1294)
OFFER_PAGE = "https://offres.exemple-emploi.example/detail/"  # a placeholder, like every URL
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")

Offer = dict[str, Any]


@pytest.fixture(scope="module")
def offers() -> list[Offer]:
    return generate_offers(2000, PARIS, now=NOW)


def _share(offers: list[Offer], predicate: Callable[[Offer], bool]) -> float:
    return sum(1 for offer in offers if predicate(offer)) / len(offers)


def _dump(offers: list[Offer]) -> str:
    return json.dumps(offers, ensure_ascii=False, separators=(",", ":"))


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _centroids() -> dict[str, tuple[float, float]]:
    asset = resources.files("kiosk_assets") / "demo" / "communes.json"
    data = json.loads(asset.read_text("utf-8"))
    return {c["insee"]: (c["lat"], c["lon"]) for c in data["communes"]}


# --- Reproducibility ------------------------------------------------------------------------


def test_same_arguments_give_identical_json(offers: list[Offer]) -> None:
    assert _dump(generate_offers(2000, PARIS, now=NOW)) == _dump(offers)


def test_another_seed_gives_other_offers(offers: list[Offer]) -> None:
    other = generate_offers(2000, PARIS, now=NOW, seed=7)
    assert _dump(other) != _dump(offers)
    assert [o["id"] for o in other] == [o["id"] for o in offers]  # ids are stable per position
    assert sum(a["intitule"] != b["intitule"] for a, b in zip(other, offers, strict=True)) > 1000


def test_same_bytes_in_another_process_with_another_hash_seed(tmp_path: Path) -> None:
    script = (
        "import sys; from datetime import datetime, UTC; from pathlib import Path\n"
        "from kiosk.demo import write_demo_file; from kiosk.geo import Point\n"
        "write_demo_file(Path(sys.argv[1]), 300, Point(48.8566, 2.3522),"
        " now=datetime(2026, 11, 21, 9, 30, tzinfo=UTC))\n"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        target = tmp_path / f"demo-{hash_seed}.json"
        subprocess.run([sys.executable, "-c", script, str(target)], env=env, check=True)
    write_demo_file(tmp_path / "here.json", 300, PARIS, now=NOW)
    here = (tmp_path / "here.json").read_bytes()
    assert (tmp_path / "demo-1.json").read_bytes() == here
    assert (tmp_path / "demo-2.json").read_bytes() == here


def test_a_naive_now_is_utc() -> None:
    naive = generate_offers(50, PARIS, now=NOW.replace(tzinfo=None))
    assert _dump(naive) == _dump(generate_offers(50, PARIS, now=NOW))


def test_count_zero_and_negative() -> None:
    assert generate_offers(0, PARIS, now=NOW) == []
    with pytest.raises(ValueError, match="negative"):
        generate_offers(-1, PARIS, now=NOW)


# --- France Travail shape -------------------------------------------------------------------


def _check_offer(offer: Offer) -> None:
    assert isinstance(offer["id"], str) and re.fullmatch(r"DM\d{6}", offer["id"])
    for key in ("intitule", "description", "romeLibelle", "appellationlibelle"):
        assert isinstance(offer[key], str) and offer[key].strip(), key
    assert "\n\n" in offer["description"]
    assert TIMESTAMP.match(offer["dateCreation"])
    assert "dateActualisation" not in offer or TIMESTAMP.match(offer["dateActualisation"])
    assert re.fullmatch(r"[A-N]\d{4}", offer["romeCode"])
    place = offer["lieuTravail"]
    assert isinstance(place["libelle"], str) and place["libelle"]
    if "latitude" in place:
        assert set(place) == {"libelle", "latitude", "longitude", "codePostal", "commune"}
        assert type(place["latitude"]) is float and type(place["longitude"]) is float
        assert re.fullmatch(r"\d{5}", place["codePostal"])
        assert re.fullmatch(r"\d[\dAB]\d{3}", place["commune"])
        assert re.match(r"\d\d - \S", place["libelle"])
    else:
        assert set(place) == {"libelle"}
    assert isinstance(offer["entreprise"], dict)
    assert isinstance(offer["entreprise"]["entrepriseAdaptee"], bool)
    assert offer["typeContrat"] in {"CDI", "CDD", "MIS", "SAI", "LIB", "FRA"}
    assert isinstance(offer["typeContratLibelle"], str)
    assert isinstance(offer["natureContrat"], str)
    assert offer["experienceExige"] in {"D", "E", "S"}
    assert isinstance(offer["experienceLibelle"], str)
    assert isinstance(offer["salaire"], dict)
    assert type(offer["alternance"]) is bool
    assert type(offer["nombrePostes"]) is int and offer["nombrePostes"] >= 1
    assert type(offer["accessibleTH"]) is bool
    for key in ("competences", "permis", "langues", "formations"):
        for item in offer.get(key, []):
            assert item["exigence"] in {"E", "S"}
    for skill in offer.get("competences", []):
        assert isinstance(skill["libelle"], str)
        assert "code" not in skill or re.fullmatch(r"\d{6}", skill["code"])
    if "qualificationCode" in offer:
        assert offer["qualificationCode"] in set("123456789")
    if "codeNAF" in offer:
        assert re.fullmatch(r"\d\d\.\d\d[A-Z]", offer["codeNAF"])
        assert offer["secteurActivite"] == offer["codeNAF"][:2]
    origin = offer["origineOffre"]
    assert origin["origine"] in {"1", "2"}
    assert origin["urlOrigine"] == OFFER_PAGE + offer["id"]
    assert ("partenaires" in origin) == (origin["origine"] == "2")


def test_every_offer_has_the_france_travail_fields_and_types(offers: list[Offer]) -> None:
    for offer in offers:
        _check_offer(offer)


def test_ids_are_unique(offers: list[Offer]) -> None:
    ids = [offer["id"] for offer in offers]
    assert len(set(ids)) == len(ids)
    assert ids[0] == "DM000001" and ids[-1] == "DM002000"


def test_the_set_says_it_is_fictional(offers: list[Offer]) -> None:
    assert "fictives" in DEMO_NOTICE
    urls = re.compile(r"https?://[^\s\"]+")
    for offer in offers:
        assert offer["description"].endswith("\n\n" + DEMO_FOOTER)
        # No link leads anywhere real: a QR code of a demo offer never opens a missing page
        # on francetravail.fr (or anywhere else).
        for url in urls.findall(_dump([offer])):
            assert url.split("/")[2].endswith(".example"), url


def test_contract_mix(offers: list[Offer]) -> None:
    def apprenticeship(o: Offer) -> bool:
        return bool(o["natureContrat"] == "Contrat apprentissage")

    assert _share(offers, lambda o: o["typeContrat"] == "CDI") == pytest.approx(0.45, abs=0.04)
    assert _share(offers, lambda o: o["typeContrat"] == "MIS") == pytest.approx(0.25, abs=0.035)
    plain_cdd = _share(offers, lambda o: o["typeContrat"] == "CDD" and not apprenticeship(o))
    assert plain_cdd == pytest.approx(0.20, abs=0.035)
    assert _share(offers, lambda o: o["typeContrat"] == "SAI") == pytest.approx(0.05, abs=0.02)
    assert _share(offers, apprenticeship) == pytest.approx(0.03, abs=0.015)
    assert _share(offers, lambda o: o["typeContrat"] in {"LIB", "FRA"}) < 0.04
    for offer in offers:
        assert offer["alternance"] is apprenticeship(offer)
        if apprenticeship(offer):
            assert offer["typeContrat"] == "CDD"


def test_contract_labels_in_both_styles(offers: list[Offer]) -> None:
    labels = Counter(offer["typeContratLibelle"] for offer in offers)
    assert {"CDI", "Contrat à durée indéterminée"} <= set(labels)
    assert any(re.fullmatch(r"Intérim - \d+ Jour\(s\)", label) for label in labels)
    assert any(re.fullmatch(r"CDD - \d+ Mois", label) for label in labels)
    assert any(re.fullmatch(r"Mission intérimaire - \d+ Mois", label) for label in labels)
    long_labels = ("Contrat", "Mission")
    long_style = _share(offers, lambda o: o["typeContratLibelle"].startswith(long_labels))
    assert long_style == pytest.approx(0.30, abs=0.05)


@pytest.mark.parametrize(
    ("what", "predicate", "expected", "tolerance"),
    [
        ("partner offers", lambda o: o["origineOffre"]["origine"] == "2", 0.25, 0.035),
        ("named employer", lambda o: "nom" in o["entreprise"], 0.75, 0.04),
        ("no salary", lambda o: o["salaire"] == {}, 0.40, 0.04),
        ("apply link", lambda o: "urlPostulation" in o.get("contact", {}), 0.10, 0.025),
        ("accessible TH", lambda o: o["accessibleTH"], 0.15, 0.03),
        (
            "part time",
            lambda o: (
                "Temps partiel"
                in (o.get("dureeTravailLibelleConverti"), o.get("complementExercice"))
            ),
            0.20,
            0.035,
        ),
    ],
)
def test_shares_look_like_real_offers(
    offers: list[Offer],
    what: str,
    predicate: Callable[[Offer], bool],
    expected: float,
    tolerance: float,
) -> None:
    assert _share(offers, predicate) == pytest.approx(expected, abs=tolerance), what


def test_salary_labels_follow_the_france_travail_patterns(offers: list[Offer]) -> None:
    amount = r"\d+[.,]\d+ Euros"
    pattern = re.compile(
        rf"^(Horaire|Mensuel|Annuel) de {amount}( à {amount})?( sur 1[23](\.0)? mois)?$"
    )
    labels = [o["salaire"]["libelle"] for o in offers if "libelle" in o["salaire"]]
    assert len(labels) > 800
    assert [label for label in labels if not pattern.match(label)] == []
    assert any("," in label for label in labels) and any("." in label for label in labels)


# --- Time and place -------------------------------------------------------------------------


def test_dates_are_in_the_45_days_before_now_newest_first(offers: list[Offer]) -> None:
    created = [_parse_time(o["dateCreation"]) for o in offers]
    assert all(NOW - timedelta(days=45) <= c <= NOW for c in created)
    for offer, creation in zip(offers, created, strict=True):
        if "dateActualisation" in offer:
            assert creation <= _parse_time(offer["dateActualisation"]) <= NOW
    recent = sum(1 for c in created if c > NOW - timedelta(days=15))
    old = sum(1 for c in created if c <= NOW - timedelta(days=30))
    assert recent > 2 * old


def test_share_without_coordinates(offers: list[Offer]) -> None:
    unlocated = [o for o in offers if "latitude" not in o["lieuTravail"]]
    assert len(unlocated) / len(offers) == pytest.approx(0.08, abs=0.02)
    labels = Counter(o["lieuTravail"]["libelle"] for o in unlocated)
    assert "75 - Paris (Dept.)" in labels and "France" in labels


def test_most_offers_are_near_the_terminal(offers: list[Offer]) -> None:
    located = [o["lieuTravail"] for o in offers if "latitude" in o["lieuTravail"]]
    distances = [haversine_km(PARIS, p["latitude"], p["longitude"]) for p in located]
    assert statistics.median(distances) < 30
    assert _share([{"d": d} for d in distances], lambda x: x["d"] <= 30) > 0.8
    assert max(distances) <= 150 + 1.5


def test_coordinates_are_jittered_around_the_real_commune(offers: list[Offer]) -> None:
    centroids = _centroids()
    spread = []
    for offer in offers:
        place = offer["lieuTravail"]
        if "latitude" in place:
            lat, lon = centroids[place["commune"]]
            spread.append(haversine_km(Point(lat, lon), place["latitude"], place["longitude"]))
    assert max(spread) <= 1.51
    assert statistics.median(spread) > 0.5  # not all piled on the centroid


def test_a_terminal_in_annecy_gets_savoyard_offers() -> None:
    offers = generate_offers(1000, ANNECY, now=NOW)
    located = [o["lieuTravail"] for o in offers if "latitude" in o["lieuTravail"]]
    distances = [haversine_km(ANNECY, p["latitude"], p["longitude"]) for p in located]
    assert statistics.median(distances) < 30
    assert Counter(p["commune"][:2] for p in located).most_common(1)[0][0] == "74"


def test_a_terminal_far_from_every_commune_still_gets_offers() -> None:
    ajaccio = Point(41.9192, 8.7386)
    offers = generate_offers(200, ajaccio, now=NOW)
    assert len(offers) == 200
    assert all(o["lieuTravail"]["libelle"] for o in offers)


# --- File and import path -------------------------------------------------------------------


def test_write_demo_file(tmp_path: Path, offers: list[Offer]) -> None:
    target = tmp_path / "demo.json"
    assert write_demo_file(target, 2000, PARIS, now=NOW) == 2000
    raw = target.read_bytes()
    assert raw.startswith(b'{"resultats":[{"id":"DM000001","intitule":')
    assert "démonstration".encode() in raw and b"\\u00e9" not in raw  # UTF-8, not escapes
    assert json.loads(raw) == {"resultats": offers}
    write_demo_file(tmp_path / "again.json", 2000, PARIS, now=NOW)
    assert (tmp_path / "again.json").read_bytes() == raw


def test_the_france_travail_parser_takes_every_offer(offers: list[Offer]) -> None:
    results = list(parse_payload({"resultats": offers}))
    rejected = [r for r in results if not isinstance(r, DomainOffer)]
    assert rejected == []
    assert len(results) == len(offers)
