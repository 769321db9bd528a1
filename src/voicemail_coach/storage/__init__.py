"""SQLite storage: schema migrations, reps, attempts, sessions; recordings beside the database.

The rest of the app takes records (core/records.py) from the repository and catches StorageError; the
modules inside this package are its own."""

from voicemail_coach.storage.db import StorageError, os_reason

__all__ = ["StorageError", "os_reason"]
