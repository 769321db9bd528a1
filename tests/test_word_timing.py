"""Word times laid along the syllables heard (Moonshine gives none)."""

from __future__ import annotations

import numpy as np

from voicemail_coach.speech.word_timing import syllable_weight, word_times

RATE = 16000


def burst(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (0.3 * np.hanning(len(t)) * np.sin(2 * np.pi * 180 * t)).astype(np.float32)


def test_words_follow_their_syllables_where_speech_is_fast_and_where_it_is_slow():
    gap = lambda s: np.zeros(int(s * RATE), np.float32)  # noqa: E731
    # four slow one-syllable words, then four fast ones
    audio = np.concatenate([x for _ in range(4) for x in (burst(0.3), gap(0.2))]
                           + [x for _ in range(4) for x in (burst(0.1), gap(0.05))])
    times = word_times(audio, [1.0] * 8)
    starts = [a for a, _ in times]
    expected = [0.0, 0.5, 1.0, 1.5, 2.0, 2.15, 2.3, 2.45]
    assert all(abs(a - e) < 0.06 for a, e in zip(starts, expected)), starts
    assert all(b - a < 0.16 for a, b in times[4:])  # the fast words are short


def test_syllables_are_counted_from_the_spelling():
    assert syllable_weight("five") == 1 and syllable_weight("time") == 1
    assert syllable_weight("morning") == 2 and syllable_weight("Kowalski") == 3
    assert syllable_weight("555-214") > 6
