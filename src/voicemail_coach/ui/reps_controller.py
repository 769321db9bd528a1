"""Who is practising: the rep box in the toolbar, the profile dialog, switching reps."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from voicemail_coach.core.records import Rep
from voicemail_coach.ui.profile_dialog import ProfileDialog
from voicemail_coach.ui.state import Controller


class RepsController(Controller):
    def __init__(self, window, services, state, rep_box: QComboBox):
        super().__init__(window, services, state)
        self.rep_box = rep_box
        rep_box.activated.connect(self._switched)

    def refresh(self) -> None:
        repo = self.services.repo
        active = repo.active_rep()
        self.rep_box.clear()
        for r in repo.reps():
            self.rep_box.addItem(r.profile.name, r.id)
        if active:
            self.rep_box.setCurrentIndex(self.rep_box.findData(active.id))
        self.state.set_rep(active)

    def activate(self, rep_id: int) -> None:
        self.services.repo.set_setting("active_rep", str(rep_id))
        self.refresh()

    def _switched(self, index: int) -> None:
        rep_id = self.rep_box.itemData(index)
        if rep_id is not None:
            self.activate(rep_id)
            self.say(f"Practising as {self.state.rep.profile.name}.", 5000)

    def ensure(self) -> Rep | None:
        """The active rep; on first use, the profile dialog asks who is practising."""
        if self.state.rep is None:
            if self.services.repo.active_rep() is None:
                self.edit(first_run=True)
            else:  # a rep saved elsewhere (the command line, an import) since the box was filled
                self.refresh()
        return self.state.rep

    def edit(self, new: bool = False, first_run: bool = False) -> None:
        rep = self.state.rep
        current = None if (new or first_run or rep is None) else rep.profile
        dialog = ProfileDialog(current, first_run=first_run, parent=self.window)
        if dialog.exec():
            self.services.repo.save_rep(dialog.profile(), make_active=True)
            self.refresh()
