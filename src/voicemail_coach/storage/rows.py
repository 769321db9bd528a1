"""Database rows into typed records. Every cell is checked on the way: a damaged or hand-edited row reads as
empty or missing values rather than breaking a listing."""

from __future__ import annotations

import json
from typing import Any

from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.records import (
    Comment, Drill, HistoryEntry, HistoryFilter, HistoryRow, ItemOutcome, Mark, Rep, SavedAttempt, SavedEmail,
)

Row = Any  # sqlite3.Row or a server row: read by column name

SCORE = (0, 100)
SECONDS = (0, 86400)
TOUCHES = (1, 1000)


def stored(text, default):
    """A JSON column as the type it should hold, or ``default``."""
    try:
        value = json.loads(text) if isinstance(text, (str, bytes)) else None
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, type(default)):
        return default
    if isinstance(value, list):  # items and words: objects only
        return [v for v in value if isinstance(v, dict)]
    return {k: _flat(v) if isinstance(v, list) else _measures(v) if isinstance(v, dict) else v
            for k, v in value.items() if isinstance(v, (int, float, str, bool, list, dict)) or v is None}


def _flat(values: list) -> list[dict]:
    """A metric that is a list of measurements (the number's readings): flat objects only."""
    return [{k: x for k, x in v.items() if isinstance(x, (int, float, str, bool))} for v in values if isinstance(v, dict)]


def _measures(values: dict) -> dict:
    """A metric that is a group of measures (the voice): numbers, and series of number pairs (its curves)."""
    def pair(p) -> bool:
        return isinstance(p, list) and len(p) == 2 and all(isinstance(x, (int, float)) and not isinstance(x, bool)
                                                           for x in p)

    return {k: [p for p in v if pair(p)] if isinstance(v, list) else v for k, v in values.items()
            if isinstance(v, (int, float, list)) and not isinstance(v, bool)}


def number(value, bounds: tuple[float, float] = (0.0, 1e9)):
    """A stored number, or None when the cell holds anything else (text, NaN, out of range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if bounds[0] <= value <= bounds[1] else None  # NaN fails both comparisons


def text(value) -> str:
    return value if isinstance(value, str) else ""


def items_of(cell) -> list[dict]:
    return [i for i in stored(cell, []) if isinstance(i.get("id"), str) and "passed" in i]


def rep(row: Row) -> Rep:
    return Rep(row["id"], RepProfile(row["name"], row["company"], row["phone"], row["email"]))


def attempt(row: Row) -> SavedAttempt:
    """From ``SELECT a.*, r.name AS rep``."""
    return SavedAttempt(
        id=row["id"], created_at=text(row["created_at"]), rep_id=row["rep_id"], rep=text(row["rep"]),
        scenario_id=row["scenario_id"], status=text(row["status"]), score=number(row["score"], SCORE),
        duration_s=number(row["duration_s"], SECONDS), transcript=text(row["transcript"]),
        words=stored(row["words_json"], []), items=items_of(row["items_json"]), metrics=stored(row["metrics_json"], {}),
        audio_path=row["audio_path"] if isinstance(row["audio_path"], str) else None,
        touch=number(row["touch"], TOUCHES) or 1, previous_id=row["previous_id"], clock=row["clock"],
        session_id=row["session_id"], origin=row["origin"], engine=row["engine"],
    )


def history_entry(row: Row) -> HistoryEntry:
    return HistoryEntry(
        id=row["id"], created_at=text(row["created_at"]), rep=text(row["rep"]), scenario_id=row["scenario_id"],
        score=number(row["score"], SCORE), duration_s=number(row["duration_s"], SECONDS),
        transcript=text(row["transcript"]),
        items=[{"id": i["id"], "passed": i["passed"]} for i in items_of(row["items_json"])],
        audio_path=row["audio_path"], status=text(row["status"]), touch=number(row["touch"], TOUCHES) or 1,
    )


def history_row(r: Row) -> HistoryRow:
    return HistoryRow(r["id"], text(r["created_at"]), text(r["rep"]), r["scenario_id"],
                      number(r["touch"], TOUCHES) or 1, number(r["score"], SCORE), number(r["duration_s"], SECONDS),
                      text(r["status"]), r["session_id"], r["marked_items"] or 0)


def outcome(row: Row, with_items: bool) -> ItemOutcome:
    return ItemOutcome(row["id"], text(row["created_at"]), row["rep_id"], row["scenario_id"],
                       number(row["score"], SCORE), row["session_id"],
                       {i["id"]: bool(i["passed"]) for i in items_of(row["items_json"])} if with_items else {})


def comment(row: Row) -> Comment:
    return Comment(row["id"], row["attempt_id"], number(row["at_s"], SECONDS), text(row["author"]),
                   text(row["text"]), text(row["created_at"]))


def mark(row: Row) -> Mark:
    return Mark(row["id"], row["item_id"], bool(row["said"]), text(row["marker"]), row["role"],
                text(row["created_at"]))


def drill(row: Row) -> Drill:
    return Drill(row["id"], text(row["created_at"]), row["rep_id"], row["scenario_id"], text(row["part"]),
                 bool(row["passed"]), text(row["transcript"]), items_of(row["items_json"]))


def email(row: Row) -> SavedEmail:
    return SavedEmail(text(row["text"]), number(row["score"], SCORE), items_of(row["items_json"]),
                      text(row["updated_at"]))


def _day_after(day: str) -> str:
    """The day after ``day`` (YYYY-MM-DD), so a filter's last day is included whole."""
    import datetime

    try:
        return (datetime.date.fromisoformat(day[:10]) + datetime.timedelta(days=1)).isoformat()
    except ValueError:
        return day


def where(flt: HistoryFilter) -> tuple[str, list]:
    """The SQL condition on ``attempts a`` for a history filter, with its arguments."""
    clauses, args = ["a.deleted_at IS NULL"], []
    for value, clause in ((flt.rep_id, "a.rep_id = ?"), (flt.scenario_id or None, "a.scenario_id = ?"),
                          (flt.session_id, "a.session_id = ?"), (flt.since or None, "a.created_at >= ?"),
                          (_day_after(flt.until) if flt.until else None, "a.created_at < ?")):
        if value is not None:
            clauses.append(clause)
            args.append(value)
    for word in flt.text.split():
        # every word must appear; LIKE wildcards in the user's text are taken literally
        clauses.append("lower(a.transcript) LIKE lower(?) ESCAPE '\\'")
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        args.append(f"%{escaped}%")
    return " AND ".join(clauses), args
