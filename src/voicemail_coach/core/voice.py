"""How the message sounds: pitch and its movement, loudness, long silences and pace across the message.

Pitch is tracked with YIN (de Cheveigné & Kawahara, 2002): per 10 ms, the lag at
which the signal best repeats itself, from the cumulative-mean-normalized
difference function. It is written here on numpy, in blocks of frames, rather
than taken from Praat (parselmouth adds about 80 MB of private memory to the
window, which has none to spare) or librosa's pYIN (seconds for a 40 s message);
the tests hold it against Praat's own pitch on synthetic speech.

The bands and tips are the playbook's ``[delivery.voice_pitch]``,
``[delivery.voice_level]`` and ``[delivery.pauses]``; nothing here decides
what is too flat or too quiet.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from voicemail_coach.core.results import GradeResult, ItemResult, rescored
from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.syllables import syllables
from voicemail_coach.core.transcript import mmss

HOP_S = 0.01
WINDOW_S = 0.03  # the part of a frame compared with itself shifted: two periods of an 70 Hz voice
FMIN, FMAX = 70.0, 400.0
YIN_THRESHOLD = 0.3  # normalized difference below which a lag is taken as the period (Praat-like voicing)
BLOCK = 100  # frames per FFT batch: keeps the transient memory to a few megabytes (the window has none to spare)
SPEECH_FLOOR_DB = 30.0  # frames this far below the loud level are silence
SILENCE_DB = -70.0  # and frames below this are silence however quiet the rest is (a muted microphone)
CLIP = 0.99  # full scale: a sample at or past this was clipped
PACE_WINDOW_S = 4.0  # the pace curve's sliding window
CURVE_STEP_S = 0.5


@dataclass(frozen=True)
class VoiceMeasures:
    pitch_median_hz: float  # 0 when no voiced speech was found
    pitch_range_st: float  # 10th to 90th percentile of the voiced pitch, in semitones
    pitch_sd_st: float  # spread of the pitch around its median, in semitones
    level_db: float  # median loudness of speech (RMS, dB full scale)
    level_sd_db: float  # spread of the speech's loudness over half-second stretches
    clipped_fraction: float  # of speech samples
    pauses: list[tuple[float, float]]  # silences longer than asked for, between speech (start, end seconds)
    pace: list[tuple[float, float]]  # (time, syllables a second over the window around it)
    pitch: list[tuple[float, float]]  # (time, Hz) every CURVE_STEP_S where voiced: the contour to draw

    def to_json(self) -> dict:
        return {"pitch_median_hz": round(self.pitch_median_hz, 1), "pitch_range_st": round(self.pitch_range_st, 1),
                "pitch_sd_st": round(self.pitch_sd_st, 2), "level_db": round(self.level_db, 1),
                "level_sd_db": round(self.level_sd_db, 1), "clipped_fraction": round(self.clipped_fraction, 5),
                "long_pauses": [[round(a, 2), round(b, 2)] for a, b in self.pauses],
                "pace_curve": [[round(t, 2), round(v, 2)] for t, v in self.pace],
                "pitch_curve": [[round(t, 2), round(v, 1)] for t, v in self.pitch]}

    @classmethod
    def from_json(cls, d: dict) -> "VoiceMeasures":
        return cls(float(d["pitch_median_hz"]), float(d["pitch_range_st"]), float(d["pitch_sd_st"]),
                   float(d["level_db"]), float(d["level_sd_db"]), float(d["clipped_fraction"]),
                   [(float(a), float(b)) for a, b in d.get("long_pauses", [])],
                   [(float(t), float(v)) for t, v in d.get("pace_curve", [])],
                   [(float(t), float(v)) for t, v in d.get("pitch_curve", [])])


def stored_voice(metrics: dict) -> VoiceMeasures | None:
    """The measures kept in a saved grade's metrics (none for attempts graded before they were measured)."""
    try:
        return VoiceMeasures.from_json(metrics["voice"]) if metrics.get("voice") else None
    except (KeyError, TypeError, ValueError):
        return None


def pitch_track(audio: np.ndarray, rate: int) -> np.ndarray:
    """Pitch in Hz every HOP_S (0 where unvoiced or silent)."""
    x, rate = _at_most_16k(np.asarray(audio, dtype=np.float32).reshape(-1), rate)
    hop, width = int(rate * HOP_S), int(rate * WINDOW_S)
    lo, hi = int(rate / FMAX), int(rate / FMIN)
    span = width + hi + 1
    if len(x) < span:
        return np.zeros(0)
    frames = sliding_window_view(x, span)[::hop]
    n_fft = 1 << (span - 1).bit_length()  # no wrap-around: lags reach only to the end of the frame
    out = np.zeros(len(frames))
    levels = _frame_db(x, hop)[: len(frames)]
    floor = max(float(np.percentile(levels, 95)) - SPEECH_FLOOR_DB, SILENCE_DB) if len(levels) else 0.0
    for b in range(0, len(frames), BLOCK):
        f = frames[b : b + BLOCK].astype(np.float64)
        head = f[:, :width]
        # r(τ) = Σ x_j·x_{j+τ} over the window; the energies by running sums of squares
        r = np.fft.irfft(np.conj(np.fft.rfft(head, n_fft)) * np.fft.rfft(f, n_fft), n_fft)[:, : hi + 1]
        sq = np.concatenate([np.zeros((len(f), 1)), np.cumsum(f * f, axis=1)], axis=1)
        e0 = sq[:, width][:, None]
        et = sq[:, width : width + hi + 1] - sq[:, : hi + 1]
        d = np.maximum(e0 + et - 2 * r, 0.0)
        d[:, 0] = 0.0
        cum = np.cumsum(d[:, 1:], axis=1)
        cmnd = np.ones_like(d)
        cmnd[:, 1:] = d[:, 1:] * np.arange(1, hi + 1) / np.maximum(cum, 1e-12)
        rows = np.arange(len(f))
        below = cmnd[:, lo : hi + 1] < YIN_THRESHOLD
        found = below.any(axis=1) & (levels[b : b + len(f)] >= floor)
        tau = lo + below.argmax(axis=1)
        # from the first lag under the threshold down to the bottom of that dip
        rising = np.ones_like(cmnd, dtype=bool)
        rising[:, :-1] = cmnd[:, 1:] >= cmnd[:, :-1]
        rising &= np.arange(hi + 1)[None, :] >= tau[:, None]
        tau = np.minimum(rising.argmax(axis=1), hi)
        # a parabola through the dip and its neighbours places it between samples
        inner = (tau > lo) & (tau < hi)
        t = np.clip(tau, 1, hi - 1)
        a, c, e = cmnd[rows, t - 1], cmnd[rows, t], cmnd[rows, t + 1]
        curve = a - 2 * c + e
        shift = np.where(inner & (curve > 0), 0.5 * (a - e) / np.where(curve > 0, curve, 1.0), 0.0)
        out[b : b + len(f)] = np.where(found, rate / (tau + shift), 0.0)
    return _without_octave_jumps(out)


def _at_most_16k(x: np.ndarray, rate: int) -> tuple[np.ndarray, int]:
    """A voice's pitch lies far below 8 kHz: higher rates are brought down (box-filtered, interpolated),
    so a 48 kHz file costs what the app's own 16 kHz recordings cost."""
    if rate <= 16000:
        return x, rate
    k = max(1, round(rate / 16000))
    smooth = np.convolve(x, np.ones(k, np.float32) / k, mode="same")
    grid = np.arange(0, len(x) - 1, rate / 16000)
    return np.interp(grid, np.arange(len(x)), smooth).astype(np.float32), 16000


def _without_octave_jumps(f0: np.ndarray) -> np.ndarray:
    """A frame an octave off its neighbours' median is a halving or doubling error: it is left out."""
    voiced = np.flatnonzero(f0 > 0)
    if len(voiced) < 5:
        return f0
    values = f0[voiced]
    padded = np.pad(values, 2, mode="edge")
    median = np.median(sliding_window_view(padded, 5), axis=1)
    off = np.abs(12 * np.log2(values / median)) > 7
    cleaned = f0.copy()
    cleaned[voiced[off]] = 0.0
    return cleaned


def _frame_db(x: np.ndarray, hop: int) -> np.ndarray:
    """Loudness per frame, summed frame by frame (no squared copy of the whole message)."""
    n = len(x) // hop
    if n == 0:
        return np.zeros(0)
    frames = x[: n * hop].reshape(n, hop)
    rms = np.sqrt(np.einsum("ij,ij->i", frames, frames).astype(np.float64) / hop)
    return 20 * np.log10(rms + 1e-7)


def _speech_runs(speech: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) frame runs where ``speech`` is true."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], speech.astype(np.int8), [0]])))
    return list(zip(edges[::2].tolist(), edges[1::2].tolist()))


def measure(audio: np.ndarray, rate: int, max_pause_s: float = 2.0) -> VoiceMeasures:
    """The voice measures of mono ``audio`` at ``rate`` samples a second."""
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    hop = int(rate * HOP_S)
    db = _frame_db(x, hop)
    speech = db > max(float(np.percentile(db, 95)) - SPEECH_FLOOR_DB, SILENCE_DB) if len(db) else db > 0
    if not speech.any():
        return VoiceMeasures(0.0, 0.0, 0.0, float(np.median(db)) if len(db) else -140.0, 0.0, 0.0, [], [], [])
    # a loud frame or two alone is a click, not speech: it neither ends a silence nor counts as the voice
    runs = [(a, b) for a, b in _speech_runs(speech) if b - a >= 3]
    pauses = [(b0 * HOP_S, a1 * HOP_S) for (_a0, b0), (a1, _b1) in zip(runs, runs[1:])
              if (a1 - b0) * HOP_S >= max_pause_s]
    in_speech = np.zeros(len(db), bool)
    for a, b in runs:
        in_speech[a:b] = True
    level = float(np.median(db[in_speech])) if in_speech.any() else float(np.median(db))
    half = int(0.5 / HOP_S)
    stretches = [db[i : i + half][in_speech[i : i + half]] for i in range(0, len(db), half)]
    stretch_db = [10 * np.log10(np.mean(10 ** (s / 10))) for s in stretches if len(s) >= half // 2]
    level_sd = float(np.std(stretch_db)) if len(stretch_db) > 1 else 0.0
    at_top = np.count_nonzero(np.abs(x[: len(db) * hop].reshape(len(db), hop)) >= CLIP, axis=1)
    clipped = float(at_top[in_speech].sum() / (in_speech.sum() * hop)) if in_speech.any() else 0.0

    f0 = pitch_track(x, rate)
    voiced = f0[f0 > 0]
    if len(voiced) >= 10:
        median = float(np.median(voiced))
        semis = 12 * np.log2(voiced / median)
        p10, p90 = np.percentile(semis, [10, 90])
        pitch_range, pitch_sd = float(p90 - p10), float(np.std(semis))
    else:
        median, pitch_range, pitch_sd = 0.0, 0.0, 0.0
    step = int(CURVE_STEP_S / HOP_S)
    contour = []
    for i in range(0, len(f0), step):
        window = f0[i : i + step]
        if np.count_nonzero(window) >= step // 4:
            contour.append(((i + step / 2) * HOP_S, float(np.median(window[window > 0]))))
    return VoiceMeasures(median, pitch_range, pitch_sd, level, level_sd, clipped, pauses,
                         pace_curve(x, rate), contour)


def pace_curve(audio: np.ndarray, rate: int) -> list[tuple[float, float]]:
    """Syllables a second over a sliding window, every CURVE_STEP_S; the long silences count as time."""
    heard = syllables(audio, rate)
    if len(heard) < 2:
        return []
    peaks = np.array([(s.start + s.end) / 2 for s in heard])
    first, last = heard[0].start, heard[-1].end
    out = []
    t = first + PACE_WINDOW_S / 2
    while t <= last - PACE_WINDOW_S / 2 + 1e-9:
        inside = np.count_nonzero((peaks >= t - PACE_WINDOW_S / 2) & (peaks < t + PACE_WINDOW_S / 2))
        out.append((t, inside / PACE_WINDOW_S))
        t += CURVE_STEP_S
    if not out:  # shorter than one window: one figure for the whole
        out.append(((first + last) / 2, len(heard) / max(last - first, 1e-3)))
    return out


@dataclass
class VoiceFinding:
    """One voice item's verdict: passed, the tip when not, and where to listen."""

    passed: bool
    evidence: str = ""
    tip: str = ""
    start: float | None = None
    end: float | None = None


def pitch_finding(m: VoiceMeasures, spec: dict) -> VoiceFinding | None:
    """Monotone when the pitch moves over less than the playbook's range; not judged without voiced speech."""
    if not m.pitch_median_hz:
        return None
    if m.pitch_range_st < float(spec["min_range_st"]):
        return VoiceFinding(False, tip=spec["tip_monotone"].format(range=m.pitch_range_st, min_range_st=spec["min_range_st"]))
    return VoiceFinding(True, evidence=f"pitch moves over {m.pitch_range_st:.0f} semitones")


def level_finding(m: VoiceMeasures, spec: dict) -> VoiceFinding:
    """Too quiet or clipping, against the playbook's bands."""
    if m.clipped_fraction > float(spec["max_clipped_fraction"]):
        return VoiceFinding(False, tip=spec["tip_clipping"].format(percent=100 * m.clipped_fraction))
    if m.level_db < float(spec["min_db"]):
        return VoiceFinding(False, tip=spec["tip_quiet"].format(db=m.level_db, min_db=spec["min_db"]))
    return VoiceFinding(True, evidence=f"speech at {m.level_db:.0f} dB, no clipping")


def pause_finding(m: VoiceMeasures, spec: dict) -> VoiceFinding:
    """A silence longer than the playbook's bound in the middle of the message; ▶ plays the first."""
    if not m.pauses:
        return VoiceFinding(True, evidence=f"no silence over {float(spec['max_s']):.1f} s")
    a, b = max(m.pauses, key=lambda p: p[1] - p[0])
    return VoiceFinding(False, tip=spec["tip"].format(seconds=b - a, at=mmss(a), count=len(m.pauses)),
                        start=max(0.0, a - 1.0), end=b + 1.0)


ITEMS = {"voice_pitch": pitch_finding, "voice_level": level_finding, "pauses": pause_finding}


def with_voice(result: GradeResult, audio: np.ndarray, rate: int, rubric: Rubric) -> GradeResult:
    """``result`` with the voice items the playbook has and the measures in its metrics (``voice``)."""
    specs = {k: rubric.delivery[k] for k in ITEMS if k in rubric.delivery}
    if not specs:
        return result
    m = measure(audio, rate, float(specs.get("pauses", {}).get("max_s", 2.0)))
    items = []
    for item_id, spec in specs.items():
        found = ITEMS[item_id](m, spec)
        if found is None:
            continue
        items.append(ItemResult(item_id, spec["label"], found.passed, evidence=found.evidence, tip=found.tip,
                                start=found.start, end=found.end))
    return rescored(result, items, rubric.weight, {"voice": m.to_json()})
