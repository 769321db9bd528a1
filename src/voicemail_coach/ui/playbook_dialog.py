"""Settings ▸ Playbook…: a trainer's own checklist — labels, tips, weights, bands and phrases — checked as it
is edited, tried on the saved history before it is saved, and chosen for grading."""

from __future__ import annotations

import tomllib

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPlainTextEdit, QPushButton,
    QSplitter, QTableWidget, QTableWidgetItem, QTabWidget, QVBoxLayout,
)

from voicemail_coach import playbook
from voicemail_coach.core.rubric import CONTENT_ITEMS, RubricError
from voicemail_coach.ui.labels import muted
from voicemail_coach.ui.workers import run_in_background

DEFAULT = "The article's checklist (default)"


def _bands(data: dict) -> list[tuple[str, str, str]]:
    """(table, entry, key) of every number a trainer may tune: delivery bands and the anatomy's seconds."""
    out = []
    for entry, spec in data.get("delivery", {}).items():
        out += [("delivery", entry, k) for k, v in spec.items() if isinstance(v, (int, float)) and k != "weight"]
    out += [("anatomy", "", k) for k, v in data.get("anatomy", {}).items() if isinstance(v, (int, float))]
    return out


class PlaybookDialog(QDialog):
    def __init__(self, services, practice, parent=None):
        super().__init__(parent)
        self.services, self.practice = services, practice
        self.setWindowTitle("Playbook")
        self.resize(980, 640)
        self.data: dict = {}
        self.problem: str | None = None
        self._filling = False
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Start from:"))
        self.source = QComboBox()
        self.source.addItem(DEFAULT, None)
        for path in playbook.saved(services.dirs):
            self.source.addItem(path.stem, path)
        active = playbook.active_path(services.dirs)
        if active is not None:
            self.source.setCurrentIndex(max(0, self.source.findData(active)))
        top.addWidget(self.source, 1)
        top.addWidget(QLabel("Name:"))
        self.name = QLineEdit()
        self.name.setPlaceholderText("the name it is saved under")
        top.addWidget(self.name, 1)
        layout.addLayout(top)
        self.in_use = muted(f"Grading now with: {services.rubric.name}")
        layout.addWidget(self.in_use)

        self.tabs = QTabWidget()
        self.items = QTableWidget(0, 4)
        self.items.setHorizontalHeaderLabels(["Item", "Label", "Weight", "Tip"])
        self.items.horizontalHeader().setStretchLastSection(True)
        self.items.verticalHeader().hide()
        self.tabs.addTab(self.items, "Checklist")
        self.bands = QTableWidget(0, 2)
        self.bands.setHorizontalHeaderLabels(["Band", "Value"])
        self.bands.horizontalHeader().setStretchLastSection(True)
        self.bands.verticalHeader().hide()
        self.tabs.addTab(self.bands, "Bands")
        phrases = QSplitter()
        self.pattern_list = QListWidget()
        self.pattern_text = QPlainTextEdit()
        self.pattern_text.setPlaceholderText("One regular expression per line, over the normalized transcript")
        phrases.addWidget(self.pattern_list)
        phrases.addWidget(self.pattern_text)
        phrases.setSizes([220, 700])
        self.tabs.addTab(phrases, "Phrases")
        layout.addWidget(self.tabs, 1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextFormat(Qt.PlainText)
        layout.addWidget(self.status)
        self.preview_label = muted("")
        self.preview_label.setWordWrap(True)
        layout.addWidget(self.preview_label)
        row = QHBoxLayout()
        self.preview_button = QPushButton("Try it on the history")
        self.preview_button.setToolTip("Grade the saved attempts and the labelled corpus with this playbook and "
                                       "with the one in use: what would change")
        row.addWidget(self.preview_button)
        self.default_button = QPushButton("Grade with the default")
        row.addWidget(self.default_button)
        row.addStretch(1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Close)
        self.buttons.button(QDialogButtonBox.Save).setText("Save and grade with it")
        row.addWidget(self.buttons)
        layout.addLayout(row)

        self.source.currentIndexChanged.connect(self._load)
        self.items.itemChanged.connect(self._item_edited)
        self.bands.itemChanged.connect(self._band_edited)
        self.pattern_list.currentRowChanged.connect(self._show_pattern)
        self.pattern_text.textChanged.connect(self._pattern_edited)
        self.name.textChanged.connect(self._name_edited)
        self.preview_button.clicked.connect(self.run_preview)
        self.default_button.clicked.connect(self.use_default)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        self._load()

    # ------------------------------------------------------------ filling
    def _load(self) -> None:
        path = self.source.currentData()
        try:
            self.data = tomllib.loads(path.read_text(encoding="utf-8")) if path else playbook.default_data()
        except (OSError, tomllib.TOMLDecodeError) as exc:
            self.data = playbook.default_data()
            self.status.setText(f"{path.name} could not be read ({exc}); starting from the default.")
        self._filling = True
        meta = self.data.setdefault("meta", {})
        self.name.setText(meta.get("name", "") if path else "")
        ids = [i for i in CONTENT_ITEMS if i in self.data.get("items", {})] + list(self.data.get("delivery", {}))
        self.items.setRowCount(len(ids))
        for r, item_id in enumerate(ids):
            spec = self._spec(item_id)
            cells = [item_id, spec.get("label", ""), f"{float(spec.get('weight', 0)):g}", spec.get("tip", "")]
            for c, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if c == 0:
                    cell.setFlags(cell.flags() & ~Qt.ItemIsEditable)
                cell.setData(Qt.UserRole, item_id)
                self.items.setItem(r, c, cell)
        self.items.resizeColumnsToContents()
        self.items.setColumnWidth(3, 420)
        bands = _bands(self.data)
        self.bands.setRowCount(len(bands))
        for r, (table, entry, key) in enumerate(bands):
            name = QTableWidgetItem(f"{entry}.{key}" if entry else f"{table}.{key}")
            name.setFlags(name.flags() & ~Qt.ItemIsEditable)
            value = QTableWidgetItem(f"{self._band_section(table, entry)[key]:g}")
            value.setData(Qt.UserRole, (table, entry, key))
            self.bands.setItem(r, 0, name)
            self.bands.setItem(r, 1, value)
        self.bands.resizeColumnsToContents()
        self.pattern_list.clear()
        self.pattern_list.addItems(list(self.data.get("patterns", {})))
        self._filling = False
        self.pattern_list.setCurrentRow(0)
        self.preview_label.setText("")
        self.validate()

    def _spec(self, item_id: str) -> dict:
        return self.data["items"][item_id] if item_id in self.data.get("items", {}) else self.data["delivery"][item_id]

    def _band_section(self, table: str, entry: str) -> dict:
        return self.data[table][entry] if entry else self.data[table]

    # ------------------------------------------------------------ editing
    def _item_edited(self, cell: QTableWidgetItem) -> None:
        if self._filling:
            return
        spec = self._spec(cell.data(Qt.UserRole))
        field = {1: "label", 2: "weight", 3: "tip"}.get(cell.column())
        if field == "weight":
            try:
                spec["weight"] = float(cell.text())
            except ValueError:
                spec["weight"] = cell.text()  # kept as typed: validation says what is wrong
        elif field:
            spec[field] = cell.text()
        self.validate()

    def _band_edited(self, cell: QTableWidgetItem) -> None:
        if self._filling or cell.column() != 1:
            return
        table, entry, key = cell.data(Qt.UserRole)
        try:
            self._band_section(table, entry)[key] = float(cell.text())
        except ValueError:
            self._band_section(table, entry)[key] = cell.text()
        self.validate()

    def _show_pattern(self, row: int) -> None:
        if row < 0:
            return
        value = self.data["patterns"][self.pattern_list.item(row).text()]
        self._filling = True
        self.pattern_text.setPlainText("\n".join(v.strip() for v in value) if isinstance(value, list) else value.strip())
        self._filling = False

    def _pattern_edited(self) -> None:
        item = self.pattern_list.currentItem()
        if self._filling or item is None:
            return
        key = item.text()
        lines = [line for line in self.pattern_text.toPlainText().splitlines() if line.strip()]
        # a list holds one pattern per line; a single pattern (a macro) is one expression however it wraps
        self.data["patterns"][key] = lines if isinstance(self.data["patterns"][key], list) else "".join(lines)
        self.validate()

    def _name_edited(self, text: str) -> None:
        self.data.setdefault("meta", {})["name"] = text.strip()
        self.validate()

    def validate(self) -> bool:
        """Whether the edited playbook can grade; the reason shown when not."""
        self.problem = None
        try:
            playbook.check(self.data, named=False)
        except RubricError as exc:
            self.problem = str(exc)
        can_grade = self.problem is None
        if can_grade and not self.name.text().strip():
            self.problem = "Give the playbook a name to save it."
        ok = self.problem is None
        self.status.setText("✓ Ready to save." if ok else f"✗ {self.problem}")
        self.status.setStyleSheet("color: #16a34a;" if ok else "color: #dc2626;")
        self.buttons.button(QDialogButtonBox.Save).setEnabled(ok)
        self.preview_button.setEnabled(can_grade)
        return ok

    # ------------------------------------------------------------ actions
    def run_preview(self) -> None:
        try:
            edited = playbook.check(self.data, named=False)
        except RubricError as exc:
            self.preview_label.setText(str(exc))
            return
        self.preview_button.setEnabled(False)
        self.preview_label.setText("Grading the saved attempts with both playbooks…")
        run_in_background(lambda: self.practice.preview_playbook(edited), self._previewed, self._preview_failed)

    def _previewed(self, result) -> None:
        self.preview_button.setEnabled(True)
        self.preview_label.setText(result.summary())

    def _preview_failed(self, message: str) -> None:
        self.preview_button.setEnabled(True)
        self.preview_label.setText(f"The history could not be graded: {message}")

    def save(self) -> None:
        if not self.validate():
            return
        try:
            path = playbook.save(self.services.dirs, self.data)
        except (RubricError, OSError) as exc:
            self.status.setText(f"✗ Not saved: {exc}")
            return
        playbook.choose(self.services.dirs, path)
        self.services.playbook_changed()
        self.in_use.setText(f"Grading now with: {self.services.rubric.name} (saved as {path.name})")
        self.status.setText(f"✓ Saved in {path.parent}; new attempts are graded with it.")

    def use_default(self) -> None:
        playbook.choose(self.services.dirs, None)
        self.services.playbook_changed()
        self.in_use.setText(f"Grading now with: {self.services.rubric.name}")
        self.status.setText("✓ New attempts are graded with the article's checklist.")
