"""The team server: attempts, recordings, marks and comments of a whole class on one PostgreSQL server.

Each rep keeps practising on the local SQLite history; a joined machine queues every new attempt in a local
outbox and uploads it once the server answers. Who may read what is decided by the server (roles and
row-level security), never by this code. Nothing here knows of Qt."""

from __future__ import annotations


class TeamError(RuntimeError):
    """The team server cannot be used; the message says what happened and what to do."""


class TeamUnreachable(TeamError):
    """The server does not answer (network down, server stopped): try again later, nothing is lost."""


class TeamLoginRefused(TeamError):
    """The server does not take this login's password (or none is kept here): sign in again."""


__all__ = ["TeamError", "TeamLoginRefused", "TeamUnreachable"]
