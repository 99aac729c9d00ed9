"""Translations: French and Arabic complete, English plural forms, sources and .ts in step."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kiosk import i18n


def messages(path: Path) -> dict[tuple[str, str], ET.Element]:
    root = ET.parse(path).getroot()
    return {
        (context.findtext("name") or "", message.findtext("source") or ""): message
        for context in root.iter("context")
        for message in context.iter("message")
    }


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_string_is_translated(language: str) -> None:
    found = messages(i18n.translations_dir() / f"{language}.ts")
    assert len(found) > 90
    for key, message in found.items():
        translation = message.find("translation")
        assert translation is not None
        assert translation.get("type") not in {"unfinished", "vanished", "obsolete"}, key
        forms = translation.findall("numerusform")
        texts = [form.text for form in forms] if forms else [translation.text]
        assert all(text and text.strip() for text in texts), key
        source = key[1]
        for marker in ("%1", "%2", "%3"):
            if marker in source:
                assert all(marker in (text or "") for text in texts), (key, marker)


def test_english_gives_plural_forms() -> None:
    found = messages(i18n.translations_dir() / "en.ts")
    assert found
    assert all(message.get("numerus") == "yes" for message in found.values())


def test_ts_files_follow_the_sources(tmp_path: Path) -> None:
    """Running lupdate on today's sources adds or drops no message (run `python -m kiosk.i18n
    update` after changing a user-visible string)."""
    for ts in i18n.translations_dir().glob("*.ts"):
        shutil.copy(ts, tmp_path / ts.name)
    i18n.update(tmp_path)
    for language in i18n.UI_LANGUAGES:
        committed = messages(i18n.translations_dir() / f"{language}.ts")
        fresh = messages(tmp_path / f"{language}.ts")
        added, dropped = sorted(set(fresh) - set(committed)), sorted(set(committed) - set(fresh))
        assert not added and not dropped, (
            f"{language}.ts is behind the sources: run `python -m kiosk.i18n update`, then "
            f"translate fr.ts and ar.ts. New: {added[:5]}… Gone: {dropped[:5]}…"
        )
