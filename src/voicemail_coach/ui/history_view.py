"""Past attempts: filter by rep, scenario, dates and words; sort; open; delete (with undo); pick up to four
to compare side by side (Ctrl+click several, or Ctrl+1..4 to fill the comparison slots)."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QDateEdit, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QPushButton, QTableView,
    QVBoxLayout, QWidget,
)

from voicemail_coach.core.records import HistoryFilter, HistoryRow
from voicemail_coach.ui.style import score_color

MAX_COMPARE = 4


class HistoryModel(QAbstractTableModel):
    """HistoryRow records as the repository lists them. Sorting happens on the Python list, so ten thousand
    rows sort without a proxy model."""

    COLUMNS = ("When", "Rep", "Scenario", "Touch", "Score", "Length", "Status", "Marked")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[HistoryRow] = []
        self.titles: dict[str, str] = {}
        self._sort = (0, Qt.DescendingOrder)

    def set_rows(self, rows: list[HistoryRow], titles: dict[str, str]) -> None:
        self.beginResetModel()
        self.rows, self.titles = rows, titles
        self._apply_sort()
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.COLUMNS[section]
        return None

    def _value(self, row: HistoryRow, column: int):
        sid = row.scenario_id or ""
        return (row.created_at, row.rep, self.titles.get(sid, sid), row.touch,
                row.score if row.score is not None else -1, row.duration_s if row.duration_s is not None else -1.0,
                row.status, row.marked_items)[column]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        col = index.column()
        if role == Qt.DisplayRole:
            if col == 0:
                return row.created_at.replace("T", " ").rstrip("Z")
            if col == 5:
                return f"{row.duration_s:.0f} s" if row.duration_s is not None else "text"
            if col == 4:
                return "–" if row.score is None else row.score
            if col == 7:  # items someone marked "said" / "not said"
                n = row.marked_items
                return f"{n} item{'s' if n != 1 else ''}" if n else ""
            value = self._value(row, col)
            return value if value != "" else "—"
        if role == Qt.UserRole:
            return row.id
        if role == Qt.ForegroundRole and col == 4 and row.score is not None:
            return QColor(score_color(row.score))
        if role == Qt.ToolTipRole and col == 7 and row.marked_items:
            return "Checklist items someone marked as said or not said: open the attempt to see who and when"
        if role == Qt.TextAlignmentRole and col in (3, 4, 5):
            return int(Qt.AlignRight | Qt.AlignVCenter)
        return None

    def sort(self, column: int, order=Qt.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        # ties keep newest first, whatever the direction
        self.rows.sort(key=lambda r: (r.created_at, r.id), reverse=True)
        self.rows.sort(key=lambda r: self._value(r, column), reverse=order == Qt.DescendingOrder)

    def attempt_id(self, row: int) -> int:
        return self.rows[row].id


class HistoryView(QWidget):
    open_attempt = Signal(int)
    compare = Signal(list)  # attempt ids, 2 to 4
    delete = Signal(list)  # attempt ids
    export_bundle = Signal(list)
    filters_changed = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search the transcripts…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        bar.addWidget(self.search, 2)
        self.rep_filter = QComboBox()
        self.rep_filter.setToolTip("Only this rep's attempts")
        bar.addWidget(self.rep_filter, 1)
        self.scenario_filter = QComboBox()
        self.scenario_filter.setToolTip("Only this scenario")
        bar.addWidget(self.scenario_filter, 1)
        bar.addWidget(QLabel("From"))
        self.since = QDateEdit()
        self.until = QDateEdit()
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setSpecialValueText("any")
            edit.setMinimumDate(QDate(2000, 1, 1))
            edit.setDate(edit.minimumDate())  # "any": the special value
        bar.addWidget(self.since)
        bar.addWidget(QLabel("to"))
        bar.addWidget(self.until)
        self.clear_button = QPushButton("Clear")
        self.clear_button.setToolTip("Show every attempt")
        bar.addWidget(self.clear_button)
        for box in (self.rep_filter, self.scenario_filter):
            # long scenario titles must not widen the window
            box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            box.setMinimumContentsLength(10)
        self.search.setMinimumWidth(160)
        layout.addLayout(bar)

        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(0, Qt.DescendingOrder)
        header = self.table.horizontalHeader()
        for col, width in enumerate((175, 160, 0, 60, 60, 70, 90)):
            if width:
                self.table.setColumnWidth(col, width)
        header.setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setToolTip("Enter or double-click opens an attempt · Ctrl+click picks several to compare · "
                              "Delete removes (Ctrl+Z undoes)")
        layout.addWidget(self.table, 1)

        foot = QHBoxLayout()
        self.count = QLabel("")
        self.count.setObjectName("muted")
        foot.addWidget(self.count)
        foot.addStretch(1)
        self.slots_label = QLabel("")
        self.slots_label.setObjectName("muted")
        foot.addWidget(self.slots_label)
        self.open_button = QPushButton("Open (Enter)")
        self.compare_button = QPushButton("Compare side by side (C)")
        self.compare_button.setObjectName("primary")
        self.bundle_button = QPushButton("Export bundle…")
        self.delete_button = QPushButton("Delete (Del)")
        for b in (self.open_button, self.bundle_button, self.delete_button, self.compare_button):
            foot.addWidget(b)
        layout.addLayout(foot)
        self.empty = QLabel("No attempts yet. Record one on the Practice tab (press Space).")
        self.empty.setObjectName("muted")
        layout.addWidget(self.empty)
        self.slots: list[int | None] = [None] * MAX_COMPARE

        self._debounce = QTimer(self, singleShot=True, interval=250)
        self._debounce.timeout.connect(self.filters_changed)
        self.search.textChanged.connect(lambda: self._debounce.start())
        for box in (self.rep_filter, self.scenario_filter):
            box.currentIndexChanged.connect(lambda _i: self.filters_changed.emit())
        for edit in (self.since, self.until):
            edit.dateChanged.connect(lambda _d: self.filters_changed.emit())
        self.clear_button.clicked.connect(self.clear_filters)
        self.table.activated.connect(lambda index: self.open_attempt.emit(self.model.attempt_id(index.row())))
        self.open_button.clicked.connect(self._open_current)
        self.compare_button.clicked.connect(self.compare_selected)
        self.delete_button.clicked.connect(self._delete_selected)
        self.bundle_button.clicked.connect(lambda: self.export_bundle.emit(self.selected_ids()))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        # Delete acts on the table only; C (compare) is the window's, which knows the current tab
        QShortcut(QKeySequence.Delete, self.table, self._delete_selected, context=Qt.WidgetShortcut)
        QShortcut(QKeySequence.Find, self, lambda: (self.search.setFocus(), self.search.selectAll()),
                  context=Qt.WidgetWithChildrenShortcut)
        self._update_buttons()

    # ----------------------------------------------------------- filters
    def set_choices(self, reps: list[tuple[int, str]], scenarios: list[tuple[str, str]]) -> None:
        """Fill the rep and scenario filters, keeping what was chosen."""
        for box, items, everything in ((self.rep_filter, reps, "All reps"), (self.scenario_filter, scenarios, "All scenarios")):
            current = box.currentData()
            box.blockSignals(True)
            box.clear()
            box.addItem(everything, None)
            for key, label in items:
                box.addItem(label, key)
            index = box.findData(current)
            box.setCurrentIndex(max(0, index))
            box.blockSignals(False)

    def current_filter(self) -> HistoryFilter:
        def day(edit: QDateEdit) -> str | None:
            return None if edit.date() == edit.minimumDate() else edit.date().toString("yyyy-MM-dd")

        return HistoryFilter(rep_id=self.rep_filter.currentData(), scenario_id=self.scenario_filter.currentData(),
                             since=day(self.since), until=day(self.until), text=self.search.text().strip())

    def clear_filters(self) -> None:
        for w in (self.search, self.rep_filter, self.scenario_filter, self.since, self.until):
            w.blockSignals(True)
        self.search.clear()
        self.rep_filter.setCurrentIndex(0)
        self.scenario_filter.setCurrentIndex(0)
        self.since.setDate(self.since.minimumDate())
        self.until.setDate(self.until.minimumDate())
        for w in (self.search, self.rep_filter, self.scenario_filter, self.since, self.until):
            w.blockSignals(False)
        self.filters_changed.emit()

    def set_rows(self, rows: list[HistoryRow], titles: dict[str, str], total: int | None = None) -> None:
        selected = set(self.selected_ids())
        self.model.set_rows(rows, titles)
        self.empty.setVisible(not rows and total == 0)
        shown = f"{len(rows):,} attempt{'s' if len(rows) != 1 else ''}"
        self.count.setText(shown if total is None or total == len(rows) else f"{shown} of {total:,}")
        if selected:
            model = self.table.selectionModel()
            for r, row in enumerate(rows):
                if row.id in selected:
                    model.select(self.model.index(r, 0), model.Select | model.Rows)
        self._update_buttons()

    # --------------------------------------------------------- selection
    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        return [self.model.attempt_id(r) for r in rows]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.attempt_id(index.row()) if index.isValid() else None

    def set_slot(self, slot: int, attempt_id: int | None) -> None:
        """Ctrl+1..4: put an attempt into a comparison slot (again: take it out)."""
        if attempt_id is not None and self.slots[slot] == attempt_id:
            attempt_id = None
        elif attempt_id in self.slots:
            self.slots[self.slots.index(attempt_id)] = None
        self.slots[slot] = attempt_id
        self._update_buttons()

    def compare_ids(self) -> list[int]:
        picked = [s for s in self.slots if s is not None]
        return picked if len(picked) >= 2 else self.selected_ids()[:MAX_COMPARE]

    def compare_selected(self) -> None:
        ids = self.compare_ids()
        if len(ids) >= 2:
            self.compare.emit(ids)

    def _open_current(self) -> None:
        current = self.current_id()
        if current is not None:
            self.open_attempt.emit(current)

    def _delete_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.delete.emit(ids)

    def _update_buttons(self) -> None:
        n = len(self.selected_ids())
        self.open_button.setEnabled(n >= 1)
        self.delete_button.setEnabled(n >= 1)
        self.bundle_button.setEnabled(n >= 1)
        picked = [f"{i + 1}: #{s}" for i, s in enumerate(self.slots) if s is not None]
        self.slots_label.setText(("Compare slots  " + " · ".join(picked) + "   ") if picked else "")
        self.compare_button.setEnabled(len(self.compare_ids()) >= 2)
        if n > MAX_COMPARE and not picked:
            self.compare_button.setToolTip(f"The first {MAX_COMPARE} selected attempts are compared")
