"""A session's board: reps × scenarios of the track, each cell the rep's best score there and how many tries."""

from __future__ import annotations

from dataclasses import dataclass, field

from voicemail_coach.core.records import ItemOutcome


@dataclass(frozen=True)
class Cell:
    best: int | None
    best_id: int | None
    attempts: int
    passed: bool


@dataclass
class Board:
    pass_mark: int
    reps: list[tuple[int, str]]  # (rep id, name)
    track: list[str]  # scenario ids in order
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)

    def cell(self, rep_id: int, scenario_id: str) -> Cell:
        return self.cells.get((rep_id, scenario_id), Cell(None, None, 0, False))

    def passed(self, rep_id: int) -> int:
        return sum(self.cell(rep_id, s).passed for s in self.track)

    def best_ids(self) -> list[tuple[int, str, int]]:
        """(rep id, scenario id, attempt id) of every best attempt, board order."""
        return [(r, s, self.cell(r, s).best_id) for r, _ in self.reps for s in self.track
                if self.cell(r, s).best_id is not None]


def build_board(pass_mark: int, reps: list[tuple[int, str]], track: list[str], outcomes: list[ItemOutcome]) -> Board:
    """``outcomes`` are the session's attempts ({id, rep_id, scenario_id, score}); others are ignored."""
    board = Board(pass_mark, reps, track)
    wanted = {r for r, _ in reps}
    on_track = set(track)
    groups: dict[tuple[int, str], list] = {}
    for o in outcomes:
        if o.rep_id in wanted and o.scenario_id in on_track:
            groups.setdefault((o.rep_id, o.scenario_id), []).append(o)
    for key, tries in groups.items():
        scored = [t for t in tries if t.score is not None]
        top = max(scored, key=lambda t: (t.score, -t.id), default=None)
        board.cells[key] = Cell(top.score if top else None, top.id if top else None, len(tries),
                                bool(top) and top.score >= pass_mark)
    return board
