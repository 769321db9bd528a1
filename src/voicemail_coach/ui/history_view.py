"""Past attempts in a table: newest first; open one to see its scorecard and replay it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget


class HistoryView(QWidget):
    open_attempt = Signal(int)

    COLUMNS = ("When", "Rep", "Scenario", "Touch", "Score", "Length", "Status")

    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.empty = QLabel("No attempts yet. Record one on the Practice tab (press Space).")
        self.empty.setObjectName("muted")
        layout.addWidget(self.empty)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.table.setSortingEnabled(True)
        self.table.itemActivated.connect(self._activated)
        self.table.setToolTip("Double-click or press Enter to open an attempt")
        layout.addWidget(self.table)

    def set_rows(self, rows: list[dict], scenario_titles: dict[str, str]) -> None:
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [
                row["created_at"].replace("T", " ").rstrip("Z"),
                row["rep"] or "—",
                scenario_titles.get(row["scenario_id"] or "", row["scenario_id"] or "—"),
                row.get("touch") or 1,
                row["score"],
                f"{row['duration_s']:.0f} s" if row["duration_s"] is not None else "text",
                row["status"],
            ]
            for c, value in enumerate(values):
                item = QTableWidgetItem()
                item.setData(Qt.DisplayRole, value)
                item.setData(Qt.UserRole, row["id"])
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.DescendingOrder)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
        self.empty.setVisible(not rows)

    def _activated(self, item: QTableWidgetItem) -> None:
        self.open_attempt.emit(int(item.data(Qt.UserRole)))
