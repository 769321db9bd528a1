"""What the database hands back: typed records, the same for views, reports, bundles and the CLI.

Storage builds them from rows (and checks every value on the way); nothing else reads rows."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.results import GradeResult, ItemResult


@dataclass(frozen=True)
class Rep:
    id: int
    profile: RepProfile


@dataclass(frozen=True)
class SavedAttempt:
    """One stored attempt in full: its grade, words and where its recording is."""

    id: int
    created_at: str
    rep_id: int | None
    rep: str  # the rep's name, '' when the attempt has no rep
    scenario_id: str | None
    status: str
    score: int | None
    duration_s: float | None
    transcript: str
    words: list[dict]  # {text, start, end, p}
    items: list[dict]  # ItemResult.to_dict() forms
    metrics: dict
    audio_path: str | None = None
    touch: int = 1
    previous_id: int | None = None
    clock: str | None = None
    session_id: int | None = None
    origin: str | None = None
    engine: str | None = None

    def result(self) -> GradeResult:
        return GradeResult(self.score or 0, [ItemResult.from_dict(i) for i in self.items], self.transcript,
                           dict(self.metrics))

    def item(self, item_id: str) -> dict | None:
        return next((i for i in self.items if i["id"] == item_id), None)


@dataclass(frozen=True)
class HistoryEntry:
    """An attempt as listed by `history`: the transcript and each item's outcome, no words."""

    id: int
    created_at: str
    rep: str
    scenario_id: str | None
    score: int | None
    duration_s: float | None
    transcript: str
    items: list[dict]  # {id, passed}
    audio_path: str | None
    status: str
    touch: int

    def to_json(self) -> dict:
        keys = ("id", "created_at", "rep", "scenario_id", "score", "duration_s", "transcript", "items")
        return {k: getattr(self, k) for k in keys}


@dataclass(frozen=True)
class HistoryRow:
    """One line of the History table: no transcript or items, so ten thousand load in a blink."""

    id: int
    created_at: str
    rep: str
    scenario_id: str | None
    touch: int
    score: int | None
    duration_s: float | None
    status: str
    session_id: int | None
    marked_items: int  # how many items a person has marked


@dataclass(frozen=True)
class ItemOutcome:
    """Per attempt, what progress views, boards and reports count."""

    id: int
    created_at: str
    rep_id: int | None
    scenario_id: str | None
    score: int | None
    session_id: int | None
    items: dict[str, bool] = field(default_factory=dict)  # item id -> passed


@dataclass(frozen=True)
class Comment:
    id: int
    attempt_id: int
    at_s: float | None  # where in the recording; None for the attempt as a whole
    author: str
    text: str
    created_at: str

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("at_s", "author", "text", "created_at")}


@dataclass(frozen=True)
class Mark:
    """A person's word on a checklist item: said or not, by whom, as rep or trainer."""

    id: int
    item_id: str
    said: bool
    marker: str
    role: str  # rep or trainer
    created_at: str

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("item_id", "said", "marker", "role", "created_at")}


@dataclass(frozen=True)
class SavedEmail:
    text: str
    score: int | None
    items: list[dict]
    updated_at: str

    def to_json(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Drill:
    """One part of the message rehearsed alone (core/drills.py)."""

    id: int
    created_at: str
    rep_id: int | None
    scenario_id: str | None
    part: str
    passed: bool
    transcript: str
    items: list[dict]


@dataclass
class Session:
    id: int | None
    name: str
    pass_mark: int
    trainer_id: int | None
    created_at: str | None
    rep_ids: list[int] = field(default_factory=list)
    track: list[str] = field(default_factory=list)  # scenario ids, in order
    exemplars: dict[str, int] = field(default_factory=dict)  # scenario id -> attempt id
    playbook: str | None = None  # the playbook file its attempts are graded with; None: the one in use


@dataclass
class HistoryFilter:
    """What the history shows: any of rep, scenario, session, a date range (inclusive, YYYY-MM-DD) and words."""

    rep_id: int | None = None
    scenario_id: str | None = None
    session_id: int | None = None
    since: str | None = None
    until: str | None = None
    text: str = ""
