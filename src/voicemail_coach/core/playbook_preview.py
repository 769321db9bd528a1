"""What an edited playbook would change, before it is saved: the history graded with both.

Each attempt is graded again from its saved words with the playbook in use and
with the edited one (the measures taken on the audio are left out of both, so
the two are compared like for like): how many scores move and by how much,
which items turn, and, where a rep or trainer marked items, how often each
playbook agrees with the marks. The labelled corpus that ships with the app is
graded with both too, against its labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.transcript import Transcript


@dataclass(frozen=True)
class Case:
    transcript: Transcript
    rep: RepProfile
    prospect: Prospect
    target_s: tuple[float, float] | None = None
    labels: dict[str, bool] = field(default_factory=dict)  # marked items: should pass


@dataclass
class Preview:
    attempts: int = 0
    changed: int = 0  # attempts whose score moves
    mean_change: float = 0.0  # points, edited minus current, over all attempts
    turned_pass: dict[str, int] = field(default_factory=dict)  # item id: attempts where it now passes
    turned_fail: dict[str, int] = field(default_factory=dict)
    labelled: int = 0  # marked items compared
    agree_now: int = 0
    agree_edited: int = 0
    corpus_labels: int = 0  # labels of the labelled corpus compared
    corpus_now: int = 0
    corpus_edited: int = 0

    def summary(self) -> str:
        parts = []
        if self.corpus_labels:
            parts.append(f"The labelled corpus agrees with {100 * self.corpus_now / self.corpus_labels:.1f}% of its "
                         f"{self.corpus_labels} labels now, {100 * self.corpus_edited / self.corpus_labels:.1f}% edited")
        if not self.attempts:
            return "; ".join(parts + ["no saved attempts to try it on yet."])
        parts.append(f"on {self.attempts} saved attempt{'s' * (self.attempts != 1)}: "
                     f"{self.changed} score{'s' * (self.changed != 1)} change (average {self.mean_change:+.1f} points)")
        for label, turned in (("now pass", self.turned_pass), ("now fail", self.turned_fail)):
            if turned:
                parts.append(f"{label}: " + ", ".join(f"{k} ×{n}" for k, n in sorted(turned.items(), key=lambda x: -x[1])))
        if self.labelled:
            parts.append(f"agreement with the marks: {self.agree_now}/{self.labelled} now, "
                         f"{self.agree_edited}/{self.labelled} edited")
        text = "; ".join(parts) + "."
        return text[0].upper() + text[1:]


def preview(cases: list[Case], current: Rubric, edited: Rubric, corpus: list[Case] = ()) -> Preview:
    """``cases``: the saved attempts (with their marks); ``corpus``: labelled voicemails, every item labelled."""
    out = Preview(attempts=len(cases))
    for case in corpus:
        before = grade(case.transcript, case.rep, case.prospect, current, case.target_s)
        after = grade(case.transcript, case.rep, case.prospect, edited, case.target_s)
        was, now = {i.id: i.passed for i in before.items}, {i.id: i.passed for i in after.items}
        for item_id, want in case.labels.items():
            if item_id in was and item_id in now:
                out.corpus_labels += 1
                out.corpus_now += was[item_id] == want
                out.corpus_edited += now[item_id] == want
    total = 0
    for case in cases:
        before = grade(case.transcript, case.rep, case.prospect, current, case.target_s)
        after = grade(case.transcript, case.rep, case.prospect, edited, case.target_s)
        total += after.score - before.score
        out.changed += after.score != before.score
        was = {i.id: i.passed for i in before.items}
        for item in after.items:
            if item.id in was and item.passed != was[item.id]:
                turned = out.turned_pass if item.passed else out.turned_fail
                turned[item.id] = turned.get(item.id, 0) + 1
        now = {i.id: i.passed for i in after.items}
        for item_id, said in case.labels.items():
            if item_id in was and item_id in now:
                out.labelled += 1
                out.agree_now += was[item_id] == said
                out.agree_edited += now[item_id] == said
    out.mean_change = total / len(cases) if cases else 0.0
    return out
