"""The services corner at the hub: operators curate entries (JSON API, command line, fleet
page), terminals get their list whole with an ETag, agency entries only near them."""

from __future__ import annotations

import contextlib
import io
import logging
import re
from pathlib import Path
from typing import Any

import httpx
import pytest

from hub.cli import main
from tests.hub.conftest import LYON, PARIS, RunningHub, fleet_login

PIX = {
    "category": "digital",
    "title": "Pix",
    "text": "Tester et certifier ses compétences numériques, gratuitement.",
    "url": "https://pix.fr",
    "languages": ["fr"],
}
AGENCY = {
    "category": "agency",
    "title": "France Travail Paris 12e",
    "text": "12 rue de Rambouillet, 75012 Paris\nLundi–vendredi 8 h 30 – 16 h 30\n3949",
    "url": "https://www.francetravail.fr/",
    "languages": ["fr", "en"],
    "area": {"label": "Paris 12e", "latitude": 48.8443, "longitude": 2.3744, "radius_km": 10},
}


def test_operators_add_change_and_remove_entries(hub: RunningHub) -> None:
    admin = hub.admin
    added = admin.post("/v1/admin/services", json=PIX)
    assert added.status_code == 201, added.text
    entry = added.json()
    assert entry["title"] == "Pix" and entry["languages"] == ["fr"] and entry["area"] is None
    agency = admin.post("/v1/admin/services", json=AGENCY).json()
    assert agency["area"]["label"] == "Paris 12e"

    # Listed by need: choose_trade, train, prepare, digital, then the agency.
    listed = admin.get("/v1/admin/services").json()["services"]
    assert [e["id"] for e in listed] == [entry["id"], agency["id"]]

    changed = admin.put(
        f"/v1/admin/services/{entry['id']}", json=PIX | {"title": "Pix emploi", "languages": []}
    )
    assert changed.status_code == 200
    assert admin.get(f"/v1/admin/services/{entry['id']}").json()["title"] == "Pix emploi"

    assert admin.delete(f"/v1/admin/services/{entry['id']}").status_code == 204
    assert admin.delete(f"/v1/admin/services/{entry['id']}").status_code == 404
    assert admin.get(f"/v1/admin/services/{entry['id']}").status_code == 404
    assert admin.put(f"/v1/admin/services/{entry['id']}", json=PIX).status_code == 404
    assert [e["id"] for e in admin.get("/v1/admin/services").json()["services"]] == [agency["id"]]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"category": "jobs"}, "category"),
        ({"title": "   "}, "title"),
        ({"url": "javascript:alert(1)"}, "url"),
        ({"url": "https://"}, "url"),
        ({"languages": ["français"]}, "languages"),
        ({"text": "a\x00b"}, "text"),
        ({"text": "x" * 601}, "text"),
        ({"area": {"label": "x", "latitude": 95, "longitude": 2, "radius_km": 5}}, "latitude"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_a_wrong_entry_is_refused_with_the_field_named(
    sqlite_hub: RunningHub, change: dict[str, Any], field: str
) -> None:
    answer = sqlite_hub.admin.post("/v1/admin/services", json=PIX | change)
    assert answer.status_code == 422
    assert any(field in problem["field"] for problem in answer.json()["details"])


def test_only_operators_curate_the_corner(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    terminal = hub.client(hub.enrol("gare-01"))
    anonymous = hub.client()
    for client, status in ((terminal, 403), (anonymous, 401)):
        assert client.get("/v1/admin/services").status_code == status
        assert client.post("/v1/admin/services", json=PIX).status_code == status
        assert client.delete("/v1/admin/services/1").status_code == status
    # And the terminal list needs a terminal's token.
    assert anonymous.get("/v1/services").status_code == 401
    assert hub.admin.get("/v1/services").status_code == 401


def test_a_terminal_gets_its_list_whole_and_304_while_unchanged(hub: RunningHub) -> None:
    paris = hub.client(hub.enrol("gare-01", PARIS))
    lyon = hub.client(hub.enrol("lyon-01", LYON))
    empty = paris.get("/v1/services")
    assert empty.status_code == 200 and empty.json()["services"] == []
    etag = empty.headers["etag"]
    assert paris.get("/v1/services", headers={"If-None-Match": etag}).status_code == 304

    hub.admin.post("/v1/admin/services", json=PIX)
    hub.admin.post("/v1/admin/services", json=AGENCY)
    answer = paris.get("/v1/services", headers={"If-None-Match": etag})
    assert answer.status_code == 200
    body = answer.json()
    assert [e["title"] for e in body["services"]] == ["Pix", "France Travail Paris 12e"]
    assert set(body["services"][0]) == {"id", "category", "title", "text", "url", "languages"}
    assert answer.headers["etag"] == f'W/"{body["version"]}"'
    again = paris.get("/v1/services", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    # Lyon is 390 km from the Paris agency: it gets Pix only.
    assert [e["title"] for e in lyon.get("/v1/services").json()["services"]] == ["Pix"]


def _login(hub: RunningHub) -> tuple[httpx.Client, str]:
    browser = httpx.Client(base_url=hub.url, follow_redirects=False, timeout=30)
    hub.clients.append(browser)
    assert fleet_login(browser, hub.operator_token).status_code == 303
    page = browser.get("/fleet/services")
    assert page.status_code == 200
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    return browser, csrf.group(1)


def _form(entry: dict[str, Any]) -> dict[str, str]:
    area = entry.get("area") or {}
    return {
        "category": entry["category"],
        "title": entry["title"],
        "text": entry["text"],
        "url": entry["url"],
        "languages": ", ".join(entry["languages"]),
        "place": area.get("label", ""),
        "latitude": str(area.get("latitude", "")),
        "longitude": str(area.get("longitude", "")),
        "radius_km": str(area.get("radius_km", "")),
    }


def test_the_fleet_page_lists_adds_edits_and_removes(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    anonymous = httpx.Client(base_url=hub.url, follow_redirects=False)
    hub.clients.append(anonymous)
    assert anonymous.get("/fleet/services").headers["location"] == "/fleet/login"
    browser, csrf = _login(hub)
    page = browser.get("/fleet/services")
    assert "Content-Security-Policy" in page.headers and 'id="no-entries"' in page.text
    assert '<html lang="en">' in page.text and '<main id="main">' in page.text

    # Without the anti-forgery token: refused, nothing added.
    assert browser.post("/fleet/services", data=_form(AGENCY)).status_code == 403
    added = browser.post("/fleet/services", data=_form(AGENCY) | {"csrf": csrf})
    assert added.status_code == 303 and added.headers["location"] == "/fleet/services?done=added"
    (entry,) = hub.services.services_corner.list_all()
    assert entry["area"] == AGENCY["area"] and entry["text"] == AGENCY["text"]
    listing = browser.get("/fleet/services").text
    assert f'id="service-{entry["id"]}"' in listing and "Paris 12e (10 km)" in listing

    # A mistake is shown beside the form, with what was typed kept.
    wrong = browser.post(
        "/fleet/services", data=_form(PIX) | {"url": "pix.fr", "latitude": "x", "csrf": csrf}
    )
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    assert "Latitude: a number is needed" in wrong.text and 'value="pix.fr"' in wrong.text
    wrong = browser.post("/fleet/services", data=_form(PIX) | {"url": "pix.fr", "csrf": csrf})
    assert wrong.status_code == 422 and "Address (URL)" in wrong.text

    edit = browser.get(f"/fleet/services/{entry['id']}/edit")
    assert edit.status_code == 200 and 'value="Paris 12e"' in edit.text
    saved = browser.post(
        f"/fleet/services/{entry['id']}",
        data=_form(AGENCY) | {"title": "Agence Paris 12e", "place": "", "radius_km": "",
                              "latitude": "", "longitude": "", "csrf": csrf},
    )  # fmt: skip
    assert saved.status_code == 303
    assert hub.services.services_corner.get(entry["id"])["title"] == "Agence Paris 12e"
    assert hub.services.services_corner.get(entry["id"])["area"] is None

    # Removing asks first, on a page of its own.
    confirm = browser.get(f"/fleet/services/{entry['id']}/remove")
    assert confirm.status_code == 200 and "Remove Agence Paris 12e?" in confirm.text
    assert browser.post(f"/fleet/services/{entry['id']}/remove").status_code == 403
    removed = browser.post(f"/fleet/services/{entry['id']}/remove", data={"csrf": csrf})
    assert removed.status_code == 303
    assert hub.services.services_corner.list_all() == []
    assert browser.get(f"/fleet/services/{entry['id']}/edit").status_code == 404
    assert browser.get(f"/fleet/services/{entry['id']}/remove").status_code == 404
    for action in ("edit", "remove"):  # signed out: the login, not even a 404
        answer = anonymous.get(f"/fleet/services/{entry['id']}/{action}")
        assert answer.headers["location"] == "/fleet/login"
    # The fleet page links here.
    assert 'href="/fleet/services"' in browser.get("/fleet").text


def _hub(*args: str, data_dir: Path) -> tuple[int, str, str]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([*args, "--data-dir", str(data_dir)])
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
    return code, out.getvalue(), err.getvalue()


def test_the_command_line_adds_lists_and_removes(tmp_path: Path) -> None:
    data = tmp_path / "hub"
    code, out, _ = _hub(
        "service", "add", "--category", "train", "--title", "La Bonne Formation",
        "--url", "https://labonneformation.francetravail.fr", "--language", "fr",
        "--text", "Trouver une formation près de chez soi.", data_dir=data,
    )  # fmt: skip
    assert code == 0 and out.strip() == "service 1 added"
    code, out, _ = _hub(
        "service", "add", "--category", "agency", "--title", "Agence", "--url",
        "https://www.francetravail.fr", "--place", "Lyon", "--latitude", "45.76",
        "--longitude", "4.86", "--radius-km", "15", data_dir=data,
    )  # fmt: skip
    assert code == 0
    code, out, _ = _hub("service", "list", data_dir=data)
    assert "La Bonne Formation" in out and "[Lyon, 15 km]" in out
    code, _, err = _hub(
        "service", "add", "--category", "train", "--title", "x", "--url", "ftp://x", data_dir=data
    )
    assert code == 2 and "url" in err
    assert _hub("service", "remove", "1", data_dir=data)[0] == 0
    code, _, err = _hub("service", "remove", "1", data_dir=data)
    assert code == 2 and "no service 1" in err
    code, out, _ = _hub("service", "list", "--json", data_dir=data)
    assert '"title": "Agence"' in out and "La Bonne Formation" not in out
