"""Two small charts drawn with QPainter: score over time, and pass rate per checklist item.

QtCharts lives in PySide6-Addons (some 200 MB more to install and bundle). pyqtgraph was measured too
(benchmarks/chart_choice.py): about eight times the first-paint time and six times the memory of these ~150
lines, for two plots whose hover and click are a few lines here.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from voicemail_coach.ui.style import AMBER, FAIL_COLOR, PASS_COLOR

AXIS = QColor("#9ca3af")
GRID = QColor("#eef0f3")
LINE = QColor("#2563eb")
PASS, MID, FAIL = QColor(PASS_COLOR), QColor(AMBER), QColor(FAIL_COLOR)


def _rate_color(rate: float) -> QColor:
    return PASS if rate >= 0.8 else (MID if rate >= 0.5 else FAIL)


class ScoreChart(QWidget):
    """Scores in the order they were made, with the pass mark and a moving average over the last five.
    Hovering a dot names its attempt; clicking it opens the attempt."""

    clicked = Signal(int)  # attempt id
    HIT_PX = 8

    def __init__(self, parent=None):
        super().__init__(parent)
        self.scores: list[int] = []
        self.ids: list[int] = []
        self.when: list[str] = []
        self.pass_mark = 80
        self.setMinimumHeight(150)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self.setMouseTracking(True)

    def set_scores(self, scores: list[int], ids: list[int] | None = None, when: list[str] | None = None,
                   pass_mark: int = 80) -> None:
        self.scores, self.pass_mark = scores, pass_mark
        self.ids, self.when = list(ids or []), list(when or [])
        self.update()

    def _plot(self) -> QRectF:
        return QRectF(self.rect()).adjusted(40, 14, -14, -26)

    def dot_position(self, i: int, value: float) -> QPointF:
        plot, n = self._plot(), len(self.scores)
        x = plot.left() + (i / (n - 1) if n > 1 else 0.5) * plot.width()
        return QPointF(x, plot.bottom() - value / 100 * plot.height())

    def dot_at(self, pos: QPointF) -> int | None:
        """The index of the dot under ``pos`` (within a few pixels), if any."""
        best, best_d = None, float(self.HIT_PX)
        for i, s in enumerate(self.scores if len(self.scores) <= 120 else []):
            d = (self.dot_position(i, s) - pos).manhattanLength()
            if d <= best_d:
                best, best_d = i, d
        return best

    def mouseMoveEvent(self, event) -> None:
        i = self.dot_at(event.position())
        if i is None or i >= len(self.ids):
            QToolTip.hideText()
            self.unsetCursor()
            return
        self.setCursor(Qt.PointingHandCursor)
        when = self.when[i].replace("T", " ").rstrip("Z")[:16] if i < len(self.when) else ""
        QToolTip.showText(event.globalPosition().toPoint(),
                          f"Attempt #{self.ids[i]} · score {self.scores[i]}" + (f"\n{when}" if when else "") +
                          "\nClick to open it", self)

    def mousePressEvent(self, event) -> None:
        i = self.dot_at(event.position())
        if event.button() == Qt.LeftButton and i is not None and i < len(self.ids):
            self.clicked.emit(self.ids[i])

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        p.fillRect(self.rect(), QColor("white"))
        plot = self._plot()
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2))
        p.setFont(small)
        for value in (0, 25, 50, 75, 100):
            y = plot.bottom() - value / 100 * plot.height()
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            p.setPen(AXIS)
            p.drawText(QRectF(0, y - 8, 34, 16), Qt.AlignRight | Qt.AlignVCenter, str(value))
        y_mark = plot.bottom() - self.pass_mark / 100 * plot.height()
        p.setPen(QPen(PASS, 1, Qt.DashLine))
        p.drawLine(QPointF(plot.left(), y_mark), QPointF(plot.right(), y_mark))
        if not self.scores:
            p.setPen(AXIS)
            p.drawText(plot, Qt.AlignCenter, "No attempts yet")
            return
        n = len(self.scores)
        point = self.dot_position
        if n <= 120:  # one dot per attempt while they are still distinguishable
            for i, s in enumerate(self.scores):
                p.setPen(Qt.NoPen)
                p.setBrush(_rate_color(s / 100))
                p.drawEllipse(point(i, s), 3.5, 3.5)
        path = QPainterPath()
        window: list[int] = []
        for i, s in enumerate(self.scores):
            window = (window + [s])[-5:]
            pt = point(i, sum(window) / len(window))
            path.moveTo(pt) if i == 0 else path.lineTo(pt)
        p.setBrush(Qt.NoBrush)
        p.setPen(QPen(LINE, 2.2))
        p.drawPath(path)
        p.setPen(AXIS)
        p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), 18), Qt.AlignLeft, "first")
        p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), 18), Qt.AlignCenter,
                   f"{n} attempt{'s' if n != 1 else ''} · line: average of the last 5 · dashes: pass mark")
        p.drawText(QRectF(plot.left(), plot.bottom() + 4, plot.width(), 18), Qt.AlignRight, "latest")


class ItemRatesChart(QWidget):
    """One horizontal bar per checklist item: the share of attempts that passed it."""

    ROW = 21

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rates: list[tuple[str, float, int, int]] = []  # label, rate, passed, total
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)

    def set_rates(self, rates: list[tuple[str, float, int, int]]) -> None:
        self.rates = rates
        self.setFixedHeight(max(40, self.ROW * len(rates) + 8))
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        label_w = min(300, int(self.width() * 0.42))
        bar_w = self.width() - label_w - 70
        for i, (label, rate, passed, total) in enumerate(self.rates):
            y = 4 + i * self.ROW
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(0, y, label_w - 8, self.ROW), Qt.AlignRight | Qt.AlignVCenter,
                       p.fontMetrics().elidedText(label, Qt.ElideRight, label_w - 8))
            p.setPen(Qt.NoPen)
            p.setBrush(GRID)
            p.drawRoundedRect(QRectF(label_w, y + 5, bar_w, self.ROW - 10), 4, 4)
            p.setBrush(_rate_color(rate))
            p.drawRoundedRect(QRectF(label_w, y + 5, max(3.0, bar_w * rate), self.ROW - 10), 4, 4)
            p.setPen(QColor("#374151"))
            p.drawText(QRectF(label_w + bar_w + 6, y, 64, self.ROW), Qt.AlignLeft | Qt.AlignVCenter,
                       f"{round(100 * rate)}%")
