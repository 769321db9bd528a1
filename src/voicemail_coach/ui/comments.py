"""Trainer comments on an attempt: each pinned to a moment of the recording; click one to hear that moment."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QPushButton, QVBoxLayout, QWidget,
)

from voicemail_coach.core import limits
from voicemail_coach.core.records import Comment
from voicemail_coach.core.transcript import mmss


class CommentDialog(QDialog):
    def __init__(self, at_s: float | None, author: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Comment at {mmss(at_s)}")
        self.setMinimumWidth(420)
        form = QFormLayout(self)
        self.author = QLineEdit(author)
        self.author.setMaxLength(limits.NAME_CHARS)
        self.author.setPlaceholderText("Your name")
        form.addRow("From", self.author)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("What should the rep hear at this moment?")
        self.text.setFixedHeight(90)
        form.addRow(f"At {mmss(at_s)}", self.text)
        self.error = QLabel("")
        self.error.setObjectName("error")
        form.addRow(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Add comment")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.text.setFocus()

    def _accept(self) -> None:
        text = self.text.toPlainText().strip()
        if message := limits.too_long("comment", text, limits.COMMENT_CHARS):
            self.error.setText(message[0].upper() + message[1:] + ".")
        elif text:
            self.accept()


class CommentsPanel(QWidget):
    seek = Signal(float)
    add_requested = Signal()
    delete_requested = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 4, 0, 0)
        head = QHBoxLayout()
        title = QLabel("Trainer comments")
        title.setObjectName("section")
        head.addWidget(title)
        head.addStretch(1)
        self.add_button = QPushButton("✎  Comment (C)")
        self.add_button.setFocusPolicy(Qt.NoFocus)
        self.add_button.setToolTip("Comment at the current moment (click a word or the waveform first), or "
                                   "right-click a word or the waveform")
        head.addWidget(self.add_button)
        lay.addLayout(head)
        self.list = QListWidget()
        self.list.setMaximumHeight(120)
        self.list.setToolTip("Click to hear that moment · Delete removes the comment")
        lay.addWidget(self.list)
        self.add_button.clicked.connect(lambda: self.add_requested.emit())
        self.list.itemActivated.connect(self._activated)
        self.list.itemClicked.connect(self._activated)
        QShortcut(QKeySequence.Delete, self.list, self._delete, context=Qt.WidgetShortcut)

    def set_comments(self, comments: list[Comment]) -> None:
        self.list.clear()
        for c in comments:
            item = QListWidgetItem(f"{mmss(c.at_s)}   {c.author or 'Trainer'}: {c.text}")
            item.setData(Qt.UserRole, c.id)
            item.setData(Qt.UserRole + 1, c.at_s)
            item.setToolTip(f"{c.text}\n— {c.author or 'Trainer'}, {c.created_at.replace('T', ' ').rstrip('Z')}")
            self.list.addItem(item)
        if not comments:
            placeholder = QListWidgetItem("No comments yet. Press C to add one at the current moment.")
            placeholder.setFlags(Qt.NoItemFlags)
            self.list.addItem(placeholder)

    def _activated(self, item: QListWidgetItem) -> None:
        at = item.data(Qt.UserRole + 1)
        if at is not None:
            self.seek.emit(float(at))

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is not None and item.data(Qt.UserRole) is not None:
            self.delete_requested.emit(int(item.data(Qt.UserRole)))
