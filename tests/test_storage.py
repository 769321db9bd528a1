"""The SQLite store: migrations, reps, attempts, and plain errors for bad files."""

from __future__ import annotations

import sqlite3

import pytest

from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage import db as storage_db
from voicemail_coach.storage.db import MIGRATIONS, StorageError, connect
from voicemail_coach.storage.repository import Repository


def repo_at(tmp_path) -> Repository:
    """The history of a data folder, on the backend the run tests (conftest: --database-backend)."""
    return Repository(storage_db.connect(tmp_path / "vc.sqlite3"), tmp_path / "recordings")


@pytest.mark.sqlite_only
def test_new_database_is_migrated_and_in_wal_mode(tmp_path):
    repo = repo_at(tmp_path)
    assert repo.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert repo.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    repo.conn.close()
    again = repo_at(tmp_path)  # reopening runs no step twice
    assert again.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_reps_profile_update_and_active(tmp_path):
    repo = repo_at(tmp_path)
    assert repo.active_rep() is None
    a = repo.save_rep(RepProfile("Dave Kowalski", "Brightline", "555-214-3390"))
    repo.save_rep(RepProfile("Priya Raman", "Ledgerly"), make_active=False)
    assert repo.active_rep().id == a.id
    repo.save_rep(RepProfile("dave kowalski", "Brightline Uniforms", "555-214-3390"))
    assert len(repo.reps()) == 2
    assert repo.active_rep().profile.company == "Brightline Uniforms"


def test_attempts_newest_first_with_items(tmp_path):
    repo = repo_at(tmp_path)
    rep = repo.save_rep(RepProfile("Dave"))
    result = {"score": 70, "transcript": "hi", "items": [{"id": "rep_name", "passed": True, "evidence": "Dave"}], "metrics": {"duration_s": 21.5}}
    first = repo.add_attempt(rep.id, "hotel-uniforms", result, [], None)
    second = repo.add_attempt(rep.id, "dental-billing", {**result, "score": 90}, [], None)
    rows = repo.history()
    assert [r.id for r in rows] == [second, first]
    assert rows[0].items == [{"id": "rep_name", "passed": True}]
    assert rows[1].duration_s == 21.5 and rows[1].rep == "Dave"


def test_recording_is_copied_into_the_data_dir_only_with_its_row(tmp_path):
    repo = repo_at(tmp_path)
    src = tmp_path / "take.wav"
    src.write_bytes(b"RIFF....WAVE")
    result = {"score": 50, "items": [], "transcript": "hi", "metrics": {}}
    target = repo.files.new_path(src)
    attempt_id = repo.add_attempt(None, None, result, [], target, copy_from=src)
    assert target.parent == tmp_path / "recordings" and target.read_bytes() == src.read_bytes()
    assert repo.attempt(attempt_id).audio_path == str(target)
    assert list(target.parent.iterdir()) == [target]


@pytest.mark.sqlite_only
def test_a_locked_database_leaves_no_copied_recording_behind(tmp_path):
    repo = repo_at(tmp_path)
    repo.conn.execute("PRAGMA busy_timeout=100")
    src = tmp_path / "take.wav"
    src.write_bytes(b"RIFF....WAVE")
    other = sqlite3.connect(tmp_path / "vc.sqlite3", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
    try:
        with pytest.raises(StorageError, match="locked"):
            repo.add_attempt(None, None, {"score": 1, "items": [], "transcript": "", "metrics": {}}, [],
                             repo.files.new_path(src), copy_from=src)
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert list((tmp_path / "recordings").iterdir()) == []
    assert repo.count() == 0


def test_half_written_copies_are_swept_at_start(tmp_path):
    import os
    import time

    repo = repo_at(tmp_path)
    (tmp_path / "recordings").mkdir(exist_ok=True)
    old = tmp_path / "recordings" / "abc.wav.part"
    young = tmp_path / "recordings" / "def.wav.part"
    kept = tmp_path / "recordings" / "take.wav"
    for f in (old, young, kept):
        f.write_bytes(b"x")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    assert repo.files.sweep_staged() == 1
    assert not old.exists() and young.exists() and kept.exists()


@pytest.mark.sqlite_only
def test_damaged_database_gets_a_plain_message(tmp_path):
    db = tmp_path / "vc.sqlite3"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="damaged"):
        connect(db)


@pytest.mark.sqlite_only
def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "vc.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        connect(db)


@pytest.mark.sqlite_only
def test_damaged_database_is_set_aside_and_a_new_one_started(tmp_path):
    from voicemail_coach.services import Services

    data = tmp_path / "data"
    (data / "recordings").mkdir(parents=True)
    (data / "recordings" / "take.wav").write_bytes(b"RIFF....WAVE")
    (data / "voicemail-coach.sqlite3").write_bytes(b"garbage, not SQLite" * 200)
    services = Services(data)
    assert services.repo.history() == []
    backups = list(data.glob("voicemail-coach.damaged-*.sqlite3"))
    assert len(backups) == 1 and backups[0].read_bytes().startswith(b"garbage")
    assert (data / "recordings" / "take.wav").exists()
    assert services.notices and "damaged" in services.notices[0] and backups[0].name in services.notices[0]


@pytest.mark.sqlite_only
def test_two_processes_write_one_database_safely(tmp_path):
    import subprocess
    import sys
    import textwrap

    db = tmp_path / "vc.sqlite3"
    connect(db).close()
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from voicemail_coach.storage.db import connect
        from voicemail_coach.storage.repository import Repository
        db = Path(sys.argv[1])
        repo = Repository(connect(db), db.parent / "rec")
        for n in range(150):
            repo.add_attempt(None, "x", {"score": n % 100, "transcript": "t", "items": [], "metrics": {}}, [], None)
        """
    )
    procs = [subprocess.Popen([sys.executable, "-c", script, str(db)]) for _ in range(2)]
    assert all(p.wait(60) == 0 for p in procs)
    conn = connect(db)
    assert conn.execute("SELECT count(*) FROM attempts").fetchone()[0] == 300
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.sqlite_only
def test_processes_starting_together_on_a_new_data_folder_all_save(tmp_path):
    """First start, three processes at once, twenty times: the schema is migrated once, nothing is lost."""
    import subprocess
    import sys

    failures = []
    for round_ in range(20):
        data = tmp_path / f"new-{round_}"
        procs = [subprocess.Popen([sys.executable, "-m", "voicemail_coach", "--data-dir", str(data), "grade", "--text",
                                   f"Hi, this is rep {n}.", "--rep-name", f"Rep {n}", "--save"],
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for n in range(3)]
        for p in procs:
            _out, err = p.communicate(timeout=600)
            if p.returncode != 0:
                failures.append(err.strip())
        from voicemail_coach.storage.db import MIGRATIONS, connect

        conn = connect(data / "voicemail-coach.sqlite3")
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 3 - len(failures)
        conn.close()
    assert failures == []


def test_the_history_is_on_the_backend_the_run_tests(request, tmp_path):
    """The second pass of scripts/test.sh really keeps every history on PostgreSQL (and the first on files)."""
    from voicemail_coach.services import Services

    backend = request.config.getoption("--database-backend")
    assert repo_at(tmp_path).conn.dialect == backend
    services = Services(tmp_path / "data")
    assert services.repo.conn.dialect == backend
    assert (tmp_path / "data" / "voicemail-coach.sqlite3").exists() == (backend == "sqlite")
