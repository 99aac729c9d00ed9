"""The public page of an offer speaks the passer-by's language (French, English or Arabic, the
terminal's): chosen by `?lang=`, else the browser's Accept-Language, else French; right to left
in Arabic; cached per language. The offer's own text is never translated."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import pytest

from hub.ingest import ingest_payload
from hub.public import content_language
from hub.public_text import (
    LANGUAGES,
    RIGHT_TO_LEFT,
    TEXTS,
    choose,
    contract,
    plural,
    written_date,
)
from kiosk.demo import generate_offers
from kiosk.domain import DurationUnit, Offer
from kiosk.formats import parse_payload
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import RunningHub

PATH = "/offers/francetravail/L1"
# What each language's page says about the offer below, and no other language's page says.
WORDS = {
    "fr": ("Publiée le 18 novembre 2026", "Salaire", "Temps plein", "Postuler", "CDD 6 mois"),
    "en": (
        "Posted on 18 November 2026",
        "Salary",
        "Full time",
        "How to apply",
        "Fixed-term 6 months",
    ),
    "ar": (
        "نُشر في 18 نوفمبر 2026",
        "الراتب",
        "دوام كامل",
        "كيفية التقديم",
        "عقد محدّد المدة لمدة 6 أشهر",
    ),
}
TITLE = "Serveur / Serveuse en restauration (H/F)"
DESCRIPTION = "Vous assurez le service en salle.\nVous accueillez la clientèle."


def _offer(hub: RunningHub) -> None:
    record = ft_record(
        id="L1",
        typeContrat="CDD",
        typeContratLibelle="CDD - 6 Mois",
        competences=[{"libelle": "Accueillir une clientèle", "exigence": "E"}],
    )
    ingest_payload(hub.services.offers, {"resultats": [record]}, "francetravail", False)


def _html_tag(html: str) -> str:
    found = re.search(r"<html[^>]*>", html)
    assert found is not None
    return found.group(0)


def _says_only(html: str, lang: str) -> None:
    """The page has `lang`'s words and none of the other languages' words."""
    for word in WORDS[lang]:
        assert word in html, (lang, word)
    for other, words in WORDS.items():
        if other != lang:
            for word in words:
                assert word not in html, (lang, word)
    # The offer's text stays as its recruiter wrote it.
    assert TITLE in html and DESCRIPTION in html


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_lang_parameter_chooses_the_pages_words(sqlite_hub: RunningHub, lang: str) -> None:
    _offer(sqlite_hub)
    # The link's language wins over the browser's.
    answer = sqlite_hub.client().get(
        PATH, params={"lang": lang}, headers={"Accept-Language": "de-DE, en;q=0.9, fr;q=0.8"}
    )
    assert answer.status_code == 200
    _says_only(answer.text, lang)
    assert f'lang="{lang}"' in _html_tag(answer.text)
    assert answer.headers["vary"] == "Accept-Language"


def test_an_arabic_page_reads_right_to_left_and_keeps_the_offers_direction(
    sqlite_hub: RunningHub,
) -> None:
    _offer(sqlite_hub)
    html = sqlite_hub.client().get(PATH, params={"lang": "ar"}).text
    assert _html_tag(html) == '<html lang="ar" dir="rtl">'
    # A requirement's French label is isolated from the Arabic word after it.
    assert '<li><bdi lang="fr">Accueillir une clientèle</bdi> (مطلوب)</li>' in html
    # The offer's own text says it is French, for a screen reader's voice.
    title = re.search(r"<h1 lang=\"(\w+)\">", html)
    assert title is not None and title.group(1) == "fr"
    assert '<p class="text" lang="fr">' in html
    for lang in ("fr", "en"):
        tag = _html_tag(sqlite_hub.client().get(PATH, params={"lang": lang}).text)
        assert tag == f'<html lang="{lang}">'
    # The stylesheet works in both directions: logical properties, never a side.
    css = sqlite_hub.client().get("/static/offer.css").text
    assert not re.search(r"(margin|padding|border)-(left|right)|text-align:\s*(left|right)", css)
    assert "unicode-bidi: plaintext" in css


@pytest.mark.parametrize(
    ("accept_language", "lang"),
    [
        ("ar-TN,ar;q=0.9,fr;q=0.8", "ar"),
        ("de-DE,de;q=0.9,en-GB;q=0.6,fr;q=0.5", "en"),
        ("fr;q=0.4, ar;q=0.9", "ar"),
        ("en, ar", "en"),  # a tie: the first listed
        ("ar;q=0, en;q=0.1", "en"),  # q=0 says "not this one"
        ("de, es", "fr"),
        ("*", "fr"),
        ("", "fr"),
        (";;;,q=x,ar;q=abc", "fr"),
    ],
)
def test_without_a_parameter_the_browsers_language_chooses(
    sqlite_hub: RunningHub, accept_language: str, lang: str
) -> None:
    _offer(sqlite_hub)
    answer = sqlite_hub.client().get(PATH, headers={"Accept-Language": accept_language})
    assert answer.status_code == 200
    _says_only(answer.text, lang)


def test_an_unknown_lang_parameter_falls_back_and_is_never_an_error(
    sqlite_hub: RunningHub,
) -> None:
    _offer(sqlite_hub)
    client = sqlite_hub.client()
    for asked in ("de", "x" * 5000, "", "ar\x00"):
        answer = client.get(PATH, params={"lang": asked}, headers={"Accept-Language": "en"})
        assert answer.status_code == 200, asked
        _says_only(answer.text, "en")
    _says_only(client.get(PATH, params={"lang": "de"}).text, "fr")
    _says_only(client.get(PATH, params={"lang": "AR-tn"}).text, "ar")
    _says_only(client.get(PATH).text, "fr")  # no language anywhere: French


def test_each_language_has_its_own_etag_and_304(sqlite_hub: RunningHub) -> None:
    _offer(sqlite_hub)
    client = sqlite_hub.client()
    etags = {}
    for lang in LANGUAGES:
        answer = client.get(PATH, params={"lang": lang})
        assert answer.headers["vary"] == "Accept-Language"
        etags[lang] = answer.headers["etag"]
    assert len(set(etags.values())) == len(LANGUAGES)
    # The same ETag whichever way the language was chosen.
    by_header = client.get(PATH, headers={"Accept-Language": "ar"})
    assert by_header.headers["etag"] == etags["ar"]
    for lang in LANGUAGES:
        again = client.get(PATH, params={"lang": lang}, headers={"If-None-Match": etags[lang]})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etags[lang]
        assert again.headers["vary"] == "Accept-Language"
        # Another language's copy is not this one.
        for other in LANGUAGES:
            if other != lang:
                fresh = client.get(
                    PATH, params={"lang": other}, headers={"If-None-Match": etags[lang]}
                )
                assert fresh.status_code == 200
                _says_only(fresh.text, other)
    asked_french = client.get(PATH, headers={"Accept-Language": "fr", "If-None-Match": etags["ar"]})
    assert asked_french.status_code == 200


@pytest.mark.parametrize("lang", LANGUAGES)
def test_withdrawn_and_unknown_offers_in_each_language(sqlite_hub: RunningHub, lang: str) -> None:
    hub = sqlite_hub
    client = hub.client()
    ingest_payload(hub.services.offers, {"resultats": [ft_record(id="W1")]}, "francetravail", False)
    ingest_payload(hub.services.offers, {"resultats": [ft_record(id="W2")]}, "francetravail", True)
    text = TEXTS[lang]
    for path in ("/offers/francetravail/NOPE", "/offers/NOPE", "/offers/Not%20A%20Source!/W1"):
        missing = client.get(path, params={"lang": lang})
        assert missing.status_code == 404, path
        assert f"<title>{text['missing_title']}</title>" in missing.text
        assert text["missing_body"] in missing.text
        assert f'lang="{lang}"' in _html_tag(missing.text)
        assert missing.headers["vary"] == "Accept-Language"
    gone = client.get("/offers/francetravail/W1", headers={"Accept-Language": lang})
    assert gone.status_code == 410
    assert f"<h1>{text['gone_heading']}</h1>" in gone.text and text["gone_body"] in gone.text
    assert ('dir="rtl"' in _html_tag(gone.text)) == (lang in RIGHT_TO_LEFT)
    assert gone.headers["vary"] == "Accept-Language"
    for other in LANGUAGES:
        if other != lang:
            assert TEXTS[other]["gone_heading"] not in gone.text


def test_a_demo_offer_says_it_is_fictional_in_each_language(sqlite_hub: RunningHub) -> None:
    record = generate_offers(1, ORIGIN)[0]
    ingest_payload(sqlite_hub.services.offers, {"resultats": [record]}, "demo", False)
    for lang in LANGUAGES:
        html = sqlite_hub.client().get(f"/offers/demo/{record['id']}", params={"lang": lang}).text
        text = TEXTS[lang]
        for key in ("demo_lead", "demo_body", "demo_apply"):
            assert text[key] in html, (lang, key)
        body = html.split("<main>", 1)[1].split("</main>", 1)[0]
        assert "href=" not in body


def test_every_page_offers_the_other_languages(sqlite_hub: RunningHub) -> None:
    _offer(sqlite_hub)
    html = sqlite_hub.client().get(PATH, params={"lang": "ar"}).text
    assert '<a href="?lang=fr" lang="fr" hreflang="fr">Français</a>' in html
    assert '<a href="?lang=en" lang="en" hreflang="en">English</a>' in html
    assert '<span lang="ar" aria-current="true">العربية</span>' in html


# -- the catalogue -------------------------------------------------------------------------------


def test_every_language_says_everything_with_the_same_fields() -> None:
    from kiosk.ui.language import LANGUAGES as TERMINAL_LANGUAGES  # noqa: PLC0415 (Qt)

    assert set(LANGUAGES) == set(TERMINAL_LANGUAGES)
    rtl = {c for c, info in TERMINAL_LANGUAGES.items() if info.right_to_left}
    assert rtl == RIGHT_TO_LEFT
    keys = set(TEXTS["fr"])
    for lang in LANGUAGES:
        assert set(TEXTS[lang]) == keys, lang
        for key in keys:
            fields = set(re.findall(r"\{\w+\}", TEXTS[lang][key]))
            assert fields == set(re.findall(r"\{\w+\}", TEXTS["fr"][key])), (lang, key)
            assert TEXTS[lang][key].strip(), (lang, key)


def test_numbers_and_dates_in_each_language() -> None:
    assert [plural("ar", DurationUnit.MONTH, n) for n in (1, 2, 3, 11, 100, 103, 111)] == [
        "شهر واحد", "شهران", "3 أشهر", "11 شهرًا", "100 شهر", "103 أشهر", "111 شهرًا",
    ]  # fmt: skip
    assert [plural("fr", "positions", n) for n in (1, 2)] == ["1 poste", "2 postes"]
    assert [plural("en", DurationUnit.DAY, n) for n in (1, 21)] == ["1 day", "21 days"]
    when = datetime(2026, 3, 5, tzinfo=UTC)
    assert [written_date(lang, when) for lang in LANGUAGES] == [
        "5 mars 2026", "5 March 2026", "5 مارس 2026",
    ]  # fmt: skip
    assert choose("ar", "en") == "ar" and choose(None, "en-US,en;q=0.9") == "en"
    assert choose(None, None) == "fr"


def test_a_posted_offers_ways_to_apply_in_arabic(sqlite_hub: RunningHub) -> None:
    posting = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "boulangerie-martin-1",
        "title": "Vendeur ou vendeuse en boulangerie",
        "description": "Vente au comptoir.",
        "datePosted": "2026-11-18",
        "directApply": True,
        "hiringOrganization": {"@type": "Organization", "name": "Boulangerie Martin"},
        "jobLocation": {"address": {"addressLocality": "Paris", "postalCode": "75012"}},
        "applicationContact": {
            "@type": "ContactPoint",
            "telephone": "01 43 43 00 00",
            "email": "recrutement@boulangerie-martin.example",
        },
    }
    ingest_payload(sqlite_hub.services.offers, posting, "posted", False)
    html = (
        sqlite_hub.client()
        .get("/offers/posted/boulangerie-martin-1", headers={"Accept-Language": "ar"})
        .text
    )
    assert '<li>بالهاتف: <a href="tel:+33143430000">01 43 43 00 00</a></li>' in html
    assert "<li>بالبريد الإلكتروني: <a href=" in html
    assert TEXTS["ar"]["kiosk_also"] in html
    assert "Par téléphone" not in html and "Vous pouvez" not in html
    # A phone number keeps its digits' order on a right-to-left page.
    css = sqlite_hub.client().get("/static/offer.css").text
    assert 'a[href^="tel:"], a[href^="mailto:"] { direction: ltr; unicode-bidi: isolate; }' in css


@pytest.mark.parametrize(
    ("stated", "read"),
    [(None, "fr"), ("en", "en"), ("pt-BR", "pt-BR"), ("<script>", "fr"), (["en"], "fr")],
)
def test_a_job_postings_stated_language_marks_its_text(stated: Any, read: str) -> None:
    posting: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "identifier": "L1",
        "title": "Barista",
        "description": "Coffee all day.",
        "datePosted": "2026-12-01",
        "jobLocation": {"@type": "Place", "address": {"addressLocality": "Paris"}},
    }
    if stated is not None:
        posting["inLanguage"] = stated
    [offer] = [o for o in parse_payload(posting, "partner") if isinstance(o, Offer)]
    assert content_language(offer) == read


def test_an_apprenticeship_says_so_and_alone_when_no_contract_is_named() -> None:
    records = {"resultats": [ft_record(id="A1")]}
    [offer] = [o for o in parse_payload(records) if isinstance(o, Offer)]
    cases = {
        # (contract, apprenticeship): fr, en, ar
        ("OTHER", True): ("Alternance", "Apprenticeship", "تكوين بالتناوب"),
        ("CDD", True): (
            "CDD, alternance", "Fixed-term, apprenticeship", "عقد محدّد المدة، تكوين بالتناوب",
        ),
        ("OTHER", False): ("Autre contrat", "Other contract", "عقد آخر"),
    }  # fmt: skip
    for (code, apprenticeship), said in cases.items():
        shown = replace(
            offer,
            contract_code=code,
            apprenticeship=apprenticeship,
            contract_duration=None,
            contract_duration_unit=None,
        )
        assert tuple(contract(lang, shown) for lang in LANGUAGES) == said
    two_years = replace(
        offer,
        contract_code="OTHER",
        apprenticeship=True,
        contract_duration=2,
        contract_duration_unit=DurationUnit.YEAR,
    )
    assert contract("fr", two_years) == "Alternance 2 ans"
    assert contract("en", two_years) == "Apprenticeship 2 years"
