"""Speech output of audio mode: one utterance at a time, in the screen's language, at the
session's volume and rate, and whether a headset makes listening private.

Rules (EN 301 549 5.1.3): every new utterance interrupts the one before (5.1.3.5); the last one
can be repeated (5.1.3.4); the voice speaks the language of the screen (5.1.3.14); the volume
moves by key and goes back to the operator's level after every session (5.1.3.11-13).
What is spoken is never logged: it can be what a person typed.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import sys
import threading
from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    Property,
    QCoreApplication,
    QLocale,
    QObject,
    QProcess,
    QProcessEnvironment,
    QTimer,
    Signal,
    Slot,
)
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


class Voice(QObject):
    """The speech engine, in the voice process (`kiosk voice`): it says what the kiosk sends."""

    def __init__(self, engine_name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = open_engine(engine_name)
        if self._engine is not None:
            self._engine.setParent(self)
        self._voiceless: set[str] = set()

    def say(self, text: str) -> None:
        """Stop what is being said and say `text`."""
        if self._engine is not None:
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)
            self._engine.say(text)

    def stop(self) -> None:
        """Silence at once."""
        if self._engine is not None:
            self._engine.stop(QTextToSpeech.BoundaryHint.Immediate)

    def set_levels(self, volume: float, rate: float) -> None:
        """The volume (0-1) and rate (-1 to 1) of what comes next."""
        if self._engine is not None:
            self._engine.setVolume(volume)
            self._engine.setRate(rate)

    def set_language(self, code: str, locale_name: str) -> None:
        """The engine's voice for `locale_name`, or its default voice and one clear line in the
        log when it has none for that language."""
        if self._engine is None:
            return
        locale = QLocale(locale_name)
        if any(k.language() == locale.language() for k in self._engine.availableLocales()):
            self._engine.setLocale(locale)
            return
        if code not in self._voiceless:
            self._voiceless.add(code)
            log.error(
                "no voice for the language %r (%s) in the speech engine: audio mode speaks it "
                "with the voice %s; install a voice for it (speech-dispatcher: espeak-ng has one)",
                code,
                locale_name,
                self._engine.locale().name(),
            )

    def handle(self, line: bytes) -> None:
        """One command from the kiosk: a JSON object with one of say, stop, levels, language."""
        try:
            command = json.loads(line)
        except ValueError:
            log.error("voice: a command that is not JSON was ignored")
            return
        if not isinstance(command, dict):
            return
        if isinstance(command.get("say"), str):
            self.say(command["say"])
        elif command.get("stop"):
            self.stop()
        elif isinstance(levels := command.get("levels"), list) and len(levels) == 2:
            self.set_levels(float(levels[0]), float(levels[1]))
        elif isinstance(language := command.get("language"), list) and len(language) == 2:
            self.set_language(str(language[0]), str(language[1]))


def run_voice(engine_name: str) -> int:
    """`kiosk voice ENGINE`: the voice process. Qt's engines talk to their service
    synchronously (speechd waits for speech-dispatcher's answer to every command, and PySide
    keeps Python's lock meanwhile): a speech service that hangs holds this process, never the
    kiosk. Commands come one JSON line at a time on standard input; its end ends the process."""
    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])
    voice = Voice(engine_name)
    lines: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def read() -> None:
        for line in sys.stdin.buffer:
            lines.put(line)
        lines.put(None)

    def drain() -> None:
        while not lines.empty():
            line = lines.get()
            if line is None:
                app.quit()
                return
            voice.handle(line)

    threading.Thread(target=read, name="voice-input", daemon=True).start()
    timer = QTimer()
    timer.timeout.connect(drain)
    timer.start(10)
    return app.exec()


class Speaker(QObject):
    """Says one thing at a time. `spoke` carries every utterance to whoever records them (the
    tests' transcript); nothing spoken is written to the log.

    The engine `engine_name` runs in a voice process of its own (`run_voice`), started the
    first time something is said: a terminal nobody uses in audio mode never starts
    speech-dispatcher, and a speech service that hangs never freezes the screen. Without a
    name the speaker keeps its transcript and says nothing (screenshots, the self-test).
    """

    spoke = Signal(str)
    volumeChanged = Signal()

    def __init__(
        self, audio: AudioSection, engine_name: str | None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._audio = audio
        self._engine_name = engine_name
        self._process: QProcess | None = None
        self._last = ""
        self._volume = audio.volume
        self._rate = audio.rate
        self._language_now: tuple[str, str] | None = None

    @property
    def last(self) -> str:
        """The last utterance ("repeat" says it again)."""
        return self._last

    @property
    def started(self) -> bool:
        """Whether the voice process runs."""
        return (
            self._process is not None and self._process.state() != QProcess.ProcessState.NotRunning
        )

    def _send(self, command: dict[str, object]) -> None:
        if not self.started and not self._start():
            return
        assert self._process is not None
        self._process.write(json.dumps(command).encode() + b"\n")

    def _start(self) -> bool:
        """Start the voice process; whether there is one. A process that died (its service
        crashed) is started again at the next utterance."""
        if self._engine_name is None:
            return False
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.setStandardOutputFile(QProcess.nullDevice())
        program, arguments = voice_command(self._engine_name)
        environment = QProcessEnvironment.systemEnvironment()
        # Qt Multimedia, which the engines load, probes PipeWire at once and says so: not news.
        environment.insert("QT_LOGGING_RULES", "qt.multimedia.symbolsresolver=false")
        process.setProcessEnvironment(environment)
        process.start(program, arguments)
        self._process = process
        process.write(json.dumps({"levels": [self._volume, self._rate]}).encode() + b"\n")
        if self._language_now is not None:
            process.write(json.dumps({"language": list(self._language_now)}).encode() + b"\n")
        return True

    def close(self) -> None:
        """End the voice process (shutdown): its input closes; one that does not answer within
        two seconds is killed."""
        process = self._process
        if process is None:
            return
        if process.state() != QProcess.ProcessState.NotRunning:
            process.closeWriteChannel()
            if not process.waitForFinished(2000):
                log.error("the voice process does not answer: it is stopped")
                process.kill()
                process.waitForFinished(1000)
        self._process = None

    def set_language(self, code: str, locale: QLocale) -> None:
        """Speak `code` from now on, with the engine's voice for `locale`."""
        self._language_now = (code, locale.name())
        if self.started:
            self._send({"language": list(self._language_now)})

    def say(self, text: str) -> None:
        """Stop what is being said and say `text`."""
        text = " ".join(text.split())
        if not text:
            return
        self._last = text
        self._send({"say": text})
        self.spoke.emit(text)

    def stop(self) -> None:
        """Silence at once (any key or touch)."""
        if self.started:
            self._send({"stop": True})

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
        if self.started:
            self._send({"levels": [self._volume, self._rate]})

    volume = Property(float, lambda self: self._volume, notify=volumeChanged)
    rate = Property(float, lambda self: self._rate, notify=volumeChanged)


def voice_command(engine_name: str) -> tuple[str, list[str]]:
    """How to start the voice process: this kiosk again with the hidden `voice` command (a
    frozen bundle is its own interpreter)."""
    if getattr(sys, "frozen", False):
        return sys.executable, ["voice", engine_name]
    return sys.executable, ["-m", "kiosk", "voice", engine_name]


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
