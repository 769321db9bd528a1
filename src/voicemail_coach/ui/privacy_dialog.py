"""Settings ▸ Privacy: how long recordings are kept, masked exports, and deleting everything of one rep."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QHBoxLayout, QMessageBox,
    QPushButton, QSpinBox, QVBoxLayout,
)

from voicemail_coach import privacy
from voicemail_coach.ui.labels import muted


class PrivacyDialog(QDialog):
    def __init__(self, repo, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.deleted_reps = 0
        self.removed_recordings = 0  # by Save: recordings past the new limit
        self.setWindowTitle("Privacy")
        self.setMinimumWidth(520)
        root = QVBoxLayout(self)
        root.addWidget(muted("Everything stays on this computer. Choose what is kept, and what an export shows."))

        kept = QGroupBox("Recordings")
        form = QFormLayout(kept)
        row = QHBoxLayout()
        self.keep = QCheckBox("Delete recordings older than")
        self.days = QSpinBox()
        self.days.setRange(1, privacy.MAX_KEEP_DAYS)
        self.days.setSuffix(" days")
        days = privacy.keep_days(repo)
        self.keep.setChecked(bool(days))
        self.days.setValue(days or 30)
        self.days.setEnabled(bool(days))
        self.keep.toggled.connect(self.days.setEnabled)
        row.addWidget(self.keep)
        row.addWidget(self.days)
        row.addStretch(1)
        form.addRow(row)
        form.addRow(muted("Scores, transcripts and comments stay; only the audio is deleted."))
        root.addWidget(kept)

        exports = QGroupBox("Exports")
        lay = QVBoxLayout(exports)
        self.mask = QCheckBox("Mask phone numbers and email addresses in reports and review bundles")
        self.mask.setToolTip("They are replaced by ••• in the text and silenced in the recordings")
        self.mask.setChecked(privacy.mask_exports(repo))
        lay.addWidget(self.mask)
        root.addWidget(exports)

        forget = QGroupBox("Delete a rep")
        row = QHBoxLayout(forget)
        self.rep_box = QComboBox()
        self.delete_button = QPushButton("Delete everything of this rep…")
        self.delete_button.clicked.connect(self._delete_rep)
        row.addWidget(self.rep_box, 1)
        row.addWidget(self.delete_button)
        root.addWidget(forget)
        self._fill_reps()

        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.Save)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def _fill_reps(self) -> None:
        self.rep_box.clear()
        for rep in self.repo.reps():
            self.rep_box.addItem(rep.profile.name, rep.id)
        self.delete_button.setEnabled(self.rep_box.count() > 0)

    def confirm(self, text: str) -> bool:
        """Asked before anything is deleted for good (a test answers it)."""
        box = QMessageBox(QMessageBox.Warning, "Delete a rep", text, QMessageBox.Cancel, self)
        box.setTextFormat(Qt.PlainText)
        delete = box.addButton("Delete for good", QMessageBox.DestructiveRole)
        box.setDefaultButton(QMessageBox.Cancel)
        box.exec()
        return box.clickedButton() is delete

    def _delete_rep(self) -> None:
        rep_id, name = self.rep_box.currentData(), self.rep_box.currentText()
        if rep_id is None:
            return
        f = self.repo.rep_footprint(rep_id)
        if self.confirm(f"Delete {name} with {f['attempts']} attempt(s), {f['recordings']} recording(s) and "
                        f"{f['comments']} comment(s)? This cannot be undone."):
            self.repo.delete_rep(rep_id)
            self.deleted_reps += 1
            self._fill_reps()

    def _save(self) -> None:
        self.removed_recordings = privacy.set_keep_days(self.repo, self.days.value() if self.keep.isChecked() else 0)
        privacy.set_mask_exports(self.repo, self.mask.isChecked())
        self.accept()
