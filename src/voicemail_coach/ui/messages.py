"""Message boxes that show what they are given as plain text: a rep, session or file name holding
"<b>" or "<img …>" is shown as typed, never rendered (Qt would guess it is HTML)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def _box(icon: QMessageBox.Icon, parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(icon, title, text, QMessageBox.Ok, parent)
    box.setTextFormat(Qt.PlainText)
    box.exec()


def warning(parent: QWidget | None, title: str, text: str) -> None:
    _box(QMessageBox.Warning, parent, title, text)


def critical(parent: QWidget | None, title: str, text: str) -> None:
    _box(QMessageBox.Critical, parent, title, text)


def information(parent: QWidget | None, title: str, text: str) -> None:
    _box(QMessageBox.Information, parent, title, text)
