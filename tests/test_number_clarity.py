"""Number clarity on audio whose syllables are known: bursts of tone stand for syllables."""

from __future__ import annotations

import numpy as np
import pytest

from voicemail_coach.core.grader import grade
from voicemail_coach.core.number_clarity import ITEM, number_readings, with_number_clarity
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.syllables import syllables
from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.playbook import default_rubric

RATE = 16000
PHONE = "555-214-3390"
REP = RepProfile("Dave Kowalski", "Brightline Uniforms", PHONE)


def burst(seconds: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.hanning(len(t)) * np.sin(2 * np.pi * 180 * t)).astype(np.float32)


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * RATE), np.float32)


def message(number_groups: list[int], syllable_s: float, gap_s: float, pause_s: float, level: float = 0.3):
    """Twelve syllables of talk, the number (one syllable a digit, "seven" and "zero" two), twelve more."""
    parts, words, t = [], [], 0.0

    def talk(n: int, text: str) -> None:
        nonlocal t
        start = t
        for _ in range(n):
            parts.extend([burst(0.18), silence(0.07)])
            t += 0.25
        words.append(Word(text, round(start, 3), round(t - 0.07, 3)))

    talk(12, "Hi Chloe, this is Dave Kowalski from Brightline Uniforms, my number is")
    start, digits = t, iter("5552143390")
    for g, size in enumerate(number_groups):
        for k in range(size):
            d = next(digits)
            for _ in range(2 if d in "70" else 1):
                parts.extend([burst(syllable_s, level), silence(gap_s)])
                t += syllable_s + gap_s
        if g < len(number_groups) - 1:
            parts.append(silence(pause_s))
            t += pause_s
    spoken = (start, t - gap_s)  # from the number's first syllable to the end of its last
    words.append(Word(PHONE + ".", round(start + 0.1, 3), round(t - 0.1, 3)))  # roughly where, as a recognizer says
    parts.append(silence(0.3))
    t += 0.3
    talk(12, "I'll call you Thursday at ten")
    return np.concatenate(parts), Transcript(words, duration=t), spoken


def test_syllables_are_counted_and_bounded_by_the_silence_between_them():
    audio = np.concatenate([burst(0.2), silence(0.1), burst(0.2), silence(0.4), burst(0.2)])
    heard = syllables(audio, RATE)
    assert len(heard) == 3
    assert heard[0].start < 0.05 and 0.15 < heard[0].end <= 0.25
    assert heard[2].start >= 0.85  # after the long silence


def test_a_number_read_in_groups_at_a_writable_pace_passes():
    audio, transcript, spoken = message([3, 3, 4], 0.25, 0.12, 0.45)
    (reading,) = number_readings(transcript, PHONE, audio, RATE)
    assert reading.pauses == 2
    # the reading is the number as it was built, not the recognizer's rough span, and its pace is its own
    assert reading.start == pytest.approx(spoken[0], abs=0.1) and reading.end == pytest.approx(spoken[1], abs=0.1)
    assert reading.digits_per_s == pytest.approx(10 / (spoken[1] - spoken[0]), rel=0.05)
    assert abs(reading.relative_db) < 1.5
    result = with_number_clarity(grade(transcript, REP, Prospect("Chloe Martin"), default_rubric()), transcript,
                                 audio, RATE, PHONE, default_rubric())
    item = result.item(ITEM)
    assert item.passed and "digits a second" in item.evidence
    assert result.metrics["number_readings"][0]["pauses"] == 2


@pytest.mark.parametrize("case, tip", [
    (dict(groups=[10], syllable_s=0.1, gap_s=0.04, pause_s=0.0), "digits a second"),  # rattled off
    (dict(groups=[10], syllable_s=0.22, gap_s=0.1, pause_s=0.0), "ran together"),  # no pause between groups
    (dict(groups=[3, 3, 4], syllable_s=0.25, gap_s=0.12, pause_s=0.45, level=0.05), "quieter"),  # 15.6 dB down
])
def test_a_number_too_fast_run_together_or_quiet_is_flagged_with_a_tip(case, tip):
    audio, transcript, _spoken = message(case["groups"], case["syllable_s"], case["gap_s"], case["pause_s"],
                                case.get("level", 0.3))
    rubric = default_rubric()
    before = grade(transcript, REP, Prospect("Chloe Martin"), rubric)
    result = with_number_clarity(before, transcript, audio, RATE, PHONE, rubric)
    item = result.item(ITEM)
    assert not item.passed and tip in item.tip
    assert item.start is not None and item.start < item.end  # ▶ plays the reading
    assert result.score < before.score


def test_nothing_is_measured_without_audio_or_without_the_number():
    audio, transcript, _spoken = message([3, 3, 4], 0.25, 0.12, 0.45)
    rubric = default_rubric()
    result = grade(transcript, REP, Prospect("Chloe Martin"), rubric)
    assert with_number_clarity(result, transcript, None, RATE, PHONE, rubric) is result
    other = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-999-0000")
    assert with_number_clarity(result, transcript, audio, RATE, other.phone, rubric) is result
