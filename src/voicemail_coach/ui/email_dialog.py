"""The follow-up email: a draft from the voicemail's own words, edited and graded as the rep types."""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from voicemail_coach.core.followup import EmailDraft
from voicemail_coach.practice import Practice
from voicemail_coach.ui.scorecard import ItemRow, score_color


class EmailDialog(QDialog):
    def __init__(self, practice: Practice, attempt_id: int, prospect_email: str = "", parent=None):
        super().__init__(parent)
        self.practice = practice
        self.attempt_id = attempt_id
        self.prospect_email = prospect_email
        self.setWindowTitle("Follow-up email")
        self.resize(980, 640)
        outer = QHBoxLayout(self)
        left = QVBoxLayout()
        intro = QLabel("Double down: send this right after the voicemail. It repeats your value point and says "
                       "when you'll call again, in your own words from the message.")
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        left.addWidget(intro)
        self.subject = QLineEdit()
        self.subject.setPlaceholderText("Subject")
        left.addWidget(self.subject)
        self.body = QPlainTextEdit()
        self.body.setStyleSheet("font-size: 15px;")
        left.addWidget(self.body, 1)
        buttons = QHBoxLayout()
        self.redraft_button = QPushButton("Redraft")
        self.redraft_button.setToolTip("Start again from the voicemail's words")
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy subject and body to the clipboard")
        self.mail_button = QPushButton("Open in mail app")
        self.save_button = QPushButton("Save with attempt")
        self.save_button.setObjectName("primary")
        self.save_button.setShortcut(QKeySequence.Save)
        for b in (self.redraft_button, self.copy_button, self.mail_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        left.addLayout(buttons)
        self.status = QLabel("")
        self.status.setObjectName("muted")
        left.addWidget(self.status)
        outer.addLayout(left, 3)

        right = QVBoxLayout()
        self.score = QLabel("–")
        self.score.setObjectName("bigScore")
        right.addWidget(self.score)
        holder = QWidget()
        self.rows = QVBoxLayout(holder)
        self.rows.setContentsMargins(0, 0, 0, 0)
        right.addWidget(holder)
        right.addStretch(1)
        outer.addLayout(right, 2)

        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self.regrade)
        self.body.textChanged.connect(self._timer.start)
        self.subject.textChanged.connect(self._timer.start)
        self.redraft_button.clicked.connect(self.redraft)
        self.copy_button.clicked.connect(self.copy)
        self.mail_button.clicked.connect(self.open_mail)
        self.save_button.clicked.connect(self.save)
        QShortcut(QKeySequence("Ctrl+Shift+C"), self, self.copy)

        saved = practice.services.repo.email_for(attempt_id)
        if saved:
            subject, _, body = saved.text.partition("\n\n")
            self.subject.setText(subject.removeprefix("Subject: "))
            self.body.setPlainText(body)
            self.status.setText(f"Saved {saved.updated_at.replace('T', ' ').rstrip('Z')}")
        else:
            self.redraft()
        self.regrade()

    def draft(self) -> EmailDraft:
        return EmailDraft(self.subject.text().strip(), self.body.toPlainText().strip())

    def redraft(self) -> None:
        draft = self.practice.draft_email(self.attempt_id)
        self.subject.setText(draft.subject)
        self.body.setPlainText(draft.body)

    def regrade(self) -> None:
        result = self.practice.grade_email(self.attempt_id, self.draft().body)
        self.result = result
        self.score.setText(f"<span style='color:{score_color(result.score)}'>{result.score}</span>")
        while self.rows.count():
            w = self.rows.takeAt(0).widget()
            if w:
                w.deleteLater()
        for item in result.items:
            self.rows.addWidget(ItemRow(item.to_dict()))

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.draft().text)
        self.status.setText("Copied to the clipboard.")

    def open_mail(self) -> None:
        QDesktopServices.openUrl(QUrl(self.draft().mailto(self.prospect_email)))
        self.status.setText("Opened in your mail app.")

    def save(self) -> None:
        self.regrade()
        self.practice.save_email(self.attempt_id, self.draft().text, self.result)
        self.status.setText("Saved with the attempt.")
