"""One member's connection to the team server. Every query runs as that member's own login, so the server's
row-level security decides what comes back."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from voicemail_coach.team import TeamError
from voicemail_coach.team.server import engine_for, error_for


@dataclass(frozen=True)
class Member:
    login: str
    name: str
    role: str  # trainer or rep
    team: str
    team_id: int


@dataclass(frozen=True)
class BoardRow:
    login: str
    name: str
    scenario_id: str
    attempts: int
    best: int | None
    latest: int | None
    last_at: str


@dataclass(frozen=True)
class ServerAttempt:
    id: int
    origin: str
    login: str
    scenario_id: str | None
    session_id: int | None
    score: int | None
    created_at: str
    has_recording: bool


class TeamClient:
    def __init__(self, url: str, password: str | None = None):
        self.url = url
        self.engine = engine_for(url, password)

    def close(self) -> None:
        self.engine.dispose()

    def _run(self, work):
        """Run ``work(conn)`` in one transaction; driver errors become TeamErrors in plain words."""
        from sqlalchemy.exc import SQLAlchemyError

        try:
            with self.engine.begin() as conn:
                return work(conn)
        except SQLAlchemyError as exc:
            raise error_for(exc) from None

    # ------------------------------------------------------------ who am I
    def whoami(self) -> Member:
        from sqlalchemy import text

        def work(conn):
            row = conn.execute(text(
                "SELECT m.login, m.name, m.role, t.name AS team, t.id AS team_id "
                "FROM members m JOIN teams t ON t.id = m.team_id WHERE m.login = session_user")).first()
            if row is None:
                raise TeamError("this login is not a member of a team on the server; ask the trainer to add you")
            return Member(row.login, row.name, row.role, row.team, row.team_id)

        return self._run(work)

    # -------------------------------------------------------------- members
    def add_member(self, login: str, name: str, email: str, role: str, password: str) -> None:
        from sqlalchemy import text

        self._run(lambda conn: conn.execute(text("SELECT vc_add_member(:l, :n, :e, :r, :p)"),
                                            {"l": login, "n": name, "e": email, "r": role, "p": password}))

    def members(self) -> list[tuple[str, str, str]]:
        from sqlalchemy import text

        return self._run(lambda conn: [tuple(r) for r in conn.execute(
            text("SELECT login, name, role FROM members ORDER BY lower(name)"))])

    # ------------------------------------------------------------- sessions
    def create_session(self, name: str, logins: list[str], pass_mark: int = 80) -> int:
        from sqlalchemy import text

        def work(conn):
            session_id = conn.execute(text("INSERT INTO sessions(team_id, name, pass_mark) "
                                           "VALUES (vc_team(), :n, :p) RETURNING id"),
                                      {"n": name, "p": pass_mark}).scalar_one()
            if logins:
                conn.execute(text("INSERT INTO session_members(session_id, login) VALUES (:s, :l)"),
                             [{"s": session_id, "l": login} for login in dict.fromkeys(logins)])
            return session_id

        return self._run(work)

    def sessions(self) -> list[tuple[int, str, int]]:
        """The sessions this login may see (a trainer: the team's; a rep: their own), newest first:
        id, name and pass mark."""
        from sqlalchemy import text

        return self._run(lambda conn: [tuple(r) for r in conn.execute(
            text("SELECT id, name, pass_mark FROM sessions ORDER BY created_at DESC, id DESC"))])

    def session_id(self, name: str) -> int | None:
        from sqlalchemy import text

        return self._run(lambda conn: conn.execute(
            text("SELECT id FROM sessions WHERE lower(name) = lower(:n)"), {"n": name}).scalar())

    def board(self, session_id: int) -> list[BoardRow]:
        """Per rep and scenario: attempts, best and latest score. Reps in the session see it too (scores only)."""
        from sqlalchemy import text

        return self._run(lambda conn: [BoardRow(*r) for r in conn.execute(
            text("SELECT * FROM vc_board(:s)"), {"s": session_id})])

    # ------------------------------------------------------------- attempts
    def upload(self, attempt: dict, flac: bytes | None) -> int | None:
        """Store one attempt (and its recording) unless one with the same origin is already there; returns the
        new server id, or None when it was uploaded before. The unique origin makes a retry harmless.
        The attempt counts in the server session of the same name, or, practised outside any session, in the
        newest session the rep was already in."""
        from sqlalchemy import text

        def work(conn):
            row = conn.execute(text(
                """INSERT INTO attempts(origin, session_id, scenario_id, created_at, touch, status, score,
                                        duration_s, transcript, words, items, metrics, engine)
                   VALUES (:origin, COALESCE(
                               (SELECT id FROM sessions WHERE lower(name) = lower(:session)),
                               -- practised on a rep's own laptop: the newest session the rep was in by then
                               (SELECT s.id FROM sessions s JOIN session_members m ON m.session_id = s.id
                                WHERE m.login = session_user AND CAST(:session AS text) IS NULL
                                  AND to_char(s.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                                      <= :created_at
                                ORDER BY s.created_at DESC LIMIT 1)),
                           :scenario_id, :created_at, :touch, :status, :score, :duration_s, :transcript,
                           CAST(:words AS jsonb), CAST(:items AS jsonb), CAST(:metrics AS jsonb), :engine)
                   ON CONFLICT (origin) DO NOTHING RETURNING id"""),
                {**attempt, "words": json.dumps(attempt["words"]), "items": json.dumps(attempt["items"]),
                 "metrics": json.dumps(attempt["metrics"])}).first()
            if row is None:
                return None
            if flac:
                conn.execute(text("INSERT INTO recordings(attempt_id, flac) VALUES (:a, :f)"),
                             {"a": row.id, "f": flac})
            return row.id

        return self._run(work)

    def attempts(self, login: str | None = None) -> list[ServerAttempt]:
        """Every attempt this login may read, newest first."""
        from sqlalchemy import text

        sql = """SELECT a.id, a.origin, a.login, a.scenario_id, a.session_id, a.score, a.created_at,
                        r.attempt_id IS NOT NULL AS has_recording
                 FROM attempts a LEFT JOIN recordings r ON r.attempt_id = a.id"""
        if login:
            sql += " WHERE a.login = :login"
        sql += " ORDER BY a.created_at DESC, a.id DESC"
        return self._run(lambda conn: [ServerAttempt(*r) for r in conn.execute(text(sql), {"login": login})])

    def latest_in(self, session_id: int, login: str, scenario_id: str | None) -> tuple[int, str] | None:
        """The newest attempt of one rep on one scenario of a session: its server id and transcript."""
        from sqlalchemy import text

        row = self._run(lambda conn: conn.execute(text(
            """SELECT id, transcript FROM attempts WHERE session_id = :s AND login = :l
               AND scenario_id IS NOT DISTINCT FROM :sc ORDER BY created_at DESC, id DESC LIMIT 1"""),
            {"s": session_id, "l": login, "sc": scenario_id}).first())
        return (row.id, row.transcript) if row else None

    def count_origins(self, origins: list[str]) -> int:
        from sqlalchemy import text

        return self._run(lambda conn: conn.execute(
            text("SELECT count(*) FROM attempts WHERE origin = ANY(:o)"), {"o": origins}).scalar_one())

    def cached_recording(self, attempt_id: int, cache: Path) -> Path | None:
        """The attempt's recording as a FLAC file in ``cache`` (fetched from the server the first time)."""
        path = cache / f"{attempt_id}.flac"
        if not path.is_file():
            flac = self.recording(attempt_id)
            if flac is None:
                return None
            cache.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".part")
            partial.write_bytes(flac)
            partial.replace(path)  # a cut-off download never passes for a recording
        return path

    def comments_on_mine(self) -> list[tuple[str, float | None, str, str, str]]:
        """Trainers' comments on this login's own attempts: origin, at_s, the trainer's name, text, when."""
        from sqlalchemy import text

        return self._run(lambda conn: [tuple(r) for r in conn.execute(text(
            """SELECT a.origin, c.at_s, coalesce(m.name, c.author), c.text,
                      to_char(c.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
               FROM comments c JOIN attempts a ON a.id = c.attempt_id LEFT JOIN members m ON m.login = c.author
               WHERE a.login = session_user ORDER BY c.id"""))])

    def recording(self, attempt_id: int) -> bytes | None:
        from sqlalchemy import text

        return self._run(lambda conn: conn.execute(
            text("SELECT flac FROM recordings WHERE attempt_id = :a"), {"a": attempt_id}).scalar())

    def add_comment(self, attempt_id: int, text_: str, at_s: float | None = None) -> int:
        from sqlalchemy import text

        return self._run(lambda conn: conn.execute(
            text("INSERT INTO comments(attempt_id, at_s, text) VALUES (:a, :s, :t) RETURNING id"),
            {"a": attempt_id, "s": at_s, "t": text_}).scalar_one())

    def comments(self, attempt_id: int) -> list[tuple[float | None, str, str]]:
        from sqlalchemy import text

        return self._run(lambda conn: [tuple(r) for r in conn.execute(
            text("SELECT at_s, author, text FROM comments WHERE attempt_id = :a ORDER BY at_s NULLS LAST, id"),
            {"a": attempt_id})])

    # ------------------------------------------------------------ live board
    def listen(self, team_id: int, on_attempt, stop, idle_s: float = 0.5, on_ready=None) -> None:
        """Call ``on_attempt(payload)`` for each attempt saved in the team, as the server announces it, until
        ``stop()`` is true; ``on_ready()`` once the server takes the LISTEN (anything saved before then must be
        read). Nothing is polled: the connection waits on the server's notifications."""
        import psycopg

        params = self.engine.url.translate_connect_args(username="user", database="dbname")
        params.pop("drivername", None)
        try:
            with psycopg.connect(**params, autocommit=True, connect_timeout=5,
                                 application_name="voicemail-coach board") as conn:
                conn.execute(f"LISTEN vc_team_{int(team_id)}")
                if on_ready is not None:
                    on_ready()
                while not stop():
                    for note in conn.notifies(timeout=idle_s, stop_after=1):
                        on_attempt({**json.loads(note.payload), "received": time.time()})
        except psycopg.Error as exc:
            raise error_for(exc) from None
