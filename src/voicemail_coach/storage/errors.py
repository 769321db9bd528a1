"""What goes wrong with the history's database, said plainly: what happened and what to do."""

from __future__ import annotations

from pathlib import Path


class StorageError(RuntimeError):
    """The database cannot be used; the message says what happened and what to do."""


class DamagedDatabase(StorageError):
    """The file is not a readable SQLite database (or fails its integrity check)."""


def explain_error(exc: Exception, path: Path) -> str:
    """A SQLite error on the file at ``path`` as a sentence for the user."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return f"the database {path} is locked by another program; close other Voicemail Coach windows and try again"
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return f"the database {path} is damaged; move it aside (your recordings are kept) and start again"
    if ("disk" in text and "full" in text) or ("disk i/o" in text and _nearly_full(path)):
        return f"the disk holding {path} is full; free some space and try again"
    if "readonly" in text or "read-only" in text:
        return f"the database {path} is read-only; check the folder's permissions"
    return f"database error in {path}: {exc}"


def os_reason(exc: OSError) -> str:
    """Why a file could not be written, in words (a full disk said plainly)."""
    import errno

    if exc.errno == errno.ENOSPC:
        return "the disk is full; free some space and try again"
    return exc.strerror or str(exc)


def _nearly_full(path: Path) -> bool:
    """SQLite reports a full disk as an I/O error when it fills up while writing its journal."""
    import shutil

    try:
        return shutil.disk_usage(path.parent).free < 4 * 1024 * 1024
    except OSError:
        return False
