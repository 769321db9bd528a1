"""The prospect's side before the beep: the greeting, spoken by espeak-ng when it is installed, and a tone."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import soundfile

RATE = 16000


def beep(freq: float = 1000.0, seconds: float = 0.45, volume: float = 0.35) -> np.ndarray:
    """A voicemail beep, with short fades so it does not click."""
    t = np.arange(int(RATE * seconds)) / RATE
    tone = volume * np.sin(2 * np.pi * freq * t)
    fade = int(RATE * 0.01)
    ramp = np.linspace(0.0, 1.0, fade)
    tone[:fade] *= ramp
    tone[-fade:] *= ramp[::-1]
    return tone.astype(np.float32)


def with_gap(*parts: np.ndarray, gap_s: float = 0.3) -> np.ndarray:
    gap = np.zeros(int(RATE * gap_s), dtype=np.float32)
    out: list[np.ndarray] = []
    for p in parts:
        out += [p, gap]
    return np.concatenate(out[:-1]) if out else np.zeros(0, dtype=np.float32)


def speak(text: str) -> np.ndarray | None:
    """``text`` spoken by espeak-ng at RATE, kept in memory (no temporary file); None without espeak-ng."""
    if not text or not shutil.which("espeak-ng"):
        return None
    try:
        spoken = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "--stdout", text],
                                check=True, capture_output=True, timeout=10).stdout
        audio, rate = soundfile.read(io.BytesIO(spoken), dtype="float32")
    except (OSError, RuntimeError, subprocess.SubprocessError):
        return None
    idx = np.arange(0, len(audio), rate / RATE).astype(int)
    return audio[idx] * 0.8


def before_the_beep(greeting: np.ndarray | None) -> np.ndarray:
    """What the rep hears before recording: the greeting (if any), a pause, the beep."""
    return with_gap(greeting, beep()) if greeting is not None else beep()
