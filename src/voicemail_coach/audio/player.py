"""Playback of a saved attempt: play, pause, seek, and the position for the transcript."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable

import numpy as np

from voicemail_coach.audio.files import AudioFileError, read_for_playback


class PlayerError(RuntimeError):
    pass


class Player:
    def __init__(self, sd=None):
        self._sd = sd
        self._audio = np.zeros(0, dtype=np.float32)
        self.samplerate = 16000
        self._pos = 0
        self._stream = None
        self._lock = threading.Lock()
        self.playing = False
        self.on_finished: Callable[[], None] | None = None

    def load(self, path: Path | str) -> float:
        self.stop()
        try:
            self._audio, self.samplerate = read_for_playback(path)
        except AudioFileError as exc:
            raise PlayerError(str(exc)) from None
        self._pos = 0
        return self.duration

    def load_array(self, audio: np.ndarray, samplerate: int) -> None:
        self.stop()
        self._audio = np.asarray(audio, dtype=np.float32)
        self.samplerate = samplerate
        self._pos = 0

    @property
    def samples(self) -> np.ndarray:
        """The loaded audio, mono float32 at ``samplerate`` (for drawing a waveform)."""
        return self._audio

    @property
    def duration(self) -> float:
        return len(self._audio) / self.samplerate

    @property
    def position(self) -> float:
        """Seconds heard so far: samples handed to the device, less what is still in its buffer."""
        heard = self._pos / self.samplerate
        if self.playing and self._stream is not None:
            try:
                heard -= float(self._stream.latency)
            except Exception:
                pass
        return max(0.0, heard)

    def seek(self, seconds: float) -> None:
        with self._lock:
            self._pos = int(min(max(0.0, seconds), self.duration) * self.samplerate)

    def _callback(self, outdata, frames, time_info, status) -> None:
        with self._lock:
            chunk = self._audio[self._pos : self._pos + frames]
            self._pos += len(chunk)
        outdata[: len(chunk), 0] = chunk
        outdata[len(chunk) :, 0] = 0
        if len(chunk) < frames:
            import sounddevice

            raise sounddevice.CallbackStop

    def _finished(self) -> None:
        was_playing = self.playing
        self.playing = False
        if was_playing and self._pos >= len(self._audio):
            self._pos = 0
            if self.on_finished:
                self.on_finished()

    def play(self) -> None:
        if self.playing or not len(self._audio):
            return
        if self._pos >= len(self._audio):
            self._pos = 0
        sd = self._sd
        if sd is None:
            import sounddevice as sd
        try:
            # generous buffers: PortAudio's ALSA route into PulseAudio/PipeWire starves on small ones
            self._stream = sd.OutputStream(samplerate=self.samplerate, channels=1, dtype="float32", latency=0.3,
                                           blocksize=2048, callback=self._callback, finished_callback=self._finished)
            self._stream.start()
        except Exception as exc:
            raise PlayerError(f"no audio output is available ({exc})") from None
        self.playing = True

    def pause(self) -> None:
        if self._stream is not None:
            self.playing = False
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:
                pass
            self._stream = None

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def stop(self) -> None:
        self.pause()
        self._pos = 0
