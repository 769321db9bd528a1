"""Where this computer keeps its practice history: the data folder's file (the default), or a PostgreSQL
database chosen in Settings ▸ History location. The choice is a file in the config folder (it cannot live in
the history it points to): the address without its password; the password goes to the system keyring."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

from voicemail_coach import keychain
from voicemail_coach.paths import DataDir
from voicemail_coach.storage import StorageError, is_server_url, shown_place, shown_url

KEYRING_SERVICE = "voicemail-coach history database"
SETTING = "history_database"


def _settings(dirs: DataDir) -> dict:
    try:
        found = json.loads(dirs.settings.read_text())
    except (OSError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


def chosen(dirs: DataDir) -> str | None:
    """The database chosen in Settings, or None for the data folder's file."""
    value = _settings(dirs).get(SETTING)
    return value if isinstance(value, str) and is_server_url(value) else None


def address_of(url: str) -> tuple[str, str | None]:
    """A typed address as it is kept (no password) and the password that was in it."""
    from urllib.parse import urlsplit

    return shown_url(url.strip()), urlsplit(url.strip()).password


def password_for(url: str) -> str | None:
    """The kept password; None lets PostgreSQL's own ways answer (PGPASSWORD, ~/.pgpass, a certificate)."""
    return keychain.kept_password(KEYRING_SERVICE, url)


def choose(dirs: DataDir, url: str | None, password: str | None = None) -> bool:
    """Keep the choice (None: back to the file). Returns whether a typed password is kept for the next start."""
    settings = _settings(dirs)
    previous = chosen(dirs)
    if previous and previous != url:
        keychain.forget_password(KEYRING_SERVICE, previous)
    if url:
        settings[SETTING] = url
    else:
        settings.pop(SETTING, None)
    dirs.settings.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    staged = dirs.settings.with_suffix(".part")
    staged.write_text(json.dumps(settings, indent=2))
    os.replace(staged, dirs.settings)
    return bool(url and password) and keychain.keep_password(KEYRING_SERVICE, url, password)


@dataclass(frozen=True)
class Found:
    attempts: int | None  # None: a database without a history yet (its tables are made at the first start)
    where: str  # as the window names it (shown_place)


def check(url: str, password: str | None) -> Found:
    """Reach the database and say what it holds, changing nothing; StorageError says why not."""
    from voicemail_coach.storage.db import MIGRATIONS, server_version
    from voicemail_coach.storage.sql import PostgresDatabase

    db = PostgresDatabase(url, password=password)
    try:
        version = server_version(db)
        if version > len(MIGRATIONS):
            raise StorageError(f"the database on {db.where} was written by a newer Voicemail Coach; update the app")
        attempts = db.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] if version else None
        return Found(attempts, shown_place(url))
    except db.errors as exc:
        raise StorageError(db.explain(exc)) from None
    finally:
        db.close()
