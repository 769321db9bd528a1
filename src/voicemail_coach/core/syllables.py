"""Syllables heard in speech: the loudness of speech rises and falls once per syllable.

The peaks of a smoothed loudness curve (syllable nuclei) stand for syllables;
each syllable reaches from the dip or silence before its peak to the dip or
silence after it. Word times for an engine that gives none, and the pace,
pauses and loudness of a phone number, are read off these.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

HOP_S = 0.01
SMOOTH = 5  # frames: 50 ms
NEIGHBOURHOOD = 6  # a nucleus is the loudest frame within 60 ms either side
DIP_DB = 2.0  # two peaks are two syllables only with a dip this deep between them
FLOOR_DB = 25.0  # frames this far below the loud level are not speech
MAX_HALF_S = 0.3  # a syllable reaches at most this far either side of its peak


@dataclass(frozen=True)
class Syllable:
    start: float  # seconds
    end: float
    peak_db: float  # loudness at its peak (dB of RMS, full scale 0)


def _loudness(audio: np.ndarray, hop: int) -> np.ndarray:
    n = len(audio) // hop
    if n == 0:
        return np.zeros(0)
    frames = audio[: n * hop].reshape(n, hop)
    rms = np.sqrt(np.einsum("ij,ij->i", frames, frames).astype(np.float64) / hop)  # no squared copy of it all
    db = 20 * np.log10(rms + 1e-7)
    return np.convolve(db, np.ones(SMOOTH) / SMOOTH, mode="same")


def _peaks(db: np.ndarray, voiced: np.ndarray) -> list[int]:
    peaks: list[int] = []
    for i in np.flatnonzero(voiced):
        lo, hi = max(0, i - NEIGHBOURHOOD), min(len(db), i + NEIGHBOURHOOD + 1)
        if db[i] < db[lo:hi].max():
            continue
        if peaks and voiced[peaks[-1] : i + 1].all() and db[peaks[-1] : i + 1].min() > min(db[peaks[-1]], db[i]) - DIP_DB:
            if db[i] > db[peaks[-1]]:
                peaks[-1] = int(i)  # no real dip between them: one syllable, at its louder peak
            continue
        peaks.append(int(i))
    return peaks


def syllables(audio: np.ndarray, rate: int) -> list[Syllable]:
    """The syllables of mono ``audio`` at ``rate`` samples a second, in order."""
    hop = max(1, int(rate * HOP_S))
    db = _loudness(np.asarray(audio, dtype=np.float32).reshape(-1), hop)
    if len(db) < 3:
        return []
    voiced = db > np.percentile(db, 95) - FLOOR_DB
    peaks = _peaks(db, voiced)
    reach = int(MAX_HALF_S / HOP_S)
    bounds: list[list[int]] = []
    for k, p in enumerate(peaks):
        start, end = p, p + 1
        while start > 0 and voiced[start - 1] and p - start < reach:
            start -= 1
        while end < len(db) and voiced[end] and end - p < reach:
            end += 1
        if bounds:  # the stretch between this peak and the last is cut at its silence, or at its dip
            between = np.arange(peaks[k - 1] + 1, p)
            quiet = between[~voiced[between]]
            if len(quiet):
                bounds[-1][1], start = min(bounds[-1][1], int(quiet[0])), max(start, int(quiet[-1]) + 1)
            elif len(between):
                cut = int(between[np.argmin(db[between])])
                bounds[-1][1], start = cut, cut
        bounds.append([start, end])
    return [Syllable(a * HOP_S, max(b, a + 1) * HOP_S, float(db[p])) for (a, b), p in zip(bounds, peaks)]
