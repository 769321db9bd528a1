"""Creating an onboarding session: its name, the trainer, the reps, the track of scenarios and the pass mark."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, QSpinBox, QVBoxLayout,
)

from voicemail_coach.core import limits


class SessionDialog(QDialog):
    def __init__(self, reps: list[tuple[int, str]], scenarios: list[tuple[str, str]], trainer_id: int | None,
                 parent=None, playbooks: list[str] | None = None):
        super().__init__(parent)
        self.setWindowTitle("New onboarding session")
        self.setMinimumWidth(560)
        root = QVBoxLayout(self)
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setMaxLength(limits.NAME_CHARS)
        self.name.setPlaceholderText("e.g. January cohort")
        form.addRow("Session name", self.name)
        self.trainer = QComboBox()
        self.trainer.addItem("(no trainer)", None)
        for rep_id, name in reps:
            self.trainer.addItem(name, rep_id)
        self.trainer.setCurrentIndex(max(0, self.trainer.findData(trainer_id)))
        self.trainer.setToolTip("The trainer's profile records the exemplars")
        form.addRow("Trainer", self.trainer)
        self.pass_mark = QSpinBox()
        self.pass_mark.setRange(0, 100)
        self.pass_mark.setValue(80)
        self.pass_mark.setSuffix(" / 100")
        form.addRow("Pass mark", self.pass_mark)
        self.playbook = QComboBox()
        self.playbook.addItem("The one in use (Settings ▸ Playbook…)", None)
        for name in playbooks or []:
            self.playbook.addItem(name.removesuffix(".toml"), name)
        self.playbook.setToolTip("The checklist this session's attempts are graded with")
        form.addRow("Playbook", self.playbook)
        root.addLayout(form)

        lists = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel("<b>Reps</b> (tick who takes part)"))
        self.reps = QListWidget()
        for rep_id, name in reps:
            self._add_rep_item(name, rep_id, checked=rep_id != trainer_id)
        left.addWidget(self.reps, 1)
        add = QHBoxLayout()
        self.new_rep = QLineEdit()
        self.new_rep.setMaxLength(limits.NAME_CHARS)
        self.new_rep.setPlaceholderText("Add a rep by name")
        self.new_rep.returnPressed.connect(self._add_new_rep)
        add.addWidget(self.new_rep, 1)
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self._add_new_rep)
        self.add_button.setAutoDefault(False)
        add.addWidget(self.add_button)
        left.addLayout(add)
        lists.addLayout(left, 1)
        right = QVBoxLayout()
        right.addWidget(QLabel("<b>Track</b> (scenarios, in this order)"))
        self.track = QListWidget()
        for sid, title in scenarios:
            item = QListWidgetItem(title)
            item.setData(Qt.UserRole, sid)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.track.addItem(item)
        right.addWidget(self.track, 1)
        lists.addLayout(right, 1)
        root.addLayout(lists, 1)
        self.error = QLabel("")
        self.error.setObjectName("error")
        root.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.create_button = buttons.button(QDialogButtonBox.Ok)
        self.create_button.setText("Create session")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

    def _add_rep_item(self, name: str, rep_id: int | None, checked: bool = True) -> None:
        item = QListWidgetItem(name)
        item.setData(Qt.UserRole, rep_id)
        item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
        item.setCheckState(Qt.Checked if checked else Qt.Unchecked)
        self.reps.addItem(item)

    def _add_new_rep(self) -> None:
        name = self.new_rep.text().strip()
        if not name:
            return
        existing = [self.reps.item(i) for i in range(self.reps.count())]
        match = next((i for i in existing if i.text().lower() == name.lower()), None)
        if match:
            match.setCheckState(Qt.Checked)
        else:
            self._add_rep_item(name, None)
        self.new_rep.clear()

    def _checked(self, widget: QListWidget) -> list[QListWidgetItem]:
        return [widget.item(i) for i in range(widget.count()) if widget.item(i).checkState() == Qt.Checked]

    def values(self) -> dict:
        """name, trainer_id, pass_mark, reps: [(id or None for new, name)], track: [scenario ids], playbook."""
        return {
            "name": self.name.text().strip(),
            "trainer_id": self.trainer.currentData(),
            "pass_mark": self.pass_mark.value(),
            "reps": [(i.data(Qt.UserRole), i.text()) for i in self._checked(self.reps)],
            "track": [i.data(Qt.UserRole) for i in self._checked(self.track)],
            "playbook": self.playbook.currentData(),
        }

    def _accept(self) -> None:
        v = self.values()
        problem = ("Give the session a name." if not v["name"] else
                   "Tick at least one rep." if not v["reps"] else
                   "Tick at least one scenario for the track." if not v["track"] else "")
        if problem:
            self.error.setText(problem)
            return
        self.accept()
