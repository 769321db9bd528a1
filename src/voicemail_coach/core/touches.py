"""The next voicemail to the same prospect: a fresh reason each touch, and the call when promised.

A scenario continued as touch 2, 3 … carries a clock (the day and hour of this
call) and the previous touch's grade. Two items are added to the scorecard.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemail_coach.core.followup import content_words, same_substance, sentence_with, spoken_times
from voicemail_coach.core.results import GradeResult, ItemResult
from voicemail_coach.core.rubric import Rubric

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
TOUCH_ITEMS = ("fresh_reason", "on_promised_day")


@dataclass(frozen=True)
class Clock:
    """When a touch happens in the scenario's week: a weekday and an hour (24 h)."""

    day: str
    hour: int

    def __str__(self) -> str:
        h = self.hour % 12 or 12
        return f"{self.day.capitalize()} at {h} {'am' if self.hour < 12 else 'pm'}"


@dataclass(frozen=True)
class Promise:
    days: frozenset[str]  # weekdays, or "tomorrow" / "next week" / "end of the week"
    hours: frozenset[int]
    text: str


def promise_of(previous: GradeResult, rubric: Rubric) -> Promise | None:
    try:
        item = previous.item("callback_time")
    except KeyError:
        return None
    if not item.passed:
        return None
    days, hours = spoken_times(item.evidence, rubric)
    return Promise(frozenset(days), frozenset(int(h) for h in hours), item.evidence)


def suggested_clock(previous_clock: Clock, promise: Promise | None) -> Clock:
    """Where the scenario clock goes for the next touch: the promised day and hour when there is one."""
    day = next((d for d in WEEKDAYS if promise and d in promise.days), None)
    if day is None and promise and "tomorrow" in promise.days:
        day = WEEKDAYS[(WEEKDAYS.index(previous_clock.day) + 1) % 7]
    day = day or WEEKDAYS[(WEEKDAYS.index(previous_clock.day) + 2) % 5]
    hour = next(iter(sorted(promise.hours)), previous_clock.hour) if promise else previous_clock.hour
    if hour < 7:  # "at two" means the afternoon
        hour += 12
    return Clock(day, hour)


def _keeps(promise: Promise, previous_clock: Clock, clock: Clock) -> bool:
    days = set(promise.days)
    if "tomorrow" in days:
        days.add(WEEKDAYS[(WEEKDAYS.index(previous_clock.day) + 1) % 7])
    named = days & set(WEEKDAYS)
    if named and clock.day not in named:
        return False
    if not named and not (days & {"next week", "end of the week"}):
        return True  # only a part of the day was promised
    if promise.hours:
        twelve = clock.hour % 12 or 12
        return any(abs(h % 12 - twelve % 12) <= 1 for h in promise.hours)
    return True


def grade_touch(current: GradeResult, previous: GradeResult, previous_clock: Clock, clock: Clock,
                rubric: Rubric, specs: dict) -> list[ItemResult]:
    out: list[ItemResult] = []
    label = {k: v["label"] for k, v in specs.items()}

    fresh = ItemResult("fresh_reason", label["fresh_reason"], False)
    now, before = current.item("value"), previous.item("value")
    if not now.passed:
        fresh.tip = specs["fresh_reason"]["tip_none"]
    else:
        said_now = sentence_with(current.transcript, now.evidence)
        said_before = sentence_with(previous.transcript, before.evidence) if before.passed else ""
        if said_before and same_substance(content_words(said_before), content_words(said_now)):
            fresh.tip = specs["fresh_reason"]["tip"].format(previous=said_before)
            fresh.flagged, fresh.flagged_start, fresh.flagged_end = now.evidence, now.start, now.end
        else:
            fresh.passed, fresh.evidence, fresh.start, fresh.end = True, now.evidence, now.start, now.end
    out.append(fresh)

    kept = ItemResult("on_promised_day", label["on_promised_day"], True)
    promise = promise_of(previous, rubric)
    if promise is not None:
        if _keeps(promise, previous_clock, clock):
            kept.evidence = str(clock)
        else:
            kept.passed = False
            kept.tip = specs["on_promised_day"]["tip"].format(promised=promise.text, clock=str(clock))
    out.append(kept)
    return out


def with_touch_items(current: GradeResult, items: list[ItemResult], specs: dict, rubric: Rubric) -> GradeResult:
    """The scorecard of a later touch: the voicemail's items plus the touch items, one score over all."""
    weights = {i: rubric.weight(i) for i in rubric.items} | {k: float(v["weight"]) for k, v in specs.items()}
    merged = list(current.items) + items
    total = sum(weights[i.id] for i in merged)
    earned = sum(weights[i.id] for i in merged if i.passed)
    return GradeResult(round(100 * earned / total), merged, current.transcript, dict(current.metrics))
