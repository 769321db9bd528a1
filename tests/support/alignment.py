"""How many samples a recording lost (or gained) against the audio that was played into the microphone.

The source is located in the recording at several points by cross-correlation; with nothing dropped, every
point sits at the same offset. A drift between the first and the last point is samples lost on the way
(negative: silence inserted, e.g. by a player that ran dry).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PROBE_S = 0.25


@dataclass
class Alignment:
    offsets: list[int]  # where each probe of the source was found in the recording, minus its place in the source
    peaks: list[float]  # normalized correlation of each probe (near 1: found cleanly)

    @property
    def dropped(self) -> int:
        return self.offsets[0] - self.offsets[-1]

    @property
    def steady(self) -> bool:
        return len(set(self.offsets)) == 1


def _locate(probe: np.ndarray, haystack: np.ndarray) -> tuple[int, float]:
    n = len(probe)
    size = 1 << int(np.ceil(np.log2(len(haystack) + n)))
    corr = np.fft.irfft(np.fft.rfft(haystack, size) * np.conj(np.fft.rfft(probe, size)), size)[: len(haystack) - n + 1]
    best = int(np.argmax(corr))
    energy = float(np.sqrt(np.sum(probe**2) * np.sum(haystack[best : best + n] ** 2))) or 1.0
    return best, float(corr[best]) / energy


def align(source: np.ndarray, recording: np.ndarray, rate: int, points: int = 8, margin_s: float = 0.5) -> Alignment:
    """Offsets of ``points`` probes spread over ``source`` (away from its very ends, which a player may clip)
    inside ``recording``; both mono, same rate. Each probe is searched in the whole recording."""
    n, margin = int(PROBE_S * rate), int(margin_s * rate)
    starts = np.linspace(margin, len(source) - n - margin, points).astype(int)
    haystack = recording.astype(np.float64)
    offsets, peaks = [], []
    for s in starts:
        at, peak = _locate(source[s : s + n].astype(np.float64), haystack)
        offsets.append(at - int(s))
        peaks.append(peak)
    return Alignment(offsets, peaks)
