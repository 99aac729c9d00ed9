"""Configuration: the built-in demo, validation messages that name the key, where data lives."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_settings, parse_config

GOOD = """
[terminal]
id = "lyon-part-dieu-01"
name = "Gare Part-Dieu, hall 1"

[location]
latitude = 45.7606
longitude = 4.8593
label = "Lyon Part-Dieu"
radius_km = 25

[languages]
available = ["fr", "en"]
default = "fr"

[[sources]]
kind = "hub"
name = "hub"

[hub]
url = "https://hub.exemple-emploi.fr"
token = "t0k3n"

[idle]
warning_after_s = 60
countdown_s = 25

[panel]
width_mm = 700
height_mm = 394
"""


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KIOSK_CONFIG", raising=False)
    monkeypatch.delenv("KIOSK_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "kiosk.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_good_file_is_read(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD))
    config = settings.config
    assert config.terminal.id == "lyon-part-dieu-01"
    assert config.origin.latitude == 45.7606
    assert config.idle.countdown_s == 25
    assert config.panel.width_mm == 700
    assert [s.name for s in config.sources] == ["hub"]
    assert not settings.demo
    assert settings.source == str(tmp_path / "kiosk.toml")


def test_without_a_file_the_demo_configuration_is_used(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.demo
    assert settings.config.terminal.id == "demo-paris-gare-de-lyon"
    assert settings.data_dir == tmp_path / "xdg-data" / "job-kiosk"


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, GOOD + '\n[storage]\ndata_dir = "/srv/kiosk"\n')
    assert load_settings(path).data_dir == Path("/srv/kiosk")
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "env"))
    assert load_settings(path).data_dir == tmp_path / "env"
    assert load_settings(path, tmp_path / "flag").data_dir == tmp_path / "flag"


def test_the_environment_names_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_CONFIG", str(write(tmp_path, GOOD)))
    assert load_settings().config.terminal.name == "Gare Part-Dieu, hall 1"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("latitude = 45.7606", "latitude = 145.7"), "location.latitude: Input should be less"),
        (
            ("latitude = 45.7606", 'latitude = "north"'),
            "location.latitude: Input should be a valid",
        ),
        (('id = "lyon-part-dieu-01"', 'id = "lyon part dieu"'), "terminal.id: String should match"),
        (("countdown_s = 25", "countdown_s = 5"), "idle.countdown_s: Input should be greater"),
        (('default = "fr"', 'default = "ar"'), "languages: Value error, default 'ar' must be one"),
        (("radius_km = 25", "radius_km = 25\nradius = 3"), "location.radius: unknown key"),
        (('kind = "hub"', 'kind = "ftp"'), "sources.0.kind: Input should be 'hub'"),
        (('url = "https://hub.exemple-emploi.fr"', 'url = "not a url"'), "hub.url: Input should"),
        (('[terminal]\nid = "lyon-part-dieu-01"', "[terminal]"), "terminal.id: required key is"),
    ],
)
def test_a_bad_file_names_the_file_and_the_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    assert change[0] in GOOD
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    message = str(error.value)
    assert message.startswith(f"{path}: invalid configuration:")
    assert expected in message


def test_invalid_toml_is_reported_with_its_position(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"kiosk.toml: not valid TOML: .*line 3"):
        load_settings(write(tmp_path, "[terminal]\nid = 'x'\nname = \n"))


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read the configuration"):
        load_settings(tmp_path / "absent.toml")


def test_a_file_source_needs_a_path() -> None:
    with pytest.raises(ConfigError, match=r"sources\.0: Value error, a 'file' source needs 'path'"):
        parse_config(GOOD.replace('kind = "hub"', 'kind = "file"'), "test")


def test_secrets_are_never_echoed_in_errors() -> None:
    with pytest.raises(ConfigError) as error:
        parse_config(GOOD.replace('token = "t0k3n"', "token = 12345678"), "test")
    assert "hub.token" in str(error.value)
    assert "12345678" not in str(error.value)


def test_the_confirmation_delay_and_the_panel_height_have_defaults() -> None:
    config = parse_config(GOOD, "test")
    assert config.idle.done_after_s == 45
    assert config.panel.bottom_edge_mm == 800
    text = GOOD.replace("countdown_s = 25", "countdown_s = 25\ndone_after_s = 90").replace(
        "height_mm = 394", "height_mm = 394\nbottom_edge_mm = 650"
    )
    config = parse_config(text, "test")
    assert (config.idle.done_after_s, config.panel.bottom_edge_mm) == (90, 650)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("countdown_s = 25", "countdown_s = 25\ndone_after_s = 5"),
            "idle.done_after_s: Input should be greater than or equal to 15",
        ),
        (
            ("countdown_s = 25", "countdown_s = 25\ndone_after_s = 4000"),
            "idle.done_after_s: Input should be less than or equal to 600",
        ),
        (
            ("height_mm = 394", "height_mm = 394\nbottom_edge_mm = -10"),
            "panel.bottom_edge_mm: Input should be greater than or equal to 0",
        ),
        (
            ("height_mm = 394", 'height_mm = 394\nbottom_edge_mm = "low"'),
            "panel.bottom_edge_mm: Input should be a valid number",
        ),
    ],
)
def test_the_new_timing_and_reach_keys_are_checked(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(ConfigError) as error:
        load_settings(path)
    assert expected in str(error.value)
