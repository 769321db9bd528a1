"""The rep profile form: the grader needs the rep's name, company, phone and email."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout

from voicemail_coach.core.people import RepProfile


class ProfileDialog(QDialog):
    def __init__(self, profile: RepProfile | None = None, first_run: bool = False, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Welcome to Voicemail Coach" if first_run else "Your profile")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Tell us who you are. The coach listens for your name, your company and your number "
            "in every voicemail, so they must match what you say."
            if first_run else "The coach checks your voicemails against these details."
        )
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        layout.addWidget(intro)
        form = QFormLayout()
        p = profile or RepProfile()
        self.name = QLineEdit(p.name, placeholderText="Dave Kowalski")
        self.company = QLineEdit(p.company, placeholderText="Brightline Uniforms")
        self.phone = QLineEdit(p.phone, placeholderText="555-214-3390")
        self.email = QLineEdit(p.email, placeholderText="dave@brightline.com (optional)")
        form.addRow("&Name", self.name)
        form.addRow("&Company", self.company)
        form.addRow("&Phone", self.phone)
        form.addRow("&Email", self.email)
        layout.addLayout(form)
        self.error = QLabel("")
        self.error.setObjectName("error")
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.Save)
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.name.setFocus()

    def profile(self) -> RepProfile:
        return RepProfile(self.name.text().strip(), self.company.text().strip(), self.phone.text().strip(),
                          self.email.text().strip())

    def _accept(self) -> None:
        problems = self.profile().problems(need_all=True)
        if not problems:
            self.accept()
            return
        field, message = problems[0]
        friendly = {"name": "Please enter your name.", "company": "Please enter your company."}
        empty = not getattr(self.profile(), field)
        self.error.setText(friendly[field] if empty and field in friendly else message[0].upper() + message[1:] + ".")
        getattr(self, field).setFocus()
