"""What a report holds, gathered from the database: a session's board, cohort pass rates and best scorecards,
or one rep's progress and best scorecards. Rendering is elsewhere (CSV/HTML, then PDF)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace

from voicemail_coach.core.board import Board, build_board
from voicemail_coach.core.progress import ItemRate, Progress, item_rates, progress
from voicemail_coach.core.records import Comment, HistoryFilter, Mark, Rep, Session
from voicemail_coach.core.redact import mask_item, mask_text
from voicemail_coach.services import Services


@dataclass
class AttemptCard:
    """One attempt as a report shows it: the scorecard, the transcript and the trainer's comments."""

    id: int
    rep: str
    scenario_id: str | None
    scenario: str
    created_at: str
    score: int
    items: list[dict]
    transcript: str
    metrics: dict
    comments: list[Comment] = field(default_factory=list)
    marks: dict[str, Mark] = field(default_factory=dict)  # item id -> the mark that counts


@dataclass
class SessionReport:
    name: str
    created_at: str
    pass_mark: int
    trainer: str
    titles: dict[str, str]  # scenario id -> title, for the track
    board: Board
    rates: list[ItemRate]  # over the best attempt of each rep on each scenario
    cards: list[AttemptCard]  # best attempts, board order
    exemplars: dict[str, AttemptCard]
    generated_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))


@dataclass
class RepReport:
    rep: str
    progress: Progress
    titles: dict[str, str]
    cards: list[AttemptCard]  # best attempt per scenario
    attempts: list[dict]  # every attempt's outcome, oldest first
    generated_at: str = field(default_factory=lambda: time.strftime("%Y-%m-%d %H:%M"))


def card(services: Services, attempt_id: int, titles: dict[str, str] | None = None,
         mask: bool = False) -> AttemptCard | None:
    """One attempt for a report; with ``mask``, phone numbers and emails in its words are replaced by •••."""
    row = services.repo.attempt(attempt_id)
    if row is None:
        return None
    titles = titles if titles is not None else services.scenarios.titles()
    sid = row.scenario_id
    items, transcript, comments = row.items, row.transcript, services.repo.comments(row.id)
    if mask:
        items, transcript = [mask_item(i) for i in items], mask_text(transcript)
        comments = [replace(c, text=mask_text(c.text)) for c in comments]
    return AttemptCard(row.id, row.rep or "", sid, titles.get(sid or "", sid or "no scenario"),
                       row.created_at, row.score or 0, items, transcript, row.metrics,
                       comments, services.repo.labels(row.id))


def board_for(services: Services, session: Session) -> Board:
    names = {r.id: r.profile.name for r in services.repo.reps()}
    reps = [(r, names.get(r, f"rep {r}")) for r in session.rep_ids]
    outcomes = services.repo.item_outcomes(HistoryFilter(session_id=session.id), items=False)
    return build_board(session.pass_mark, reps, session.track, outcomes)


def session_report(services: Services, session: Session, mask: bool = False) -> SessionReport:
    titles = services.scenarios.titles()
    board = board_for(services, session)
    cards = [c for _, _, aid in board.best_ids() if (c := card(services, aid, titles, mask))]
    rates = item_rates([{i["id"]: i["passed"] for i in c.items} for c in cards], services.rubric)
    exemplars = {sid: c for sid, aid in session.exemplars.items() if (c := card(services, aid, titles, mask))}
    trainer = services.repo.rep_by_id(session.trainer_id)
    return SessionReport(session.name, session.created_at, session.pass_mark,
                         trainer.profile.name if trainer else "", {s: titles.get(s, s) for s in session.track},
                         board, rates, cards, exemplars)


def rep_report(services: Services, rep: Rep, mask: bool = False) -> RepReport:
    titles = services.scenarios.titles()
    outcomes = services.repo.item_outcomes(HistoryFilter(rep_id=rep.id))
    prog = progress(outcomes, services.rubric)
    cards = [c for b in prog.bests if (c := card(services, b.attempt_id, titles, mask))]
    return RepReport(rep.profile.name, prog, titles, cards, outcomes)
