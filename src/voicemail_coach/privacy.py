"""The user's privacy settings: how long recordings are kept, and whether exports mask numbers and emails."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

KEEP_DAYS = "keep_recordings_days"  # 0 or missing: keep recordings for ever
MASK_EXPORTS = "mask_exports"
MAX_KEEP_DAYS = 3650


def keep_days(repo) -> int:
    value = repo.setting(KEEP_DAYS) or "0"
    return int(value) if value.isdigit() and int(value) <= MAX_KEEP_DAYS else 0


def set_keep_days(repo, days: int) -> int:
    """Keep recordings ``days`` days (0: for ever) and apply it now; returns how many were deleted."""
    if not 0 <= days <= MAX_KEEP_DAYS:
        raise ValueError(f"keep recordings from 1 to {MAX_KEEP_DAYS} days, or 0 for ever")
    repo.set_setting(KEEP_DAYS, str(days))
    return apply_retention(repo)


def apply_retention(repo) -> int:
    days = keep_days(repo)
    if not days:
        return 0
    removed = repo.expire_recordings(days)
    if removed:
        log.info("deleted %d recording(s) older than %d days (scores and transcripts kept)", removed, days)
    return removed


def mask_exports(repo) -> bool:
    return repo.setting(MASK_EXPORTS) == "1"


def set_mask_exports(repo, on: bool) -> None:
    repo.set_setting(MASK_EXPORTS, "1" if on else "0")
