"""Whether the number comes through the phone line: each reading, heard again as the voicemail box keeps it.

The speech engine listens to each reading of the number once more, after the
audio has been through the telephone band and 8 kHz μ-law (speech/phone_check.py
does that); here the digits it heard are lined up with the rep's number, the
groups that did not come through are named, and the reading's own measures
(core.number_clarity) say the likely reason. Tips are the playbook's
``[delivery.number_on_phone]``.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein

from voicemail_coach.core.number_clarity import NumberReading, pauses_wanted
from voicemail_coach.core.numbers import phone_digits
from voicemail_coach.core.results import GradeResult, ItemResult, rescored
from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.transcript import mmss

ITEM = "number_on_phone"
GROUP_NAMES = {10: ("the area code", "the first three digits", "the last four digits"),
               7: ("the first three digits", "the last four digits")}


@dataclass(frozen=True)
class PhoneCheck:
    start: float  # the reading's span, seconds
    end: float
    heard: str  # the digits heard through the line
    lost: tuple[int, ...]  # groups of the number that did not come through (indexes into its groups)
    reason: str  # "fast", "quiet" or "swallowed" when something was lost; "" otherwise

    def to_json(self) -> dict:
        # the lost groups as a string of their indexes ("02"): a saved measurement holds flat values only
        return {"start": round(self.start, 2), "end": round(self.end, 2), "heard": self.heard,
                "lost": "".join(str(g) for g in self.lost), "reason": self.reason}

    @classmethod
    def from_json(cls, d: dict) -> "PhoneCheck":
        return cls(float(d["start"]), float(d["end"]), str(d["heard"]), tuple(int(g) for g in str(d.get("lost", ""))),
                   str(d.get("reason", "")))


def groups_of(number: str) -> list[tuple[int, int]]:
    """[start, end) of each digit group as a number is said: 3-3-4, 3-4, or one group for any other length."""
    if len(number) == 10:
        return [(0, 3), (3, 6), (6, 10)]
    if len(number) == 7:
        return [(0, 3), (3, 7)]
    return [(0, len(number))]


def lost_groups(number: str, heard: str) -> tuple[int, ...]:
    """The groups of ``number`` with a digit missing, wrong or added in ``heard`` (aligned digit by digit)."""
    bounds = groups_of(number)
    hit: set[int] = set()
    for op in Levenshtein.editops(number, heard):
        at = min(op.src_pos, len(number) - 1)  # a digit added after the last one belongs to the last group
        hit.update(g for g, (a, b) in enumerate(bounds) if a <= at < b)
    return tuple(sorted(hit))


def likely_reason(reading: NumberReading | None, clarity: dict | None) -> str:
    """Why a group was lost, from how the reading was said (core.number_clarity's bands): too fast, too quiet,
    its groups run together, or "swallowed" when none of these was measured."""
    if reading is not None and clarity:
        if reading.digits_per_s > float(clarity["max_digits_per_s"]):
            return "fast"
        if reading.relative_db < float(clarity["min_relative_db"]):
            return "quiet"
        if reading.pauses < pauses_wanted(reading.digits, clarity):
            return "run_together"
    return "swallowed"


def check(number: str, heard: str, reading: NumberReading, clarity: dict | None) -> PhoneCheck:
    digits = phone_digits(number)
    lost = lost_groups(digits, heard)
    return PhoneCheck(reading.start, reading.end, heard, lost, likely_reason(reading, clarity) if lost else "")


def stored_checks(metrics: dict) -> list[PhoneCheck]:
    try:
        return [PhoneCheck.from_json(d) for d in metrics.get(ITEM) or []]
    except (KeyError, TypeError, ValueError):
        return []


def phone_item(checks: list[PhoneCheck], number: str, spec: dict) -> ItemResult:
    """Passed when every reading came through whole. A group lost where the reading was measurably too fast
    or too quiet fails the item, with the tip; one lost with neither cause leaves it "not sure": the engine
    hears a narrow line worse than a person does, and a ✗ must point at something the rep did."""
    item = ItemResult(ITEM, spec["label"], True)
    names = GROUP_NAMES.get(len(phone_digits(number)), ("some digits",))
    lost = [(n, c) for n, c in enumerate(checks) if c.lost]
    if lost:
        n, c = next(((n, c) for n, c in lost if c.reason != "swallowed"), lost[0])
        group = _said(c.lost, names)
        which = "first" if n == 0 else "second" if n == 1 else "next"
        item.passed = False
        item.tip = spec["tip_" + c.reason].format(group=group, which=which, at=mmss(c.start),
                                                  heard=c.heard or "no digits")
        item.start, item.end = c.start, c.end
        if c.reason == "swallowed":
            item.unsure = True
            item.heard, item.heard_start, item.heard_end = c.heard or "no digits", c.start, c.end
        return item
    item.evidence = f"every digit came through the line ({len(checks)} reading{'s' * (len(checks) != 1)})"
    item.start, item.end = checks[0].start, checks[0].end
    return item


def _said(lost: tuple[int, ...], names: tuple[str, ...]) -> str:
    """The lost groups in words: "the area code", "the first three and the last four digits", "the number"."""
    if len(lost) >= len(names):
        return "the number"
    parts = [names[g] if g < len(names) else "some digits" for g in lost]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def with_phone_checks(result: GradeResult, checks: list[PhoneCheck], number: str, rubric: Rubric) -> GradeResult:
    """``result`` with the phone-line item and what each reading sounded like through the line. Measured on
    synthetic speech, the engine loses a digit of a clearly said number through the line about half the time
    (benchmarks/number_clarity.py --phone-line), so only a loss with a measured cause is a ✗."""
    spec = rubric.delivery.get(ITEM)
    if spec is None or not checks:
        return result
    item = phone_item(checks, number, spec)

    def weight(item_id: str) -> float:
        # a loss with no measured cause is the engine's doubt as much as the rep's: it neither earns nor costs
        return 0.0 if item_id == ITEM and item.unsure else rubric.weight(item_id)

    return rescored(result, [item], weight, {ITEM: [c.to_json() for c in checks]})
