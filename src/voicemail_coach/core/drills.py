"""Drills: one part of the voicemail rehearsed on its own — the opener, the value line, the number, the
callback promise, the follow-up email — graded by the same checklist, on just that part's items."""

from __future__ import annotations

from dataclasses import dataclass

from voicemail_coach.core.results import GradeResult, ItemResult


@dataclass(frozen=True)
class DrillPart:
    id: str
    title: str
    instruction: str
    items: tuple[str, ...]  # the checklist items this part must earn
    seconds: int  # the timer: a part, not a whole message


PARTS = {p.id: p for p in (
    DrillPart("opener", "The opener", "Greet {prospect} by name, then say who you are and where you are from.",
              ("prospect_named", "rep_name", "rep_company"), 10),
    DrillPart("value", "The value line", "In one or two sentences: what you have done for a business like "
              "{company}, with a number in it.", ("value",), 15),
    DrillPart("number", "The number", "Leave your number ({phone}) twice, slowly, a pause between the groups.",
              ("contact", "number_twice"), 15),
    DrillPart("callback", "The callback promise", "Promise to call again, and say when.", ("callback_time",), 10),
    DrillPart("email", "The follow-up email", "Say that you are sending an email, and what is in it.",
              ("email_followup",), 10),
)}


def part_for(item_id: str) -> DrillPart | None:
    """The drill that rehearses ``item_id``, or None (delivery items are drilled by a whole message)."""
    return next((p for p in PARTS.values() if item_id in p.items), None)


def instruction(part: DrillPart, prospect: str, company: str, phone: str) -> str:
    return part.instruction.format(prospect=prospect or "the prospect", company=company or "theirs",
                                   phone=phone or "your number")


def judged(result: GradeResult, part: DrillPart) -> list[ItemResult]:
    """The part's own items out of a whole grade of the drill's words, in the part's order."""
    found = {i.id: i for i in result.items}
    return [found[i] for i in part.items if i in found]


def passed(items: list[ItemResult]) -> bool:
    """Every item of the part earned; "not sure" is not yet earned."""
    return bool(items) and all(i.passed and i.status != "unsure" for i in items)


def streak(outcomes_newest_first: list[bool]) -> int:
    """Passes in a row, counting back from the latest drill."""
    count = 0
    for ok in outcomes_newest_first:
        if not ok:
            break
        count += 1
    return count


@dataclass(frozen=True)
class DrillStats:
    part: DrillPart
    total: int
    passed: int
    streak: int


def stats(outcomes_newest_first: list[tuple[str, bool]]) -> list[DrillStats]:
    """Per part drilled (in the parts' order): how many drills, how many passed, the current streak.
    ``outcomes_newest_first``: (part id, passed) of a rep's drills."""
    out = []
    for part in PARTS.values():
        mine = [ok for part_id, ok in outcomes_newest_first if part_id == part.id]
        if mine:
            out.append(DrillStats(part, len(mine), sum(mine), streak(mine)))
    return out
