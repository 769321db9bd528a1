"""One connection to the practice history, in a SQLite file or on a PostgreSQL server, behind the few calls the
stores make.

The stores write one SQL text for both: ``?`` placeholders, ``INSERT … ON CONFLICT``, ``… RETURNING id``,
``lower()`` where a name is compared without case, and timestamps made here (``utc_now``) rather than by the
database's own clock functions, which the two spell differently.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import ClassVar

from voicemail_coach.storage.errors import StorageError, explain_error


def utc_now() -> str:
    """The time stamps every row carries: ISO 8601 in UTC to the second, so they sort as text."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def is_server_url(target: str | Path | None) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def shown_url(url: str) -> str:
    """A server address fit for a message: the password left out."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username}@{netloc}" if parts.username else netloc))


def shown_place(url: str) -> str:
    """A server address as the window names it: "login@host:port/database", no scheme, no password."""
    return shown_url(url).split("://", 1)[-1]


class Database:
    """What the stores need from a connection. ``execute`` returns a cursor (iterate it, ``fetchone``,
    ``fetchall``, ``rowcount``) whose rows are read by column name or position."""

    dialect = ""
    where = ""  # the file or the server, as messages name it
    errors: tuple[type[Exception], ...] = ()

    def execute(self, sql: str, params=()):
        raise NotImplementedError

    def executemany(self, sql: str, rows) -> int:
        """Run ``sql`` once per row; returns how many rows changed."""
        return sum(self.execute(sql, row).rowcount for row in rows)

    def insert(self, sql: str, params=()) -> int:
        """An INSERT into a table with an ``id`` column; returns the new row's id."""
        return self.execute(sql + " RETURNING id", params).fetchone()[0]

    def ids_given(self, table: str) -> None:
        """Rows went into ``table`` with ids chosen by the caller (an undo puts a row back as it was)."""

    @property
    def in_transaction(self) -> bool:
        raise NotImplementedError

    def begin(self) -> None:
        self.execute("BEGIN")

    def commit(self) -> None:
        self.execute("COMMIT")

    def rollback(self) -> None:
        self.execute("ROLLBACK")

    def data_version(self) -> int:
        """A number that changes when another connection commits."""
        raise NotImplementedError

    def explain(self, exc: Exception) -> str:
        """A database error as a sentence for the user."""
        return f"database error in {self.where}: {exc}"

    def close(self) -> None:
        raise NotImplementedError


class SqliteDatabase(Database):
    dialect = "sqlite"
    errors = (sqlite3.DatabaseError,)

    def __init__(self, raw: sqlite3.Connection, path: Path):
        self.raw = raw
        self.path = path
        self.where = str(path)

    def execute(self, sql: str, params=()):
        return self.raw.execute(sql, params)

    def executemany(self, sql: str, rows) -> int:
        return self.raw.executemany(sql, rows).rowcount

    @property
    def in_transaction(self) -> bool:
        return self.raw.in_transaction

    def begin(self) -> None:
        self.execute("BEGIN IMMEDIATE")  # take the write lock now: no deadlock between two writers

    def data_version(self) -> int:
        return self.execute("PRAGMA data_version").fetchone()[0]

    def explain(self, exc: Exception) -> str:
        return explain_error(exc, self.path)

    def close(self) -> None:
        self.raw.close()


class Row(tuple):
    """A server row read like ``sqlite3.Row``: by column name or by position."""

    names: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key):
        return tuple.__getitem__(self, self.names[key] if isinstance(key, str) else key)

    def keys(self) -> list[str]:
        return list(self.names)


def _row_factory(cursor):
    names = {c.name: i for i, c in reversed(list(enumerate(cursor.description or ())))}  # the first of a name wins
    row_type = type("Row", (Row,), {"names": names})
    return lambda values: row_type(values)


def _server_sql(sql: str) -> str:
    """``?`` placeholders as psycopg's ``%s`` (the stores' SQL holds no ``?`` or ``%`` of its own)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresDatabase(Database):
    dialect = "postgresql"
    _in_block = False  # between our BEGIN and its COMMIT or ROLLBACK

    def __init__(self, url: str, connect_timeout: int = 10, password: str | None = None):
        import psycopg

        self.errors = (psycopg.Error,)
        self._lost = psycopg.OperationalError  # the server went away (restarted, the network dropped)
        self.where = shown_url(url)
        self._url, self._timeout, self._password = url, connect_timeout, password
        self._idle = psycopg.pq.TransactionStatus.IDLE
        self.raw = self._connect()

    def _connect(self):
        import psycopg

        try:
            extra = {"password": self._password} if self._password else {}
            return psycopg.connect(self._url, autocommit=True, connect_timeout=self._timeout,
                                   row_factory=_row_factory, application_name="voicemail-coach", **extra)
        except psycopg.Error as exc:
            raise StorageError(self.explain(exc)) from None

    def execute(self, sql: str, params=()):
        try:
            return self._execute(sql, params)
        except self._lost:
            if not self.raw.closed:
                raise
            if self._in_block:  # the transaction went with the connection: the caller is told
                self._in_block = False
                raise
            self.raw = self._connect()  # a statement on its own is tried once more on a new connection
            return self._execute(sql, params)

    def _execute(self, sql: str, params=()):
        if not params:
            return self.raw.execute(sql, prepare=False)
        return self.raw.execute(_server_sql(sql), params, prepare=False)

    def begin(self) -> None:
        self.execute("BEGIN")
        self._in_block = True

    def commit(self) -> None:
        self._in_block = False
        self._execute("COMMIT")

    def rollback(self) -> None:
        self._in_block = False
        if not self.raw.closed:
            self._execute("ROLLBACK")

    @property
    def in_transaction(self) -> bool:
        return not self.raw.closed and self.raw.info.transaction_status != self._idle

    def ids_given(self, table: str) -> None:
        # an identity column does not see ids written by hand: move it past them
        self.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                     f"GREATEST((SELECT max(id) FROM {table}), 1))")

    def data_version(self) -> int:
        # the next transaction id: moves whenever anyone writes anywhere on the server
        return int(self.execute("SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint").fetchone()[0])

    def explain(self, exc: Exception) -> str:
        import psycopg

        said = str(exc).strip()
        first = said.splitlines()[0] if said else exc.__class__.__name__  # the server's detail lines: the log
        if isinstance(exc, psycopg.OperationalError):
            return f"cannot reach the database server {self.where}: {first}"
        return f"database error on {self.where}: {first}"

    def close(self) -> None:
        self.raw.close()
