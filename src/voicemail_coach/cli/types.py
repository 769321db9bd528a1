"""Argument types for the command line: a bad value is refused with a plain message, never a traceback."""

from __future__ import annotations

import argparse
import math

MAX_ID = 2**63 - 1  # SQLite's largest integer
MAX_SECONDS = 3600.0


def attempt_id(text: str) -> int:
    """A positive whole number that a database id can be."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not an attempt number") from None
    if not 1 <= value <= MAX_ID:
        raise argparse.ArgumentTypeError(f"there is no attempt #{text}")
    return value


def seconds(text: str) -> float:
    """A moment in a recording: finite, from 0 to an hour."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of seconds") from None
    if not math.isfinite(value) or not 0.0 <= value <= MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"'{text}' is not a moment in a recording (0 to {MAX_SECONDS:.0f} seconds)")
    return value


def folder(text: str):
    """A folder path; an empty one would silently mean the current folder."""
    from pathlib import Path

    if not text.strip():
        raise argparse.ArgumentTypeError("the folder is empty")
    return Path(text)


def database_url(text: str) -> str:
    """A PostgreSQL database's address; anything else is refused before a connection is tried."""
    from voicemail_coach.storage import is_server_url

    if not is_server_url(text.strip()):
        raise argparse.ArgumentTypeError(f"'{text}' is not a PostgreSQL address (postgresql://user@host/database)")
    return text.strip()
