"""Builds the app's services once (data dir, database, scenarios, rubric, transcriber)."""

from __future__ import annotations

import logging
import os
from functools import cached_property
from pathlib import Path

from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.scenarios import ScenarioSet, load_scenarios
from voicemail_coach import history_location
from voicemail_coach.paths import DataDir, resources_dir
from voicemail_coach.playbook import active_rubric, named_rubric

ENGINE_ENV = "VOICEMAIL_COACH_ENGINE"
DATABASE_ENV = "VOICEMAIL_COACH_DATABASE"  # a postgresql:// URL keeps the history on a server instead

log = logging.getLogger(__name__)


class Services:
    def __init__(self, data_dir: Path | str | None = None, model_dir: Path | str | None = None,
                 engine: str | None = None, progress=None, database: str | None = None,
                 chosen_location: bool = True):
        self.dirs = DataDir(data_dir)
        # None: the file in the data folder (also with chosen_location=False: the database chosen in Settings
        # could not be opened, and the rep went on with this computer's file)
        self.database = database or os.environ.get(DATABASE_ENV) or (
            history_location.chosen(self.dirs) if chosen_location else None)
        self.model_dir = model_dir
        self.engine = engine or os.environ.get(ENGINE_ENV) or "auto"  # auto, moonshine or faster-whisper
        self.progress = progress  # called with (what, fraction) while a model is prepared
        self.notices: list[str] = []  # things the user must be told once (a database set aside, …)
        self._named_rubrics: dict[str, Rubric] = {}

    @property
    def history_server(self) -> str | None:
        """The PostgreSQL database holding the history, as the window shows it (no password); None for the
        data folder's file."""
        if not self.database:
            return None
        from voicemail_coach.storage import shown_place

        return shown_place(self.database)

    @cached_property
    def repo(self):
        from voicemail_coach.storage.db import StorageError, connect
        from voicemail_coach.storage.repository import Repository

        try:
            self.dirs.ensure()
        except OSError as exc:
            root = self.dirs.data
            why = ("it is a file, not a folder" if root.exists() and not root.is_dir()
                   else f"it cannot be written ({exc.strerror or exc})")
            raise StorageError(f"cannot use {root} as the data folder: {why}; choose another with --data-dir") from None
        # a server's database is repaired by its administrator; a file here is repaired here
        conn = (connect(self.database, history_location.password_for(self.database)) if self.database
                else self._open_file())
        repo = Repository(conn, self.dirs.recordings)
        if swept := repo.files.sweep_staged():
            log.info("removed %d half-written file(s) left in %s", swept, self.dirs.recordings)
        try:
            from voicemail_coach.privacy import apply_retention

            apply_retention(repo)
        except StorageError as exc:  # a read-only or busy database: try again next time
            log.warning("old recordings were not deleted: %s", exc)
        return repo

    def _open_file(self):
        """The history file in the data folder; a damaged one is set aside and what is readable recovered."""
        from voicemail_coach.storage.db import DamagedDatabase, connect, set_aside

        try:
            conn = connect(self.dirs.database)
        except DamagedDatabase:
            from voicemail_coach.storage.recovery import salvage

            backup = set_aside(self.dirs.database)
            log.info("damaged database moved to %s", backup)
            conn = connect(self.dirs.database)
            found = salvage(backup, conn.raw)
            log.info("recovered from the damaged database: %s", found)
            attempts, comments = found.get("attempts", 0), found.get("comments", 0)
            self.notices.append(
                f"Your practice history was damaged. {attempts} attempt{'s' if attempts != 1 else ''} and "
                f"{comments} comment{'s' if comments != 1 else ''} could be read and were recovered; the "
                f"damaged file was kept as {backup.name} in {backup.parent}. Your recordings are untouched."
            )
        return conn

    @cached_property
    def sessions(self):
        """The one session store, on the repository's connection."""
        from voicemail_coach.storage.sessions import SessionStore

        return SessionStore(self.repo)

    @cached_property
    def scenarios(self) -> ScenarioSet:
        found = load_scenarios(resources_dir() / "scenarios", self.dirs.scenarios)
        for problem in found.problems:
            log.info("scenario skipped: %s", problem)  # the log file only: the CLI and the window say it themselves
        return found

    @cached_property
    def rubric(self) -> Rubric:
        """The chosen playbook (Settings ▸ Playbook…), else the article's checklist."""
        rubric, problem = active_rubric(self.dirs)
        if problem:
            log.warning(problem)
            self.notices.append(problem)
        return rubric

    def playbook_changed(self) -> None:
        """Grade with the newly chosen (or edited) playbook from the next attempt on."""
        self.__dict__.pop("rubric", None)
        self._named_rubrics.clear()

    def rubric_named(self, name: str | None) -> Rubric:
        """A saved playbook by file name (a session's), read once; the one in use for None."""
        if not name:
            return self.rubric
        if name not in self._named_rubrics:
            rubric, problem = named_rubric(self.dirs, name)
            if problem:
                log.warning(problem)
                self.notices.append(problem)
            self._named_rubrics[name] = rubric
        return self._named_rubrics[name]

    @cached_property
    def transcriber(self):
        from voicemail_coach.speech.engines import create_transcriber

        return create_transcriber(
            self.engine, self.model_dir, cache_root=self.dirs.cache,
            verified_cache=self.dirs.data / "model-verified.json", progress=self.progress,
        )

    def load_transcriber(self):
        """Load the speech engine; when the automatic choice (Moonshine) cannot be prepared here —
        a damaged package, a cache folder that cannot be written — fall back to faster-whisper and
        say why, rather than leave the rep with no coach."""
        from voicemail_coach.speech.model import ModelError

        try:
            self.transcriber.load()
        except (ModelError, OSError, RuntimeError) as exc:
            if self.engine != "auto" or self.transcriber.engine != "moonshine":
                raise
            log.warning("Moonshine could not be prepared, using faster-whisper: %s", exc)
            self.notices.append(f"The Moonshine speech model could not be prepared ({exc}); "
                                "Voicemail Coach uses faster-whisper tiny.en instead.")
            self.engine = "faster-whisper"
            self.__dict__.pop("transcriber", None)
            self.transcriber.load()
        return self.transcriber
