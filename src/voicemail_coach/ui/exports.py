"""Reports (PDF, CSV) and review bundles out of the app, and bundles from another machine into it."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog

from voicemail_coach.ui import messages
from voicemail_coach.ui.state import Controller
from voicemail_coach.ui.workers import run_in_background


def file_stem(name: str, fallback: str) -> str:
    """A name as a file name: letters, digits, spaces, dashes and underscores."""
    return "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in name).strip() or fallback


class Exports(Controller):
    imported = Signal(object)  # ImportSummary of a bundle brought in

    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        repo = self.services.repo
        start = repo.setting("export_dir") or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self.window, title, str(Path(start) / name), pattern)
        if not path:
            return None
        repo.set_setting("export_dir", str(Path(path).parent))
        return Path(path)

    def _masking(self) -> bool:
        """Settings ▸ Privacy: mask phone numbers and emails in everything exported."""
        from voicemail_coach.privacy import mask_exports

        return mask_exports(self.services.repo)

    def session(self, session_id: int, fmt: str) -> None:
        from voicemail_coach.reports.build import session_report

        session = self.services.sessions.get(session_id)
        if session is None:
            return
        if fmt == "bundle":
            self.bundle(None, session_id)
            return
        self._report("Export the session report", file_stem(session.name, "session"), fmt,
                     lambda mask: session_report(self.services, session, mask))

    def rep_report(self, fmt: str) -> None:
        from voicemail_coach.reports.build import rep_report

        rep = self.state.rep
        if rep is None:
            return
        self._report("Export the progress report", file_stem(rep.profile.name, "rep"), fmt,
                     lambda mask: rep_report(self.services, rep, mask))

    def _report(self, title: str, stem: str, fmt: str, build) -> None:
        from voicemail_coach.reports import write_report

        path = self._save_path(title, f"{stem}.{fmt}", "PDF (*.pdf)" if fmt == "pdf" else "CSV (*.csv)")
        if path is not None:
            self._write("Export", lambda: write_report(build(self._masking()), fmt, path), f"Wrote {path}")

    def bundle(self, attempt_ids: list[int] | None, session_id: int | None) -> None:
        from voicemail_coach.bundles import SUFFIX, export_bundle

        if session_id:
            name = file_stem(self.services.sessions.get(session_id).name, "session")
        else:
            name = f"attempt-{attempt_ids[0]}" if len(attempt_ids) == 1 else "attempts"
        path = self._save_path("Export a review bundle", f"{name}{SUFFIX}", f"Review bundle (*{SUFFIX})")
        if path is not None:
            self._write("Export a review bundle",
                        lambda: export_bundle(self.services, path, attempt_ids=attempt_ids, session_id=session_id,
                                              mask=self._masking()),
                        f"Wrote {path}. Open it on another machine with File ▸ Import a review bundle.")

    def _write(self, title: str, write: Callable[[], object], done: str) -> None:
        """Write a report or bundle under a wait cursor (quick: well under a second for a 30-rep session)."""
        from voicemail_coach.bundles import BundleError
        from voicemail_coach.reports import ReportError
        from voicemail_coach.storage import StorageError

        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            write()
        except (StorageError, BundleError, ReportError, OSError) as exc:
            messages.warning(self.window, title, str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.say(done, 10000)

    def import_bundle(self, path: Path | None = None) -> None:
        from voicemail_coach.bundles import SUFFIX, import_bundle

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Import a review bundle", str(Path.home()),
                                                    f"Review bundle (*{SUFFIX});;All files (*)")
            if not chosen:
                return
            path = Path(chosen)
        self.say(f"Checking {path.name}…", 0)
        run_in_background(lambda: import_bundle(self.services, path), self._imported,
                          lambda message: messages.warning(self.window, "Import a review bundle",
                                                           f"{message}\n\nNothing was changed."))

    def _imported(self, summary) -> None:
        parts = [f"{summary.attempts} attempt{'s' if summary.attempts != 1 else ''} imported"]
        if summary.skipped:
            parts.append(f"{summary.skipped} already here")
        if summary.reps_created:
            parts.append("new reps: " + ", ".join(summary.reps_created))
        if summary.session_name:
            parts.append(f"session “{summary.session_name}”")
        self.imported.emit(summary)
        self.say("; ".join(parts) + ".", 12000)
