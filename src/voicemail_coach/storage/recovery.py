"""Reading what is still readable out of a damaged database into a fresh one.

A torn or overwritten page usually breaks an index or a handful of rows, not the history. Rows are read by
rowid range straight from each table's b-tree (no index), a range that fails is read row by row, and every
row that can be read is copied into the new database with its id, so comments, marks and recordings stay
attached to their attempts.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

log = logging.getLogger(__name__)

# parents before children, so foreign keys hold while rows go in
TABLES = ("reps", "settings", "sessions", "attempts", "session_reps", "session_track", "comments", "marks",
          "attempt_emails", "outbox", "drills")
BATCH = 64
GIVE_UP_AFTER = 64 * BATCH  # rowids probed past the last row found when the table's end cannot be read


def _read_rows(src: sqlite3.Connection, table: str, columns: list[str]) -> list[tuple]:
    cols = ", ".join(f'"{c}"' for c in columns)
    sql = f'SELECT {cols} FROM "{table}" WHERE rowid BETWEEN ? AND ?'
    try:
        last = src.execute(f'SELECT max(rowid) FROM "{table}"').fetchone()[0]
    except sqlite3.DatabaseError:
        last = None
    rows: list[tuple] = []
    low, empty_since = 1, 0
    while (low <= last) if last is not None else (empty_since < GIVE_UP_AFTER):
        high = low + BATCH - 1
        try:
            batch = src.execute(sql, (low, high)).fetchall()
        except sqlite3.DatabaseError:
            batch = []
            for rowid in range(low, high + 1):
                try:
                    batch += src.execute(sql, (rowid, rowid)).fetchall()
                except sqlite3.DatabaseError:
                    continue  # this row is lost
        rows += batch
        empty_since = 0 if batch else empty_since + BATCH
        low = high + 1
    return rows


def salvage(damaged: Path, conn: sqlite3.Connection) -> dict[str, int]:
    """Copy every readable row of ``damaged`` into ``conn`` (a freshly migrated database); rows per table."""
    counts: dict[str, int] = {}
    try:
        src = sqlite3.connect(f"file:{damaged}?mode=ro", uri=True)
        src.text_factory = lambda b: b.decode("utf-8", "replace")
    except sqlite3.DatabaseError as exc:
        log.warning("the damaged database cannot be opened at all: %s", exc)
        return counts
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("PRAGMA defer_foreign_keys = ON")
        for table in TABLES:
            wanted = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
            try:
                present = {r[1] for r in src.execute(f'PRAGMA table_info("{table}")')}
            except sqlite3.DatabaseError:
                present = set()
            columns = [c for c in wanted if c in present]
            if not columns:
                counts[table] = 0
                continue
            rows = _read_rows(src, table, columns)
            placeholders = ", ".join("?" for _ in columns)
            names = ", ".join(f'"{c}"' for c in columns)
            stored = 0
            for row in rows:
                try:
                    conn.execute(f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({placeholders})', row)
                    stored += 1
                except sqlite3.DatabaseError:
                    continue
            counts[table] = stored
        # a child whose parent was lost would break every later delete: drop it
        for child, parent_sql in (
            ("attempts", "rep_id IS NOT NULL AND rep_id NOT IN (SELECT id FROM reps)"),
            ("comments", "attempt_id NOT IN (SELECT id FROM attempts)"),
            ("marks", "attempt_id NOT IN (SELECT id FROM attempts)"),
            ("attempt_emails", "attempt_id NOT IN (SELECT id FROM attempts)"),
            ("outbox", "attempt_id NOT IN (SELECT id FROM attempts)"),
            ("drills", "rep_id IS NOT NULL AND rep_id NOT IN (SELECT id FROM reps)"),
            ("session_reps", "session_id NOT IN (SELECT id FROM sessions) OR rep_id NOT IN (SELECT id FROM reps)"),
            ("session_track", "session_id NOT IN (SELECT id FROM sessions)"),
        ):
            if child == "attempts":
                conn.execute(f"UPDATE attempts SET rep_id = NULL WHERE {parent_sql}")
                conn.execute("UPDATE attempts SET session_id = NULL WHERE session_id NOT IN (SELECT id FROM sessions)")
                conn.execute("UPDATE attempts SET previous_id = NULL WHERE previous_id NOT IN (SELECT id FROM attempts)")
            else:
                counts[child] -= conn.execute(f"DELETE FROM {child} WHERE {parent_sql}").rowcount
        conn.execute("UPDATE session_track SET exemplar_id = NULL WHERE exemplar_id NOT IN (SELECT id FROM attempts)")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        src.close()
    return counts
