"""Start the desktop app: logging, services, the main window; the model loads in the background."""

from __future__ import annotations

import logging
import os
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from voicemail_coach.services import DATABASE_ENV, Services

SMOKE_ENV = "VOICEMAIL_COACH_EXIT_WHEN_READY"


def setup_logging(services: Services) -> None:
    try:
        services.dirs.logs.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(services.dirs.logs / "voicemail-coach.log", maxBytes=1_000_000, backupCount=3)
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def build_window(data_dir=None, scenario_id=None, model_dir=None, sd=None, engine=None, database=None,
                 chosen_location=True):
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.style import STYLE

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Voicemail Coach")
    app.setDesktopFileName("app.voicemailcoach.VoicemailCoach")
    app.setStyleSheet(STYLE)
    from PySide6.QtGui import QIcon

    from voicemail_coach.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "voicemail-coach.svg")))
    services = Services(data_dir, model_dir, engine, database=database, chosen_location=chosen_location)
    setup_logging(services)
    window = MainWindow(services, scenario_id, sd=sd)
    return app, window


def run(data_dir: Path | None = None, scenario_id: str | None = None, model_dir: Path | None = None,
        engine: str | None = None, database: str | None = None) -> int:
    from voicemail_coach.storage import StorageError

    t0 = time.perf_counter()
    try:
        app, window = build_window(data_dir, scenario_id, model_dir, engine=engine, database=database)
    except StorageError as exc:
        from PySide6.QtWidgets import QApplication, QMessageBox

        from voicemail_coach import history_location
        from voicemail_coach.paths import DataDir
        from voicemail_coach.ui import messages

        QApplication.instance() or QApplication(sys.argv)
        chosen = None if database or os.environ.get(DATABASE_ENV) else history_location.chosen(DataDir(data_dir))
        if not chosen:
            messages.critical(None, "Voicemail Coach", f"Your practice history cannot be opened:\n\n{exc}")
            return 1
        # the database chosen in Settings does not answer: the rep can still practise on this computer
        answer = QMessageBox.question(
            None, "Voicemail Coach",
            f"Your practice history cannot be opened:\n\n{exc}\n\nOpen Voicemail Coach with the history in this "
            "computer's data folder for now? (Settings ▸ History location… chooses again.)")
        if answer != QMessageBox.Yes:
            return 1
        app, window = build_window(data_dir, scenario_id, model_dir, engine=engine, chosen_location=False)
    window.show()
    logging.getLogger(__name__).info("window shown %.3f s after start", time.perf_counter() - t0)
    window.start_background_work()
    if window.services.notices:
        from voicemail_coach.ui import messages

        messages.warning(window, "Voicemail Coach", "\n\n".join(window.services.notices))
    if os.environ.get(SMOKE_ENV):
        # packaging smoke test: prove the window and the model come up, then leave
        def ready_or_wait():
            if window.model_ready:
                print(f"ready: window and speech model up in {time.perf_counter() - t0:.2f} s", flush=True)
                app.quit()
            else:
                QTimer.singleShot(50, ready_or_wait)

        from PySide6.QtCore import QTimer

        ready_or_wait()
        return app.exec()
    window.reps.ensure()
    return app.exec()
