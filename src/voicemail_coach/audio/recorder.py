"""Microphone capture that never loses what was said.

The PortAudio callback only copies blocks into a queue and counts overflows; a
writer thread drains the queue into a WAV file opened before the stream starts,
flushing as it goes, and hands each block to listeners (level meter, live
transcription). A sidecar ``.recording`` file marks a take in progress, so a
take cut short by a crash is found and repaired at the next start.
"""

from __future__ import annotations

import json
import queue
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import soundfile

SAMPLE_RATE = 16000
DEFAULT_CAP_S = 120.0
BLOCK = 1600  # 100 ms
CLIP_LEVEL = 0.99


class RecorderError(RuntimeError):
    """Recording failed or stopped early; ``kept_seconds`` says how much audio is safe on disk."""

    def __init__(self, message: str, kept_seconds: float = 0.0):
        super().__init__(message)
        self.kept_seconds = kept_seconds


@dataclass
class Take:
    path: Path
    duration: float
    overflows: int = 0
    peak: float = 0.0
    clipped_fraction: float = 0.0
    auto_stopped: bool = False
    error: str | None = None
    warnings: list[str] = field(default_factory=list)


def input_devices(sd=None) -> list[dict]:
    sd = sd or _sounddevice()
    try:
        devices = sd.query_devices()
    except Exception:
        return []
    return [dict(d, index=i) for i, d in enumerate(devices) if d.get("max_input_channels", 0) > 0]


def _sounddevice():
    import sounddevice

    return sounddevice


def pick_device(wanted: int | str | None, sd=None) -> int | str | None:
    """The chosen input if it still exists, else the default one; None when there is no input at all."""
    devices = input_devices(sd)
    if not devices:
        raise RecorderError("No microphone was found. Plug one in, or grade an imported recording instead.")
    names = {d["name"]: d["index"] for d in devices}
    if isinstance(wanted, str) and wanted in names:
        return names[wanted]
    if isinstance(wanted, int) and any(d["index"] == wanted for d in devices):
        return wanted
    return None  # PortAudio's default input


class Recorder:
    def __init__(
        self,
        path: Path,
        device: int | str | None = None,
        max_seconds: float = DEFAULT_CAP_S,
        sd=None,
        meta: dict | None = None,
    ):
        self.path = Path(path)
        self.device = device
        self.max_seconds = max_seconds
        self._sd = sd
        self.meta = meta or {}
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        self._listeners: list[Callable[[np.ndarray], None]] = []
        self._file: soundfile.SoundFile | None = None
        self._stream = None
        self._writer: threading.Thread | None = None
        self._stopping = threading.Event()
        self._done = threading.Event()
        self.frames = 0
        self.overflows = 0
        self.level_rms = 0.0
        self.level_peak = 0.0
        self._peak = 0.0
        self._clipped = 0
        self._error: str | None = None
        self.auto_stopped = False
        self.on_auto_stop: Callable[[], None] | None = None
        self.on_error: Callable[[str], None] | None = None

    @property
    def sidecar(self) -> Path:
        return self.path.with_suffix(".recording")

    @property
    def elapsed(self) -> float:
        return self.frames / SAMPLE_RATE

    def add_listener(self, fn: Callable[[np.ndarray], None]) -> None:
        self._listeners.append(fn)

    # ---------------------------------------------------------------- start
    def start(self) -> None:
        sd = self._sd or _sounddevice()
        device = pick_device(self.device, sd)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.sidecar.write_text(json.dumps({**self.meta, "started": time.time(), "audio": self.path.name}))
            self._file = soundfile.SoundFile(self.path, "w", samplerate=SAMPLE_RATE, channels=1, subtype="PCM_16", format="WAV")
        except OSError as exc:
            self.sidecar.unlink(missing_ok=True)
            raise RecorderError(_disk_message(exc, self.path.parent)) from None
        try:
            self._stream = sd.InputStream(
                samplerate=SAMPLE_RATE, channels=1, dtype="float32", blocksize=BLOCK, device=device,
                callback=self._callback, finished_callback=self._stream_finished,
            )
            self._stream.start()
        except Exception as exc:
            self._file.close()
            self.path.unlink(missing_ok=True)
            self.sidecar.unlink(missing_ok=True)
            raise RecorderError(_device_message(exc)) from None
        self._writer = threading.Thread(target=self._write_loop, name="recorder-writer", daemon=True)
        self._writer.start()

    def _callback(self, indata, frames, time_info, status) -> None:  # PortAudio thread: copy only
        if status and status.input_overflow:
            self.overflows += 1
        self._queue.put_nowait(indata[:, 0].copy())

    def _stream_finished(self) -> None:
        if not self._stopping.is_set():
            self._fail("The microphone stopped sending audio (unplugged?). What you said so far is kept.")

    # --------------------------------------------------------------- writer
    def _write_loop(self) -> None:
        last_flush = time.monotonic()
        cap = int(self.max_seconds * SAMPLE_RATE)
        while True:
            try:
                block = self._queue.get(timeout=0.05)
            except queue.Empty:
                if self._stopping.is_set() or self._error:
                    break
                continue
            if self.frames >= cap:
                continue
            block = block[: cap - self.frames]
            # the file holds 16-bit samples; listeners get exactly those samples back, so live
            # transcription hears what a later decode of the file hears, to the last bit
            pcm = np.clip(np.round(block * 32767.0), -32768, 32767).astype(np.int16)
            try:
                self._file.write(pcm)
            except Exception as exc:  # a full disk, a removed drive
                self._fail(_disk_message(exc, self.path.parent))
                break
            self.frames += len(block)
            peak = float(np.max(np.abs(block))) if len(block) else 0.0
            self.level_peak = peak
            self.level_rms = float(np.sqrt(np.mean(np.square(block)))) if len(block) else 0.0
            self._peak = max(self._peak, peak)
            self._clipped += int(np.count_nonzero(np.abs(block) >= CLIP_LEVEL))
            heard = pcm.astype(np.float32) / 32768.0
            for fn in self._listeners:
                fn(heard)
            now = time.monotonic()
            if now - last_flush > 0.5:
                self._file.flush()
                last_flush = now
            if self.frames >= cap and not self.auto_stopped:
                self.auto_stopped = True
                if self.on_auto_stop:
                    threading.Thread(target=self.on_auto_stop, daemon=True).start()
        self._done.set()

    def _fail(self, message: str) -> None:
        if self._error is None:
            self._error = message
            if self.on_error:
                self.on_error(message)

    # ----------------------------------------------------------------- stop
    def stop(self, keep_marker: bool = False) -> Take:
        """Stop the stream, write every queued block, close the file. With ``keep_marker`` the take stays
        marked as unfinished until the caller has stored it, so a failed save is recovered at the next start."""
        self._stopping.set()
        if self._stream is not None:
            try:
                self._stream.stop()
                self._stream.close()
            except Exception:
                pass  # the device may already be gone; the audio is on disk
        if self._writer is not None:
            self._writer.join(timeout=10)
        if self._file is not None and not self._file.closed:
            try:
                self._file.close()
            except Exception as exc:
                self._fail(_disk_message(exc, self.path.parent))
        if not keep_marker:
            self.sidecar.unlink(missing_ok=True)
        take = Take(self.path, self.elapsed, self.overflows, self._peak, self._clipped / max(1, self.frames),
                    self.auto_stopped, self._error)
        if self.frames and self._peak == 0.0:
            take.warnings.append(
                "The microphone recorded pure silence (all zeros). This usually means the app has no "
                "permission to use it: check your system's privacy settings."
            )
        elif take.clipped_fraction > 0.01:
            take.warnings.append("The recording is clipping (too loud): move back from the microphone or lower its gain.")
        if self.overflows:
            take.warnings.append(f"The computer could not keep up {self.overflows} times; a few moments may be missing.")
        return take


def _device_message(exc: Exception) -> str:
    text = str(exc).lower()
    if "busy" in text or "unavailable" in text or "-9985" in text:
        return "The microphone is busy: another program is using it. Close that program and try again."
    if "invalid" in text or "no default" in text or "-9996" in text or "device" in text:
        return "No usable microphone was found. Plug one in, or grade an imported recording instead."
    return f"The microphone could not be opened ({exc})."


def _disk_message(exc: Exception, folder: Path) -> str:
    text = str(exc).lower()
    if "no space" in text or "disk full" in text or getattr(exc, "errno", None) == 28:
        return f"The disk is full: free some space in {folder}. What was recorded so far is kept."
    return f"The recording could not be written to {folder} ({exc}). What was recorded so far is kept."


def repair_wav_header(path: Path) -> float:
    """Fix the sizes in a WAV header left stale by a crash; returns the duration now readable."""
    data = bytearray(path.read_bytes()[:64])
    size = path.stat().st_size
    if len(data) < 44 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        raise ValueError(f"{path.name} is not a WAV file")
    pos = 12
    with path.open("r+b") as f:
        raw = f.read()
        while pos + 8 <= len(raw):
            chunk, length = raw[pos : pos + 4], int.from_bytes(raw[pos + 4 : pos + 8], "little")
            if chunk == b"data":
                data_len = size - (pos + 8)
                data_len -= data_len % 2
                f.seek(pos + 4)
                f.write(int(data_len).to_bytes(4, "little"))
                f.seek(4)
                f.write(int(size - 8).to_bytes(4, "little"))
                break
            pos += 8 + length + (length % 2)
    return soundfile.info(str(path)).duration


def recover_interrupted(folder: Path) -> list[tuple[Path, dict, float]]:
    """Takes left unfinished by a crash: repaired, with their metadata and duration."""
    found = []
    for marker in sorted(folder.glob("*.recording")):
        try:
            meta = json.loads(marker.read_text() or "{}")
        except (OSError, ValueError):
            meta = {}
        audio = folder / meta.get("audio", marker.with_suffix(".wav").name)
        if audio.is_file() and audio.stat().st_size > 44:
            try:
                found.append((audio, meta, repair_wav_header(audio)))
            except (ValueError, RuntimeError, OSError):
                continue  # unreadable: left in place, never deleted
        marker.unlink(missing_ok=True)
    return found
