"""The main window's review side: History, Side by side, Progress and Sessions tabs, trainer comments,
delete with undo, reports and review bundles. A mixin of MainWindow: it shares the window's services,
player, status bar and practice page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from voicemail_coach.audio.player import Player
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.progress import progress
from voicemail_coach.core.transcript import mmss
from voicemail_coach.storage.db import StorageError
from voicemail_coach.storage.repository import HistoryFilter
from voicemail_coach.storage.sessions import SessionStore
from voicemail_coach.ui import messages
from voicemail_coach.ui.comments import CommentDialog
from voicemail_coach.ui.compare_view import CompareView
from voicemail_coach.ui.history_view import HistoryView
from voicemail_coach.ui.progress_view import ProgressView
from voicemail_coach.ui.session_dialog import SessionDialog
from voicemail_coach.ui.sessions_view import SessionsView
from voicemail_coach.ui.workers import run_in_background

log = logging.getLogger(__name__)
PRACTICE_TAB, HISTORY_TAB, COMPARE_TAB, PROGRESS_TAB, SESSIONS_TAB = range(5)
COMMENT_MARK = QColor(245, 158, 11, 110)


class ReviewMixin:
    # ------------------------------------------------------------ building
    def _build_review(self) -> None:
        self.sessions_store = SessionStore(self.services.repo)
        self.session_ctx: int | None = None  # the session the next recordings count in
        self.exemplar_for: tuple[int, str] | None = None  # the next recording becomes this exemplar
        self.current_session_id: int | None = None  # the one on the Sessions tab
        self._undo: list[tuple[str, Callable[[], None]]] = []  # (what was deleted, how to bring it back)
        self.history = HistoryView()
        self.compare_view = CompareView(Player(self.sd))
        self.progress_view = ProgressView()
        self.sessions_view = SessionsView()
        self.tabs.addTab(self.history, "History")
        self.tabs.addTab(self.compare_view, "Side by side")
        self.tabs.addTab(self.progress_view, "Progress")
        self.tabs.addTab(self.sessions_view, "Sessions")
        self.undo_button = QPushButton("Undo")
        self.undo_button.setFocusPolicy(Qt.NoFocus)
        self.undo_button.hide()
        self.statusBar().addWidget(self.undo_button)
        # another window's attempts show up too; the board is rebuilt only when the database changed
        self.board_timer = QTimer(self, interval=2000)
        self.board_timer.timeout.connect(self._poll_board)
        self._seen_version: int | None = None

    def _review_menus(self, file_menu, view_menu) -> None:
        self.import_bundle_action = QAction("Import a review &bundle…", self, shortcut=QKeySequence("Ctrl+Shift+O"))
        self.import_bundle_action.triggered.connect(self.import_bundle)
        file_menu.addAction(self.import_bundle_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.undo_action = QAction("&Undo delete", self, shortcut=QKeySequence.Undo)
        self.undo_action.setEnabled(False)
        self.undo_action.triggered.connect(self.undo_delete)
        edit_menu.addAction(self.undo_action)
        for n, (name, key) in enumerate((("&Practice", "Alt+1"), ("&History", "Ctrl+H"), ("&Side by side", "Alt+3"),
                                          ("P&rogress", "Alt+4"), ("&Sessions", "Alt+5"))):
            action = QAction(name, self, shortcut=QKeySequence(key))
            action.triggered.connect(lambda _=False, i=n: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)
        session_menu = self.menuBar().addMenu("&Sessions")
        new = QAction("&New session…", self, shortcut=QKeySequence("Ctrl+Shift+N"))
        new.triggered.connect(self.new_session)
        session_menu.addAction(new)
        leave = QAction("&Leave the session (practise on my own)", self)
        leave.triggered.connect(lambda: self.set_session_context(None))
        session_menu.addAction(leave)

    def _wire_review(self) -> None:
        h = self.history
        h.open_attempt.connect(self.open_attempt)
        h.compare.connect(self.compare_attempts)
        h.delete.connect(self.delete_attempts)
        h.export_bundle.connect(lambda ids: self.export_bundle(ids, None))
        h.filters_changed.connect(self.refresh_history)
        self.compare_view.open_attempt.connect(self.open_attempt)
        self.progress_view.open_attempt.connect(self.open_attempt)
        self.progress_view.export.connect(self.export_rep_report)
        s = self.sessions_view
        s.new_session.connect(self.new_session)
        s.session_changed.connect(self.select_session)
        s.practise.connect(self.practise_in_session)
        s.record_exemplar.connect(self.record_exemplar)
        s.compare.connect(self.compare_attempts)
        s.export.connect(self.export_session)
        s.delete.connect(self.delete_session)
        self.comments.add_requested.connect(self.add_comment)
        self.transcript.comment_requested.connect(self.add_comment)
        self.waveform.comment_requested.connect(self.add_comment)
        self.comments.delete_requested.connect(self.delete_comment)
        self.comments.seek.connect(self.play_from)
        self.undo_button.clicked.connect(self.undo_delete)
        self.board_button.clicked.connect(lambda: self.tabs.setCurrentIndex(SESSIONS_TAB))
        self.tabs.currentChanged.connect(self._tab_changed)
        QShortcut(QKeySequence("C"), self, self._c_pressed)
        QShortcut(QKeySequence("B"), self, lambda: self.tabs.setCurrentIndex(SESSIONS_TAB) if self.session_ctx else None)
        for n in range(4):
            QShortcut(QKeySequence(f"Ctrl+{n + 1}"), self, lambda slot=n: self.pick_for_compare(slot))

    def _tab_changed(self, index: int) -> None:
        if index != COMPARE_TAB:
            self.compare_view.stop()
        if index == HISTORY_TAB:
            self.refresh_history()
        elif index == PROGRESS_TAB:
            self.refresh_progress()
        elif index == SESSIONS_TAB:
            self.refresh_sessions()
        if index == SESSIONS_TAB:
            self.board_timer.start()
        else:
            self.board_timer.stop()

    # ------------------------------------------------------------- history
    def refresh_history(self) -> None:
        repo = self.services.repo
        self.history.set_choices([(r.id, r.profile.name) for r in repo.reps()],
                                 [(s.id, s.title) for s in self.services.scenarios.scenarios])
        flt = self.history.current_filter()
        self.history.set_rows(repo.rows(flt), self.services.scenarios.titles(), repo.count())

    def _c_pressed(self) -> None:
        """C compares in History and comments on the scorecard."""
        tab = self.tabs.currentIndex()
        if tab == HISTORY_TAB:
            self.history.compare_selected()
        elif tab == PRACTICE_TAB and self.stack.currentIndex() == 1:
            self.add_comment()

    def pick_for_compare(self, slot: int) -> None:
        """Ctrl+1..4: the attempt under the cursor (History) or on the scorecard goes into that slot."""
        tab = self.tabs.currentIndex()
        if tab == HISTORY_TAB:
            attempt_id = self.history.current_id()
        elif tab == PRACTICE_TAB and self.stack.currentIndex() == 1 and self.current:
            attempt_id = self.current["id"]
        else:
            return
        if attempt_id is None:
            return
        self.history.set_slot(slot, attempt_id)
        picked = [s for s in self.history.slots if s is not None]
        self.statusBar().showMessage(
            f"Attempt #{attempt_id} → compare slot {slot + 1}. " +
            ("Press C in History to compare them." if len(picked) >= 2 else "Pick one more with Ctrl+1..4."), 6000)

    def compare_attempts(self, ids: list[int]) -> None:
        rows = [r for r in (self.services.repo.attempt(i) for i in ids[:4]) if r is not None]
        if len(rows) < 2:
            return
        self.player.stop()
        rubric = self.services.rubric
        labels = {k: rubric.label_tip(k)[0] for k in (*rubric.items, *rubric.touch)}
        exemplars = self.sessions_store.exemplar_ids()
        comments = {r["id"]: self.services.repo.comments(r["id"]) for r in rows}
        marks = {r["id"]: self.services.repo.labels(r["id"]) for r in rows}
        self.compare_view.show_attempts(rows, self.services.scenarios.titles(), comments, labels, exemplars, marks)
        self.tabs.setCurrentIndex(COMPARE_TAB)

    # ----------------------------------------------------- delete and undo
    def _push_undo(self, what: str, restore) -> None:
        self._undo.append((what, restore))
        self.undo_action.setEnabled(True)
        self.statusBar().showMessage(f"Deleted {what}. Ctrl+Z brings it back.", 15000)
        self.undo_button.setText(f"Undo delete of {what}")
        self.undo_button.show()
        QTimer.singleShot(15000, self.undo_button.hide)

    def delete_attempts(self, ids: list[int]) -> None:
        self.services.repo.delete_attempts(ids)
        if self.current and self.current["id"] in ids:
            self.player.stop()
            self.current = None
            self.show_record_page()
        self.history.slots = [None if s in ids else s for s in self.history.slots]
        self.refresh_history()

        def restore():
            self.services.repo.restore_attempts(ids)
            self.refresh_history()

        self._push_undo(f"attempt #{ids[0]}" if len(ids) == 1 else f"{len(ids)} attempts", restore)

    def undo_delete(self) -> None:
        if not self._undo:
            return
        what, restore = self._undo.pop()
        restore()
        self.undo_action.setEnabled(bool(self._undo))
        self.undo_button.hide()
        self.statusBar().showMessage(f"Restored {what}.", 6000)

    # ------------------------------------------------------------ comments
    def show_comments(self, attempt_id: int) -> None:
        comments = self.services.repo.comments(attempt_id)
        self.comments.set_comments(comments)
        self.waveform.marks = [(c["at_s"], c["at_s"] + 0.35, COMMENT_MARK) for c in comments if c["at_s"] is not None]
        self.waveform.update()

    def add_comment(self, at: float | None = None) -> None:
        """A comment at ``at`` seconds (a right-clicked word or waveform spot), else where playback is."""
        if not self.current or self.stack.currentIndex() != 1:
            return
        if at is None:
            at = self.player.position if self.player.duration else None
        at = round(at, 1) if at is not None else None
        author = self.services.repo.setting("reviewer_name") or ""
        dialog = CommentDialog(at, author, self)
        if dialog.exec():
            author = dialog.author.text().strip()
            self.services.repo.set_setting("reviewer_name", author)
            self.services.repo.add_comment(self.current["id"], dialog.text.toPlainText().strip(), at, author)
            self.show_comments(self.current["id"])
            self.statusBar().showMessage(f"Comment added at {mmss(at)}.", 5000)

    def delete_comment(self, comment_id: int) -> None:
        removed = self.services.repo.delete_comment(comment_id)
        if not removed:
            return
        repo = self.services.repo

        def restore():
            repo.add_comment(removed["attempt_id"], removed["text"], removed["at_s"], removed["author"],
                             removed["created_at"])
            if self.current and self.current["id"] == removed["attempt_id"]:
                self.show_comments(removed["attempt_id"])

        if self.current:
            self.show_comments(self.current["id"])
        self._push_undo("a comment", restore)

    # ------------------------------------------------------------ progress
    def refresh_progress(self) -> None:
        if self.rep is None:
            return
        outcomes = self.services.repo.item_outcomes(HistoryFilter(rep_id=self.rep.id))
        self.progress_view.show_progress(self.rep.profile.name, progress(outcomes, self.services.rubric),
                                         self.services.scenarios.titles())

    # ------------------------------------------------------------ sessions
    def refresh_sessions(self) -> None:
        sessions = self.sessions_store.all()
        ids = [s.id for s in sessions]
        if self.current_session_id not in ids:
            self.current_session_id = ids[0] if ids else None
        self.sessions_view.set_sessions(sessions, self.current_session_id)
        self.refresh_board()

    def select_session(self, session_id: int) -> None:
        self.current_session_id = session_id
        self.refresh_board()

    def _poll_board(self) -> None:
        version = self.services.repo.data_version()
        if version != self._seen_version:
            self._seen_version = version
            self.refresh_board()

    def refresh_board(self) -> None:
        from voicemail_coach.reports.build import board_for

        session = self.sessions_store.get(self.current_session_id) if self.current_session_id else None
        if session is None:
            return
        board = board_for(self.services, session)
        trainer = self.services.repo.rep_by_id(session.trainer_id)
        scores = {}
        for sid in session.track:
            row = self.services.repo.attempt(session.exemplars[sid]) if sid in session.exemplars else None
            scores[sid] = row["score"] if row else None
        self.sessions_view.show_board(session, board, self.services.scenarios.titles(), trainer.profile.name if trainer else "", scores)

    def new_session(self) -> None:
        repo = self.services.repo
        reps = [(r.id, r.profile.name) for r in repo.reps()]
        dialog = SessionDialog(reps, [(s.id, s.title) for s in self.services.scenarios.scenarios],
                               self.rep.id if self.rep else None, self)
        if not dialog.exec():
            return
        v = dialog.values()
        try:
            rep_ids = [rid if rid is not None else repo.save_rep(RepProfile(name), make_active=False).id
                       for rid, name in v["reps"]]
            session = self.sessions_store.create(v["name"], rep_ids, v["track"], v["pass_mark"], v["trainer_id"])
        except StorageError as exc:
            messages.warning(self, "New session", str(exc))
            return
        self.current_session_id = session.id
        self.refresh_reps()
        self.tabs.setCurrentIndex(SESSIONS_TAB)
        self.refresh_sessions()
        self.statusBar().showMessage(f"Session “{session.name}” created. Double-click a cell to have that rep record.", 8000)

    def delete_session(self, session_id: int) -> None:
        snapshot = self.sessions_store.delete(session_id)
        if snapshot is None:
            return
        if self.session_ctx == session_id or (self.exemplar_for and self.exemplar_for[0] == session_id):
            self.set_session_context(None)
        self.current_session_id = None
        self.refresh_sessions()

        def restore():
            self.sessions_store.restore(snapshot)
            self.current_session_id = session_id
            self.refresh_sessions()

        self._push_undo(f"session “{snapshot[0].name}”", restore)

    def practise_in_session(self, session_id: int, rep_id: int, scenario_id: str) -> None:
        """A rep takes their turn: their profile, the scenario, and the attempt counts on the board."""
        if self.state != self.IDLE:
            return
        self.services.repo.set_setting("active_rep", str(rep_id))
        self.refresh_reps()
        scenario = self.services.scenarios.get(scenario_id)
        if scenario is None:
            messages.warning(self, "Sessions", f"The scenario {scenario_id} is not installed on this machine.")
            return
        self.exemplar_for = None
        self.set_session_context(session_id)
        self.set_scenario(scenario)
        self.set_touch(None)
        self.tabs.setCurrentIndex(PRACTICE_TAB)
        self.show_record_page()

    def record_exemplar(self, session_id: int, scenario_id: str) -> None:
        """The trainer records the scenario; the take becomes the session's exemplar for it."""
        if self.state != self.IDLE:
            return
        session = self.sessions_store.get(session_id)
        trainer_id = session.trainer_id if session else None
        if trainer_id is None:
            QMessageBox.information(self, "Exemplar", "This session has no trainer profile. The exemplar is "
                                    f"recorded as {self.rep.profile.name if self.rep else 'the active rep'}.")
        else:
            self.services.repo.set_setting("active_rep", str(trainer_id))
            self.refresh_reps()
        scenario = self.services.scenarios.get(scenario_id)
        if scenario is None:
            return
        self.set_session_context(None)
        self.exemplar_for = (session_id, scenario_id)
        self.set_scenario(scenario)
        self.set_touch(None)
        self.tabs.setCurrentIndex(PRACTICE_TAB)
        self.show_record_page()
        self._show_session_banner()

    def set_session_context(self, session_id: int | None) -> None:
        self.session_ctx = session_id
        if session_id is None:
            self.exemplar_for = None
        self._show_session_banner()

    def _show_session_banner(self) -> None:
        import html

        who = html.escape(self.rep.profile.name) if self.rep else ""
        if self.exemplar_for:
            session = self.sessions_store.get(self.exemplar_for[0])
            text = (f"<b>Exemplar for “{html.escape(session.name) if session else ''}”</b> — {who} records the model voicemail "
                    f"for this scenario. Press B for the board.")
        elif self.session_ctx:
            session = self.sessions_store.get(self.session_ctx)
            text = (f"<b>Session “{html.escape(session.name) if session else ''}”</b> — {who} is recording; this attempt counts "
                    f"on the board (B). Sessions ▸ Leave to practise on your own.")
        else:
            self.session_banner.hide()
            self.board_action.setVisible(False)
            return
        self.session_banner.setText(text)
        self.session_banner.show()
        self.board_action.setVisible(True)

    def after_graded(self, attempt_id: int) -> None:
        """Called for every saved attempt: an exemplar take is attached, the board refreshed."""
        if self.exemplar_for and attempt_id is not None:
            session_id, scenario_id = self.exemplar_for
            self.sessions_store.set_exemplar(session_id, scenario_id, attempt_id)
            self.exemplar_for = None
            self._show_session_banner()
            self.statusBar().showMessage("Saved as the session's exemplar for this scenario.", 8000)
        if self.current_session_id:
            self.refresh_board()

    # ------------------------------------------------------- reports, bundles
    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        start = self.services.repo.setting("export_dir") or str(Path.home())
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path(start) / name), pattern)
        if not path:
            return None
        self.services.repo.set_setting("export_dir", str(Path(path).parent))
        return Path(path)

    def export_session(self, session_id: int, fmt: str) -> None:
        from voicemail_coach.reports import write_report
        from voicemail_coach.reports.build import session_report

        session = self.sessions_store.get(session_id)
        if session is None:
            return
        if fmt == "bundle":
            self.export_bundle(None, session_id)
            return
        path = self._save_path("Export the session report", f"{_file_stem(session.name, 'session')}.{fmt}",
                               "PDF (*.pdf)" if fmt == "pdf" else "CSV (*.csv)")
        if path is not None:
            self._export("Export", lambda: write_report(session_report(self.services, session, self._masking()), fmt, path),
                         f"Wrote {path}")

    def export_rep_report(self, fmt: str) -> None:
        from voicemail_coach.reports import write_report
        from voicemail_coach.reports.build import rep_report

        if self.rep is None:
            return
        rep = self.rep
        path = self._save_path("Export the progress report", f"{_file_stem(rep.profile.name, 'rep')}.{fmt}",
                               "PDF (*.pdf)" if fmt == "pdf" else "CSV (*.csv)")
        if path is not None:
            self._export("Export", lambda: write_report(rep_report(self.services, rep, self._masking()), fmt, path),
                         f"Wrote {path}")

    def export_bundle(self, attempt_ids: list[int] | None, session_id: int | None) -> None:
        from voicemail_coach.bundles import SUFFIX, export_bundle

        if session_id:
            name = _file_stem(self.sessions_store.get(session_id).name, "session")
        else:
            name = f"attempt-{attempt_ids[0]}" if len(attempt_ids) == 1 else "attempts"
        path = self._save_path("Export a review bundle", f"{name}{SUFFIX}", f"Review bundle (*{SUFFIX})")
        if path is not None:
            self._export("Export a review bundle",
                         lambda: export_bundle(self.services, path, attempt_ids=attempt_ids, session_id=session_id,
                                               mask=self._masking()),
                         f"Wrote {path}. Open it on another machine with File ▸ Import a review bundle.")

    def _masking(self) -> bool:
        """Settings ▸ Privacy: mask phone numbers and emails in everything exported."""
        from voicemail_coach.privacy import mask_exports

        return mask_exports(self.services.repo)

    def _export(self, title: str, write: Callable[[], object], done: str) -> None:
        """Write a report or bundle under a wait cursor (quick: well under a second for a 30-rep session)."""
        from voicemail_coach.bundles import BundleError

        QGuiApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            write()
        except (StorageError, BundleError, OSError) as exc:
            messages.warning(self, title, str(exc))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.statusBar().showMessage(done, 10000)

    def import_bundle(self, path: Path | None = None) -> None:
        from voicemail_coach.bundles import SUFFIX, import_bundle

        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self, "Import a review bundle", str(Path.home()),
                                                    f"Review bundle (*{SUFFIX});;All files (*)")
            if not chosen:
                return
            path = Path(chosen)
        self.statusBar().showMessage(f"Checking {path.name}…")
        run_in_background(lambda: import_bundle(self.services, path), self._bundle_imported,
                          lambda message: messages.warning(self, "Import a review bundle",
                                                              f"{message}\n\nNothing was changed."))

    def _bundle_imported(self, summary) -> None:
        self.refresh_reps()
        parts = [f"{summary.attempts} attempt{'s' if summary.attempts != 1 else ''} imported"]
        if summary.skipped:
            parts.append(f"{summary.skipped} already here")
        if summary.reps_created:
            parts.append("new reps: " + ", ".join(summary.reps_created))
        if summary.session_name:
            parts.append(f"session “{summary.session_name}”")
            self.current_session_id = summary.session_id
            self.tabs.setCurrentIndex(SESSIONS_TAB)
            self.refresh_sessions()
        else:
            self.tabs.setCurrentIndex(HISTORY_TAB)
            self.refresh_history()
        self.statusBar().showMessage("; ".join(parts) + ".", 12000)


def _file_stem(name: str, fallback: str) -> str:
    """A name as a file name: letters, digits, spaces, dashes and underscores."""
    return "".join(ch if ch.isalnum() or ch in "-_ " else "_" for ch in name).strip() or fallback
