"""A message as the prospect's voicemail box plays it back: the telephone band (300–3400 Hz), 8 kHz G.711
μ-law, and the level a carrier's automatic gain control leaves it at."""

from __future__ import annotations

import numpy as np

PHONE_RATE = 8000
LOW_HZ, HIGH_HZ = 300.0, 3400.0
EDGE_HZ = 100.0  # raised-cosine skirts on the band edges, so the cut does not ring
TARGET_RMS = 10 ** (-20 / 20)  # about -20 dBFS of speech: where network gain control settles
MU = 255.0


def _band_gain(freqs: np.ndarray) -> np.ndarray:
    gain = np.zeros_like(freqs)
    inside = (freqs >= LOW_HZ) & (freqs <= HIGH_HZ)
    gain[inside] = 1.0
    for edge, rising in ((LOW_HZ, True), (HIGH_HZ, False)):
        lo, hi = (edge - EDGE_HZ, edge) if rising else (edge, edge + EDGE_HZ)
        skirt = (freqs >= lo) & (freqs <= hi)
        phase = (freqs[skirt] - lo) / EDGE_HZ
        gain[skirt] = 0.5 - 0.5 * np.cos(np.pi * (phase if rising else 1 - phase))
    return gain


def mu_law_round_trip(samples: np.ndarray) -> np.ndarray:
    """Encode to 8-bit G.711 μ-law and back: what an 8-bit telephone channel keeps of each sample."""
    x = np.clip(samples, -1.0, 1.0)
    code = np.round(np.sign(x) * np.log1p(MU * np.abs(x)) / np.log1p(MU) * 127.0)  # 255 levels
    y = code / 127.0
    return (np.sign(y) * np.expm1(np.abs(y) * np.log1p(MU)) / MU).astype(np.float32)


def through_phone_line(samples: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """``samples`` (mono float) at ``rate`` as heard from a voicemail box: (samples, 8000)."""
    x = np.asarray(samples, dtype=np.float64)
    if x.size == 0:
        return np.zeros(0, dtype=np.float32), PHONE_RATE
    spectrum = np.fft.rfft(x)
    spectrum *= _band_gain(np.fft.rfftfreq(x.size, 1.0 / rate))
    n_out = max(1, round(x.size * PHONE_RATE / rate))
    bins = n_out // 2 + 1
    if bins > spectrum.size:  # a source below 8 kHz: pad the (already band-limited) spectrum
        spectrum = np.concatenate([spectrum, np.zeros(bins - spectrum.size, dtype=spectrum.dtype)])
    narrow = np.fft.irfft(spectrum[:bins], n_out) * (n_out / x.size)
    loud = np.abs(narrow) > 0.1 * np.abs(narrow).max() if np.any(narrow) else np.zeros(n_out, dtype=bool)
    rms = float(np.sqrt(np.mean(np.square(narrow[loud])))) if loud.any() else 0.0
    if rms > 0:
        narrow *= TARGET_RMS / rms
    return mu_law_round_trip(narrow), PHONE_RATE
