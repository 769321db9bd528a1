"""The SQLite store: migrations, reps, attempts, and plain errors for bad files."""

from __future__ import annotations

import sqlite3

import pytest

from voicemail_coach.core.people import RepProfile
from voicemail_coach.storage.db import MIGRATIONS, StorageError, connect
from voicemail_coach.storage.repository import Repository


def repo_at(tmp_path) -> Repository:
    db = tmp_path / "vc.sqlite3"
    return Repository(connect(db), db, tmp_path / "recordings")


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
    assert [r["id"] for r in rows] == [second, first]
    assert rows[0]["items"] == [{"id": "rep_name", "passed": True}]
    assert rows[1]["duration_s"] == 21.5 and rows[1]["rep"] == "Dave"


def test_recording_is_copied_into_the_data_dir(tmp_path):
    repo = repo_at(tmp_path)
    src = tmp_path / "take.wav"
    src.write_bytes(b"RIFF....WAVE")
    copy = repo.copy_recording(src)
    assert copy.parent == tmp_path / "recordings" and copy.read_bytes() == src.read_bytes()


def test_damaged_database_gets_a_plain_message(tmp_path):
    db = tmp_path / "vc.sqlite3"
    db.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError, match="damaged"):
        connect(db)


def test_newer_schema_is_refused(tmp_path):
    db = tmp_path / "vc.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 5}")
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        connect(db)
