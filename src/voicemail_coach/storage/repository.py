"""Reps and attempts in the database; recordings are copied into the data dir."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage.db import StorageError, explain_error, os_reason

STAGED_SUFFIX = ".part"


def _stored(text, default):
    """A JSON column as the type it should hold; a damaged row reads as empty rather than breaking a listing."""
    try:
        value = json.loads(text) if isinstance(text, (str, bytes)) else None
    except (ValueError, RecursionError):
        value = None
    if not isinstance(value, type(default)):
        return default
    if isinstance(value, list):  # items and words: objects only
        return [v for v in value if isinstance(v, dict)]
    return {k: v for k, v in value.items() if isinstance(v, (int, float, str, bool)) or v is None}


def _number(value, low: float = 0.0, high: float = 1e9):
    """A stored number, or None when the cell holds anything else (text, NaN, out of range)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return value if low <= value <= high else None  # NaN fails both comparisons


def _items(text) -> list[dict]:
    return [i for i in _stored(text, []) if isinstance(i.get("id"), str) and "passed" in i]


@dataclass(frozen=True)
class Rep:
    id: int
    profile: RepProfile


def guarded(fn):
    """One thread at a time, and database errors as plain StorageErrors."""

    def wrapper(self, *args, **kwargs):
        try:
            with self._lock:
                return fn(self, *args, **kwargs)
        except sqlite3.DatabaseError as exc:
            raise StorageError(explain_error(exc, self.db_path)) from None

    wrapper.__name__ = fn.__name__
    wrapper.__doc__ = fn.__doc__
    return wrapper


@dataclass
class HistoryFilter:
    """What the history shows: any of rep, scenario, session, a date range (inclusive, YYYY-MM-DD) and words."""

    rep_id: int | None = None
    scenario_id: str | None = None
    session_id: int | None = None
    since: str | None = None
    until: str | None = None
    text: str = ""

    def where(self) -> tuple[str, list]:
        clauses, args = ["a.deleted_at IS NULL"], []
        if self.rep_id is not None:
            clauses.append("a.rep_id = ?")
            args.append(self.rep_id)
        if self.scenario_id:
            clauses.append("a.scenario_id = ?")
            args.append(self.scenario_id)
        if self.session_id is not None:
            clauses.append("a.session_id = ?")
            args.append(self.session_id)
        if self.since:
            clauses.append("a.created_at >= ?")
            args.append(self.since)
        if self.until:
            clauses.append("a.created_at < date(?, '+1 day')")
            args.append(self.until)
        for word in self.text.split():
            # every word must appear; LIKE wildcards in the user's text are taken literally
            clauses.append("a.transcript LIKE ? ESCAPE '\\'")
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            args.append(f"%{escaped}%")
        return " AND ".join(clauses), args


class Repository:
    def __init__(self, conn: sqlite3.Connection, db_path: Path, recordings: Path):
        self.conn = conn
        self._lock = threading.RLock()
        self.db_path = db_path
        self.recordings = recordings

    # ------------------------------------------------------------------ reps
    @guarded
    def save_rep(self, profile: RepProfile, make_active: bool = True) -> Rep:
        row = self.conn.execute("SELECT id FROM reps WHERE name = ? COLLATE NOCASE", (profile.name,)).fetchone()
        if row:
            rep_id = row["id"]
            self.conn.execute(
                "UPDATE reps SET name=?, company=?, phone=?, email=? WHERE id=?",
                (profile.name, profile.company, profile.phone, profile.email, rep_id),
            )
        else:
            rep_id = self.conn.execute(
                "INSERT INTO reps(name, company, phone, email) VALUES (?,?,?,?)",
                (profile.name, profile.company, profile.phone, profile.email),
            ).lastrowid
        if make_active:
            self.set_setting("active_rep", str(rep_id))
        return Rep(rep_id, profile)

    @guarded
    def reps(self) -> list[Rep]:
        rows = self.conn.execute("SELECT * FROM reps ORDER BY name COLLATE NOCASE").fetchall()
        return [self._rep(r) for r in rows]

    @guarded
    def rep_by_name(self, name: str) -> Rep | None:
        row = self.conn.execute("SELECT * FROM reps WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        return self._rep(row) if row else None

    @guarded
    def active_rep(self) -> Rep | None:
        value = self.setting("active_rep")
        if value:
            row = self.conn.execute("SELECT * FROM reps WHERE id = ?", (int(value),)).fetchone()
            if row:
                return self._rep(row)
        row = self.conn.execute("SELECT * FROM reps ORDER BY id LIMIT 1").fetchone()
        return self._rep(row) if row else None

    @staticmethod
    def _rep(row: sqlite3.Row) -> Rep:
        return Rep(row["id"], RepProfile(row["name"], row["company"], row["phone"], row["email"]))

    # -------------------------------------------------------------- settings
    @guarded
    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    @guarded
    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    # -------------------------------------------------------------- attempts
    def new_recording_path(self, source: Path) -> Path:
        """A fresh name in the recordings folder for a copy of ``source`` (nothing is written yet)."""
        return self.recordings / f"{uuid.uuid4().hex}{source.suffix.lower() or '.wav'}"

    def stage(self, target: Path) -> Path:
        """Where a file bound for ``target`` is written first; it takes its real name only once its row is
        committed, so a crash, a full disk or a locked database never leaves a recording without an attempt."""
        return target.with_name(target.name + STAGED_SUFFIX)

    def _stage_copy(self, source: Path, target: Path) -> Path:
        staged = self.stage(target)
        try:
            self.recordings.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(source, staged)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise StorageError(f"could not copy the recording into {self.recordings}: {os_reason(exc)}") from None
        return staged

    def sweep_staged(self, older_than_s: float = 600.0) -> int:
        """Remove files a crash left half-written. A file still being written has a fresh mtime; one untouched
        for ten minutes belongs to no one."""
        import time

        removed = 0
        for path in self.recordings.glob(f"*{STAGED_SUFFIX}"):
            try:
                if time.time() - path.stat().st_mtime > older_than_s:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    @contextmanager
    def transaction(self):
        """One write transaction (or a part of the one already open); database errors become StorageErrors."""
        with self._lock:
            if self.conn.in_transaction:
                yield
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield
                    self.conn.execute("COMMIT")
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.execute("ROLLBACK")
                    raise
            except sqlite3.DatabaseError as exc:
                raise StorageError(explain_error(exc, self.db_path)) from None

    @guarded
    def add_attempt(
        self,
        rep_id: int | None,
        scenario_id: str | None,
        result: dict,
        words: list[dict],
        audio_path: Path | None,
        status: str = "complete",
        touch: int = 1,
        previous_id: int | None = None,
        clock: str | None = None,
        session_id: int | None = None,
        created_at: str | None = None,
        origin: str | None = None,
        engine: str | None = None,
        copy_from: Path | None = None,
    ) -> int:
        """Store an attempt. With ``copy_from``, that file is copied to ``audio_path`` (see new_recording_path)
        and appears there only if the row is stored."""
        staged = self._stage_copy(copy_from, audio_path) if copy_from is not None else None
        try:
            with self.transaction():
                attempt_id = self._insert_attempt(rep_id, scenario_id, result, words, audio_path, status, touch,
                                                  previous_id, clock, session_id, created_at, origin, engine)
                if staged is not None:
                    staged.replace(audio_path)
        except BaseException:
            if staged is not None:
                staged.unlink(missing_ok=True)
                if audio_path is not None and not self.conn.in_transaction:
                    audio_path.unlink(missing_ok=True)
            raise
        return attempt_id

    def _insert_attempt(self, rep_id, scenario_id, result, words, audio_path, status, touch, previous_id, clock,
                        session_id, created_at, origin, engine) -> int:
        metrics = result.get("metrics", {})
        return self.conn.execute(
            """INSERT INTO attempts(rep_id, scenario_id, status, score, duration_s, transcript,
                                    words_json, items_json, metrics_json, audio_path, touch, previous_id, clock,
                                    session_id, origin, engine, created_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,
                       COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))""",
            (
                rep_id,
                scenario_id,
                status,
                result["score"],
                metrics.get("duration_s"),
                result["transcript"],
                json.dumps(words),
                json.dumps(result["items"]),
                json.dumps(metrics),
                str(audio_path) if audio_path else None,
                touch,
                previous_id,
                clock,
                session_id,
                origin,
                engine,
                created_at,
            ),
        ).lastrowid

    @guarded
    def attempt(self, attempt_id: int) -> dict | None:
        row = self.conn.execute(
            """SELECT a.*, r.name AS rep FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id WHERE a.id = ?""",
            (attempt_id,),
        ).fetchone()
        if row is None:
            return None
        out = dict(row)
        out["words"] = _stored(out.pop("words_json"), [])
        out["items"] = _items(out.pop("items_json"))
        out["metrics"] = _stored(out.pop("metrics_json"), {})
        out["score"], out["duration_s"] = _number(out["score"], 0, 100), _number(out["duration_s"], 0, 86400)
        out["touch"] = _number(out.get("touch"), 1, 1000) or 1
        for key in ("transcript", "created_at", "status"):
            out[key] = out[key] if isinstance(out[key], str) else ""
        return out

    @guarded
    def save_email(self, attempt_id: int, text: str, result: dict) -> None:
        self.conn.execute(
            """INSERT INTO attempt_emails(attempt_id, text, score, items_json) VALUES (?,?,?,?)
               ON CONFLICT(attempt_id) DO UPDATE SET text=excluded.text, score=excluded.score,
               items_json=excluded.items_json, updated_at=strftime('%Y-%m-%dT%H:%M:%SZ', 'now')""",
            (attempt_id, text, result["score"], json.dumps(result["items"])),
        )

    @guarded
    def email_for(self, attempt_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM attempt_emails WHERE attempt_id = ?", (attempt_id,)).fetchone()
        if row is None:
            return None
        return {"text": row["text"], "score": row["score"], "items": _items(row["items_json"]),
                "updated_at": row["updated_at"]}

    @guarded
    def rep_by_id(self, rep_id: int | None) -> Rep | None:
        if rep_id is None:
            return None
        row = self.conn.execute("SELECT * FROM reps WHERE id = ?", (rep_id,)).fetchone()
        return self._rep(row) if row else None

    @guarded
    def history(self, rep_id: int | None = None, limit: int | None = None) -> list[dict]:
        sql = """SELECT a.id, a.created_at, r.name AS rep, a.scenario_id, a.score, a.duration_s,
                        a.transcript, a.items_json, a.audio_path, a.status, a.touch
                 FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id"""
        args: list = []
        if rep_id is not None:
            sql += " WHERE a.rep_id = ?"
            args.append(rep_id)
        sql += (" AND" if rep_id is not None else " WHERE") + " a.deleted_at IS NULL"
        sql += " ORDER BY a.created_at DESC, a.id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        out = []
        for row in self.conn.execute(sql, args):
            items = _items(row["items_json"])
            out.append(
                {
                    "id": row["id"],
                    "created_at": row["created_at"],
                    "rep": row["rep"],
                    "scenario_id": row["scenario_id"],
                    "score": _number(row["score"], 0, 100),
                    "duration_s": _number(row["duration_s"], 0, 86400),
                    "transcript": row["transcript"],
                    "items": [{"id": i["id"], "passed": i["passed"]} for i in items],
                    "audio_path": row["audio_path"],
                    "status": row["status"],
                    "touch": row["touch"],
                }
            )
        return out

    @guarded
    def rows(self, flt: HistoryFilter | None = None) -> list[tuple]:
        """History rows for tables, newest first: (id, created_at, rep, scenario_id, touch, score, duration_s,
        status, session_id, marks) — no transcripts or items, so ten thousand load in a blink."""
        where, args = (flt or HistoryFilter()).where()
        sql = f"""SELECT a.id, a.created_at, r.name, a.scenario_id, a.touch, a.score, a.duration_s, a.status,
                         a.session_id, (SELECT COUNT(DISTINCT m.item_id) FROM marks m WHERE m.attempt_id = a.id)
                  FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id WHERE {where}
                  ORDER BY a.created_at DESC, a.id DESC"""
        return [(r[0], r[1], r[2], r[3], _number(r[4], 1, 1000) or 1, _number(r[5], 0, 100),
                 _number(r[6], 0, 86400), *r[7:]) for r in self.conn.execute(sql, args)]

    @guarded
    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM attempts WHERE deleted_at IS NULL").fetchone()[0]

    @guarded
    def item_outcomes(self, flt: HistoryFilter | None = None, items: bool = True) -> list[dict]:
        """Per attempt: id, created_at, rep_id, scenario_id, score and (unless ``items`` is false, which spares
        reading every checklist) {item id: passed}, oldest first (progress, boards, reports)."""
        where, args = (flt or HistoryFilter()).where()
        sql = f"""SELECT a.id, a.created_at, a.rep_id, a.scenario_id, a.score, a.session_id
                         {', a.items_json' if items else ''}
                  FROM attempts a WHERE {where} ORDER BY a.created_at, a.id"""
        out = []
        for row in self.conn.execute(sql, args):
            outcome = {"id": row["id"], "created_at": row["created_at"], "rep_id": row["rep_id"],
                       "scenario_id": row["scenario_id"], "score": _number(row["score"], 0, 100),
                       "session_id": row["session_id"]}
            if items:
                outcome["items"] = {i["id"]: bool(i["passed"]) for i in _items(row["items_json"])}
            out.append(outcome)
        return out

    @guarded
    def data_version(self) -> int:
        """Changes whenever another connection (another window, another process) commits to the database."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    # ------------------------------------------------------ delete with undo
    @guarded
    def delete_attempts(self, ids: list[int]) -> None:
        """Hide attempts from every view; restore_attempts() undoes it until purge_deleted() runs."""
        self.conn.executemany(
            "UPDATE attempts SET deleted_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", [(i,) for i in ids])

    @guarded
    def restore_attempts(self, ids: list[int]) -> None:
        self.conn.executemany("UPDATE attempts SET deleted_at = NULL WHERE id = ?", [(i,) for i in ids])

    @guarded
    def purge_deleted(self) -> int:
        """Remove deleted attempts for good, with their recordings (only files inside the recordings folder)."""
        rows = self.conn.execute("SELECT id, audio_path FROM attempts WHERE deleted_at IS NOT NULL").fetchall()
        if not rows:
            return 0
        with self.transaction():
            for row in rows:
                self.conn.execute("UPDATE attempts SET previous_id = NULL WHERE previous_id = ?", (row["id"],))
                self.conn.execute("DELETE FROM attempts WHERE id = ?", (row["id"],))
        self._unlink_recordings(r["audio_path"] for r in rows)
        return len(rows)

    # --------------------------------------------------------------- privacy
    def _unlink_recordings(self, paths) -> None:
        """Delete recordings, but only files inside the recordings folder (an attempt may point elsewhere)."""
        root = self.recordings.resolve()
        for value in paths:
            if value:
                path = Path(value).resolve()
                if path.is_relative_to(root):
                    path.unlink(missing_ok=True)

    @guarded
    def expire_recordings(self, days: int) -> int:
        """Delete recordings older than ``days``; scores, transcripts and comments stay. Returns how many."""
        rows = self.conn.execute(
            """SELECT id, audio_path FROM attempts WHERE audio_path IS NOT NULL
               AND created_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?)""", (f"-{int(days)} days",)).fetchall()
        if not rows:
            return 0
        self.conn.executemany("UPDATE attempts SET audio_path = NULL WHERE id = ?", [(r["id"],) for r in rows])
        self._unlink_recordings(r["audio_path"] for r in rows)
        return len(rows)

    @guarded
    def rep_footprint(self, rep_id: int) -> dict:
        """What deleting a rep removes: attempts (with recordings) and comments on them."""
        attempts = self.conn.execute("SELECT COUNT(*), COUNT(audio_path) FROM attempts WHERE rep_id = ?",
                                     (rep_id,)).fetchone()
        comments = self.conn.execute("SELECT COUNT(*) FROM comments c JOIN attempts a ON a.id = c.attempt_id "
                                     "WHERE a.rep_id = ?", (rep_id,)).fetchone()[0]
        return {"attempts": attempts[0], "recordings": attempts[1], "comments": comments}

    @guarded
    def delete_rep(self, rep_id: int) -> dict:
        """Remove a rep and everything of theirs for good: attempts, recordings, comments, marks, emails,
        session places. Sessions they trained keep going without a trainer."""
        footprint = self.rep_footprint(rep_id)
        paths = [r[0] for r in self.conn.execute("SELECT audio_path FROM attempts WHERE rep_id = ?", (rep_id,))]
        with self.transaction():
            mine = "SELECT id FROM attempts WHERE rep_id = ?"
            self.conn.execute(f"UPDATE attempts SET previous_id = NULL WHERE previous_id IN ({mine})", (rep_id,))
            self.conn.execute(f"UPDATE session_track SET exemplar_id = NULL WHERE exemplar_id IN ({mine})", (rep_id,))
            self.conn.execute("DELETE FROM attempts WHERE rep_id = ?", (rep_id,))  # comments, marks, emails cascade
            self.conn.execute("DELETE FROM session_reps WHERE rep_id = ?", (rep_id,))
            self.conn.execute("UPDATE sessions SET trainer_id = NULL WHERE trainer_id = ?", (rep_id,))
            self.conn.execute("DELETE FROM reps WHERE id = ?", (rep_id,))
            self.conn.execute("DELETE FROM settings WHERE key = 'active_rep' AND value = ?", (str(rep_id),))
        self._unlink_recordings(paths)
        return footprint

    # -------------------------------------------------------------- comments
    @guarded
    def add_comment(self, attempt_id: int, text: str, at_s: float | None, author: str = "",
                    created_at: str | None = None) -> int:
        return self.conn.execute(
            """INSERT INTO comments(attempt_id, at_s, author, text, created_at)
               VALUES (?,?,?,?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))""",
            (attempt_id, at_s, author, text, created_at)).lastrowid

    @guarded
    def comments(self, attempt_id: int) -> list[dict]:
        rows = self.conn.execute(
            "SELECT id, at_s, author, text, created_at FROM comments WHERE attempt_id = ? ORDER BY at_s IS NULL, at_s, id",
            (attempt_id,)).fetchall()
        return [dict(r) for r in rows]

    @guarded
    def delete_comment(self, comment_id: int) -> dict | None:
        row = self.conn.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()
        self.conn.execute("DELETE FROM comments WHERE id = ?", (comment_id,))
        return dict(row) if row else None

    # ----------------------------------------------------------------- marks
    @guarded
    def add_mark(self, attempt_id: int, item_id: str, said: bool, marker: str = "", role: str = "rep",
                 created_at: str | None = None) -> int:
        """A person's word on a checklist item: "I said it" (``said``) or "I didn't"."""
        if role not in ("rep", "trainer"):
            raise ValueError("role must be 'rep' or 'trainer'")
        return self.conn.execute(
            """INSERT INTO marks(attempt_id, item_id, said, marker, role, created_at)
               VALUES (?,?,?,?,?, COALESCE(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')))""",
            (attempt_id, item_id, int(bool(said)), marker, role, created_at)).lastrowid

    @guarded
    def marks(self, attempt_id: int) -> list[dict]:
        """Every mark on an attempt, oldest first: {id, item_id, said, marker, role, created_at}."""
        rows = self.conn.execute(
            "SELECT id, item_id, said, marker, role, created_at FROM marks WHERE attempt_id = ? ORDER BY id",
            (attempt_id,)).fetchall()
        return [{**dict(r), "said": bool(r["said"])} for r in rows]

    def labels(self, attempt_id: int) -> dict[str, dict]:
        """The mark that counts per item: a trainer's over a rep's, the latest of each."""
        out: dict[str, dict] = {}
        for mark in self.marks(attempt_id):
            current = out.get(mark["item_id"])
            if current is None or mark["role"] == "trainer" or current["role"] == "rep":
                out[mark["item_id"]] = mark
        return out

    @guarded
    def marked_attempt_ids(self, rep_id: int | None = None) -> list[int]:
        sql = """SELECT DISTINCT m.attempt_id FROM marks m JOIN attempts a ON a.id = m.attempt_id
                 WHERE a.deleted_at IS NULL""" + (" AND a.rep_id = ?" if rep_id is not None else "")
        return [r[0] for r in self.conn.execute(sql + " ORDER BY m.attempt_id", (rep_id,) if rep_id is not None else ())]

    @guarded
    def attempt_by_origin(self, origin: str) -> int | None:
        row = self.conn.execute("SELECT id FROM attempts WHERE origin = ?", (origin,)).fetchone()
        return row["id"] if row else None
