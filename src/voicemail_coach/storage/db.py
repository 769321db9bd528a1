"""Opening the database: a SQLite file (WAL mode) or a PostgreSQL server, the same versioned migrations for
both, plain errors for bad files."""

from __future__ import annotations

import re
import sqlite3
from functools import wraps
from pathlib import Path

from voicemail_coach.storage.errors import DamagedDatabase, StorageError, explain_error, os_reason
from voicemail_coach.storage.sql import Database, PostgresDatabase, SqliteDatabase, is_server_url

__all__ = ["DamagedDatabase", "MIGRATIONS", "StorageError", "connect", "explain_error", "guarded", "os_reason",
           "set_aside"]


def set_aside(path: Path) -> Path:
    """Move a damaged database (and its WAL files) aside, never deleting it; returns the backup path."""
    import time

    stamp = time.strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.stem}.damaged-{stamp}{path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(path) + suffix)
        if part.exists():
            part.replace(Path(str(backup) + suffix))
    return backup


# Each step moves the schema one version up; steps are never edited once released.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE reps (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        company TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        email TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE UNIQUE INDEX reps_name ON reps(name COLLATE NOCASE);
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        rep_id INTEGER REFERENCES reps(id),
        scenario_id TEXT,
        status TEXT NOT NULL DEFAULT 'complete',
        score INTEGER,
        duration_s REAL,
        transcript TEXT NOT NULL DEFAULT '',
        words_json TEXT NOT NULL DEFAULT '[]',
        items_json TEXT NOT NULL DEFAULT '[]',
        metrics_json TEXT NOT NULL DEFAULT '{}',
        audio_path TEXT
    );
    CREATE INDEX attempts_created ON attempts(created_at DESC);
    CREATE INDEX attempts_rep ON attempts(rep_id, created_at DESC);
    """,
    """
    CREATE TABLE attempt_emails (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        text TEXT NOT NULL,
        score INTEGER,
        items_json TEXT NOT NULL DEFAULT '[]',
        updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    """,
    """
    ALTER TABLE attempts ADD COLUMN touch INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE attempts ADD COLUMN previous_id INTEGER REFERENCES attempts(id);
    ALTER TABLE attempts ADD COLUMN clock TEXT;
    """,
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        trainer_id INTEGER REFERENCES reps(id),
        pass_mark INTEGER NOT NULL DEFAULT 80,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE UNIQUE INDEX sessions_name ON sessions(name COLLATE NOCASE);
    CREATE TABLE session_reps (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        rep_id INTEGER NOT NULL REFERENCES reps(id),
        PRIMARY KEY (session_id, rep_id)
    );
    CREATE TABLE session_track (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        scenario_id TEXT NOT NULL,
        exemplar_id INTEGER REFERENCES attempts(id) ON DELETE SET NULL,
        PRIMARY KEY (session_id, scenario_id)
    );
    CREATE TABLE comments (
        id INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        at_s REAL,
        author TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX comments_attempt ON comments(attempt_id, at_s);
    ALTER TABLE attempts ADD COLUMN session_id INTEGER REFERENCES sessions(id) ON DELETE SET NULL;
    ALTER TABLE attempts ADD COLUMN deleted_at TEXT;
    ALTER TABLE attempts ADD COLUMN origin TEXT;
    CREATE INDEX attempts_scenario ON attempts(scenario_id, created_at DESC);
    CREATE INDEX attempts_session ON attempts(session_id, rep_id, scenario_id);
    CREATE UNIQUE INDEX attempts_origin ON attempts(origin) WHERE origin IS NOT NULL;
    """,
    """
    ALTER TABLE attempts ADD COLUMN engine TEXT;
    CREATE TABLE marks (
        id INTEGER PRIMARY KEY,
        attempt_id INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
        item_id TEXT NOT NULL,
        said INTEGER NOT NULL CHECK (said IN (0, 1)),
        marker TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'trainer')),
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
    );
    CREATE INDEX marks_attempt ON marks(attempt_id, item_id, id);
    """,
    """
    CREATE TABLE outbox (
        attempt_id INTEGER PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
        queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        tries INTEGER NOT NULL DEFAULT 0,
        last_error TEXT
    );
    """,
    """
    CREATE TABLE drills (
        id INTEGER PRIMARY KEY,
        created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
        rep_id INTEGER REFERENCES reps(id) ON DELETE CASCADE,
        scenario_id TEXT,
        part TEXT NOT NULL,
        passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
        transcript TEXT NOT NULL DEFAULT '',
        items_json TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX drills_rep ON drills(rep_id, part, id);
    """,
    """
    -- the playbook a session grades with: a file name in the data folder's playbooks, NULL for the default
    ALTER TABLE sessions ADD COLUMN playbook TEXT;
    """,
]


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _patiently(conn: sqlite3.Connection, sql: str, seconds: float = 5.0) -> None:
    """``sql``, tried again for a few seconds while another process holds the lock (SQLite does not always
    wait on its busy timeout when the journal mode changes)."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        try:
            conn.execute(sql).fetchall()
            return
        except sqlite3.OperationalError as exc:
            waiting = "locked" in str(exc).lower() or "busy" in str(exc).lower()
            if not waiting or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def connect(target: Path | str, password: str | None = None) -> Database:
    """Open and migrate the history: a SQLite file at ``target`` (created if needed), or the PostgreSQL
    database at a ``postgresql://`` URL (``password``: when the URL and PostgreSQL's own ways hold none)."""
    if is_server_url(target):
        return connect_server(str(target), password)
    return SqliteDatabase(_connect_file(Path(target)), Path(target))


def _connect_file(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # shared by the GUI thread and worker threads; the repository serializes access
        conn = sqlite3.connect(str(path), timeout=5.0, isolation_level=None, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        conn.text_factory = _text  # a damaged row shows replacement characters, never an exception
        conn.execute("PRAGMA busy_timeout=5000")
        _patiently(conn, "PRAGMA journal_mode=WAL")  # may answer "locked" at once while another process migrates
        conn.execute("PRAGMA foreign_keys=ON")
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            conn.close()
            raise DamagedDatabase(f"the database {path} is damaged; move it aside (your recordings are kept) and start again")
        _migrate(conn)
        return conn
    except StorageError:
        raise
    except sqlite3.DatabaseError as exc:
        message = explain_error(exc, path)
        raise (DamagedDatabase if "damaged" in message else StorageError)(message) from None
    except OSError as exc:
        raise StorageError(f"cannot open the database {path}: {exc.strerror}") from None


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date. Every step runs in one write transaction that first reads the
    version again, so processes starting together on a new data folder migrate it exactly once."""
    if conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS):
        return  # the usual case: nothing to do, no write lock taken
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > len(MIGRATIONS):
            raise StorageError(
                f"this database was written by a newer Voicemail Coach (schema {version}); update the app to open it"
            )
        for step, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {step}")
        conn.execute("COMMIT")
    except Exception:
        conn.execute("ROLLBACK")
        raise


# The same steps on PostgreSQL: its spelling of an id column, a time stamp, a case-blind unique name and a
# double-precision number. The step number is kept in a table of its own.
_SERVER_SPELLING = (
    (r"\bid INTEGER PRIMARY KEY\b", "id INTEGER GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"),
    (r"\(strftime\('%Y-%m-%dT%H:%M:%SZ', 'now'\)\)",
     """(to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))"""),
    (r"\((\w+) COLLATE NOCASE\)", r"(lower(\1))"),
    (r"\bREAL\b", "DOUBLE PRECISION"),
)
_MIGRATION_LOCK = 0x766D6361  # one process at a time migrates a server database


def server_step(script: str) -> str:
    """A released migration step as PostgreSQL spells it (the steps themselves are never edited)."""
    for pattern, spelling in _SERVER_SPELLING:
        script = re.sub(pattern, spelling, script)
    return script


def server_version(db: Database) -> int:
    """The step a server database has reached; 0 for an empty one."""
    if db.execute("SELECT to_regclass('schema_version')").fetchone()[0] is None:
        return 0
    row = db.execute("SELECT max(version) FROM schema_version").fetchone()
    return row[0] or 0


def connect_server(url: str, password: str | None = None) -> PostgresDatabase:
    """Open and migrate the history in the PostgreSQL database at ``url``."""
    db = PostgresDatabase(url, password=password)
    try:
        if server_version(db) != len(MIGRATIONS):
            db.begin()
            try:
                db.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
                db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                version = server_version(db)
                if db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
                    db.execute("INSERT INTO schema_version VALUES (0)")
                if version > len(MIGRATIONS):
                    raise StorageError(f"the database on {db.where} was written by a newer Voicemail Coach "
                                       f"(schema {version}); update the app to use it")
                for step, script in enumerate(MIGRATIONS[version:], start=version + 1):
                    for statement in filter(str.strip, server_step(script).split(";")):
                        db.execute(statement)
                    db.execute("UPDATE schema_version SET version = ?", (step,))
                db.commit()
            except BaseException:
                db.rollback()
                raise
    except db.errors as exc:
        db.close()
        raise StorageError(db.explain(exc)) from None
    except StorageError:
        db.close()
        raise
    return db


def guarded(fn):
    """One thread at a time on the shared connection (``self.lock``), and database errors as plain
    StorageErrors naming the file or server."""

    @wraps(fn)
    def wrapper(self, *args, **kwargs):
        try:
            with self.lock:
                return fn(self, *args, **kwargs)
        except self.conn.errors as exc:
            raise StorageError(self.conn.explain(exc)) from None

    return wrapper
