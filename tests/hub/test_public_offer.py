"""The public page of an offer: anyone opens it without a token, it shows the offer escaped and
without its contacts, says when an offer is fictional, answers 404/410 with a page, and is
cacheable and rate-limited like every anonymous route."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from hub.ingest import ingest_payload
from hub.settings import HubConfig, LimitsSection
from kiosk.demo import DEMO_FOOTER, generate_offers
from tests.conftest import ORIGIN, ft_record
from tests.hub.conftest import FakeClock, RunningHub, start_hub

CONTACT = {
    "nom": "Mme Camille Recruteuse",
    "telephone": "01 23 45 67 89",
    "courriel": "camille.recruteuse@bistrot.fr",
    "coordonnees1": "12 rue Secrète",
}
HOSTILE_TITLE = 'Serveur <script>alert("x")</script> & plongeur'


def _ingest(hub: RunningHub, records: list[dict[str, object]], source: str) -> None:
    ingest_payload(hub.services.offers, {"resultats": records}, source, False)


def test_anyone_reads_an_offer_escaped_and_without_its_contacts(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    record = ft_record(
        id="P1",
        intitule=HOSTILE_TITLE,
        description="Service en salle.\n\n<img src=x onerror=alert(1)> Horaires en coupure.",
        contact=CONTACT,
        entreprise={"nom": "LE BISTROT"},
    )
    _ingest(hub, [record], "francetravail")
    answer = hub.client().get("/offers/francetravail/P1")  # no token at all
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("text/html")
    html = answer.text
    assert "<script>" not in html and "<img" not in html
    assert "Serveur &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; plongeur" in html
    assert "LE BISTROT" in html and "Horaires en coupure." in html
    for value in CONTACT.values():  # the recruiter's contacts are not for the public page
        assert value not in html
    assert 'href="https://candidat.francetravail.fr/offres/recherche/detail/P1"' in html
    assert "démonstration" not in html
    # Safe to show anywhere, and cacheable.
    assert "default-src 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["cache-control"].startswith("public, max-age=")
    etag = answer.headers["etag"]
    again = hub.client().get("/offers/francetravail/P1", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    # By its id alone, too; and the stylesheet it links to is served.
    assert "LE BISTROT" in hub.client().get("/offers/P1").text
    css = hub.client().get("/static/offer.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")


def test_unknown_and_withdrawn_offers_get_a_page(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    client = hub.client()
    _ingest(hub, [ft_record(id="W1"), ft_record(id="W2")], "francetravail")
    for path in (
        "/offers/francetravail/NOPE",
        "/offers/NOPE",
        "/offers/Not%20A%20Source!/W1",
        "/offers/otherfeed/W1",
        "/offers/francetravail/" + "x" * 600,
    ):
        missing = client.get(path)
        assert missing.status_code == 404, path
        assert missing.headers["content-type"].startswith("text/html"), path
        assert "Offre introuvable" in missing.text
    ingest_payload(hub.services.offers, {"resultats": [ft_record(id="W2")]}, "francetravail", True)
    gone = client.get("/offers/francetravail/W1")
    assert gone.status_code == 410
    assert "Cette offre a été retirée" in gone.text
    assert client.get("/offers/francetravail/W2").status_code == 200


def test_an_id_with_any_character_is_found(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    odd = "求人/42 é?#"
    _ingest(hub, [ft_record(id=odd)], "francetravail")
    answer = hub.client().get(f"/offers/francetravail/{quote(odd, safe='')}")
    assert answer.status_code == 200
    assert "Serveur / Serveuse en restauration (H/F)" in answer.text


def test_a_demo_offer_says_it_is_fictional_and_links_nowhere(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    records = generate_offers(20, ORIGIN)
    _ingest(hub, records, "demo")
    for record in records:
        html = hub.client().get(f"/offers/demo/{record['id']}").text
        assert "Offre fictive de démonstration." in html
        assert "aucun recruteur ne recevra de candidature" in html
        assert DEMO_FOOTER not in html  # said once, at the top
        assert "francetravail.fr" not in html and ".example" not in html
        body = html.split("<main>", 1)[1].split("</main>", 1)[0]
        assert "href=" not in body  # no link at all in the offer (only the footer's languages)


def test_the_page_is_rate_limited_per_address(tmp_path: Path, sqlite_database: str) -> None:
    limits_clock = FakeClock(0.0)
    config = HubConfig(limits=LimitsSection(anonymous_per_s=1, anonymous_burst=3))
    hub = start_hub(sqlite_database, tmp_path, config, limits_clock=limits_clock)
    try:
        _ingest(hub, [ft_record(id="L1")], "francetravail")
        client = hub.client()
        assert [client.get("/offers/francetravail/L1").status_code for _ in range(3)] == [200] * 3
        assert client.get("/offers/francetravail/L1").status_code == 429
        # Inventing a token buys no fresh bucket.
        assert hub.client("ko_invented").get("/offers/francetravail/L1").status_code == 429
        limits_clock.advance(1.0)
        assert client.get("/offers/francetravail/L1").status_code == 200
    finally:
        hub.stop()
