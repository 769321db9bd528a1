"""The active rep's progress: score over time, pass rate per checklist item, personal bests, the item missed
most often with its tip."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from voicemail_coach.core.progress import Progress
from voicemail_coach.ui.charts import ItemRatesChart, ScoreChart


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    frame = QFrame()
    frame.setObjectName("card")
    lay = QVBoxLayout(frame)
    lay.setContentsMargins(16, 12, 16, 12)
    head = QLabel(title)
    head.setObjectName("section")
    lay.addWidget(head)
    return frame, lay


class ProgressView(QWidget):
    open_attempt = Signal(int)
    export = Signal(str)  # "pdf" | "csv"

    def __init__(self, parent=None):
        super().__init__(parent)
        root = QVBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.headline = QLabel("")
        self.headline.setTextFormat(Qt.PlainText)  # holds the rep's name
        self.headline.setStyleSheet("font-size:18px; font-weight:600;")
        top.addWidget(self.headline, 1)
        for fmt, text in (("pdf", "Report PDF…"), ("csv", "Report CSV…")):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, f=fmt: self.export.emit(f))
            top.addWidget(button)
        root.addLayout(top)
        self.focus = QLabel("")
        self.focus.setObjectName("banner")
        self.focus.setWordWrap(True)
        self.focus.setTextFormat(Qt.RichText)
        root.addWidget(self.focus)
        row = QHBoxLayout()
        left, ll = _card("Score over time")
        self.scores = ScoreChart()
        self.scores.clicked.connect(self.open_attempt)
        ll.addWidget(self.scores, 1)
        row.addWidget(left, 3)
        right, rl = _card("Personal best per scenario")
        self.bests = QTableWidget(0, 3)
        self.bests.setHorizontalHeaderLabels(("Scenario", "Best", "Tries"))
        self.bests.verticalHeader().setVisible(False)
        self.bests.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.bests.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.bests.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.bests.setToolTip("Double-click to open the best attempt")
        self.bests.itemActivated.connect(lambda item: self.open_attempt.emit(int(item.data(Qt.UserRole))))
        rl.addWidget(self.bests, 1)
        row.addWidget(right, 2)
        root.addLayout(row, 3)
        rates, rl2 = _card("Pass rate per checklist item")
        self.rates = ItemRatesChart()
        rl2.addWidget(self.rates)
        root.addWidget(rates, 0)
        self.drills = QLabel("")
        self.drills.setObjectName("muted")
        self.drills.setWordWrap(True)
        root.addWidget(self.drills)

    def show_drills(self, stats) -> None:
        """One line per part drilled: how many, how many right, the streak (core.drills.DrillStats)."""
        if not stats:
            self.drills.setText("Drills: none yet. On the scorecard, “Drill …” under a missed item (or D) "
                                "rehearses that part alone.")
            return
        self.drills.setText("Drills: " + " · ".join(
            f"{s.part.title.lower()} {s.passed}/{s.total} right" + (f", ★ {s.streak} in a row" if s.streak else "")
            for s in stats))

    def show_progress(self, rep_name: str, progress: Progress, titles: dict[str, str]) -> None:
        scores = [s for _, s in progress.points]
        if scores:
            recent = scores[-5:]
            if len(scores) == 1:
                self.headline.setText(f"{rep_name} · 1 attempt · score {scores[0]}")
            else:
                self.headline.setText(f"{rep_name} · {len(scores)} attempts · average of the last {len(recent)}: "
                                      f"{sum(recent) / len(recent):.0f} · best {max(scores)}")
        else:
            self.headline.setText(f"{rep_name} · no attempts yet — record one on the Practice tab.")
        missed = progress.most_missed
        if missed:
            self.focus.setText(f"<b>Missed most often:</b> {missed.label} — {missed.total - missed.passed} of "
                               f"{missed.total} attempt{'s' if missed.total != 1 else ''}.<br>{missed.tip}")
        self.focus.setVisible(missed is not None)
        self.scores.set_scores(scores, list(progress.point_ids), [t for t, _ in progress.points])
        self.rates.set_rates([(r.label, r.rate, r.passed, r.total) for r in progress.rates])
        self.bests.setRowCount(len(progress.bests))
        for i, b in enumerate(progress.bests):
            values = (titles.get(b.scenario_id or "", b.scenario_id or "No scenario"), b.score, b.attempts)
            for c, v in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.DisplayRole, v)
                item.setData(Qt.UserRole, b.attempt_id)
                self.bests.setItem(i, c, item)
