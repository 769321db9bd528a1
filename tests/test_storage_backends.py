"""The history on both backends: a SQLite file and a PostgreSQL database on the run's own server, through the
same migrations and the same stores. (The rest of the storage tests run on either with --database-backend.)"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import uuid

import pytest

from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.records import HistoryFilter, Session
from voicemail_coach.storage.db import MIGRATIONS, StorageError, connect, server_step
from voicemail_coach.storage.repository import Repository
from voicemail_coach.storage.sessions import SessionStore
from voicemail_coach.storage.sql import shown_url

BACKENDS = ["sqlite", "postgresql"]
RESULT = {"score": 80, "transcript": "Hi Chloe, this is Dave", "items": [{"id": "rep_name", "passed": True}],
          "metrics": {"duration_s": 12.5}}


def _new_target(backend: str, tmp_path, postgres):
    if backend == "sqlite":
        return tmp_path / f"{uuid.uuid4().hex[:8]}.sqlite3"
    return postgres.create_database(f"b_{uuid.uuid4().hex[:16]}")


@pytest.fixture(params=BACKENDS)
def history(request, tmp_path):
    postgres = request.getfixturevalue("postgres") if request.param == "postgresql" else None
    repo = Repository(connect(_new_target(request.param, tmp_path, postgres)), tmp_path / "recordings")
    yield repo
    repo.conn.close()


def _at_step(backend: str, target, step: int) -> tuple[int, int]:
    """A database left by an older release: the first ``step`` migrations, and a rep with one attempt
    (their ids returned)."""
    if backend == "sqlite":
        conn = sqlite3.connect(target, isolation_level=None)
        for script in MIGRATIONS[:step]:
            conn.executescript(script)
        conn.execute(f"PRAGMA user_version = {step}")
    else:
        import psycopg

        conn = psycopg.connect(target, autocommit=True)
        for script in MIGRATIONS[:step]:
            for statement in filter(str.strip, server_step(script).split(";")):
                conn.execute(statement)
        conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
        conn.execute(f"INSERT INTO schema_version VALUES ({step})")
    conn.execute("INSERT INTO reps(name) VALUES ('Someone Else')")
    rep = conn.execute("INSERT INTO reps(name) VALUES ('Dave Kowalski') RETURNING id").fetchone()[0]
    attempt = conn.execute(
        "INSERT INTO attempts(rep_id, scenario_id, score, duration_s, transcript, created_at) VALUES "
        f"({rep}, 'hotel-uniforms', 64, 21.5, 'hello from an old release', '2024-03-01T10:00:00Z') RETURNING id"
    ).fetchone()[0]
    conn.close()
    return rep, attempt


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_migration_step_is_adopted_without_losing_a_row(backend, tmp_path, request):
    postgres = request.getfixturevalue("postgres") if backend == "postgresql" else None
    for step in range(1, len(MIGRATIONS)):
        target = _new_target(backend, tmp_path, postgres)
        rep, old = _at_step(backend, target, step)
        repo = Repository(connect(target), tmp_path / "recordings")
        try:
            kept = repo.attempt(old)
            assert (kept.rep, kept.score, kept.duration_s, kept.transcript) == (
                "Dave Kowalski", 64, 21.5, "hello from an old release"), step
            assert kept.touch == 1 and kept.session_id is None, step  # columns added later read their defaults
            new = repo.add_attempt(rep, "hotel-uniforms", RESULT, [], None, session_id=None, engine="moonshine")
            assert new != old and [e.id for e in repo.history(rep)] == [new, old], step
            repo.add_mark(old, "rep_name", True, "Dave")
            assert repo.labels(old)["rep_name"].said, step
        finally:
            repo.conn.close()
        again = connect(target)  # opening it again runs no step twice
        version = (again.execute("PRAGMA user_version") if backend == "sqlite"
                   else again.execute("SELECT version FROM schema_version")).fetchone()[0]
        assert version == len(MIGRATIONS), step
        again.close()


def test_a_server_database_of_a_newer_release_is_refused(postgres):
    url = postgres.create_database(f"b_{uuid.uuid4().hex[:16]}")
    connect(url).close()
    connect(url).execute("UPDATE schema_version SET version = ?", (len(MIGRATIONS) + 3,))
    with pytest.raises(StorageError, match="newer Voicemail Coach"):
        connect(url)


def test_a_server_that_does_not_answer_gets_a_plain_message_without_the_password():
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(StorageError, match="cannot reach the database server") as caught:
        connect(f"postgresql://dave:s3cret@127.0.0.1:{port}/practice")
    assert "s3cret" not in str(caught.value) and "dave@127.0.0.1" in str(caught.value)
    assert shown_url("postgresql://dave:s3cret@db.example/practice?sslmode=verify-full") == \
        "postgresql://dave@db.example/practice?sslmode=verify-full"


def test_processes_starting_together_on_a_new_server_database_all_save(postgres, tmp_path):
    """Three first starts at once on an empty database: migrated once (an advisory lock), nothing lost."""
    for _round in range(3):
        url = postgres.create_database(f"b_{uuid.uuid4().hex[:16]}")
        procs = [subprocess.Popen([sys.executable, "-m", "voicemail_coach", "--data-dir", str(tmp_path / f"d{n}"),
                                   "--database", url, "grade", "--text", f"Hi, this is rep {n}.",
                                   "--rep-name", f"Rep {n}", "--save"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(3)]
        errors = [p.communicate(timeout=600)[1] for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], errors
        db = connect(url)
        assert db.execute("SELECT version FROM schema_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 1
        assert sorted(r[0] for r in db.execute("SELECT name FROM reps")) == ["Rep 0", "Rep 1", "Rep 2"]
        assert db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 3
        db.close()


def test_the_command_line_refuses_an_address_that_is_not_postgresql(tmp_path):
    done = subprocess.run([sys.executable, "-m", "voicemail_coach", "--data-dir", str(tmp_path), "--database",
                           "mysql://db/practice", "history"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "is not a PostgreSQL address" in done.stderr


# ---------------------------------------------------------------- the places where SQLite and PostgreSQL differ

def test_names_are_the_same_rep_and_session_whatever_their_case(history):
    first = history.save_rep(RepProfile("Dave Kowalski", "Brightline"))
    again = history.save_rep(RepProfile("dave KOWALSKI", "Brightline Uniforms"))
    history.save_rep(RepProfile("aisha Okafor"), make_active=False)
    assert again.id == first.id and history.rep_by_name("DAVE kowalski").profile.company == "Brightline Uniforms"
    assert [r.profile.name for r in history.reps()] == ["aisha Okafor", "dave KOWALSKI"]
    sessions = SessionStore(history)
    sessions.create("March cohort", [first.id], ["hotel-uniforms"])
    assert sessions.find("MARCH COHORT").name == "March cohort"
    with pytest.raises(StorageError, match="already a session"):
        sessions.create("march cohort", [first.id], ["hotel-uniforms"])


def test_searching_transcripts_ignores_case_and_takes_wildcards_literally(history):
    a = history.add_attempt(None, "s", {**RESULT, "transcript": "We cut costs by 18% for Seaside Inns"}, [], None)
    history.add_attempt(None, "s", {**RESULT, "transcript": "We cut costs by 18 percent"}, [], None)
    b = history.add_attempt(None, "s", {**RESULT, "transcript": "call me at my_desk"}, [], None)
    assert [r.id for r in history.rows(HistoryFilter(text="SEASIDE 18%"))] == [a]
    assert [r.id for r in history.rows(HistoryFilter(text="my_desk"))] == [b]
    assert history.rows(HistoryFilter(text="my%desk")) == []


def test_a_day_range_holds_its_last_day_whole(history):
    ids = [history.add_attempt(None, "s", RESULT, [], None, created_at=stamp)
           for stamp in ("2026-03-01T08:00:00Z", "2026-03-02T23:59:59Z", "2026-03-03T00:00:00Z")]
    found = history.rows(HistoryFilter(since="2026-03-01", until="2026-03-02"))
    assert sorted(r.id for r in found) == ids[:2]


def test_a_session_put_back_keeps_its_id_and_new_ones_follow_it(history):
    rep = history.save_rep(RepProfile("Dave"))
    sessions = SessionStore(history)
    first = sessions.create("One", [rep.id], ["hotel-uniforms"])
    second = sessions.create("Two", [rep.id], ["hotel-uniforms", "dental-billing"])
    attempt = history.add_attempt(rep.id, "dental-billing", RESULT, [], None, session_id=second.id)
    snapshot = sessions.delete(second.id)
    assert sessions.get(second.id) is None and history.attempt(attempt).session_id is None
    sessions.restore(snapshot)
    assert sessions.get(second.id).track == ["hotel-uniforms", "dental-billing"]
    assert history.attempt(attempt).session_id == second.id
    third = sessions.create("Three", [rep.id], ["hotel-uniforms"])  # the server's id counter moved past the undo
    assert third.id not in (first.id, second.id)
    copy = sessions.add(Session(None, "Imported", 70, None, None, [rep.id], ["hotel-uniforms"], {}, None), [])
    assert copy not in (first.id, second.id, third.id) and sessions.get(copy).pass_mark == 70


def test_drills_without_a_rep_and_uploads_queued_once(history):
    history.add_drill(None, "s", "number", True, "five five five", [])
    rep = history.save_rep(RepProfile("Dave"))
    history.add_drill(rep.id, "s", "number", False, "five", [])
    assert [d.transcript for d in history.drills(None)] == ["five five five"]
    assert [d.passed for d in history.drills(rep.id, "number")] == [False]
    ids = [history.add_attempt(rep.id, "s", RESULT, [], None) for _ in range(3)]
    assert history.queue_uploads(ids[:2]) == 2
    assert history.queue_uploads(ids) == 1  # already waiting: counted once
    assert history.waiting_uploads() == ids


def test_deleting_with_undo_and_expiring_old_recordings(history, tmp_path):
    take = tmp_path / "take.wav"
    take.write_bytes(b"RIFF....WAVE")
    old = history.add_attempt(None, "s", RESULT, [], history.files.new_path(take), copy_from=take,
                              created_at="2020-01-01T00:00:00Z")
    new = history.add_attempt(None, "s", RESULT, [], None)
    history.delete_attempts([new])
    assert history.count() == 1
    history.restore_attempts([new])
    assert history.count() == 2
    assert history.expire_recordings(30) == 1 and history.attempt(old).audio_path is None
    before = history.data_version()
    history.add_comment(old, "good pace", 3.5, "Trainer")
    assert [c.text for c in history.comments(old)] == ["good pace"]
    assert isinstance(before, int)


def test_a_server_history_carries_on_after_the_server_drops_the_connection(postgres, tmp_path):
    import psycopg

    url = postgres.create_database(f"b_{uuid.uuid4().hex[:16]}")
    repo = Repository(connect(url), tmp_path / "recordings")
    first = repo.add_attempt(None, "s", RESULT, [], None)
    pid = repo.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with psycopg.connect(postgres.url(), autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    assert [e.id for e in repo.history()] == [first]  # read again on a new connection
    second = repo.add_attempt(None, "s", RESULT, [], None)
    assert repo.count() == 2 and second != first
    pid = repo.conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    with pytest.raises(StorageError, match="cannot reach the database server"), repo.transaction():
        repo.conn.execute("INSERT INTO settings(key, value) VALUES ('half', 'done')")
        with psycopg.connect(postgres.url(), autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
        repo.conn.execute("INSERT INTO settings(key, value) VALUES ('other', 'half')")
    assert repo.setting("half") is None and repo.count() == 2  # nothing of the lost transaction, and going on
