"""The labelled corpus and agreement counting. The voicemails ship with the app (voicemail_coach.corpus,
resources/corpus); the follow-up emails and later touches are the tests' own (tests/corpus)."""

from __future__ import annotations

import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from voicemail_coach.core.rubric import CONTENT_ITEMS
from voicemail_coach.corpus import CORPUS_FILES, Voicemail, corpus_dir, load_corpus  # noqa: F401  (re-exported)

CORPUS_DIR = Path(__file__).resolve().parents[1] / "corpus"  # the emails and touches; the voicemails ship


@dataclass
class Agreement:
    agree: int = 0
    total: int = 0
    per_item: dict = None
    disagreements: list = None

    def __post_init__(self):
        self.per_item = {i: Counter() for i in CONTENT_ITEMS}
        self.disagreements = []

    def add(self, vm: Voicemail, result) -> None:
        for item in CONTENT_ITEMS:
            if item not in vm.labels:
                continue  # unlabelled
            want = vm.labels[item]
            got = result.item(item).passed
            kind = ("tp" if got else "fn") if want else ("fp" if got else "tn")
            self.per_item[item][kind] += 1
            self.total += 1
            if want == got:
                self.agree += 1
            else:
                self.disagreements.append((vm.id, item, want, result.transcript))

    @property
    def rate(self) -> float:
        return self.agree / self.total if self.total else 0.0

    def to_dict(self) -> dict:
        return {
            "agreement": round(self.rate, 4),
            "items_compared": self.total,
            "per_item": {
                item: {
                    "agreement": round((c["tp"] + c["tn"]) / max(1, sum(c.values())), 4),
                    **{k: c[k] for k in ("tp", "tn", "fp", "fn")},
                }
                for item, c in self.per_item.items()
            },
            "disagreements": [
                {"id": vid, "item": item, "label": want} for vid, item, want, _ in self.disagreements
            ],
        }


@dataclass(frozen=True)
class FollowUpEmail:
    id: str
    voicemail: Voicemail
    text: str
    labels: dict[str, bool]


def load_email_corpus() -> list[FollowUpEmail]:
    from voicemail_coach.core.followup import EMAIL_ITEMS

    voicemails = {vm.id: vm for vm in load_corpus()}
    data = tomllib.loads((CORPUS_DIR / "emails.toml").read_text())
    out = []
    for entry in data["email"]:
        unknown = set(entry["fails"]) - set(EMAIL_ITEMS)
        if unknown:
            raise ValueError(f"{entry['id']}: unknown items {sorted(unknown)}")
        labels = {item: item not in entry["fails"] for item in EMAIL_ITEMS}
        out.append(FollowUpEmail(entry["id"], voicemails[entry["voicemail"]], entry["text"], labels))
    return out


@dataclass(frozen=True)
class LaterTouch:
    id: str
    previous: Voicemail
    previous_clock: tuple[str, int]
    clock: tuple[str, int]
    text: str
    labels: dict[str, bool]


def load_touch_corpus() -> list[LaterTouch]:
    from voicemail_coach.core.touches import TOUCH_ITEMS

    voicemails = {vm.id: vm for vm in load_corpus()}
    data = tomllib.loads((CORPUS_DIR / "touches.toml").read_text())

    def clock(text: str) -> tuple[str, int]:
        day, hour = text.split()
        return day, int(hour)

    out = []
    for entry in data["touch"]:
        labels = {item: item not in entry["fails"] for item in TOUCH_ITEMS}
        out.append(LaterTouch(entry["id"], voicemails[entry["previous"]], clock(entry["previous_clock"]),
                              clock(entry["clock"]), entry["text"], labels))
    return out
