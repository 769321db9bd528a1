"""The prospect's side before the beep: a generated tone, and a bundled greeting if any."""

from __future__ import annotations

import numpy as np

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
