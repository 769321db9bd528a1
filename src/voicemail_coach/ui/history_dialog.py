"""Settings ▸ History location: keep the practice history in the data folder's file (the default) or in a
PostgreSQL database, checked before it is chosen and used from the next start."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QButtonGroup, QDialog, QDialogButtonBox, QFormLayout, QGroupBox, QLineEdit, QRadioButton, QVBoxLayout,
)

from voicemail_coach import history_location
from voicemail_coach.ui.labels import muted
from voicemail_coach.ui.workers import run_in_background


class HistoryLocationDialog(QDialog):
    def __init__(self, services, parent=None):
        super().__init__(parent)
        self.services = services
        self.changed = ""  # what to tell the user once the dialog closes
        self.setWindowTitle("History location")
        self.setMinimumWidth(640)
        root = QVBoxLayout(self)
        root.addWidget(muted("Your attempts, scores, sessions and marks are kept in one history. It is a file in "
                             "the data folder unless you choose a PostgreSQL database, for a training-room "
                             "computer whose disk is wiped between classes. Recordings stay in the data folder."))

        box = QGroupBox("Keep the history")
        form = QFormLayout(box)
        self.here = QRadioButton("In this computer's data folder (the default)")
        self.here.setToolTip(str(services.dirs.data))
        self.server = QRadioButton("In a PostgreSQL database")
        group = QButtonGroup(self)
        group.addButton(self.here)
        group.addButton(self.server)
        form.addRow(self.here)
        form.addRow(self.server)
        self.address = QLineEdit()
        self.address.setPlaceholderText("postgresql://your_login@server.example.com/practice")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.Password)
        self.password.setPlaceholderText("kept in the system keyring")
        form.addRow("Database address", self.address)
        form.addRow("Password", self.password)
        self.state = muted("")
        form.addRow(self.state)
        root.addWidget(box)

        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.check_button = self.buttons.addButton("Check", QDialogButtonBox.ActionRole)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self.check_button.clicked.connect(self.check)
        root.addWidget(self.buttons)

        chosen = history_location.chosen(services.dirs)
        (self.server if chosen else self.here).setChecked(True)
        self.address.setText(chosen or "")
        self.here.toggled.connect(self._show_fields)
        self._show_fields()
        in_use = services.history_server
        overridden = services.database and services.database != chosen
        self.state.setText(
            f"This window uses {in_use}" + (" (given at start, --database or VOICEMAIL_COACH_DATABASE)."
                                            if overridden else ".")
            if in_use else "This window uses the file in the data folder.")

    def _show_fields(self) -> None:
        for field in (self.address, self.password, self.check_button):
            field.setEnabled(self.server.isChecked())

    def _typed(self) -> tuple[str, str | None] | None:
        address, in_url = history_location.address_of(self.address.text())
        if not history_location.is_server_url(address):
            self.state.setText("Enter a PostgreSQL address: postgresql://login@server/database")
            return None
        return address, self.password.text() or in_url

    def check(self, then=None) -> None:
        typed = self._typed()
        if typed is None:
            return
        self._busy(True, "Reaching the database…")
        run_in_background(lambda: history_location.check(typed[0], typed[1]),
                          lambda found: self._checked(found, typed, then), self._failed)

    def _checked(self, found, typed, then) -> None:
        self._busy(False, f"Reached {found.where}: " + (
            "no history there yet; its tables are made at the next start." if found.attempts is None
            else f"it holds a history of {found.attempts} attempt{'s' if found.attempts != 1 else ''}."))
        if then:
            then(typed)

    def _failed(self, message: str) -> None:
        self._busy(False, f"Not reached: {message}")

    def _busy(self, busy: bool, text: str) -> None:
        self.state.setText(text)
        for button in (self.check_button, self.buttons.button(QDialogButtonBox.Ok)):
            button.setEnabled(not busy)

    def save(self) -> None:
        if self.here.isChecked():
            if history_location.chosen(self.services.dirs):
                history_location.choose(self.services.dirs, None)
                self.changed = "From the next start, the history is the file in the data folder again."
            self.accept()
            return
        self.check(then=self._keep)  # chosen only once it answers

    def _keep(self, typed) -> None:
        address, password = typed
        kept = history_location.choose(self.services.dirs, address, password)
        self.changed = f"From the next start, the history is kept in {history_location.shown_place(address)}."
        if password and not kept:
            self.changed += " No system keyring took the password: put it in ~/.pgpass or PGPASSWORD."
        self.accept()
