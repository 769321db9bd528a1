"""Shared fixtures: every file the app writes goes under a temp folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # for tests.support

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# One converted speech model for the whole run (and the app processes it starts), not one per test.
os.environ.setdefault("VOICEMAIL_COACH_CACHE", str(Path(os.environ.get("TMPDIR", "/tmp")) / "voicemail-coach-test-cache"))


def pytest_addoption(parser):
    parser.addoption("--database-backend", choices=("sqlite", "postgresql"), default="sqlite",
                     help="where the practice history is kept in the tests: a SQLite file in each data folder "
                          "(the app's default) or a database of its own on a PostgreSQL server the run starts")


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself (locks, damage, its pragmas), or "
                                       "a command-line process and the test reading the same data folder's file")


@pytest.fixture(autouse=True)
def _history_backend(request, monkeypatch):
    """With --database-backend postgresql, every history a test opens by file path (a data folder's, or one
    of its own) is a fresh database on the test server instead: the same stores, tests and checks."""
    if request.config.getoption("--database-backend") != "postgresql":
        return
    if request.node.get_closest_marker("sqlite_only"):
        pytest.skip("about the SQLite file itself")
    import uuid

    from voicemail_coach.storage import db
    from voicemail_coach.storage.sql import is_server_url

    server, connect, made = request.getfixturevalue("postgres"), db.connect, {}

    def connect_on_server(target):
        if is_server_url(target):
            return connect(target)
        key = str(Path(target).resolve())
        if key not in made:
            made[key] = server.create_database(f"h_{uuid.uuid4().hex[:16]}")
        return connect(made[key])

    monkeypatch.setattr(db, "connect", connect_on_server)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test may write into the real user data dir."""
    home = tmp_path / "home"
    monkeypatch.setenv("VOICEMAIL_COACH_HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    return home


@pytest.fixture(scope="session")
def audio_cache(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("synth")


@pytest.fixture(scope="session")
def transcriber():
    """The default engine, as the app would build it."""
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.engines import create_transcriber

    t = create_transcriber("auto", cache_root=DataDir().cache)
    t.load()
    return t


@pytest.fixture(scope="session")
def whisper():
    from voicemail_coach.speech.transcriber import WhisperTranscriber

    t = WhisperTranscriber()
    t.load()
    return t


@pytest.fixture(scope="session")
def virtual_mic():
    """A real PulseAudio server whose null sink's monitor is the default microphone."""
    from tests.support.pulse import VirtualMic

    mic = VirtualMic()
    try:
        mic.start()
    except (RuntimeError, OSError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PulseAudio here: {exc}")
    # sounddevice must (re)initialise PortAudio after the server exists
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    yield mic
    mic.stop()


@pytest.fixture(autouse=True)
def _no_modal_dialogs(monkeypatch):
    """A message box in a test would wait for a click forever: fail instead, with its text."""
    from PySide6.QtWidgets import QMessageBox

    def boom(_parent, title, text, *args, **kwargs):
        raise AssertionError(f"unexpected dialog {title!r}: {text}")

    for name in ("warning", "critical", "information", "question"):
        monkeypatch.setattr(QMessageBox, name, staticmethod(boom))
    from voicemail_coach.ui import messages

    monkeypatch.setattr(messages, "_box", lambda _icon, parent, title, text: boom(parent, title, text))


@pytest.fixture(scope="session")
def postgres():
    """A real PostgreSQL server (Debian's binaries), started for this test run and removed after it."""
    from tests.support import postgres as pg

    if not pg.available() and not os.environ.get("CI"):
        pytest.skip("PostgreSQL's server binaries are not installed (apt-get install postgresql)")
    server = pg.start_server()
    yield server
    pg.remove(server)


@pytest.fixture
def team_db(postgres, request):
    """A new database on the test server for one test; its URL as the database's owner."""
    import re

    name = "t_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    return postgres.create_database(name)
