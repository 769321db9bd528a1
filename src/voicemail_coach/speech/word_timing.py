"""Word times for an engine that gives none (Moonshine): words laid along the syllables heard.

Each word gets as many of the syllables heard (core.syllables) as it has, in
order: a fast stretch packs its words into less time, a slow one spreads them
out, and pauses get no words. Where too few syllables stand out (a drone, a
noise), words are spread over the voiced frames in proportion to their length.
"""

from __future__ import annotations

import numpy as np

from voicemail_coach.core.syllables import syllables

SAMPLE_RATE = 16000
STEPS = 10  # time positions per syllable


def syllable_weight(word: str) -> float:
    """Rough number of syllables in a word as written; each digit counts one (a few have two)."""
    digits = sum(c.isdigit() for c in word)
    letters = "".join(c for c in word.lower() if c.isalpha())
    if letters.endswith("e") and len(letters) > 2 and letters[-2] not in "aeiouyl":
        letters = letters[:-1]  # silent e: "five", "nine", "time"
    return max(1.0, vowel_groups(letters) + 1.15 * digits)


def vowel_groups(letters: str) -> int:
    """Runs of vowels in lower-case ``letters``: about one a syllable."""
    groups, prev = 0, False
    for c in letters:
        vowel = c in "aeiouy"
        groups += vowel and not prev
        prev = vowel
    return groups


def _positions(audio: np.ndarray, words: int, written: float) -> tuple[np.ndarray, np.ndarray] | None:
    """Start times and lengths (seconds) of equal shares of the speech, syllable by syllable."""
    heard = syllables(audio, SAMPLE_RATE)
    if len(heard) < 2 or len(heard) < 0.5 * written or len(heard) < 0.5 * words:
        return None
    starts = np.concatenate([np.linspace(s.start, s.end, STEPS, endpoint=False) for s in heard])
    steps = np.repeat([(s.end - s.start) / STEPS for s in heard], STEPS)
    return starts, steps


def _voiced_positions(audio: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    frame = SAMPLE_RATE // 50
    n = max(1, len(audio) // frame)
    rms = np.sqrt(np.mean(np.square(audio[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)) if len(audio) >= frame else np.ones(1)
    voiced = rms > 0.15 * float(np.percentile(rms, 95))
    if not voiced.any():
        voiced[:] = True
    starts = np.flatnonzero(voiced) * frame / SAMPLE_RATE
    return starts, np.full(len(starts), frame / SAMPLE_RATE)


def word_times(audio: np.ndarray, weights: list[float]) -> list[tuple[float, float]]:
    """Start and end (seconds into ``audio``) of each word, given each word's length in syllables."""
    total = float(sum(weights)) or 1.0
    starts, steps = _positions(audio, len(weights), total) or _voiced_positions(audio)
    out, acc = [], 0.0
    for w in weights:
        a = int(acc / total * len(starts))
        acc += w
        b = max(a, int(round(acc / total * len(starts))) - 1)
        a, b = min(a, len(starts) - 1), min(b, len(starts) - 1)
        start, end = float(starts[a]), float(starts[b] + steps[b])
        out.append((start, max(end, start + 0.05)))
    return out
