"""Whether the prospect can write the number down: how fast it went, the pauses between its groups,
and how loud it was against the rest of the message.

Measured on the audio, inside the span the transcript puts each reading of the
rep's number at; the bands and tips are the playbook's ``[delivery.number_clarity]``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voicemail_coach.core import numbers
from voicemail_coach.core.results import GradeResult, ItemResult, rescored
from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.syllables import syllables
from voicemail_coach.core.transcript import Transcript, mmss

ITEM = "number_clarity"


@dataclass(frozen=True)
class NumberReading:
    start: float  # seconds: the reading's first and last syllable
    end: float
    digits: int
    digits_per_s: float
    pauses: int  # silences of at least the playbook's min_pause_s between its syllables
    relative_db: float  # loudness against the rest of the message (0: as loud; syllable peaks compared)

    def to_json(self) -> dict:
        return {"start": round(self.start, 2), "end": round(self.end, 2), "digits": self.digits,
                "digits_per_s": round(self.digits_per_s, 2), "pauses": self.pauses,
                "relative_db": round(self.relative_db, 1)}

    @classmethod
    def from_json(cls, d: dict) -> "NumberReading":
        return cls(float(d["start"]), float(d["end"]), int(d["digits"]), float(d["digits_per_s"]), int(d["pauses"]),
                   float(d["relative_db"]))


def stored_readings(metrics: dict) -> list[NumberReading]:
    """The readings kept in a saved grade's metrics (none for attempts graded before they were measured)."""
    try:
        return [NumberReading.from_json(d) for d in metrics.get("number_readings") or []]
    except (KeyError, TypeError, ValueError):
        return []


def _spoken_syllables(digits: str) -> int:
    """Syllables of a number read digit by digit: "seven" has two, and so has "zero" (but "oh" one)."""
    return len(digits) + digits.count("7") + (digits.count("0") + 1) // 2


def _overlap(a: float, b: float, c: float, d: float) -> float:
    inter = max(0.0, min(b, d) - max(a, c))
    return inter / (max(b, d) - min(a, c) or 1.0)


def number_readings(transcript: Transcript, phone: str, audio: np.ndarray, rate: int,
                    min_pause_s: float = 0.25) -> list[NumberReading]:
    """Each time the transcript says ``phone``, measured on ``audio`` (mono samples at ``rate``).

    A recognizer's word times are only roughly where the number was said, so the reading is taken
    to be the run of as many syllables as the digits have that lies best over those times."""
    if not transcript.timed or not phone:
        return []
    heard = syllables(audio, rate)
    out = []
    for mention in numbers.find_phone(transcript.tokens, phone):
        start = transcript.words[transcript.tokens[mention.first].word].start
        end = transcript.words[transcript.tokens[mention.last].word].end
        count = _spoken_syllables(mention.digits)
        if len(heard) <= count:
            continue
        first = max(range(len(heard) - count + 1),
                    key=lambda i: _overlap(heard[i].start, heard[i + count - 1].end, start, end))
        run = heard[first : first + count]
        if _overlap(run[0].start, run[-1].end, start, end) < 0.3:
            continue  # nothing heard where the number was said: not measured
        rest = [s.peak_db for s in heard[:first] + heard[first + count :]]
        seconds = run[-1].end - run[0].start
        out.append(NumberReading(
            run[0].start, run[-1].end, len(mention.digits), len(mention.digits) / seconds,
            sum(b.start - a.end >= min_pause_s for a, b in zip(run, run[1:])),
            float(np.median([s.peak_db for s in run]) - np.median(rest)) if rest else 0.0,
        ))
    return out


def pauses_wanted(digits: int, spec: dict) -> int:
    """A full number has three groups and so two pauses; a seven-digit one has two groups and one."""
    return int(spec["min_pauses"]) - (digits < 10)


def problems(reading: NumberReading, spec: dict) -> list[str]:
    """What is outside the playbook's bands, most important first: "fast", "no_pauses", "quiet"."""
    found = []
    if reading.digits_per_s > float(spec["max_digits_per_s"]):
        found.append("fast")
    if reading.pauses < pauses_wanted(reading.digits, spec):
        found.append("no_pauses")
    if reading.relative_db < float(spec["min_relative_db"]):
        found.append("quiet")
    return found


def clarity_item(readings: list[NumberReading], spec: dict) -> ItemResult:
    """Passed when every reading is slow enough, paused between groups and at full voice."""
    item = ItemResult(ITEM, spec["label"], True)
    for n, r in enumerate(readings):
        found = problems(r, spec)
        if not found:
            continue
        which = f" (the {'first' if n == 0 else 'second' if n == 1 else 'next'} time, at {mmss(r.start)})"
        item.tip = spec["tip_" + found[0]].format(rate=r.digits_per_s, db=-r.relative_db, which=which)
        item.passed = False
        item.start, item.end = r.start, r.end  # ▶ plays the reading that needs work
        return item
    first = readings[0]
    item.evidence = f"{first.digits_per_s:.1f} digits a second, {first.pauses} pause{'s' * (first.pauses != 1)}"
    item.start, item.end = first.start, first.end
    return item


def with_number_clarity(result: GradeResult, transcript: Transcript, audio: np.ndarray | None, rate: int,
                        phone: str, rubric: Rubric) -> GradeResult:
    """``result`` with the number-clarity item and its measures, when the playbook has the item, there is
    audio and the number was heard; the score is taken over every item again."""
    spec = rubric.delivery.get(ITEM)
    if spec is None or audio is None:
        return result
    readings = number_readings(transcript, phone, audio, rate, float(spec.get("min_pause_s", 0.25)))
    if not readings:
        return result
    return rescored(result, [clarity_item(readings, spec)], rubric.weight,
                    {"number_readings": [r.to_json() for r in readings]})
