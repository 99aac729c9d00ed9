"""`kiosk-hub organisation|recruiter|owner` as an operator types them: organisations made,
a recruiter invited by a link printed once, offers given by rules, mistakes explained."""

from __future__ import annotations

import json
import re
from pathlib import Path

from hub.db import open_database
from hub.offers import OfferRepository
from hub.recruiters.accounts import Accounts
from hub.settings import RecruitersSection, load_hub_settings
from kiosk.formats import parse_payload
from tests.conftest import ft_record
from tests.hub.conftest import FakeClock
from tests.hub.recruiters.conftest import CHEAP, PASSWORD
from tests.hub.test_cli import _hub


def test_an_operator_sets_up_an_organisation_from_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "hub-data"
    ran = _hub("organisation", "add", "hotel-du-parc", "Hôtel du Parc", data_dir=data)
    assert ran.returncode == 0, ran.stderr
    assert "organisation hotel-du-parc added" in ran.stdout
    assert _hub("organisation", "add", "agence", "Agence Emploi", data_dir=data).returncode == 0
    assert _hub("organisation", "spontaneous", "agence", data_dir=data).returncode == 0

    refused = _hub("recruiter", "invite", "hotel-du-parc", "anne@example.org", "A", data_dir=data)
    assert refused.returncode == 2
    assert "public_url" in refused.stderr and "--base-url" in refused.stderr

    invited = _hub(
        "recruiter",
        "invite",
        "hotel-du-parc",
        "Anne@Example.org",
        "Anne Exemple",
        "--base-url",
        "https://hub.example.org/",
        data_dir=data,
    )
    assert invited.returncode == 0, invited.stderr
    link = re.fullmatch(
        r"https://hub\.example\.org/recruiters/invitation/(ki_\S+)\n", invited.stdout
    )
    assert link is not None, invited.stdout
    assert "shown once" in invited.stderr

    settings = load_hub_settings(None, data, None)
    db = open_database(settings.database_url)
    try:
        accounts = Accounts(db, FakeClock(), RecruitersSection(), hasher=CHEAP)
        assert accounts.invitation(link.group(1)) == ("Anne Exemple", "Hôtel du Parc")
        accounts.accept_invitation(link.group(1), PASSWORD)
        OfferRepository(db, FakeClock()).upsert(
            parse_payload(
                [
                    ft_record(id="O1", entreprise={"nom": "Hôtel du Parc"}),
                    ft_record(id="O2"),
                ],
                "francetravail",
            ),
            source="francetravail",
        )
    finally:
        db.dispose()

    listed = _hub("recruiter", "list", "hotel-du-parc", "--json", data_dir=data)
    recruiters = json.loads(listed.stdout)["recruiters"]
    assert [(r["email"], r["state"]) for r in recruiters] == [("anne@example.org", "active")]

    owned = _hub("owner", "add", "hotel-du-parc", "--company", "HOTEL DU PARC", data_dir=data)
    assert owned.returncode == 0, owned.stderr
    assert "1 offers and 0 applications moved to hotel-du-parc" in owned.stdout
    assert (
        _hub("owner", "add", "agence", "--source", "francetravail", data_dir=data).returncode == 0
    )
    rules = json.loads(_hub("owner", "list", "--json", data_dir=data).stdout)["rules"]
    assert rules == [
        {"organisation": "agence", "kind": "source", "value": "francetravail"},
        {"organisation": "hotel-du-parc", "kind": "company", "value": "hotel du parc"},
    ]
    organisations = json.loads(_hub("organisation", "list", "--json", data_dir=data).stdout)
    assert organisations["organisations"] == [
        {
            "slug": "agence",
            "name": "Agence Emploi",
            "recruiters": 0,
            "offers": 1,
            "spontaneous": True,
        },
        {
            "slug": "hotel-du-parc",
            "name": "Hôtel du Parc",
            "recruiters": 1,
            "offers": 1,
            "spontaneous": False,
        },
    ]
    text = _hub("organisation", "list", data_dir=data).stdout
    assert "hotel-du-parc" in text and "(spontaneous applications)" in text

    wrong = _hub("owner", "remove", "agence", "--company", "Hôtel du Parc", data_dir=data)
    assert wrong.returncode == 2
    assert "not agence's" in wrong.stderr
    removed = _hub("owner", "remove", "--company", "Hôtel du Parc", data_dir=data)
    assert removed.returncode == 0, removed.stderr
    assert "1 offers and 0 applications changed hands" in removed.stdout

    disabled = _hub("recruiter", "disable", "ANNE@example.org", data_dir=data)
    assert disabled.returncode == 0, disabled.stderr
    listed = _hub("recruiter", "list", "hotel-du-parc", data_dir=data)
    assert "disabled" in listed.stdout


def test_command_line_mistakes_are_explained(tmp_path: Path) -> None:
    data = tmp_path / "hub-data"
    for args, expected in [
        (("organisation", "add", "Not A Slug", "Name"), "slug:"),
        (("organisation", "spontaneous", "nobody"), "no organisation nobody"),
        (("recruiter", "list", "nobody"), "no organisation nobody"),
        (("recruiter", "disable", "nobody@example.org"), "no recruiter has this address"),
        (("owner", "add", "nobody", "--source", "francetravail"), "no organisation nobody"),
        (("owner", "remove", "--siret", "123"), "siret: 14 digits"),
        (("owner", "remove", "--source", "francetravail"), "no source rule francetravail"),
    ]:
        ran = _hub(*args, data_dir=data)
        assert ran.returncode == 2, args
        assert expected in ran.stderr, (args, ran.stderr)
    _hub("organisation", "add", "hotel", "Hôtel", data_dir=data)
    bad = _hub(
        "recruiter",
        "invite",
        "hotel",
        "not-an-address",
        "X",
        "--base-url",
        "https://h",
        data_dir=data,
    )
    assert (bad.returncode, "email: not an e-mail address" in bad.stderr) == (2, True)
    assert "not-an-address" not in bad.stderr
