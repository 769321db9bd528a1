"""How a rep (or a cohort) is doing: scores over time, pass rate per checklist item, bests, what is missed most.

Works on attempt outcomes as the repository lists them: {id, created_at, scenario_id, score,
items: {item id: passed}}, oldest first.
"""

from __future__ import annotations

from dataclasses import dataclass

from voicemail_coach.core.records import ItemOutcome
from voicemail_coach.core.rubric import Rubric


@dataclass(frozen=True)
class ItemRate:
    id: str
    label: str
    tip: str
    passed: int
    total: int

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0


@dataclass(frozen=True)
class Best:
    scenario_id: str | None
    score: int
    attempt_id: int
    attempts: int


@dataclass(frozen=True)
class Progress:
    points: list[tuple[str, int]]  # (created_at, score), oldest first
    rates: list[ItemRate]  # checklist order
    bests: list[Best]  # best first
    most_missed: ItemRate | None
    point_ids: tuple[int, ...] = ()  # the attempt behind each point

    @property
    def attempts(self) -> int:
        return len(self.points)


def item_rates(checklists: list[dict[str, bool]], rubric: Rubric) -> list[ItemRate]:
    """Pass counts per item over attempts' checklists ({item id: passed}), in the playbook's order (items never
    graded are left out)."""
    counts: dict[str, list[int]] = {}
    for checklist in checklists:
        for item_id, passed in checklist.items():
            c = counts.setdefault(item_id, [0, 0])
            c[0] += bool(passed)
            c[1] += 1
    order = list(rubric.items) + list(rubric.touch)
    rates = []
    for item_id in sorted(counts, key=lambda i: order.index(i) if i in order else len(order)):
        rates.append(ItemRate(item_id, *rubric.label_tip(item_id), *counts[item_id]))
    return rates


def best_per_scenario(outcomes: list[ItemOutcome]) -> list[Best]:
    best: dict[str | None, ItemOutcome] = {}
    counts: dict[str | None, int] = {}
    for o in outcomes:
        key = o.scenario_id
        counts[key] = counts.get(key, 0) + 1
        if o.score is not None and (key not in best or o.score > best[key].score):
            best[key] = o  # the first to reach a score keeps it: a later tie is not a new best
    return sorted((Best(k, v.score, v.id, counts[k]) for k, v in best.items()),
                  key=lambda b: (-b.score, b.scenario_id or ""))


def progress(outcomes: list[ItemOutcome], rubric: Rubric) -> Progress:
    scored = [o for o in outcomes if o.score is not None]
    points = [(o.created_at, o.score) for o in scored]
    rates = item_rates([o.items for o in outcomes], rubric)
    # the item missed most often (by count, then rate); delivery and content alike, as the rep hears them
    missed = [r for r in rates if r.total - r.passed > 0]
    most = max(missed, key=lambda r: (r.total - r.passed, 1 - r.rate), default=None)
    return Progress(points, rates, best_per_scenario(outcomes), most, tuple(o.id for o in scored))
