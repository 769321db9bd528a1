"""A row under the anatomy strip: each time the number was said, how a prospect writing it down heard it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from voicemail_coach.core.number_clarity import NumberReading, problems
from voicemail_coach.core.transcript import mmss
from voicemail_coach.ui.style import AMBER, PASS_COLOR

SAID = {"fast": "too fast to write down", "no_pauses": "no pause between the groups",
        "quiet": "quieter than the rest of the message"}


def describe(reading: NumberReading) -> str:
    loudness = "as loud" if abs(reading.relative_db) < 1.5 else f"{reading.relative_db:+.0f} dB"
    pauses = f"{reading.pauses} pause{'s' * (reading.pauses != 1)}"
    return f"☎ {mmss(reading.start)}  {reading.digits_per_s:.1f}/s · {pauses} · {loudness}"


class NumberStrip(QWidget):
    seek = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.chips: list[QPushButton] = []
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._title = QLabel("Your number:")
        self._title.setObjectName("muted")
        self._row.addWidget(self._title)
        self._row.addStretch(1)
        self.hide()

    def set_readings(self, readings: list[NumberReading], spec: dict | None) -> None:
        """Shown when the number was measured and the playbook has bands for it."""
        for chip in self.chips:
            self._row.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        if not readings or spec is None:
            self.hide()
            return
        for n, reading in enumerate(readings):
            found = problems(reading, spec)
            chip = QPushButton(describe(reading))
            chip.setFocusPolicy(Qt.NoFocus)
            chip.setCursor(Qt.PointingHandCursor)
            color = AMBER if found else PASS_COLOR
            chip.setStyleSheet(f"QPushButton {{ border: 1px solid {color}; color: {color}; border-radius: 10px;"
                               f" padding: 2px 10px; background: white; }}")
            verdict = "; ".join(SAID[f] for f in found) if found else "easy to write down"
            chip.setToolTip(f"{verdict.capitalize()}: {reading.digits_per_s:.1f} digits a second, "
                            f"{reading.pauses} pause(s) between groups, {reading.relative_db:+.0f} dB against the "
                            f"rest of the message. Click to hear it.")
            chip.clicked.connect(lambda _=False, at=reading.start: self.seek.emit(at))
            self._row.insertWidget(1 + n, chip)
            self.chips.append(chip)
        self.show()
