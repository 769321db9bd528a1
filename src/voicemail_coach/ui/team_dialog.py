"""Settings ▸ Team: join a team server with a login the trainer handed over, see the link, or leave it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLineEdit, QPushButton, QVBoxLayout,
)

from voicemail_coach.team import link
from voicemail_coach.ui.labels import muted
from voicemail_coach.ui.workers import run_in_background


class TeamDialog(QDialog):
    def __init__(self, repo, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.changed = ""  # what to tell the user once the dialog closes
        self.setWindowTitle("Team server")
        self.setMinimumWidth(620)
        root = QVBoxLayout(self)
        root.addWidget(muted("A team server keeps a whole class's attempts in one place: the trainer follows the "
                              "board live and replays any attempt. You keep practising here when the network "
                              "drops; attempts wait and upload once the server answers."))

        box = QGroupBox("Connection")
        self.form = form = QFormLayout(box)
        self.address = QLineEdit()
        self.address.setPlaceholderText("postgresql://your_login@server.example.com/voicemail_coach")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("from your trainer; kept in the system keyring")
        form.addRow("Server address", self.address)
        form.addRow("Password", self.password)
        self.state = muted("")
        form.addRow(self.state)
        root.addWidget(box)

        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.join_button = QPushButton("Join")
        self.join_button.setDefault(True)
        self.leave_button = QPushButton("Leave the team")
        buttons.addButton(self.join_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.leave_button, QDialogButtonBox.DestructiveRole)
        buttons.rejected.connect(self.reject)
        self.join_button.clicked.connect(self.join)
        self.leave_button.clicked.connect(self.leave)
        root.addWidget(buttons)
        self._show_link()

    def _show_link(self) -> None:
        address = link.joined(self.repo)
        signed_in = bool(address) and link.stored_password(address) is not None
        self.address.setText(address or "")
        self.address.setCursorPosition(0)
        self.address.setReadOnly(bool(address))
        self.form.setRowVisible(self.password, not signed_in)
        self.join_button.setText("Sign in" if address else "Join")
        self.join_button.setVisible(not signed_in)
        self.leave_button.setVisible(bool(address))
        waiting = len(self.repo.waiting_uploads())
        if not address:
            self.state.setText("Not joined: your attempts stay on this computer only.")
        elif signed_in:
            self.state.setText(f"Joined. {waiting} attempt(s) waiting to upload.")
        else:
            self.state.setText(f"Joined, but no password is kept on this computer: sign in to upload "
                               f"({waiting} waiting).")

    def join(self) -> None:
        url, password = self.address.text().strip(), self.password.text()
        if not url:
            self.state.setText("Enter the server address your trainer gave you.")
            return
        self.join_button.setEnabled(False)
        self.state.setText("Checking the login with the server…")
        run_in_background(lambda: link.join(self.repo, url, password or None), self._joined, self._failed)

    def _joined(self, result) -> None:
        member, kept = result
        self.join_button.setEnabled(True)
        self.changed = f"Joined team “{member.team}” as {member.name} ({member.role})."
        self._show_link()
        if not kept:
            self.state.setText(self.state.text() + " No system keyring took the password: sign in here again "
                                                   "after the app restarts.")

    def _failed(self, message: str) -> None:
        self.join_button.setEnabled(True)
        self.state.setText(f"Not joined: {message}")

    def leave(self) -> None:
        address = link.leave(self.repo)
        self.changed = f"This computer no longer uses {address}; attempts waiting to upload stay queued."
        self._show_link()
