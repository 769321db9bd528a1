"""The recordings folder: fresh names, staged copies that appear only once their row is committed, and
deletions that never reach outside the folder."""

from __future__ import annotations

import shutil
import time
import uuid
from pathlib import Path

from voicemail_coach.storage.db import StorageError, os_reason

STAGED_SUFFIX = ".part"


class RecordingFolder:
    def __init__(self, root: Path):
        self.root = root

    def new_path(self, source: Path) -> Path:
        """A fresh name for a copy of ``source`` (nothing is written yet)."""
        return self.root / f"{uuid.uuid4().hex}{source.suffix.lower() or '.wav'}"

    @staticmethod
    def stage(target: Path) -> Path:
        """Where a file bound for ``target`` is written first; it takes its real name only once its row is
        committed, so a crash, a full disk or a locked database never leaves a recording without an attempt."""
        return target.with_name(target.name + STAGED_SUFFIX)

    def stage_copy(self, source: Path, target: Path) -> Path:
        staged = self.stage(target)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            shutil.copyfile(source, staged)
        except OSError as exc:
            staged.unlink(missing_ok=True)
            raise StorageError(f"could not copy the recording into {self.root}: {os_reason(exc)}") from None
        return staged

    def sweep_staged(self, older_than_s: float = 600.0) -> int:
        """Remove files a crash left half-written. A file still being written has a fresh mtime; one untouched
        for ten minutes belongs to no one."""
        removed = 0
        for path in self.root.glob(f"*{STAGED_SUFFIX}"):
            try:
                if time.time() - path.stat().st_mtime > older_than_s:
                    path.unlink()
                    removed += 1
            except OSError:
                continue
        return removed

    def unlink(self, paths) -> None:
        """Delete recordings, but only files inside the folder (an attempt may point elsewhere)."""
        root = self.root.resolve()
        for value in paths:
            if value:
                path = Path(value).resolve()
                if path.is_relative_to(root):
                    path.unlink(missing_ok=True)
