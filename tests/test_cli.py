"""The `kiosk` command line: import, search and demo data, as an operator types them."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.text import fold
from tests.conftest import SHARED_DATA, ft_record


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_json_reports_each_outcome(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = tmp_path / "page.json"
    page.write_text(
        json.dumps({"resultats": [ft_record(id="I1"), ft_record(id="I2", typeContrat=None)]}),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(page), str(broken), "--json")
    assert code == 0
    report = json.loads(out)
    assert (report["inserted"], report["updated"], report["unchanged"]) == (1, 0, 0)
    assert report["rejected"][0] == {"id": "I2", "reason": "typeContrat is missing"}
    assert report["rejected"][1]["id"] is None
    assert "broken.json: not valid JSON" in report["rejected"][1]["reason"]

    code, out, _ = run(capsys, "import", str(page), "--json")
    assert json.loads(out)["unchanged"] == 1


def test_import_under_a_source_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    page = tmp_path / "page.json"
    page.write_text(json.dumps([ft_record(id="S1")]), encoding="utf-8")
    run(capsys, "import", str(page), "--source", "agence-lyon")
    code, out, _ = run(capsys, "search", "--json")
    assert code == 0
    [result] = json.loads(out)["results"]
    assert (result["source"], result["id"]) == ("agence-lyon", "S1")


def test_demo_data_then_search_returns_nearby_offers_by_distance(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "demo-data", "--offers", "2000")
    assert code == 0
    assert "2000 inserted" in out
    code, out, _ = run(capsys, "search", "serv", "--json")
    assert code == 0
    answer = json.loads(out)
    assert answer["total"] > 0
    results = answer["results"]
    for result in results:
        assert set(result) >= {"source", "id", "title", "company", "place", "distance_km"}
        assert "contract" in result
        # A word of the title, trade, company or place starts with what was typed.
        card = f"{result['title']} {result['trade']} {result['company']} {result['place']}"
        assert any(word.startswith("serv") for word in fold(card).split()), card
    distances = [r["distance_km"] for r in results if r["distance_km"] is not None]
    assert distances == sorted(distances)
    assert distances[0] < 10  # the demo terminal is in Paris and so are its nearest offers

    # Filters from the command line.
    code, out, _ = run(capsys, "search", "--contract", "cdi", "--max-km", "5", "--json")
    filtered = json.loads(out)
    assert 0 < filtered["total"] < 2000
    assert {r["contract_code"] for r in filtered["results"]} == {"CDI"}
    assert all(r["distance_km"] <= 5 for r in filtered["results"])


def test_regenerating_demo_data_replaces_it(capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "demo-data", "--offers", "300")
    code, out, _ = run(capsys, "demo-data", "--offers", "100")
    assert code == 0
    assert "200 withdrawn" in out
    _, out, _ = run(capsys, "search", "--json", "--limit", "1")
    assert json.loads(out)["total"] == 100


def test_a_bad_configuration_stops_with_the_key_named(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text('[terminal]\nid = "x"\nname = "x"\n', encoding="utf-8")
    code, out, err = run(capsys, "--config", str(config), "search")
    assert code == 2
    assert out == ""
    assert f"kiosk: {config}: invalid configuration:" in err
    assert "location: required key is missing" in err


def test_the_config_option_is_accepted_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = tmp_path / "kiosk.toml"
    config.write_text("not = [toml", encoding="utf-8")
    code, _, err = run(capsys, "search", "--config", str(config))
    assert code == 2
    assert "not valid TOML" in err


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="../shared/data/francetravail is not here")
def test_the_real_payloads_import_from_the_shell(tmp_path: Path) -> None:
    files = sorted(str(p) for p in SHARED_DATA.glob("*.json") if not p.name.startswith("spec_"))
    completed = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path), "import", *files, "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(completed.stdout)
    assert report["inserted"] > 400
    assert report["rejected"] == []
    # Nothing a passer-by typed is here, but no personal field of a recruiter leaks either.
    assert "Traceback" not in completed.stderr


def test_status_reports_the_queue_without_personal_data(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from kiosk.applications import ApplicationDesk, ApplicationForm  # noqa: PLC0415
    from kiosk.offline.outbox import Outbox, open_outbox_database  # noqa: PLC0415
    from kiosk.sealing import generate_keypair, load_public_key  # noqa: PLC0415

    outbox = Outbox(open_outbox_database(tmp_path / "data" / "outbox.sqlite"))
    desk = ApplicationDesk(outbox, "t-1", load_public_key(generate_keypair()[1]))
    desk.submit(
        ApplicationForm(
            "demo",
            "DM000001",
            first_name="Lucienne",
            last_name="Garnier",
            phone="0612345678",
            consent=True,
        )
    )
    outbox.engine.dispose()
    code, out, _ = run(capsys, "status", "--json")
    status = json.loads(out)
    assert code == 0
    assert status["queue_depth"] == 1
    assert status["oldest_queued_age_s"] >= 0
    assert status["parked"] == 0
    assert status["alerts"] == []
    assert "Lucienne" not in out and "0612345678" not in out
