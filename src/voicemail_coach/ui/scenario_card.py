"""The scenario card: who the prospect is and what the rep knows before the beep."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from voicemail_coach.core.scenarios import Scenario


class ScenarioCard(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.setMinimumWidth(280)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 16)
        top = QHBoxLayout()
        self.picker = QComboBox()
        self.picker.setToolTip("Pick a scenario")
        top.addWidget(self.picker, 1)
        self.next_button = QPushButton("Next (N)")
        self.next_button.setToolTip("Deal the next scenario (N)")
        top.addWidget(self.next_button)
        layout.addLayout(top)
        self.badge = QLabel()
        self.badge.setTextFormat(Qt.PlainText)
        self.badge.setObjectName("badge")
        self.title = QLabel()
        self.title.setObjectName("scenarioTitle")
        self.title.setWordWrap(True)
        self.prospect = QLabel()
        self.prospect.setObjectName("prospect")
        self.prospect.setWordWrap(True)
        layout.addSpacing(6)
        layout.addWidget(self.title)
        badge_row = QHBoxLayout()
        badge_row.addWidget(self.badge)
        badge_row.addStretch(1)
        layout.addLayout(badge_row)
        layout.addWidget(self.prospect)
        self.sections: dict[str, QLabel] = {}
        for key, heading in (("context", "What you know"), ("trigger", "Why now"), ("prior", "Earlier touches"),
                             ("target", "Target length"), ("greeting", "Their greeting")):
            h = QLabel(heading)
            h.setObjectName("section")
            body = QLabel()
            body.setTextFormat(Qt.PlainText)  # a scenario file's text, never markup
            body.setWordWrap(True)
            if key == "greeting":
                body.setObjectName("greeting")
            layout.addWidget(h)
            layout.addWidget(body)
            self.sections[key] = body
        layout.addStretch(1)

    def set_scenarios(self, scenarios: list[Scenario]) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for s in scenarios:
            self.picker.addItem(f"{s.prospect.company} — {s.title}", s.id)
        self.picker.blockSignals(False)

    def show_scenario(self, s: Scenario) -> None:
        idx = self.picker.findData(s.id)
        if idx >= 0 and idx != self.picker.currentIndex():
            self.picker.blockSignals(True)
            self.picker.setCurrentIndex(idx)
            self.picker.blockSignals(False)
        self.title.setText(s.title)
        self.badge.setText(f"{s.industry} · {s.difficulty}" + ("" if s.source == "built-in" else " · yours"))
        who = html.escape(s.prospect.name)
        if s.prospect.title:
            who += f", {html.escape(s.prospect.title)}"
        self.prospect.setText(f"Calling <b>{who}</b><br>at {html.escape(s.prospect.company)}")
        self.sections["context"].setText(s.context or "—")
        self.sections["trigger"].setText(s.trigger or "—")
        self.sections["prior"].setText(s.prior_touches or "None")
        self.sections["target"].setText(f"{s.target_s[0]:.0f}–{s.target_s[1]:.0f} seconds")
        self.sections["greeting"].setText(f"“{s.greeting}”" if s.greeting else "A plain beep.")
