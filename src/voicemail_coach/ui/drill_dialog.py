"""A drill: one part of the message, said again and again with a short timer, graded on just that part."""

from __future__ import annotations

import html
import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from voicemail_coach.drilling import DrillResult, DrillRound
from voicemail_coach.ui.labels import muted
from voicemail_coach.ui.style import FAIL_COLOR, PASS_COLOR
from voicemail_coach.ui.workers import run_in_background


class DrillDialog(QDialog):
    def __init__(self, drill: DrillRound, parent=None, sd=None, device=None):
        super().__init__(parent)
        self.drill, self.sd, self.device = drill, sd, device
        self.results: list[DrillResult] = []  # this sitting's takes, oldest first
        self._started_at: float | None = None
        self.setWindowTitle(f"Drill: {drill.part.title.lower()}")
        self.setMinimumWidth(620)
        root = QVBoxLayout(self)
        title = QLabel(f"Drill — {drill.part.title}")
        title.setStyleSheet("font-size:18px; font-weight:700;")
        root.addWidget(title)
        self.instruction = QLabel(drill.instruction())
        self.instruction.setWordWrap(True)
        root.addWidget(self.instruction)
        root.addWidget(muted(f"Just this part: {drill.part.seconds} seconds at most. Space starts and stops."))

        row = QHBoxLayout()
        self.record_button = QPushButton("●  Record (Space)")
        self.record_button.setObjectName("primary")
        self.record_button.setShortcut(Qt.Key_Space)
        self.record_button.setMinimumHeight(44)
        row.addWidget(self.record_button)
        self.clock = QLabel(f"0:{drill.part.seconds:02d}")
        self.clock.setStyleSheet("font-size:26px; font-family:monospace;")
        row.addWidget(self.clock)
        row.addStretch(1)
        self.streak = QLabel("")
        self.streak.setStyleSheet("font-size:15px; font-weight:600;")
        row.addWidget(self.streak)
        root.addLayout(row)

        self.outcome = QFrame()
        self.outcome.setObjectName("itemRow")
        self.rows = QVBoxLayout(self.outcome)
        self.outcome.hide()
        root.addWidget(self.outcome)
        self.heard = muted()
        self.heard.setTextFormat(Qt.PlainText)
        root.addWidget(self.heard)
        close = QPushButton("Close (Esc)")
        close.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(close)
        root.addLayout(bottom)

        self.ticker = QTimer(self)
        self.ticker.setInterval(100)
        self.ticker.timeout.connect(self._tick)
        self.record_button.clicked.connect(self.toggle)
        self._show_streak(drill.streak())

    def _show_streak(self, count: int) -> None:
        self.streak.setText(f"★ {count} in a row" if count else "")

    # -------------------------------------------------------------- record
    @property
    def recording(self) -> bool:
        return self._started_at is not None

    def toggle(self) -> None:
        if self.recording:
            self.stop()
        elif self.record_button.isEnabled():
            self.start()

    def start(self) -> None:
        try:
            self.drill.start(self.device, self.sd)
        except Exception as exc:  # no microphone, a device that fails to open
            self.heard.setText(f"The microphone could not be opened: {exc}")
            return
        self._started_at = time.monotonic()
        self.outcome.hide()
        self.heard.setText("Listening… say just this part.")
        self.record_button.setText("■  Stop (Space)")
        self.ticker.start()

    def _tick(self) -> None:
        if self._started_at is None:
            return
        left = self.drill.part.seconds - (time.monotonic() - self._started_at)
        self.clock.setText(f"0:{max(0, int(left + 0.999)):02d}")
        if left <= 0:
            self.stop()  # the part's time is up

    def stop(self) -> None:
        if not self.recording:
            return
        self.ticker.stop()
        self._started_at = None
        self.record_button.setEnabled(False)
        self.record_button.setText("Grading…")
        self.heard.setText("Grading this part…")
        run_in_background(self.drill.stop, self._graded, self._failed)

    def _graded(self, result: DrillResult) -> None:
        self.results.append(result)
        self._ready_again()
        while self.rows.count():
            widget = self.rows.takeAt(0).widget()
            if widget:
                widget.setParent(None)
        for item in result.items:
            earned = item.passed and item.status != "unsure"
            said = f"“{item.evidence}”" if earned and item.evidence else (item.tip or "")
            line = QLabel(f"<span style='color:{PASS_COLOR if earned else FAIL_COLOR}; font-weight:700'>"
                          f"{'✓' if earned else '✗'}</span>&nbsp; <b>{html.escape(item.label)}</b> — "
                          f"{html.escape(said)}")  # the rep's words, escaped: never markup
            line.setWordWrap(True)
            line.setTextFormat(Qt.RichText)
            self.rows.addWidget(line)
        self.outcome.show()
        self.heard.setText(f"Heard: “{result.transcript or '(nothing)'}”")
        self.adjustSize()  # room for the tips, however long
        self._show_streak(result.streak)
        if not result.passed:
            self.streak.setText("Again: the streak starts over")

    def _failed(self, message: str) -> None:
        self._ready_again()
        self.heard.setText(f"This take could not be graded: {message}")

    def _ready_again(self) -> None:
        self.record_button.setEnabled(True)
        self.record_button.setText("●  Again (Space)")
        self.clock.setText(f"0:{self.drill.part.seconds:02d}")

    def reject(self) -> None:
        self.ticker.stop()
        if self.recording:
            self._started_at = None
            self.drill.cancel()
        super().reject()
