"""Undo for deletions (attempts, comments, sessions): Ctrl+Z, and a button in the status bar for 15 s."""

from __future__ import annotations

from typing import Callable

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QPushButton, QStatusBar

SHOWN_MS = 15000


class UndoStack(QObject):
    available = Signal(bool)

    def __init__(self, status_bar: QStatusBar, parent=None):
        super().__init__(parent)
        self.status_bar = status_bar
        self._undo: list[tuple[str, Callable[[], None]]] = []  # (what was deleted, how to bring it back)
        self.button = QPushButton("Undo")
        self.button.setFocusPolicy(Qt.NoFocus)
        self.button.hide()
        self.button.clicked.connect(self.undo)
        status_bar.addWidget(self.button)

    def push(self, what: str, restore: Callable[[], None]) -> None:
        self._undo.append((what, restore))
        self.available.emit(True)
        self.status_bar.showMessage(f"Deleted {what}. Ctrl+Z brings it back.", SHOWN_MS)
        self.button.setText(f"Undo delete of {what}")
        self.button.show()
        QTimer.singleShot(SHOWN_MS, self.button.hide)

    def undo(self) -> None:
        if not self._undo:
            return
        what, restore = self._undo.pop()
        restore()
        self.available.emit(bool(self._undo))
        self.button.hide()
        self.status_bar.showMessage(f"Restored {what}.", 6000)
