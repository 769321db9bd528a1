"""The History and Side by side tabs: filtered listing, picking attempts to compare, delete with undo."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QTabWidget

from voicemail_coach.core.anatomy import anatomy
from voicemail_coach.ui.compare_view import CompareView
from voicemail_coach.ui.history_view import HistoryView
from voicemail_coach.ui.state import Controller, Tab


class HistoryController(Controller):
    undoable = Signal(str, object)  # what was removed, a callable that brings it back
    deleted = Signal(list)  # attempt ids

    def __init__(self, window, services, state, tabs: QTabWidget, history: HistoryView, compare: CompareView,
                 stop_replay):
        super().__init__(window, services, state)
        self.tabs, self.view, self.compare_view = tabs, history, compare
        self.stop_replay = stop_replay  # the scorecard's player falls silent when columns play
        history.compare.connect(self.compare)
        history.delete.connect(self.delete)
        history.filters_changed.connect(self.refresh)

    def refresh(self) -> None:
        repo, scenarios = self.services.repo, self.services.scenarios
        self.view.set_choices([(r.id, r.profile.name) for r in repo.reps()], [(s.id, s.title) for s in scenarios.scenarios])
        self.view.set_rows(repo.rows(self.view.current_filter()), scenarios.titles(), repo.count())

    def pick_for_compare(self, slot: int, on_scorecard: bool) -> None:
        """Ctrl+1..4: the attempt under the cursor (History) or on the scorecard goes into that slot."""
        tab = self.tabs.currentIndex()
        if tab == Tab.HISTORY:
            attempt_id = self.view.current_id()
        elif tab == Tab.PRACTICE and on_scorecard and self.state.attempt:
            attempt_id = self.state.attempt.id
        else:
            return
        if attempt_id is None:
            return
        self.view.set_slot(slot, attempt_id)
        picked = [s for s in self.view.slots if s is not None]
        self.say(f"Attempt #{attempt_id} → compare slot {slot + 1}. " +
                 ("Press C in History to compare them." if len(picked) >= 2 else "Pick one more with Ctrl+1..4."), 6000)

    def compare(self, ids: list[int]) -> None:
        repo, rubric = self.services.repo, self.services.rubric
        rows = [r for r in (repo.attempt(i) for i in ids[:4]) if r is not None]
        if len(rows) < 2:
            return
        self.stop_replay()
        labels = {k: rubric.label_tip(k)[0] for k in (*rubric.items, *rubric.touch)}
        comments = {r.id: repo.comments(r.id) for r in rows}
        marks = {r.id: repo.labels(r.id) for r in rows}
        anatomies = {r.id: anatomy(r.items, r.duration_s, rubric) for r in rows}
        self.compare_view.show_attempts(rows, self.services.scenarios.titles(), comments, labels,
                                        self.services.sessions.exemplar_ids(), marks, anatomies)
        self.tabs.setCurrentIndex(Tab.COMPARE)

    def delete(self, ids: list[int]) -> None:
        repo = self.services.repo
        repo.delete_attempts(ids)
        self.deleted.emit(ids)
        self.view.slots = [None if s in ids else s for s in self.view.slots]
        self.refresh()

        def restore():
            repo.restore_attempts(ids)
            self.refresh()

        self.undoable.emit(f"attempt #{ids[0]}" if len(ids) == 1 else f"{len(ids)} attempts", restore)
