"""The main window: it builds the tabs, the toolbar and one controller per tab, and wires them together.
Behaviour lives in the controllers (ui/*_controller.py); what the window is working on lives in AppState."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QComboBox, QLabel, QMainWindow, QPushButton, QSizePolicy, QTabWidget, QWidget

from voicemail_coach.audio.player import Player
from voicemail_coach.core.rubric import CONTENT_ITEMS
from voicemail_coach.practice import Attempt, Practice
from voicemail_coach.services import Services
from voicemail_coach.ui import messages
from voicemail_coach.ui.compare_view import CompareView
from voicemail_coach.ui.exports import Exports
from voicemail_coach.ui.history_controller import HistoryController
from voicemail_coach.ui.history_view import HistoryView
from voicemail_coach.ui.menus import install_menus, install_shortcuts
from voicemail_coach.ui.practice_page import PracticePage
from voicemail_coach.ui.progress_controller import ProgressController
from voicemail_coach.ui.progress_view import ProgressView
from voicemail_coach.ui.recording_controller import RecordingController
from voicemail_coach.ui.reps_controller import RepsController
from voicemail_coach.ui.scenario_controller import ScenarioController
from voicemail_coach.ui.scorecard_controller import ScorecardController
from voicemail_coach.ui.sessions_controller import SessionsController
from voicemail_coach.ui.sessions_view import SessionsView
from voicemail_coach.ui.state import AppState, Tab
from voicemail_coach.ui.team_controller import TeamController
from voicemail_coach.ui.undo import UndoStack
from voicemail_coach.ui.workers import run_in_background

log = logging.getLogger(__name__)


class _ModelProgress(QObject):
    changed = Signal(str, float)  # preparing the speech model: what, fraction done (from the loading thread)


class MainWindow(QMainWindow):
    def __init__(self, services: Services, scenario_id: str | None = None, sd=None):
        super().__init__()
        self.services = services
        self.practice = Practice(services)
        self.state = AppState(self)
        self.player = Player(sd)
        self.model_ready = False
        self.setWindowTitle("Voicemail Coach")
        self.resize(1280, 800)
        self._build_views(services, sd)
        self._build_toolbar()
        self._build_controllers(services, sd)
        install_menus(self)
        install_shortcuts(self)
        self._wire()
        self.scenarios.load(scenario_id)
        self.reps.refresh()
        self.recording.list_microphones()

    # ------------------------------------------------------------ assembly
    def _build_views(self, services: Services, sd) -> None:
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        self.page = PracticePage([(i, services.rubric.items[i].label) for i in CONTENT_ITEMS])
        self.history = HistoryView()
        self.compare_view = CompareView(Player(sd))
        self.progress_view = ProgressView()
        self.sessions_view = SessionsView()
        for view, title in ((self.page, "Practice"), (self.history, "History"), (self.compare_view, "Side by side"),
                            (self.progress_view, "Progress"), (self.sessions_view, "Sessions")):
            self.tabs.addTab(view, title)

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Main")
        bar.setMovable(False)
        title = QLabel("  Voicemail Coach  ")
        title.setStyleSheet("font-size:17px; font-weight:700;")
        bar.addWidget(title)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        bar.addWidget(spacer)
        self.board_button = QPushButton("▦  Session board (B)")
        self.board_button.setFocusPolicy(Qt.NoFocus)
        self.board_button.setToolTip("Back to the session's board")
        self.board_action = bar.addWidget(self.board_button)  # shown while a session is on
        self.board_action.setVisible(False)
        bar.addWidget(QLabel("  Rep: "))
        self.rep_box = QComboBox()
        self.rep_box.setMinimumWidth(180)
        self.rep_box.setToolTip("Switch rep profile")
        bar.addWidget(self.rep_box)
        self.edit_profile_button = QPushButton("Profile…")
        bar.addWidget(self.edit_profile_button)
        self.model_label = QLabel("  Loading speech model…  ")
        self.model_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.model_label)
        if server := self.services.history_server:
            where = QLabel(f"  History on {server.rsplit('@', 1)[-1]}  ")
            where.setObjectName("muted")
            where.setToolTip(f"Your practice history is kept in the PostgreSQL database {server}; "
                             "recordings stay in this computer's data folder.")
            self.statusBar().addPermanentWidget(where)
        self.model_progress = _ModelProgress(self)
        self.services.progress = self.model_progress.changed.emit  # called from the loading thread

    def _build_controllers(self, services: Services, sd) -> None:
        state, page = self.state, self.page
        self.undo = UndoStack(self.statusBar(), self)
        self.reps = RepsController(self, services, state, self.rep_box)
        self.scenarios = ScenarioController(self, services, state, page)
        self.recording = RecordingController(self, services, state, self.practice, page, self.player,
                                             self.reps.ensure, sd)
        self.review = ScorecardController(self, services, state, self.practice, page, self.player)
        self.history_tab = HistoryController(self, services, state, self.tabs, self.history, self.compare_view,
                                             self.player.stop)
        self.progress = ProgressController(self, services, state, self.progress_view)
        self.sessions = SessionsController(self, services, state, self.sessions_view, page, self.reps, self.scenarios)
        self.exports = Exports(self, services, state)
        self.team = TeamController(self, services, self.statusBar())

    def _wire(self) -> None:
        for undoable in (self.review.undoable, self.history_tab.undoable, self.sessions.undoable):
            undoable.connect(self.undo.push)
        for wants_record_page in (self.review.record_requested, self.scenarios.record_requested,
                                  self.sessions.record_requested):
            wants_record_page.connect(self.show_record_page)
        self.recording.saved.connect(self.review.show_attempt)
        self.recording.regraded.connect(self.review.refresh_attempt)
        self.recording.saved.connect(self.sessions.after_saved)
        self.recording.saved.connect(self.team.after_saved)
        self.page.scorecard.drill_requested.connect(self.recording.drill)
        self.team.comments_arrived.connect(lambda: self.state.attempt and self.review.show_comments())
        self.history_tab.deleted.connect(self.review.forget)
        for view in (self.history, self.compare_view, self.progress_view):
            view.open_attempt.connect(self.open_attempt)
        self.history.export_bundle.connect(lambda ids: self.exports.bundle(ids, None))
        self.progress_view.export.connect(self.exports.rep_report)
        self.sessions_view.compare.connect(self.history_tab.compare)
        self.sessions_view.export.connect(self.exports.session)
        self.sessions.show_tab.connect(self.tabs.setCurrentIndex)
        self.sessions.board_available.connect(self.board_action.setVisible)
        self.exports.imported.connect(self._bundle_imported)
        self.board_button.clicked.connect(lambda: self.tabs.setCurrentIndex(Tab.SESSIONS))
        self.edit_profile_button.clicked.connect(self.reps.edit)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.model_progress.changed.connect(
            lambda what, done: self.model_label.setText(f"  {what}… {done:.0%} (once, after installing)  "))

    def _tab_changed(self, index: int) -> None:
        if index != Tab.COMPARE:
            self.compare_view.stop()
        if index == Tab.HISTORY:
            self.history_tab.refresh()
        self.progress.set_visible(index == Tab.PROGRESS)
        self.sessions.set_visible(index == Tab.SESSIONS)

    # ------------------------------------------------------------- start-up
    def start_background_work(self) -> None:
        """Load the model and recover interrupted takes without blocking the window."""
        def load():
            self.services.load_transcriber()
            return self.practice.recover()

        run_in_background(load, self._model_loaded, self._model_failed)

    def _model_loaded(self, recovered: list[Attempt]) -> None:
        self.model_ready = True
        self.model_label.setText(f"  Speech: {self.services.transcriber.label} ready  ")
        if self.services.notices:  # e.g. the engine fell back
            self.page.show_banner(self.services.notices[-1])
        if recovered:
            self.statusBar().showMessage(
                f"Recovered {len(recovered)} recording(s) interrupted last time; they are in History.", 10000)

    def _model_failed(self, message: str) -> None:
        self.model_label.setText("  Speech model unavailable  ")
        messages.critical(self, "Speech model", f"The speech model could not be loaded:\n\n{message}")

    # ------------------------------------------------------ between the tabs
    def open_attempt(self, attempt_id: int) -> None:
        self.tabs.setCurrentIndex(Tab.PRACTICE)
        self.review.show_attempt(attempt_id)

    def show_record_page(self) -> None:
        self.tabs.setCurrentIndex(Tab.PRACTICE)
        self.page.show_record_page(self.state.scenario.target_s if self.state.scenario else None)

    def _bundle_imported(self, summary) -> None:
        self.reps.refresh()
        if summary.session_name:
            self.sessions.shown_id = summary.session_id
            self.tabs.setCurrentIndex(Tab.SESSIONS)
            self.sessions.refresh()
        else:
            self.tabs.setCurrentIndex(Tab.HISTORY)
            self.history_tab.refresh()

    def open_playbook(self) -> None:
        from voicemail_coach.ui.playbook_dialog import PlaybookDialog

        self.playbook_dialog = PlaybookDialog(self.services, self.practice, self)
        self.playbook_dialog.exec()
        rubric = self.services.rubric
        self.page.live.set_labels({item_id: spec.label for item_id, spec in rubric.items.items()})
        self.statusBar().showMessage(f"Grading with: {rubric.name}", 6000)

    def open_history_location(self) -> None:
        from voicemail_coach.ui.history_dialog import HistoryLocationDialog

        dialog = HistoryLocationDialog(self.services, self)
        dialog.exec()
        if dialog.changed:
            from voicemail_coach.ui import messages

            messages.information(self, "History location", dialog.changed)

    def open_privacy(self) -> None:
        from voicemail_coach.ui.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(self.services.repo, self)
        if dialog.exec() or dialog.deleted_reps:
            self.reps.refresh()
            self.history_tab.refresh()
            removed = dialog.removed_recordings
            self.statusBar().showMessage(
                "Privacy settings saved" + (f"; {removed} old recording(s) deleted." if removed else "."), 8000)

    def show_logs(self) -> None:
        self.services.dirs.ensure()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.dirs.logs)))
        self.statusBar().showMessage(f"Logs are in {self.services.dirs.logs}", 10000)

    def closeEvent(self, event) -> None:
        self.recording.finish_on_close()
        self.team.close()
        self.player.stop()
        self.compare_view.stop()
        try:
            self.services.repo.purge_deleted()  # deletions are final once the window that could undo them closes
        except Exception as exc:
            log.warning("could not remove deleted attempts: %s", exc)
        super().closeEvent(event)
