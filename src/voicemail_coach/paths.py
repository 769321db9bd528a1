"""Where the app reads its bundled resources and writes the user's files."""

from __future__ import annotations

import os
from functools import lru_cache
from importlib import resources as importlib_resources
from pathlib import Path

import platformdirs

APP_NAME = "voicemail-coach"
HOME_ENV = "VOICEMAIL_COACH_HOME"
CACHE_ENV = "VOICEMAIL_COACH_CACHE"  # where a converted speech model is kept (tests share one)


@lru_cache(maxsize=1)
def resources_dir() -> Path:
    """The bundled resources: inside the package in a wheel, at the repo root in a checkout."""
    packaged = Path(str(importlib_resources.files("voicemail_coach"))) / "resources"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the bundled resources folder is missing from this installation")


class DataDir:
    """Every file the app writes lives under one root (``--data-dir`` or the platform's dirs)."""

    def __init__(self, root: Path | str | None = None):
        chosen = root or os.environ.get(HOME_ENV)
        if chosen:
            base = Path(chosen).expanduser().resolve()
            self.data = base
            self.logs = base / "logs"
            self.config = base
            self.cache = base / "cache"
        else:
            self.data = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
            self.logs = Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
            self.config = Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
            self.cache = Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
        if os.environ.get(CACHE_ENV):
            self.cache = Path(os.environ[CACHE_ENV]).expanduser().resolve()

    @property
    def database(self) -> Path:
        return self.data / "voicemail-coach.sqlite3"

    @property
    def recordings(self) -> Path:
        return self.data / "recordings"

    @property
    def scenarios(self) -> Path:
        return self.data / "scenarios"

    @property
    def playbooks(self) -> Path:
        return self.data / "playbooks"

    @property
    def settings(self) -> Path:
        return self.config / "settings.json"

    def ensure(self) -> "DataDir":
        for d in (self.data, self.logs, self.config, self.recordings, self.scenarios):
            d.mkdir(mode=0o700, parents=True, exist_ok=True)
        return self
