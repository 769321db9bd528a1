"""The practice history: reps, attempts, sessions, marks in a SQLite file (the default) or a PostgreSQL
database, with the same migrations and the same SQL; recordings are files in the data folder.

The rest of the app takes records (core/records.py) from the repository and catches StorageError; the
modules inside this package are its own."""

from voicemail_coach.storage.errors import StorageError, os_reason
from voicemail_coach.storage.sql import is_server_url, shown_place, shown_url

__all__ = ["StorageError", "is_server_url", "os_reason", "shown_place", "shown_url"]
