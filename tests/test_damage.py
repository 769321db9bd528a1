"""A damaged database: what can be read is recovered, and a damaged row never breaks a listing."""

from __future__ import annotations

import json
import sqlite3

from voicemail_coach.cli import main
from voicemail_coach.core.people import RepProfile
from voicemail_coach.services import Services


def _history(root, attempts=21, comments=20, transcript_chars=60):
    s = Services(root)
    rep = s.repo.save_rep(RepProfile("Ana Ruiz", "Acme", "555 201 3344"))
    ids = []
    for n in range(attempts):
        words = (f"attempt {n} hi this is Ana from Acme " * 200)[:transcript_chars]
        result = {"score": 50 + n, "items": [{"id": "intro_name", "passed": True}], "transcript": words,
                  "metrics": {"duration_s": 20.0 + n}}
        ids.append(s.repo.add_attempt(rep.id, "bakery-payroll", result, [], None))
    for n in range(comments):
        s.repo.add_comment(ids[n], f"comment {n}", float(n))
    s.repo.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    s.repo.conn.close()
    return s.dirs.database, ids


def _pages(db, name):
    conn = sqlite3.connect(db)
    size = conn.execute("PRAGMA page_size").fetchone()[0]
    pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'", (name,))]
    conn.close()
    return size, pages


def _garbage(db, page, size):
    with open(db, "r+b") as f:
        f.seek((page - 1) * size)
        f.write(bytes((7 * i + 13) % 256 for i in range(size)))


def test_garbage_in_an_index_page_loses_nothing(tmp_path):
    db, _ids = _history(tmp_path / "d")
    size, pages = _pages(db, "attempts_created")
    _garbage(db, pages[0], size)
    s = Services(tmp_path / "d")
    assert s.repo.count() == 21
    assert sum(len(s.repo.comments(a.id)) for a in s.repo.history()) == 20
    assert "21 attempts and 20 comments could be read and were recovered" in s.notices[0]
    assert len(list(db.parent.glob("*.damaged-*.sqlite3"))) == 1  # the damaged file is kept beside the new one
    assert s.repo.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_garbage_in_a_table_page_keeps_every_readable_row(tmp_path):
    db, ids = _history(tmp_path / "d", transcript_chars=1500)  # about two attempts per page
    size, pages = _pages(db, "attempts")
    assert len(pages) >= 8
    conn = sqlite3.connect(db)
    on_page = {r[0] for r in conn.execute("SELECT rowid FROM attempts")}  # every id, before the damage
    conn.close()
    _garbage(db, pages[3], size)
    s = Services(tmp_path / "d")
    kept = {a.id for a in s.repo.history()}
    assert kept < on_page and len(kept) >= 21 - 4  # only the rows on the damaged page are gone
    assert f"{len(kept)} attempts" in s.notices[0]
    for a in s.repo.history():  # what was recovered is whole
        assert a.transcript.startswith(f"attempt {ids.index(a.id)} ")


def test_a_damaged_row_never_breaks_a_listing(tmp_path, capsys):
    db, ids = _history(tmp_path / "d", attempts=3, comments=0)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE attempts SET items_json = '[{\"id\": \"intro_na', metrics_json = 'Infinity',"
                 " score = 'abc', duration_s = 'x' WHERE id = ?", (ids[0],))
    conn.execute("UPDATE attempts SET transcript = CAST(X'68690A80FF' AS TEXT) WHERE id = ?", (ids[1],))
    conn.commit()
    conn.close()
    assert main(["--data-dir", str(tmp_path / "d"), "history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ids[::-1]
    damaged = next(r for r in rows if r["id"] == ids[0])
    assert damaged["score"] is None and damaged["items"] == []
    assert next(r for r in rows if r["id"] == ids[1])["transcript"].startswith("hi\n")
    s = Services(tmp_path / "d")
    assert s.repo.attempt(ids[0]).metrics == {} and len(s.repo.rows()) == 3
    assert main(["--data-dir", str(tmp_path / "d"), "history"]) == 0
