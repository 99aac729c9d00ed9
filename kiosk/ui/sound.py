"""The idle warning's chime: a short WAV (made by `write_chime`) played through Qt Multimedia."""

from __future__ import annotations

import logging
import math
import struct
import sys
import wave
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QUrl

if TYPE_CHECKING:
    from PySide6.QtMultimedia import QSoundEffect

log = logging.getLogger("kiosk.ui")

CHIME = "warning.wav"
TICK = "tick.wav"  # a character typed in a personal field, in audio mode on the loudspeaker
RATE = 22_050
# Two falling notes (E6, B5), 0.22 s each with soft edges: noticed in a station hall without
# sounding like an alarm, and audible to people who do not hear high pitches well (1-2 kHz).
_NOTES = ((1318.5, 0.22), (987.8, 0.30))
_TICK_NOTES = ((1760.0, 0.035),)  # a short neutral click: says "typed", never what
_AMPLITUDE = 0.45
_FADE_S = 0.02


def chime_path() -> Path:
    """The chime shipped in assets/sounds."""
    return Path(str(resources.files("kiosk_assets") / "sounds" / CHIME))


def tick_path() -> Path:
    """The typing tick shipped in assets/sounds."""
    return Path(str(resources.files("kiosk_assets") / "sounds" / TICK))


def chime_frames(notes: tuple[tuple[float, float], ...] = _NOTES) -> bytes:
    """The 16-bit mono samples of `notes` (frequency, seconds): the chime by default."""
    samples: list[int] = []
    for frequency, seconds in notes:
        count = round(RATE * seconds)
        fade = round(RATE * _FADE_S)
        for i in range(count):
            edge = min(1.0, i / fade, (count - 1 - i) / fade)
            decay = math.exp(-3.0 * i / count)
            value = math.sin(2 * math.pi * frequency * i / RATE) * _AMPLITUDE * edge * decay
            samples.append(round(value * 32767))
    return struct.pack(f"<{len(samples)}h", *samples)


def write_chime(path: Path, notes: tuple[tuple[float, float], ...] = _NOTES) -> None:
    """Write the chime (or other `notes`) as a WAV file (`python -m kiosk.ui.sound`
    regenerates the assets)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(chime_frames(notes))


class Chime(QObject):
    """Plays the chime; silent, and says so once in the log, on a machine without audio output.

    Qt Multimedia is imported on first use, after `prepare_environment` has quietened its
    start-up messages.
    """

    def __init__(
        self, path: Path | None = None, volume: float = 0.8, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._path = path or chime_path()
        self._volume = volume
        self._effect: QSoundEffect | None = None
        self._unavailable = False

    @property
    def available(self) -> bool:
        """Whether the chime can be heard (an audio output exists)."""
        return self._ready()

    def _ready(self) -> bool:
        if self._effect is not None:
            return True
        if self._unavailable:
            return False
        from PySide6.QtMultimedia import QMediaDevices, QSoundEffect  # noqa: PLC0415

        if not QMediaDevices.audioOutputs():
            log.warning("no audio output: the idle warning will be seen, not heard")
            self._unavailable = True
            return False
        self._effect = QSoundEffect(self)
        self._effect.setSource(QUrl.fromLocalFile(str(self._path)))
        self._effect.setVolume(self._volume)
        return True

    def play(self) -> None:
        """Play the chime from its start."""
        if self._ready() and self._effect is not None:
            self._effect.play()


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else chime_path().parent
    write_chime(folder / CHIME)
    write_chime(folder / TICK, _TICK_NOTES)
    print(f"wrote {folder / CHIME} and {folder / TICK}")
