"""Onboarding sessions in the database: who trains whom, on which track of scenarios, to what pass mark."""

from __future__ import annotations

from voicemail_coach.core import limits
from voicemail_coach.core.records import Session
from voicemail_coach.storage.db import StorageError, guarded
from voicemail_coach.storage.repository import Repository
from voicemail_coach.storage.sql import utc_now

__all__ = ["Session", "SessionStore"]


class SessionStore:
    """Shares the repository's connection and lock, so one thread at a time touches the database."""

    def __init__(self, repo: Repository):
        self.repo = repo
        self.conn = repo.conn
        self.lock = repo.lock

    @guarded
    def create(self, name: str, rep_ids: list[int], track: list[str], pass_mark: int = 80,
               trainer_id: int | None = None, playbook: str | None = None) -> Session:
        name = name.strip()
        if not name:
            raise StorageError("a session needs a name")
        if message := limits.too_long("session name", name, limits.NAME_CHARS):
            raise StorageError(message)
        if not rep_ids or not track:
            raise StorageError("a session needs at least one rep and one scenario")
        if not 0 <= pass_mark <= 100:
            raise StorageError("the pass mark is a score from 0 to 100")
        if self.conn.execute("SELECT 1 FROM sessions WHERE lower(name) = lower(?)", (name,)).fetchone():
            raise StorageError(f"there is already a session called “{name}”")
        with self.repo.transaction():
            session_id = self.conn.insert(
                "INSERT INTO sessions(name, trainer_id, pass_mark, playbook, created_at) VALUES (?,?,?,?,?)",
                (name, trainer_id, pass_mark, playbook, utc_now()))
            self.conn.executemany("INSERT INTO session_reps(session_id, rep_id) VALUES (?,?)",
                                  [(session_id, r) for r in dict.fromkeys(rep_ids)])
            self.conn.executemany("INSERT INTO session_track(session_id, position, scenario_id) VALUES (?,?,?)",
                                  [(session_id, n, s) for n, s in enumerate(dict.fromkeys(track))])
        return self.get(session_id)

    @guarded
    def get(self, session_id: int) -> Session | None:
        row = self.conn.execute("SELECT * FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if row is None:
            return None
        reps = [r[0] for r in self.conn.execute(
            """SELECT sr.rep_id FROM session_reps sr JOIN reps r ON r.id = sr.rep_id
               WHERE sr.session_id = ? ORDER BY lower(r.name), r.name""", (session_id,))]
        track_rows = self.conn.execute(
            "SELECT scenario_id, exemplar_id FROM session_track WHERE session_id = ? ORDER BY position", (session_id,)
        ).fetchall()
        return Session(row["id"], row["name"], row["pass_mark"], row["trainer_id"], row["created_at"], reps,
                       [t["scenario_id"] for t in track_rows],
                       {t["scenario_id"]: t["exemplar_id"] for t in track_rows if t["exemplar_id"] is not None},
                       row["playbook"])

    @guarded
    def find(self, key: str) -> Session | None:
        """A session by id or by name (case-insensitive)."""
        if key.isdigit():
            found = self.get(int(key))
            if found:
                return found
        row = self.conn.execute("SELECT id FROM sessions WHERE lower(name) = lower(?)", (key,)).fetchone()
        return self.get(row["id"]) if row else None

    @guarded
    def all(self) -> list[Session]:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM sessions ORDER BY created_at DESC, id DESC")]
        return [self.get(i) for i in ids]

    @guarded
    def exemplar_ids(self) -> set[int]:
        """Every attempt that is some session's exemplar."""
        return {r[0] for r in self.conn.execute("SELECT exemplar_id FROM session_track WHERE exemplar_id IS NOT NULL")}

    @guarded
    def set_exemplar(self, session_id: int, scenario_id: str, attempt_id: int | None) -> None:
        changed = self.conn.execute(
            "UPDATE session_track SET exemplar_id = ? WHERE session_id = ? AND scenario_id = ?",
            (attempt_id, session_id, scenario_id)).rowcount
        if not changed:
            raise StorageError(f"scenario {scenario_id} is not on this session's track")

    @guarded
    def delete(self, session_id: int) -> tuple[Session, list[int]] | None:
        """Remove a session (its attempts stay in each rep's history); returns what restore() needs."""
        session = self.get(session_id)
        if session is None:
            return None
        attempts = [r[0] for r in self.conn.execute("SELECT id FROM attempts WHERE session_id = ?", (session_id,))]
        self.conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,))  # attempts' session_id → NULL
        return session, attempts

    @guarded
    def restore(self, snapshot: tuple[Session, list[int]]) -> None:
        """Undo delete(): the same session, id, track, exemplars and attempts."""
        self.add(*snapshot)

    @guarded
    def add(self, s: Session, attempt_ids: list[int]) -> int:
        """Store a whole session (with its id when it has one, as an undo does; a new one as an import does)
        and count ``attempt_ids`` in it. Returns its id."""
        with self.repo.transaction():
            columns = "name, trainer_id, pass_mark, created_at, playbook"
            values = (s.name, s.trainer_id, s.pass_mark, s.created_at or utc_now(), s.playbook)
            if s.id is None:
                session_id = self.conn.insert(f"INSERT INTO sessions({columns}) VALUES (?,?,?,?,?)", values)
            else:
                session_id = self.conn.insert(f"INSERT INTO sessions(id, {columns}) VALUES (?,?,?,?,?,?)",
                                              (s.id, *values))
                self.conn.ids_given("sessions")
            self.conn.executemany(
                "INSERT INTO session_reps(session_id, rep_id) VALUES (?,?) ON CONFLICT DO NOTHING",
                [(session_id, r) for r in s.rep_ids])
            self.conn.executemany(
                "INSERT INTO session_track(session_id, position, scenario_id, exemplar_id) VALUES (?,?,?,?) "
                "ON CONFLICT DO NOTHING",
                [(session_id, n, sid, s.exemplars.get(sid)) for n, sid in enumerate(s.track)])
            self.conn.executemany("UPDATE attempts SET session_id = ? WHERE id = ?",
                                  [(session_id, a) for a in attempt_ids])
        return session_id

    def free_name(self, name: str) -> str:
        """``name``, or ``name (imported)``, ``(imported 2)`` … when a session already has it."""
        base, n = name, 1
        while self.find(name) is not None:
            n += 1
            name = f"{base} (imported{'' if n == 2 else f' {n - 1}'})"
        return name
