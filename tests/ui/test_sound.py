"""The idle chime: a short WAV committed in assets/sounds, reproducible from its generator."""

from __future__ import annotations

import wave
from pathlib import Path

from kiosk.ui.sound import RATE, chime_frames, chime_path, write_chime


def test_committed_chime_is_the_generated_one(tmp_path: Path) -> None:
    write_chime(tmp_path / "chime.wav")
    assert (tmp_path / "chime.wav").read_bytes() == chime_path().read_bytes()


def test_chime_is_short_and_not_clipped() -> None:
    with wave.open(str(chime_path()), "rb") as chime:
        assert chime.getnchannels() == 1
        assert chime.getsampwidth() == 2
        assert chime.getframerate() == RATE
        seconds = chime.getnframes() / RATE
    assert 0.3 <= seconds <= 1.0
    samples = memoryview(chime_frames()).cast("h")
    assert max(abs(s) for s in samples) < 32767 * 0.5
