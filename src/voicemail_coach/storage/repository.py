"""Reps, attempts, comments and marks in the database; recordings are copied into the data dir.

Every read returns a typed record (core/records.py); storage/rows.py turns rows into them."""

from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.records import (
    Comment, Drill, HistoryEntry, HistoryFilter, HistoryRow, ItemOutcome, Mark, Rep, SavedAttempt, SavedEmail,
)
from voicemail_coach.storage import rows
from voicemail_coach.storage.db import StorageError, guarded
from voicemail_coach.storage.recordings import RecordingFolder
from voicemail_coach.storage.sql import Database, utc_now

__all__ = ["HistoryFilter", "Rep", "Repository", "StorageError", "TEAM_URL", "guarded"]

TEAM_URL = "team_url"  # the setting that holds the joined team server's address (never its password)


class Repository:
    def __init__(self, db: Database, recordings: Path):
        self.conn = db  # a SQLite file or a PostgreSQL database: the same SQL runs on both
        self.lock = threading.RLock()  # one connection, shared by every store built on it
        self.files = RecordingFolder(recordings)

    # ------------------------------------------------------------------ reps
    @guarded
    def save_rep(self, profile: RepProfile, make_active: bool = True) -> Rep:
        row = self.conn.execute("SELECT id FROM reps WHERE lower(name) = lower(?)", (profile.name,)).fetchone()
        if row:
            rep_id = row["id"]
            self.conn.execute(
                "UPDATE reps SET name=?, company=?, phone=?, email=? WHERE id=?",
                (profile.name, profile.company, profile.phone, profile.email, rep_id),
            )
        else:
            rep_id = self.conn.insert(
                "INSERT INTO reps(name, company, phone, email) VALUES (?,?,?,?)",
                (profile.name, profile.company, profile.phone, profile.email),
            )
        if make_active:
            self.set_setting("active_rep", str(rep_id))
        return Rep(rep_id, profile)

    @guarded
    def reps(self) -> list[Rep]:
        return [rows.rep(r) for r in self.conn.execute("SELECT * FROM reps ORDER BY lower(name), name")]

    @guarded
    def rep_by_name(self, name: str) -> Rep | None:
        row = self.conn.execute("SELECT * FROM reps WHERE lower(name) = lower(?)", (name,)).fetchone()
        return rows.rep(row) if row else None

    @guarded
    def active_rep(self) -> Rep | None:
        value = self.setting("active_rep")
        if value:
            row = self.conn.execute("SELECT * FROM reps WHERE id = ?", (int(value),)).fetchone()
            if row:
                return rows.rep(row)
        row = self.conn.execute("SELECT * FROM reps ORDER BY id LIMIT 1").fetchone()
        return rows.rep(row) if row else None

    # -------------------------------------------------------------- settings
    @guarded
    def setting(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row["value"] if row else None

    @guarded
    def set_setting(self, key: str, value: str) -> None:
        self.conn.execute("INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    @guarded
    def clear_setting(self, key: str) -> None:
        self.conn.execute("DELETE FROM settings WHERE key = ?", (key,))

    # -------------------------------------------------------------- attempts
    @property
    def in_transaction(self) -> bool:
        """A write is still open: files it was to commit must not be removed yet."""
        return self.conn.in_transaction

    @contextmanager
    def transaction(self):
        """One write transaction (or a part of the one already open); database errors become StorageErrors."""
        with self.lock:
            if self.conn.in_transaction:
                yield
                return
            try:
                self.conn.begin()
                try:
                    yield
                    self.conn.commit()
                except BaseException:
                    if self.conn.in_transaction:
                        self.conn.rollback()
                    raise
            except self.conn.errors as exc:
                raise StorageError(self.conn.explain(exc)) from None

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
        staged = self.files.stage_copy(copy_from, audio_path) if copy_from is not None else None
        try:
            with self.transaction():
                attempt_id = self._insert_attempt(rep_id, scenario_id, result, words, audio_path, status, touch,
                                                  previous_id, clock, session_id, created_at, origin, engine)
                if origin is None and self.setting(TEAM_URL):
                    # practised here on a machine that belongs to a team: queued in the same transaction,
                    # so an attempt is either not saved or sure to be uploaded
                    self.conn.execute("INSERT INTO outbox(attempt_id) VALUES (?)", (attempt_id,))
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
        return self.conn.insert(
            """INSERT INTO attempts(rep_id, scenario_id, status, score, duration_s, transcript,
                                    words_json, items_json, metrics_json, audio_path, touch, previous_id, clock,
                                    session_id, origin, engine, created_at)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
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
                created_at or utc_now(),
            ),
        )

    @guarded
    def replace_grade(self, attempt_id: int, result: dict) -> None:
        """A saved attempt graded again (a measure that comes after the scorecard): score, items, metrics."""
        with self.transaction():
            self.conn.execute("UPDATE attempts SET score = ?, items_json = ?, metrics_json = ? WHERE id = ?",
                              (result["score"], json.dumps(result["items"]), json.dumps(result.get("metrics", {})),
                               attempt_id))

    @guarded
    def attempt(self, attempt_id: int) -> SavedAttempt | None:
        row = self.conn.execute(
            """SELECT a.*, r.name AS rep FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id WHERE a.id = ?""",
            (attempt_id,),
        ).fetchone()
        return rows.attempt(row) if row else None

    @guarded
    def save_email(self, attempt_id: int, text: str, result: dict) -> None:
        self.conn.execute(
            """INSERT INTO attempt_emails(attempt_id, text, score, items_json, updated_at) VALUES (?,?,?,?,?)
               ON CONFLICT(attempt_id) DO UPDATE SET text=excluded.text, score=excluded.score,
               items_json=excluded.items_json, updated_at=excluded.updated_at""",
            (attempt_id, text, result["score"], json.dumps(result["items"]), utc_now()),
        )

    @guarded
    def email_for(self, attempt_id: int) -> SavedEmail | None:
        row = self.conn.execute("SELECT * FROM attempt_emails WHERE attempt_id = ?", (attempt_id,)).fetchone()
        return rows.email(row) if row else None

    @guarded
    def rep_by_id(self, rep_id: int | None) -> Rep | None:
        if rep_id is None:
            return None
        row = self.conn.execute("SELECT * FROM reps WHERE id = ?", (rep_id,)).fetchone()
        return rows.rep(row) if row else None

    @guarded
    def history(self, rep_id: int | None = None, limit: int | None = None) -> list[HistoryEntry]:
        sql = """SELECT a.id, a.created_at, r.name AS rep, a.scenario_id, a.score, a.duration_s,
                        a.transcript, a.items_json, a.audio_path, a.status, a.touch
                 FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id WHERE a.deleted_at IS NULL"""
        args: list = []
        if rep_id is not None:
            sql += " AND a.rep_id = ?"
            args.append(rep_id)
        sql += " ORDER BY a.created_at DESC, a.id DESC"
        if limit:
            sql += " LIMIT ?"
            args.append(limit)
        return [rows.history_entry(row) for row in self.conn.execute(sql, args)]

    @guarded
    def rows(self, flt: HistoryFilter | None = None) -> list[HistoryRow]:
        """History table rows, newest first."""
        where, args = rows.where(flt or HistoryFilter())
        sql = f"""SELECT a.id, a.created_at, r.name AS rep, a.scenario_id, a.touch, a.score, a.duration_s, a.status,
                         a.session_id,
                         (SELECT COUNT(DISTINCT m.item_id) FROM marks m WHERE m.attempt_id = a.id) AS marked_items
                  FROM attempts a LEFT JOIN reps r ON r.id = a.rep_id WHERE {where}
                  ORDER BY a.created_at DESC, a.id DESC"""
        return [rows.history_row(r) for r in self.conn.execute(sql, args)]

    @guarded
    def count(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM attempts WHERE deleted_at IS NULL").fetchone()[0]

    @guarded
    def item_outcomes(self, flt: HistoryFilter | None = None, items: bool = True) -> list[ItemOutcome]:
        """Oldest first (progress, boards, reports); ``items=False`` spares reading every checklist."""
        where, args = rows.where(flt or HistoryFilter())
        sql = f"""SELECT a.id, a.created_at, a.rep_id, a.scenario_id, a.score, a.session_id
                         {', a.items_json' if items else ''}
                  FROM attempts a WHERE {where} ORDER BY a.created_at, a.id"""
        return [rows.outcome(row, items) for row in self.conn.execute(sql, args)]

    @guarded
    def data_version(self) -> int:
        """Changes whenever another connection (another window, another process) commits to the database."""
        return self.conn.data_version()

    # ------------------------------------------------------ delete with undo
    @guarded
    def delete_attempts(self, ids: list[int]) -> None:
        """Hide attempts from every view; restore_attempts() undoes it until purge_deleted() runs."""
        now = utc_now()
        self.conn.executemany("UPDATE attempts SET deleted_at = ? WHERE id = ?", [(now, i) for i in ids])

    @guarded
    def restore_attempts(self, ids: list[int]) -> None:
        self.conn.executemany("UPDATE attempts SET deleted_at = NULL WHERE id = ?", [(i,) for i in ids])

    @guarded
    def purge_deleted(self) -> int:
        """Remove deleted attempts for good, with their recordings (only files inside the recordings folder)."""
        gone = self.conn.execute("SELECT id, audio_path FROM attempts WHERE deleted_at IS NOT NULL").fetchall()
        if not gone:
            return 0
        with self.transaction():
            for row in gone:
                self.conn.execute("UPDATE attempts SET previous_id = NULL WHERE previous_id = ?", (row["id"],))
                self.conn.execute("DELETE FROM attempts WHERE id = ?", (row["id"],))
        self.files.unlink(r["audio_path"] for r in gone)
        return len(gone)

    # --------------------------------------------------------------- privacy
    @guarded
    def expire_recordings(self, days: int) -> int:
        """Delete recordings older than ``days``; scores, transcripts and comments stay. Returns how many."""
        cutoff = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - int(days) * 86400))
        old = self.conn.execute(
            "SELECT id, audio_path FROM attempts WHERE audio_path IS NOT NULL AND created_at < ?", (cutoff,)).fetchall()
        if not old:
            return 0
        self.conn.executemany("UPDATE attempts SET audio_path = NULL WHERE id = ?", [(r["id"],) for r in old])
        self.files.unlink(r["audio_path"] for r in old)
        return len(old)

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
        self.files.unlink(paths)
        return footprint

    # -------------------------------------------------------------- comments
    @guarded
    def add_comment(self, attempt_id: int, text: str, at_s: float | None, author: str = "",
                    created_at: str | None = None) -> int:
        return self.conn.insert("INSERT INTO comments(attempt_id, at_s, author, text, created_at) VALUES (?,?,?,?,?)",
                                (attempt_id, at_s, author, text, created_at or utc_now()))

    @guarded
    def comments(self, attempt_id: int) -> list[Comment]:
        found = self.conn.execute(
            "SELECT * FROM comments WHERE attempt_id = ? ORDER BY at_s IS NULL, at_s, id", (attempt_id,))
        return [rows.comment(r) for r in found]

    @guarded
    def delete_comment(self, comment_id: int) -> Comment | None:
        row = self.conn.execute("SELECT * FROM comments WHERE id = ?", (comment_id,)).fetchone()
        self.conn.execute("DELETE FROM comments WHERE id = ?", (comment_id,))
        return rows.comment(row) if row else None

    # ----------------------------------------------------------------- marks
    @guarded
    def add_mark(self, attempt_id: int, item_id: str, said: bool, marker: str = "", role: str = "rep",
                 created_at: str | None = None) -> int:
        """A person's word on a checklist item: "I said it" (``said``) or "I didn't"."""
        if role not in ("rep", "trainer"):
            raise ValueError("role must be 'rep' or 'trainer'")
        return self.conn.insert(
            "INSERT INTO marks(attempt_id, item_id, said, marker, role, created_at) VALUES (?,?,?,?,?,?)",
            (attempt_id, item_id, int(bool(said)), marker, role, created_at or utc_now()))

    @guarded
    def marks(self, attempt_id: int) -> list[Mark]:
        """Every mark on an attempt, oldest first."""
        return [rows.mark(r) for r in self.conn.execute("SELECT * FROM marks WHERE attempt_id = ? ORDER BY id",
                                                        (attempt_id,))]

    def labels(self, attempt_id: int) -> dict[str, Mark]:
        """The mark that counts per item: a trainer's over a rep's, the latest of each."""
        out: dict[str, Mark] = {}
        for mark in self.marks(attempt_id):
            current = out.get(mark.item_id)
            if current is None or mark.role == "trainer" or current.role == "rep":
                out[mark.item_id] = mark
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

    # ---------------------------------------------------------------- drills
    @guarded
    def add_drill(self, rep_id: int | None, scenario_id: str | None, part: str, passed: bool, transcript: str,
                  items: list[dict]) -> int:
        return self.conn.insert(
            "INSERT INTO drills(rep_id, scenario_id, part, passed, transcript, items_json, created_at) "
            "VALUES (?,?,?,?,?,?,?)",
            (rep_id, scenario_id, part, int(bool(passed)), transcript, json.dumps(items), utc_now()))

    @guarded
    def drills(self, rep_id: int | None, part: str | None = None) -> list[Drill]:
        """A rep's drills, newest first (one part's with ``part``)."""
        sql, args = ("SELECT * FROM drills WHERE rep_id IS NULL", []) if rep_id is None else \
            ("SELECT * FROM drills WHERE rep_id = ?", [rep_id])
        if part is not None:
            sql += " AND part = ?"
            args.append(part)
        return [rows.drill(r) for r in self.conn.execute(sql + " ORDER BY id DESC", args)]

    # ---------------------------------------------------------------- outbox
    @guarded
    def install_id(self) -> str:
        """This history's own id: with an attempt's local id it names the attempt on a team server."""
        value = self.setting("install_id")
        if not value:
            import uuid

            value = uuid.uuid4().hex
            self.set_setting("install_id", value)
        return value

    @guarded
    def queue_uploads(self, ids: list[int]) -> int:
        """Queue attempts for the team server (again harmless); returns how many were newly queued."""
        return self.conn.executemany("INSERT INTO outbox(attempt_id) VALUES (?) ON CONFLICT DO NOTHING",
                                     [(i,) for i in ids])

    @guarded
    def waiting_uploads(self) -> list[int]:
        """Attempts still to upload, oldest first (deleted ones wait until they are restored or purged)."""
        return [r[0] for r in self.conn.execute(
            """SELECT o.attempt_id FROM outbox o JOIN attempts a ON a.id = o.attempt_id
               WHERE a.deleted_at IS NULL ORDER BY o.attempt_id""")]

    @guarded
    def upload_problems(self) -> dict[int, str]:
        """Queued attempts the server refused last time, with its reason."""
        return {r[0]: r[1] for r in self.conn.execute(
            "SELECT attempt_id, last_error FROM outbox WHERE last_error IS NOT NULL ORDER BY attempt_id")}

    @guarded
    def uploaded(self, attempt_id: int) -> None:
        self.conn.execute("DELETE FROM outbox WHERE attempt_id = ?", (attempt_id,))

    @guarded
    def upload_failed(self, attempt_id: int, reason: str) -> None:
        self.conn.execute("UPDATE outbox SET tries = tries + 1, last_error = ? WHERE attempt_id = ?",
                          (reason, attempt_id))
