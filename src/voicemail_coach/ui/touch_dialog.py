"""Call the same prospect again: choose when on the scenario clock, see what was said last time."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from voicemail_coach.core.touches import WEEKDAYS, Clock
from voicemail_coach.practice import TouchPlan


class TouchDialog(QDialog):
    def __init__(self, plan: TouchPlan, parent=None):
        super().__init__(parent)
        self.plan = plan
        self.setWindowTitle(f"Touch {plan.touch}: call again")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        value = plan.previous.item("value")
        callback = plan.previous.item("callback_time")
        said = QLabel(
            f"Last time ({plan.previous_clock}) you said: “{value.evidence}”" if value.passed
            else f"Last time ({plan.previous_clock}) you gave no reason to call back."
        )
        promised = QLabel(f"And you promised: “{callback.evidence}”" if callback.passed
                          else "You did not say when you would call again.")
        for label in (said, promised):
            label.setTextFormat(Qt.PlainText)  # the rep's own words
            label.setWordWrap(True)
            layout.addWidget(label)
        hint = QLabel("Bring a fresh reason this time. The coach checks that this call comes when you promised.")
        hint.setObjectName("muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        form = QFormLayout()
        self.day = QComboBox()
        for d in WEEKDAYS[:5]:
            self.day.addItem(d.capitalize(), d)
        self.day.setCurrentIndex(max(0, self.day.findData(plan.clock.day)))
        self.hour = QSpinBox()
        self.hour.setRange(7, 19)
        self.hour.setSuffix(":00")
        self.hour.setValue(min(19, max(7, plan.clock.hour)))
        form.addRow("Call on", self.day)
        form.addRow("At", self.hour)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Record touch " + str(plan.touch))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> TouchPlan:
        from dataclasses import replace

        return replace(self.plan, clock=Clock(self.day.currentData(), self.hour.value()))
