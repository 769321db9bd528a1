"""A timeline under the waveform: the pitch contour, the pace across the message and its long silences."""

from __future__ import annotations

from math import log2

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from voicemail_coach.core.transcript import mmss
from voicemail_coach.core.voice import VoiceMeasures
from voicemail_coach.ui.style import AMBER

PITCH = QColor("#7c3aed")
PACE = QColor("#0891b2")
PAUSE = QColor(180, 83, 9, 60)  # amber, see through
GRID = QColor("#e5e7eb")
SPAN_ST = 12.0  # the pitch lane shows an octave around the median


class VoiceStrip(QWidget):
    """Two lanes over the same time axis as the waveform: pitch (semitones around the rep's median) above,
    pace (syllables a second) below; long silences shaded across both. Click to play from a moment."""

    seek = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.voice: VoiceMeasures | None = None
        self.duration = 0.0
        self.setFixedHeight(64)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.setMouseTracking(True)
        self.setCursor(Qt.PointingHandCursor)
        self.hide()

    def set_voice(self, voice: VoiceMeasures | None, duration: float | None) -> None:
        self.voice, self.duration = voice, float(duration or 0.0)
        shown = bool(voice and self.duration and (voice.pitch or voice.pace))
        self.setVisible(shown)
        if shown:
            self.setToolTip(self.summary())
        self.update()

    def summary(self) -> str:
        v = self.voice
        if v is None:
            return ""
        parts = []
        if v.pitch_median_hz:
            parts.append(f"Pitch around {v.pitch_median_hz:.0f} Hz, moving over {v.pitch_range_st:.1f} semitones")
        parts.append(f"speech at {v.level_db:.0f} dB (±{v.level_sd_db:.1f})")
        if v.pace:
            rates = [r for _t, r in v.pace]
            parts.append(f"pace {min(rates):.1f}–{max(rates):.1f} syllables a second")
        if v.pauses:
            parts.append("silences at " + ", ".join(f"{mmss(a)} ({b - a:.1f} s)" for a, b in v.pauses))
        return "; ".join(parts) + ". Click to hear that moment."

    def _x(self, seconds: float) -> float:
        return self.width() * min(max(seconds / self.duration, 0.0), 1.0) if self.duration else 0.0

    def paintEvent(self, _event) -> None:
        if not self.voice or not self.duration:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        w, h = self.width(), self.height()
        lane = (h - 4) / 2
        for a, b in self.voice.pauses:
            p.fillRect(QRectF(self._x(a), 0, max(2.0, self._x(b) - self._x(a)), h), PAUSE)
        p.setPen(QPen(GRID, 1))
        p.drawLine(QPointF(0, lane + 2), QPointF(w, lane + 2))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() - 2.5))
        p.setFont(small)
        if self.voice.pitch and self.voice.pitch_median_hz:
            median = self.voice.pitch_median_hz

            def pitch_y(hz: float) -> float:
                st = max(-SPAN_ST / 2, min(SPAN_ST / 2, 12 * log2(hz / median)))
                return lane / 2 - st / SPAN_ST * (lane - 4)

            self._draw_curve(p, [(t, pitch_y(hz)) for t, hz in self.voice.pitch], PITCH, gap=1.0)
            p.setPen(PITCH)
            p.drawText(QRectF(4, 0, 120, 12), Qt.AlignLeft | Qt.AlignTop, "pitch")
            p.drawText(QRectF(w - 204, 0, 200, 12), Qt.AlignRight | Qt.AlignTop,
                       f"moves over {self.voice.pitch_range_st:.1f} semitones")
        if self.voice.pace:
            top = max(r for _t, r in self.voice.pace) or 1.0
            ceiling = max(6.0, top)
            base = h - 2

            def pace_y(rate: float) -> float:
                return base - rate / ceiling * (lane - 4)

            self._draw_curve(p, [(t, pace_y(r)) for t, r in self.voice.pace], PACE, gap=1.0)
            p.setPen(PACE)
            p.drawText(QRectF(4, lane + 3, 160, 12), Qt.AlignLeft | Qt.AlignTop, "pace")
        if self.voice.pauses:
            p.setPen(AMBER)
            p.drawText(QRectF(w - 164, lane + 3, 160, 12), Qt.AlignRight | Qt.AlignTop,
                       f"{len(self.voice.pauses)} long silence{'s' * (len(self.voice.pauses) != 1)}")

    def _draw_curve(self, p: QPainter, points: list[tuple[float, float]], color: QColor, gap: float) -> None:
        """A line through the points, broken where they are more than ``gap`` seconds apart (no voice there)."""
        path = QPainterPath()
        last = None
        for t, y in points:
            pt = QPointF(self._x(t), y)
            if last is None or t - last > gap:
                path.moveTo(pt)
            else:
                path.lineTo(pt)
            last = t
        p.setPen(QPen(color, 1.6))
        p.setBrush(Qt.NoBrush)
        p.drawPath(path)

    def mouseMoveEvent(self, event) -> None:
        if self.duration:
            at = event.position().x() / max(1, self.width()) * self.duration
            QToolTip.showText(event.globalPosition().toPoint(), f"{mmss(at)} · {self.summary()}", self)

    def mousePressEvent(self, event) -> None:
        if self.duration and event.button() == Qt.LeftButton:
            self.seek.emit(max(0.0, event.position().x() / max(1, self.width()) * self.duration))
