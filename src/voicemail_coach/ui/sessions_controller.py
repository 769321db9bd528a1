"""The Sessions tab: onboarding sessions, the live board, each rep's turn and the trainer's exemplars."""

from __future__ import annotations

import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QMessageBox

from voicemail_coach.core.people import RepProfile
from voicemail_coach.playbook import saved as saved_playbooks
from voicemail_coach.storage import StorageError
from voicemail_coach.ui import messages
from voicemail_coach.ui.practice_page import PracticePage
from voicemail_coach.ui.reps_controller import RepsController
from voicemail_coach.ui.scenario_controller import ScenarioController
from voicemail_coach.ui.session_dialog import SessionDialog
from voicemail_coach.ui.sessions_view import SessionsView
from voicemail_coach.ui.state import Controller, Tab

POLL_MS = 2000


class SessionsController(Controller):
    undoable = Signal(str, object)  # what was removed, a callable that brings it back
    record_requested = Signal()  # a rep's turn or an exemplar: to the recording page
    show_tab = Signal(int)
    board_available = Signal(bool)  # a session is on: the toolbar offers the way back to its board

    def __init__(self, window, services, state, view: SessionsView, page: PracticePage, reps: RepsController,
                 scenarios: ScenarioController):
        super().__init__(window, services, state)
        self.view, self.page, self.reps, self.scenarios = view, page, reps, scenarios
        self.store = services.sessions
        self.shown_id: int | None = None  # the session on the Sessions tab
        # another window's attempts show up too; the board is rebuilt only when the database changed
        self.board_timer = QTimer(self, interval=POLL_MS)
        self.board_timer.timeout.connect(self._poll)
        self._seen_version: int | None = None
        view.new_session.connect(self.new_session)
        view.session_changed.connect(self.select)
        view.practise.connect(self.practise)
        view.record_exemplar.connect(self.record_exemplar)
        view.delete.connect(self.delete)
        state.session_changed.connect(self._show_banner)
        state.rep_changed.connect(lambda _rep: self._show_banner())

    def set_visible(self, visible: bool) -> None:
        if visible:
            self.refresh()
            self.board_timer.start()
        else:
            self.board_timer.stop()

    def refresh(self) -> None:
        sessions = self.store.all()
        ids = [s.id for s in sessions]
        if self.shown_id not in ids:
            self.shown_id = ids[0] if ids else None
        self.view.set_sessions(sessions, self.shown_id)
        self.refresh_board()

    def select(self, session_id: int) -> None:
        self.shown_id = session_id
        self.refresh_board()

    def _poll(self) -> None:
        version = self.services.repo.data_version()
        if version != self._seen_version:
            self._seen_version = version
            self.refresh_board()

    def refresh_board(self) -> None:
        from voicemail_coach.reports.build import board_for

        session = self.store.get(self.shown_id) if self.shown_id else None
        if session is None:
            return
        repo = self.services.repo
        trainer = repo.rep_by_id(session.trainer_id)
        scores = {}
        for sid in session.track:
            row = repo.attempt(session.exemplars[sid]) if sid in session.exemplars else None
            scores[sid] = row.score if row else None
        self.view.show_board(session, board_for(self.services, session), self.services.scenarios.titles(),
                             trainer.profile.name if trainer else "", scores)

    def new_session(self) -> None:
        repo = self.services.repo
        reps = [(r.id, r.profile.name) for r in repo.reps()]
        dialog = SessionDialog(reps, [(s.id, s.title) for s in self.services.scenarios.scenarios],
                               self.state.rep.id if self.state.rep else None, self.window,
                               [p.name for p in saved_playbooks(self.services.dirs)])
        if not dialog.exec():
            return
        v = dialog.values()
        try:
            rep_ids = [rid if rid is not None else repo.save_rep(RepProfile(name), make_active=False).id
                       for rid, name in v["reps"]]
            session = self.store.create(v["name"], rep_ids, v["track"], v["pass_mark"], v["trainer_id"], v["playbook"])
        except StorageError as exc:
            messages.warning(self.window, "New session", str(exc))
            return
        self.shown_id = session.id
        self.reps.refresh()
        self.show_tab.emit(Tab.SESSIONS)
        self.refresh()
        self.say(f"Session “{session.name}” created. Double-click a cell to have that rep record.")

    def delete(self, session_id: int) -> None:
        snapshot = self.store.delete(session_id)
        if snapshot is None:
            return
        exemplar = self.state.exemplar_for
        if self.state.session_id == session_id or (exemplar and exemplar[0] == session_id):
            self.state.set_session(None)
        self.shown_id = None
        self.refresh()

        def restore():
            self.store.restore(snapshot)
            self.shown_id = session_id
            self.refresh()

        self.undoable.emit(f"session “{snapshot[0].name}”", restore)

    def practise(self, session_id: int, rep_id: int, scenario_id: str) -> None:
        """A rep takes their turn: their profile, the scenario, and the attempt counts on the board."""
        if not self.state.idle:
            return
        self.reps.activate(rep_id)
        if self.scenarios.choose(scenario_id) is None:
            messages.warning(self.window, "Sessions", f"The scenario {scenario_id} is not installed on this machine.")
            return
        self.state.set_session(session_id)
        self.state.set_touch(None)
        self.record_requested.emit()

    def record_exemplar(self, session_id: int, scenario_id: str) -> None:
        """The trainer records the scenario; the take becomes the session's exemplar for it."""
        if not self.state.idle:
            return
        session = self.store.get(session_id)
        trainer_id = session.trainer_id if session else None
        if trainer_id is None:
            rep = self.state.rep
            QMessageBox.information(self.window, "Exemplar", "This session has no trainer profile. The exemplar is "
                                    f"recorded as {rep.profile.name if rep else 'the active rep'}.")
        else:
            self.reps.activate(trainer_id)
        if self.scenarios.choose(scenario_id) is None:
            return
        self.state.set_session(None, exemplar_for=(session_id, scenario_id))
        self.state.set_touch(None)
        self.record_requested.emit()

    def _show_banner(self) -> None:
        state, banner = self.state, self.page.session_banner
        who = html.escape(state.rep.profile.name) if state.rep else ""
        if state.exemplar_for:
            session = self.store.get(state.exemplar_for[0])
            text = (f"<b>Exemplar for “{html.escape(session.name) if session else ''}”</b> — {who} records the model "
                    f"voicemail for this scenario. Press B for the board.")
        elif state.session_id:
            session = self.store.get(state.session_id)
            text = (f"<b>Session “{html.escape(session.name) if session else ''}”</b> — {who} is recording; this "
                    f"attempt counts on the board (B). Sessions ▸ Leave to practise on your own.")
        else:
            banner.hide()
            self.board_available.emit(False)
            return
        banner.setText(text)
        banner.show()
        self.board_available.emit(True)

    def after_saved(self, attempt_id: int) -> None:
        """Every saved attempt: an exemplar take is attached, the board refreshed."""
        if self.state.exemplar_for:
            session_id, scenario_id = self.state.exemplar_for
            self.store.set_exemplar(session_id, scenario_id, attempt_id)
            self.state.set_session(None)
            self.say("Saved as the session's exemplar for this scenario.")
        if self.shown_id:
            self.refresh_board()
