"""Speech output of audio mode: one utterance at a time, in the screen's language, at the
session's volume and rate, and whether a headset makes listening private.

Rules (EN 301 549 5.1.3): every new utterance interrupts the one before (5.1.3.5); the last one
can be repeated (5.1.3.4); the voice speaks the language of the screen (5.1.3.14); the volume
moves by key and goes back to the operator's level after every session (5.1.3.11-13).
What is spoken is never logged: it can be what a person typed.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence

from PySide6.QtCore import Property, QLocale, QObject, Signal, Slot
from PySide6.QtTextToSpeech import QTextToSpeech

from kiosk.config import AudioSection

QML_IMPORT_NAME = "Kiosk"
QML_IMPORT_MAJOR_VERSION = 1

log = logging.getLogger("kiosk.ui.speech")

VOLUME_STEP = 0.1  # ten steps from silent to full: about 2 dB a step on a linear output
RATE_STEP = 0.25
MIN_VOLUME = 0.1  # a volume key never makes the guide silent: a blind person would be lost


def open_engine(name: str) -> QTextToSpeech | None:
    """The Qt TextToSpeech engine `name`, or None (logged) when this machine has no such engine
    or it cannot start (speech-dispatcher not installed or not running)."""
    available = QTextToSpeech.availableEngines()
    if name not in available:
        log.error(
            "speech engine %r is not available (available: %s): audio mode will be silent; "
            "on Debian install speech-dispatcher and speech-dispatcher-espeak-ng",
            name,
            ", ".join(available) or "none",
        )
        return None
    engine = QTextToSpeech(name)
    if engine.state() == QTextToSpeech.State.Error:
        log.error(
            "speech engine %r cannot start (%s): audio mode will be silent",
            name,
            engine.errorString() or engine.errorReason().name,
        )
        return None
    return engine


class Speaker(QObject):
    """Says one thing at a time. `spoke` carries every utterance to whoever records them (the
    tests' transcript); nothing spoken is written to the log."""

    spoke = Signal(str)
    volumeChanged = Signal()

    def __init__(
        self, audio: AudioSection, engine: QTextToSpeech | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._audio = audio
        self._engine = engine
        if engine is not None:
            engine.setParent(self)  # gone with the speaker, not at a garbage collection
        self._last = ""
        self._volume = audio.volume
        self._rate = audio.rate
        self._voiceless: set[str] = set()
        self._apply_levels()

    @property
    def last(self) -> str:
        """The last utterance ("repeat" says it again)."""
        return self._last

    @property
    def silent(self) -> bool:
        """Whether no engine speaks (the transcript is still kept)."""
        return self._engine is None

    def set_language(self, code: str, locale: QLocale) -> None:
        """Speak `code` from now on: the engine's voice for `locale`, or its default voice
        and one clear line in the log when it has none for that language."""
        if self._engine is None:
            return
        language = locale.language()
        if any(known.language() == language for known in self._engine.availableLocales()):
            self._engine.setLocale(locale)
            return
        if code not in self._voiceless:
            self._voiceless.add(code)
            log.error(
                "no voice for the language %r (%s) in the speech engine: audio mode speaks it "
                "with the voice %s; install a voice for it (speech-dispatcher: espeak-ng has one)",
                code,
                locale.name(),
                self._engine.locale().name(),
            )

    def say(self, text: str) -> None:
        """Stop what is being said and say `text`."""
        text = " ".join(text.split())
        if not text:
            return
        self._last = text
        if self._engine is not None:
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)
            self._engine.say(text)
        self.spoke.emit(text)

    def stop(self) -> None:
        """Silence at once (any key or touch)."""
        if self._engine is not None:
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)

    def repeat(self) -> None:
        """Say the last utterance again."""
        if self._last:
            self.say(self._last)

    def change_volume(self, steps: int) -> float:
        """Louder (steps > 0) or softer; the new volume."""
        self._volume = min(1.0, max(MIN_VOLUME, round(self._volume + steps * VOLUME_STEP, 2)))
        self._apply_levels()
        self.volumeChanged.emit()
        return self._volume

    def change_rate(self, steps: int) -> float:
        """Faster (steps > 0) or slower; the new rate (-1 to 1)."""
        self._rate = min(1.0, max(-1.0, round(self._rate + steps * RATE_STEP, 2)))
        self._apply_levels()
        return self._rate

    def reset(self) -> None:
        """Silence, and the operator's volume and rate again (end of a session)."""
        self.stop()
        self._last = ""
        self._volume = self._audio.volume
        self._rate = self._audio.rate
        self._apply_levels()
        self.volumeChanged.emit()

    def _apply_levels(self) -> None:
        if self._engine is not None:
            self._engine.setVolume(self._volume)
            self._engine.setRate(self._rate)

    volume = Property(float, lambda self: self._volume, notify=volumeChanged)
    rate = Property(float, lambda self: self._rate, notify=volumeChanged)


class Headset(QObject):
    """Whether listening is private: a headset (or handset) is plugged in, as the audio outputs
    report it, or the operator says the terminal's only output is private.

    With `headset = "auto"` an output whose name matches `headset_outputs` counts as a headset.
    Where the sound card reports a plugged jack only as a port of the same output (many
    built-in cards under PulseAudio), nothing changes here: say `always` for a handset-only
    terminal, or give the headset its own output (a USB headset, a jack on a USB card).
    """

    changed = Signal()
    plugged = Signal()  # a headset was just plugged in: audio mode starts

    def __init__(
        self,
        audio: AudioSection,
        outputs: Callable[[], Sequence[str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._mode = audio.headset
        self._pattern = re.compile(audio.headset_outputs, re.IGNORECASE)
        self._outputs = outputs
        self._private = self._mode == "always"
        self._devices: QObject | None = None
        if self._mode == "auto" and outputs is not None:
            self.update(outputs())

    def watch_audio_outputs(self) -> None:
        """Follow the machine's audio outputs through Qt Multimedia (the kiosk's own process;
        tests call `update` with the outputs they invent)."""
        if self._mode != "auto":
            return
        from PySide6.QtMultimedia import QMediaDevices  # noqa: PLC0415 (after the log rules)

        devices = QMediaDevices(self)
        self._devices = devices

        def outputs() -> list[str]:
            return [d.description() for d in QMediaDevices.audioOutputs()]

        self._outputs = outputs
        devices.audioOutputsChanged.connect(lambda: self.update(outputs()))
        self.update(outputs())

    @Slot(list)
    def update(self, outputs: Sequence[str]) -> None:
        """The audio outputs are now `outputs` (their descriptions)."""
        if self._mode != "auto":
            return
        private = any(self._pattern.search(name) for name in outputs)
        if private != self._private:
            self._private = private
            log.info("private listening: %s", "headset plugged in" if private else "loudspeaker")
            self.changed.emit()
            if private:
                self.plugged.emit()

    def is_private(self) -> bool:
        """Whether what is spoken reaches only the person at the terminal."""
        return self._private

    private = Property(bool, is_private, notify=changed)
