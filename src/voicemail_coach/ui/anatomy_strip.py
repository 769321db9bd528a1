"""A strip under the waveform: when each checklist item was said, so a message's structure shows at a glance."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from voicemail_coach.core.anatomy import Anatomy
from voicemail_coach.core.transcript import mmss
from voicemail_coach.ui.style import AMBER, PASS_COLOR

SHORT = {"rep_name": "Name", "rep_company": "Company", "prospect_named": "Prospect", "value": "Value",
         "contact": "Number", "number_twice": "Number again", "callback_time": "Callback", "email_followup": "Email"}
COLOR = {"rep_name": "#2563eb", "rep_company": "#2563eb", "prospect_named": "#7c3aed", "value": PASS_COLOR,
         "contact": AMBER, "number_twice": AMBER, "callback_time": "#0891b2", "email_followup": "#0891b2"}
TRACK = QColor("#e5e7eb")


class AnatomyStrip(QWidget):
    seek = Signal(float)
    ROW = 18

    def __init__(self, parent=None):
        super().__init__(parent)
        self.anatomy: Anatomy | None = None
        self._boxes: list[tuple[QRectF, str, float, str]] = []  # where each label was drawn: rect, id, start, label
        self.setFixedHeight(2 * self.ROW + 10)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMouseTracking(True)
        self.setToolTip("When each part of the checklist was said; click one to hear it")

    def set_anatomy(self, anatomy: Anatomy | None) -> None:
        self.anatomy = anatomy
        self.update()

    @property
    def labels(self) -> list[str]:
        """The parts shown, in the order they were said."""
        return [SHORT.get(m.item_id, m.item_id) for m in self.anatomy.moments] if self.anatomy else []

    def _x(self, seconds: float) -> float:
        length = self.anatomy.duration if self.anatomy and self.anatomy.duration > 0 else 1.0
        return 4 + (self.width() - 8) * min(max(seconds / length, 0.0), 1.0)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        mid = self.height() / 2
        p.setPen(QPen(TRACK, 2))
        p.drawLine(QPointF(4, mid), QPointF(self.width() - 4, mid))
        self._boxes = []
        if not self.anatomy:
            return
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2.5))
        p.setFont(small)
        metrics = p.fontMetrics()
        right_edge = [0.0, 0.0]  # per row (above, below the track): where the last label ended
        for m in self.anatomy.moments:
            x = self._x(m.start)
            color = QColor(COLOR.get(m.item_id, "#6b7280"))
            p.setPen(Qt.NoPen)
            p.setBrush(color)
            p.drawEllipse(QPointF(x, mid), 4, 4)
            text = SHORT.get(m.item_id, m.item_id)
            width = metrics.horizontalAdvance(text) + 8
            # the row above the track first; below when that one is taken; when both are, the one that frees
            # first, with the label moved right of its neighbour rather than over it
            row = 0 if right_edge[0] <= x else (1 if right_edge[1] <= x else int(right_edge[1] < right_edge[0]))
            left = min(max(0.0, x - 3, right_edge[row]), self.width() - width)
            box = QRectF(left, 0 if row == 0 else mid + 5, width, self.ROW - 3)
            right_edge[row] = box.right() + 4
            p.setBrush(color.lighter(185))
            p.drawRoundedRect(box, 4, 4)
            p.setPen(color.darker(130))
            p.drawText(box, Qt.AlignCenter, text)
            self._boxes.append((box, m.item_id, m.start, f"{m.label} at {mmss(m.start)}"))

    def _hit(self, pos: QPointF):
        return next((b for b in self._boxes if b[0].adjusted(-3, -3, 3, 3).contains(pos)), None)

    def mouseMoveEvent(self, event) -> None:
        hit = self._hit(event.position())
        self.setCursor(Qt.PointingHandCursor if hit else Qt.ArrowCursor)
        if hit:
            QToolTip.showText(event.globalPosition().toPoint(), hit[3], self)

    def mousePressEvent(self, event) -> None:
        hit = self._hit(event.position())
        if hit and event.button() == Qt.LeftButton:
            self.seek.emit(hit[2])

    def position_of(self, item_id: str) -> QPointF | None:
        """Where an item's label is drawn (for a click), once painted."""
        return next((b[0].center() for b in self._boxes if b[1] == item_id), None)
