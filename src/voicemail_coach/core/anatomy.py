"""The message's anatomy: when each checklist item was said, against where the playbook wants it."""

from __future__ import annotations

from dataclasses import dataclass

from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.transcript import mmss

TIMELINE_ITEMS = ("rep_name", "rep_company", "prospect_named", "value", "contact", "number_twice", "callback_time",
                  "email_followup")


@dataclass(frozen=True)
class Moment:
    item_id: str
    label: str
    start: float
    end: float


@dataclass(frozen=True)
class Anatomy:
    duration: float
    moments: list[Moment]  # in the order they were said
    problems: list[str]  # order problems, each a tip


def anatomy(items: list[dict], duration: float | None, rubric: Rubric) -> Anatomy:
    """``items``: a grade's items as stored (ItemResult dicts). Only timed, passed content items appear."""
    moments = sorted((Moment(i["id"], i.get("label", i["id"]), float(i["start"]), float(i.get("end") or i["start"]))
                      for i in items if i["id"] in TIMELINE_ITEMS and i.get("passed") and i.get("start") is not None),
                     key=lambda m: m.start)
    length = max([duration or 0.0, *(m.end for m in moments)])
    spec, at = rubric.anatomy, {m.item_id: m for m in moments}
    problems: list[str] = []
    if not spec or not moments:
        return Anatomy(length, moments, problems)
    opening = float(spec.get("opening_s", 6))
    if "rep_name" in at and at["rep_name"].start > opening:
        problems.append(spec["tip_opening"].format(at=mmss(at["rep_name"].start), opening_s=f"{opening:g}"))
    if "value" in at and "contact" in at and at["value"].start > at["contact"].start:
        problems.append(spec["tip_value_late"].format(at=mmss(at["value"].start)))
    last = float(spec.get("repeat_last_s", 10))
    if "number_twice" in at and length - at["number_twice"].start > last:
        left = length - at["number_twice"].start
        problems.append(spec["tip_repeat_early"].format(at=mmss(at["number_twice"].start), left=f"{left:.0f} s",
                                                        repeat_last_s=f"{last:g}"))
    return Anatomy(length, moments, problems)
