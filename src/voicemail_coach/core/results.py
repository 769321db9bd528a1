"""What a grade is: one result per checklist item, with the words that earned it, and the score."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Callable


class TipFields(dict):
    """Values for a tip's {placeholders}; a missing one reads as empty rather than failing."""

    def __missing__(self, key: str) -> str:
        return ""


@dataclass
class ItemResult:
    id: str
    label: str
    passed: bool
    evidence: str = ""
    start: float | None = None
    end: float | None = None
    tip: str = ""
    # words that made a "no_…" item fail (evidence stays empty for failed items)
    flagged: str = ""
    flagged_start: float | None = None
    flagged_end: float | None = None
    # not passed, but what was heard nearly fits: the recognizer may have misheard it
    unsure: bool = False
    heard: str = ""
    heard_start: float | None = None
    heard_end: float | None = None

    @property
    def status(self) -> str:
        return "passed" if self.passed else ("unsure" if self.unsure else "failed")

    def to_dict(self) -> dict:
        d = asdict(self)
        if not self.flagged:
            for k in ("flagged", "flagged_start", "flagged_end"):
                d.pop(k)
        if not self.unsure:
            for k in ("heard", "heard_start", "heard_end"):
                d.pop(k)
        d.pop("unsure")
        d["status"] = self.status
        return d

    @classmethod
    def from_dict(cls, d: dict) -> "ItemResult":
        """An item as stored or exported (unknown keys are ignored)."""
        fields = {k: d[k] for k in cls.__dataclass_fields__ if k in d}
        fields["unsure"] = d.get("status") == "unsure"
        return cls(**fields)


@dataclass
class GradeResult:
    score: int
    items: list[ItemResult]
    transcript: str
    metrics: dict = field(default_factory=dict)

    def item(self, item_id: str) -> ItemResult:
        for it in self.items:
            if it.id == item_id:
                return it
        raise KeyError(item_id)

    @property
    def unconfirmed(self) -> int:
        """How many items the recognizer left in doubt."""
        return sum(1 for i in self.items if i.unsure)

    def to_dict(self) -> dict:
        return {
            "score": self.score,
            "unconfirmed": self.unconfirmed,
            "items": [i.to_dict() for i in self.items],
            "transcript": self.transcript,
            "metrics": dict(self.metrics),
        }


def rescored(result: GradeResult, items: list[ItemResult], weight: Callable[[str], float], metrics: dict) -> GradeResult:
    """``result`` with ``items`` in place of any of the same ids (added when new) and its score taken again."""
    ids = {i.id for i in items}
    kept = [i for i in result.items if i.id not in ids] + items
    total = sum(weight(i.id) for i in kept)
    earned = sum(weight(i.id) for i in kept if i.passed)
    return GradeResult(round(100 * earned / total) if total else 0, kept, result.transcript, dict(result.metrics) | metrics)
