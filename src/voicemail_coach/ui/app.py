"""Start the desktop app: logging, services, the main window; the model loads in the background."""

from __future__ import annotations

import logging
import sys
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path

from voicemail_coach.services import Services


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


def build_window(data_dir=None, scenario_id=None, model_dir=None, sd=None):
    from PySide6.QtWidgets import QApplication

    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.style import STYLE

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Voicemail Coach")
    app.setStyleSheet(STYLE)
    services = Services(data_dir, model_dir)
    setup_logging(services)
    window = MainWindow(services, scenario_id, sd=sd)
    return app, window


def run(data_dir: Path | None = None, scenario_id: str | None = None, model_dir: Path | None = None) -> int:
    t0 = time.perf_counter()
    app, window = build_window(data_dir, scenario_id, model_dir)
    window.show()
    logging.getLogger(__name__).info("window shown %.3f s after start", time.perf_counter() - t0)
    window.start_background_work()
    window.ensure_profile()
    return app.exec()
