"""The Progress tab: the active rep's scores over time, pass rates per item, best per scenario."""

from __future__ import annotations

from voicemail_coach.core.drills import stats as drill_stats
from voicemail_coach.core.progress import progress
from voicemail_coach.core.records import HistoryFilter
from voicemail_coach.ui.progress_view import ProgressView
from voicemail_coach.ui.state import Controller


class ProgressController(Controller):
    def __init__(self, window, services, state, view: ProgressView):
        super().__init__(window, services, state)
        self.view = view
        self.visible = False
        state.rep_changed.connect(lambda _rep: self.refresh() if self.visible else None)

    def set_visible(self, visible: bool) -> None:
        self.visible = visible
        if visible:
            self.refresh()

    def refresh(self) -> None:
        rep = self.state.rep
        if rep is None:
            return
        outcomes = self.services.repo.item_outcomes(HistoryFilter(rep_id=rep.id))
        self.view.show_progress(rep.profile.name, progress(outcomes, self.services.rubric),
                                self.services.scenarios.titles())
        self.view.show_drills(drill_stats([(d.part, d.passed) for d in self.services.repo.drills(rep.id)]))
