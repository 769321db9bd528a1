"""Small painted widgets: the input level meter, the recording timer bar and the waveform."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from voicemail_coach.ui.style import AMBER, FAIL_COLOR, PASS_COLOR

ACCENT = QColor("#2563eb")
OK, WARN, BAD = QColor(PASS_COLOR), QColor(AMBER), QColor(FAIL_COLOR)
TRACK = QColor("#e5e7eb")


class LevelMeter(QWidget):
    """Input level in dBFS, green to red, with a peak tick."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(14)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self._rms = 0.0
        self._peak = 0.0
        self.setToolTip("Microphone level")

    def set_level(self, rms: float, peak: float) -> None:
        self._rms, self._peak = rms, peak
        self.update()

    @staticmethod
    def _fraction(value: float) -> float:
        if value <= 1e-5:
            return 0.0
        db = 20 * np.log10(value)
        return float(np.clip((db + 60) / 60, 0, 1))

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        p.setPen(Qt.NoPen)
        p.setBrush(TRACK)
        p.drawRoundedRect(r, 6, 6)
        f = self._fraction(self._rms)
        color = OK if self._peak < 0.7 else (WARN if self._peak < 0.98 else BAD)
        p.setBrush(color)
        p.drawRoundedRect(QRectF(r.x(), r.y(), r.width() * f, r.height()), 6, 6)
        x = r.x() + r.width() * self._fraction(self._peak)
        p.setPen(QPen(QColor("#111827"), 2))
        p.drawLine(int(x), int(r.top()) + 2, int(x), int(r.bottom()) - 2)


class TimerBar(QWidget):
    """Elapsed time against the target band and the hard cap."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(22)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self.elapsed = 0.0
        self.band = (20.0, 40.0)
        self.cap = 120.0
        self.scale = 60.0

    def set_state(self, elapsed: float, band: tuple[float, float], cap: float) -> None:
        self.elapsed, self.band, self.cap = elapsed, band, cap
        self.scale = max(band[1] * 1.5, elapsed * 1.1, 30.0)
        self.setToolTip(f"Target {band[0]:.0f}–{band[1]:.0f} s; recording stops by itself at {cap:.0f} s")
        self.update()

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.Antialiasing)
        r = QRectF(self.rect()).adjusted(0.5, 4.5, -0.5, -4.5)
        w = r.width() / self.scale
        p.setPen(Qt.NoPen)
        p.setBrush(TRACK)
        p.drawRoundedRect(r, 5, 5)
        band = QRectF(r.x() + self.band[0] * w, r.y(), (self.band[1] - self.band[0]) * w, r.height())
        p.setBrush(QColor(22, 163, 74, 60))
        p.drawRect(band)
        lo, hi = self.band
        color = WARN if self.elapsed < lo else (OK if self.elapsed <= hi else BAD)
        p.setBrush(color)
        p.drawRoundedRect(QRectF(r.x(), r.y(), min(r.width(), self.elapsed * w), r.height()), 5, 5)


class Waveform(QWidget):
    """The recording's envelope with the play position; click to seek."""

    seek_requested = Signal(float)
    comment_requested = Signal(float)  # right-click

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setMinimumHeight(64)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Fixed)
        self._env = np.zeros(0)
        self.duration = 0.0
        self.position = 0.0
        self.marks: list[tuple[float, float, QColor]] = []
        self.setCursor(Qt.PointingHandCursor)
        self.setToolTip("Click to play from here")

    def set_audio(self, audio: np.ndarray, rate: int) -> None:
        self.duration = len(audio) / rate if rate else 0.0
        bins = 600
        if len(audio) >= bins:
            usable = audio[: len(audio) // bins * bins].reshape(bins, -1)
            self._env = np.abs(usable).max(axis=1)
            top = self._env.max() or 1.0
            self._env = self._env / top
        else:
            self._env = np.zeros(0)
        self.update()

    def set_position(self, seconds: float) -> None:
        self.position = seconds
        self.update()

    def mousePressEvent(self, event) -> None:
        if not self.duration:
            return
        at = max(0.0, event.position().x() / self.width() * self.duration)
        if event.button() == Qt.RightButton:
            self.comment_requested.emit(at)
        else:
            self.seek_requested.emit(at)

    def paintEvent(self, _event) -> None:
        p = QPainter(self)
        r = self.rect()
        p.fillRect(r, QColor("#f8fafc"))
        if self.duration:
            for start, end, color in self.marks:
                x0 = int(start / self.duration * r.width())
                x1 = int(end / self.duration * r.width())
                p.fillRect(x0, 0, max(2, x1 - x0), r.height(), color)
        if len(self._env):
            mid = r.height() / 2
            step = r.width() / len(self._env)
            played = self.position / self.duration if self.duration else 0
            for i, v in enumerate(self._env):
                x = i * step
                p.setPen(QPen(ACCENT if i / len(self._env) <= played else QColor("#94a3b8"), max(1.0, step * 0.7)))
                h = max(1.0, v * (mid - 4))
                p.drawLine(int(x), int(mid - h), int(x), int(mid + h))
        if self.duration:
            x = int(self.position / self.duration * r.width())
            p.setPen(QPen(QColor("#111827"), 2))
            p.drawLine(x, 0, x, r.height())
