"""Small labels the views share."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def muted(text: str = "", wrap: bool = True) -> QLabel:
    """Grey text that explains, wrapped to its column."""
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(wrap)
    return label
