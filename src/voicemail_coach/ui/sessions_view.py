"""Onboarding sessions: pick or create one, watch the live board (reps × scenarios: best score, pass/fail,
tries), send a rep to record, record the exemplar, compare with it, and export the report."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QPushButton, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

from voicemail_coach.core.board import Board
from voicemail_coach.core.records import Session

PASS_BG, FAIL_BG, EMPTY_FG = QColor("#dcfce7"), QColor("#fee2e2"), QColor("#9ca3af")
EXEMPLAR_ROW = -1  # the board's first row holds the exemplars


class SessionsView(QWidget):
    new_session = Signal()
    session_changed = Signal(int)
    practise = Signal(int, int, str)  # session, rep, scenario
    record_exemplar = Signal(int, str)  # session, scenario
    compare = Signal(list)
    export = Signal(int, str)  # session, "pdf" | "csv" | "bundle"
    delete = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.session: Session | None = None
        self.board: Board | None = None
        root = QVBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        top.addWidget(QLabel("Session"))
        self.picker = QComboBox()
        self.picker.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(28)
        top.addWidget(self.picker)
        self.new_button = QPushButton("New session…")
        top.addWidget(self.new_button)
        self.delete_button = QPushButton("Delete session")
        self.delete_button.setToolTip("The session goes; its attempts stay in each rep's history (Ctrl+Z undoes)")
        top.addWidget(self.delete_button)
        top.addStretch(1)
        self.pdf_button = QPushButton("Report PDF…")
        self.csv_button = QPushButton("Report CSV…")
        self.bundle_button = QPushButton("Export bundle…")
        for b in (self.pdf_button, self.csv_button, self.bundle_button):
            top.addWidget(b)
        root.addLayout(top)
        self.info = QLabel("")
        self.info.setObjectName("muted")
        self.info.setWordWrap(True)
        root.addWidget(self.info)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.verticalHeader().setDefaultSectionSize(52)
        self.table.horizontalHeader().setDefaultSectionSize(170)
        self.table.setWordWrap(True)
        self.table.setToolTip("Enter or double-click a cell: that rep records that scenario · X compares the rep's "
                              "best with the exemplar")
        root.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.hint = QLabel("")
        self.hint.setObjectName("muted")
        actions.addWidget(self.hint, 1)
        self.exemplar_button = QPushButton("Record exemplar")
        self.compare_button = QPushButton("Compare with exemplar (X)")
        self.practise_button = QPushButton("Record this rep (Enter)")
        self.practise_button.setObjectName("primary")
        for b in (self.exemplar_button, self.compare_button, self.practise_button):
            actions.addWidget(b)
        root.addLayout(actions)
        self.empty = QLabel("No sessions yet. A trainer creates one for a cohort: the reps, a track of scenarios "
                            "and a pass mark. Press “New session…”.")
        self.empty.setWordWrap(True)
        self.empty.setObjectName("muted")
        root.addWidget(self.empty)

        self.new_button.clicked.connect(self.new_session)
        self.delete_button.clicked.connect(lambda: self.session and self.delete.emit(self.session.id))
        self.picker.activated.connect(lambda i: self.session_changed.emit(self.picker.itemData(i)))
        self.table.cellActivated.connect(lambda *_: self._practise())
        self.table.currentCellChanged.connect(lambda *_: self._update_buttons())
        self.practise_button.clicked.connect(self._practise)
        self.exemplar_button.clicked.connect(self._exemplar)
        self.compare_button.clicked.connect(self._compare)
        QShortcut(QKeySequence("X"), self, self._compare, context=Qt.WidgetWithChildrenShortcut)
        self.pdf_button.clicked.connect(lambda: self._export("pdf"))
        self.csv_button.clicked.connect(lambda: self._export("csv"))
        self.bundle_button.clicked.connect(lambda: self._export("bundle"))

    # ---------------------------------------------------------------- data
    def set_sessions(self, sessions: list[Session], current: int | None) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for s in sessions:
            self.picker.addItem(f"{s.name}  ·  {len(s.rep_ids)} reps · {len(s.track)} scenarios", s.id)
        self.picker.setCurrentIndex(max(0, self.picker.findData(current)))
        self.picker.blockSignals(False)
        has = bool(sessions)
        self.empty.setVisible(not has)
        if not has:
            self.session, self.board = None, None
        for w in (self.table, self.info, self.pdf_button, self.csv_button, self.bundle_button, self.picker,
                  self.delete_button,
                  self.practise_button, self.exemplar_button, self.compare_button):
            w.setVisible(has)

    def show_board(self, session: Session, board: Board, titles: dict[str, str], trainer: str,
                   exemplar_scores: dict[str, int | None]) -> None:
        """Fill the board, keeping the selected cell (it refreshes while reps record)."""
        self.session, self.board = session, board
        row, col = self.table.currentRow(), self.table.currentColumn()
        self.table.setRowCount(len(board.reps) + 1)
        self.table.setColumnCount(len(board.track) + 1)
        self.table.setHorizontalHeaderLabels([titles.get(s, s) for s in board.track] + ["Passed"])
        self.table.setVerticalHeaderLabels(["Exemplar"] + [name for _, name in board.reps])
        for c, sid in enumerate(board.track):
            score = exemplar_scores.get(sid)
            self._set(0, c, "—  record one" if score is None else f"{score}\nexemplar",
                      None, EMPTY_FG if score is None else QColor("#3730a3"))
        self._set(0, len(board.track), "", None, None)
        for r, (rep_id, _name) in enumerate(board.reps, start=1):
            for c, sid in enumerate(board.track):
                cell = board.cell(rep_id, sid)
                if cell.attempts == 0:
                    self._set(r, c, "—", None, EMPTY_FG)
                else:
                    tries = f"{cell.attempts} tr{'y' if cell.attempts == 1 else 'ies'}"
                    mark = "✓" if cell.passed else "✗"
                    self._set(r, c, f"{mark} {cell.best if cell.best is not None else '–'}\n{tries}",
                              PASS_BG if cell.passed else FAIL_BG, None)
            done = board.passed(rep_id)
            self._set(r, len(board.track), f"{done} / {len(board.track)}",
                      PASS_BG if done == len(board.track) else None, None)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Stretch)
        header.setSectionResizeMode(len(board.track), QHeaderView.ResizeToContents)
        passed_all = sum(board.passed(r) == len(board.track) for r, _ in board.reps)
        self.info.setText(
            f"Trainer {trainer or '—'} · pass mark {session.pass_mark} · "
            f"{'playbook ' + session.playbook.removesuffix('.toml') + ' · ' if session.playbook else ''}"
            f"{passed_all} of {len(board.reps)} reps passed every scenario · the board updates as reps record.")
        if row >= 0:
            self.table.setCurrentCell(min(row, self.table.rowCount() - 1), min(col, self.table.columnCount() - 1))
        elif board.reps:
            self.table.setCurrentCell(1, 0)
        self._update_buttons()

    def _set(self, r: int, c: int, text: str, bg: QColor | None, fg: QColor | None) -> None:
        item = QTableWidgetItem(text)
        item.setTextAlignment(Qt.AlignCenter)
        if bg is not None:
            item.setBackground(QBrush(bg))
        if fg is not None:
            item.setForeground(QBrush(fg))
        self.table.setItem(r, c, item)

    # ------------------------------------------------------------- actions
    def selected(self) -> tuple[int | None, str | None]:
        """(rep id or EXEMPLAR_ROW, scenario id) of the current cell."""
        if self.board is None:
            return None, None
        r, c = self.table.currentRow(), self.table.currentColumn()
        if r < 0 or not 0 <= c < len(self.board.track):
            return None, None
        rep = EXEMPLAR_ROW if r == 0 else self.board.reps[r - 1][0]
        return rep, self.board.track[c]

    def _update_buttons(self) -> None:
        rep, sid = self.selected()
        names = dict(self.board.reps) if self.board else {}
        on_rep = rep not in (None, EXEMPLAR_ROW)
        self.practise_button.setEnabled(on_rep)
        self.practise_button.setText(f"Record {names[rep]} (Enter)" if on_rep else "Record this rep (Enter)")
        self.exemplar_button.setEnabled(sid is not None)
        has_exemplar = bool(self.session and sid in self.session.exemplars)
        best = self.board.cell(rep, sid).best_id if on_rep else None
        self.compare_button.setEnabled(has_exemplar and best is not None)
        self.hint.setText("" if sid is None else
                          ("No exemplar for this scenario yet." if not has_exemplar else ""))

    def _practise(self) -> None:
        rep, sid = self.selected()
        if self.session is None or sid is None:
            return
        if rep == EXEMPLAR_ROW:
            self.record_exemplar.emit(self.session.id, sid)
        else:
            self.practise.emit(self.session.id, rep, sid)

    def _exemplar(self) -> None:
        _rep, sid = self.selected()
        if self.session is not None and sid is not None:
            self.record_exemplar.emit(self.session.id, sid)

    def _compare(self) -> None:
        rep, sid = self.selected()
        if self.session is None or rep in (None, EXEMPLAR_ROW) or sid not in self.session.exemplars:
            return
        best = self.board.cell(rep, sid).best_id
        if best is not None:
            self.compare.emit([self.session.exemplars[sid], best])

    def _export(self, fmt: str) -> None:
        if self.session is not None:
            self.export.emit(self.session.id, fmt)
