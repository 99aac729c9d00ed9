"""Exports under hostile data: any offer id names the download (RFC 6266 / 5987), no cell runs
as a formula or carries a control character, and no client-supplied value forges a log line."""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
from urllib.parse import quote, unquote

import httpx
import pytest

from tests.hub.conftest import RunningHub, application_plaintext, put_application, submission

# The offer id of an offer published in Japanese: outside Latin-1, so it cannot go raw into a
# header; with a character that is not a letter either.
FOREIGN_OFFER = ("francetravail", "求人-é/42")
# What old terminals let through into typed fields (they now refuse them at input).
HOSTILE = {
    "first_name": '=HYPERLINK("http://evil.example","clic")',
    "last_name": "Nul\x00Bip\x07Esc\x1b[31m",
    "phone": "+33 6 00 00 00 00",
    "email": 'a@b.fr\r\n=1+1,"x"\n@SUM(A1)',
}
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _deliver(hub: RunningHub, offer: tuple[str, str], **person: str) -> None:
    terminal_id = f"gare-{uuid.uuid4().hex[:6]}"
    client = hub.client(hub.enrol(terminal_id))
    key = uuid.uuid4()
    content = application_plaintext(key, offer={"source": offer[0], "id": offer[1]}, **person)
    body = submission(hub.services.keys.public_key, key, terminal_id, offer, content)
    answer = put_application(client, key, body)
    assert answer.status_code == 201, answer.text


def _filename(response: httpx.Response) -> tuple[str, str]:
    """(the ASCII `filename`, the decoded `filename*`) of a download's Content-Disposition."""
    header = response.headers["content-disposition"]
    assert header.startswith("attachment;")
    ascii_name = re.search(r'filename="([^"]*)"', header)
    extended = re.search(r"filename\*=UTF-8''([^;\s]+)", header)
    assert ascii_name is not None and extended is not None, header
    assert ascii_name.group(1).isascii()
    return ascii_name.group(1), unquote(extended.group(1), encoding="utf-8", errors="strict")


def test_an_offer_id_outside_latin1_names_the_download(sqlite_hub: RunningHub) -> None:
    hub = sqlite_hub
    _deliver(hub, FOREIGN_OFFER)
    params = {"offer_source": FOREIGN_OFFER[0], "offer_id": FOREIGN_OFFER[1]}
    for fmt in ("csv", "json"):
        exported = hub.admin.get("/v1/admin/applications/export", params={"format": fmt, **params})
        assert exported.status_code == 200, exported.text
        fallback, name = _filename(exported)
        assert name == f"applications-francetravail-求人-é_42.{fmt}"
        assert fallback == f"applications-francetravail-__-__42.{fmt}"
    assert exported.json()["applications"][0]["offer_id"] == FOREIGN_OFFER[1]
    # The fleet page's download is the same function.
    fleet = hub.admin.get("/fleet/export", params={"format": "csv", **params})
    assert fleet.status_code == 200, fleet.text
    assert _filename(fleet)[1] == "applications-francetravail-求人-é_42.csv"
    assert len(list(csv.DictReader(io.StringIO(fleet.content.decode("utf-8-sig"))))) == 1


def test_csv_cells_never_run_as_formulas_nor_carry_control_characters(
    sqlite_hub: RunningHub,
) -> None:
    hub = sqlite_hub
    offer = ("francetravail", "100AAAA")
    _deliver(hub, offer, **HOSTILE)
    exported = hub.admin.get(
        "/v1/admin/applications/export",
        params={"format": "csv", "offer_source": offer[0], "offer_id": offer[1]},
    )
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    # One header line and one line per application: no line break inside a cell.
    assert (
        text.count("\r\n") == 2 and text.count("\n") == 2 and "\r" not in text.replace("\r\n", "")
    )
    [row] = list(csv.DictReader(io.StringIO(text)))
    for column, cell in row.items():
        assert not _CONTROL.search(cell), (column, cell)
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), (column, cell)
    assert row["first_name"] == "'" + HOSTILE["first_name"]
    assert row["last_name"] == "NulBipEsc[31m"
    assert row["phone"] == "'+33 6 00 00 00 00"
    assert row["email"] == 'a@b.fr =1+1,"x" @SUM(A1)'
    # The JSON export keeps every character, as sealed.
    as_json = hub.admin.get("/v1/admin/applications/export", params={"format": "json"}).json()
    [view] = as_json["applications"]
    assert {k: view["application"][k] for k in HOSTILE} == HOSTILE


def test_client_supplied_values_cannot_forge_log_lines(
    sqlite_hub: RunningHub, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    hub = sqlite_hub
    forged = "X1\r\nINFO hub.inbox: operator exported 0 applications\u2028again\x1b[2J"
    _deliver(hub, ("francetravail", forged))
    hub.admin.get(
        "/v1/admin/applications/export",
        params={"offer_source": "francetravail", "offer_id": forged},
    )
    hub.admin.get(
        "/v1/admin/applications",
        params={"offer_source": "francetravail", "offer_id": forged},
    )
    hub.admin.get(f"/fleet/offers/francetravail/{quote(forged, safe='')}")
    ours = [r for r in caplog.records if r.name.startswith("hub")]
    mentions = [r.getMessage() for r in ours if "X1" in r.getMessage()]
    assert len(mentions) >= 3  # received, exported, read on the fleet page
    for message in mentions:
        assert not _CONTROL.search(message), repr(message)
        assert "X1\\x0d\\x0aINFO hub.inbox" in message
