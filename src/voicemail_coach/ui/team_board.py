"""The team board: a session's scores from the team server, updated as each rep's attempt arrives on any
laptop. The server announces each attempt (LISTEN/NOTIFY); the board then reads the session's rows again."""

from __future__ import annotations

import threading
import time

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QInputDialog, QLabel, QPushButton, QTableWidget,
    QTableWidgetItem, QVBoxLayout, QWidget,
)

from voicemail_coach.team import TeamError
from voicemail_coach.ui.labels import muted
from voicemail_coach.ui.workers import run_in_background

COLUMNS = ("Rep", "Scenario", "Attempts", "Best", "Latest", "Last attempt")
PASS_BG, FAIL_BG = QColor("#dcfce7"), QColor("#fee2e2")
RETRY_FIRST_S, RETRY_LAST_S = 1.0, 15.0


class TeamBoard(QWidget):
    heard = Signal(object)  # an attempt announced by the server (from the listening thread)
    listening = Signal()  # the server takes notifications (again): read the board to catch up
    lost = Signal(str)  # the listening connection failed; it is tried again

    def __init__(self, make_client, parent=None, player=None, cache: Path | None = None, title_of=None):
        super().__init__(parent, Qt.Window)
        self.make_client = make_client
        self.player = player  # the window's player: the trainer hears any attempt from any laptop
        self.cache = cache  # recordings fetched once from the server stay here
        self.title_of = title_of or (lambda scenario_id: scenario_id or "")
        self.client = None
        self.member = None
        self.rows = []
        self.selected: tuple[int, str] | None = None  # the server id and transcript of the chosen cell's latest
        self.updated_at: float | None = None  # when the table last showed the server's rows
        self._stop = threading.Event()
        self._listener: threading.Thread | None = None
        self._reading = self._read_again = False
        self.setWindowTitle("Team board")
        self.resize(860, 520)
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("Session"))
        self.picker = QComboBox()
        self.picker.setMinimumContentsLength(28)
        top.addWidget(self.picker)
        top.addStretch(1)
        self.live = muted("Connecting…", wrap=False)
        top.addWidget(self.live)
        self.refresh_button = QPushButton("Refresh")
        self.refresh_button.setShortcut("F5")
        self.refresh_button.setToolTip("Read the board again (F5); it also updates by itself as attempts arrive")
        top.addWidget(self.refresh_button)
        root.addLayout(top)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.Stretch)  # the scenario's title takes what is left
        root.addWidget(self.table, 1)
        self.empty = muted()
        root.addWidget(self.empty)
        self.detail = muted("Choose a row to read the rep's latest attempt, hear it and comment on it.")
        self.detail.setTextInteractionFlags(Qt.TextSelectableByMouse)
        root.addWidget(self.detail)
        actions = QHBoxLayout()
        self.note = muted(wrap=False)  # what the last action did (a comment saved, a recording that cannot play)
        actions.addWidget(self.note, 1)
        self.play_button = QPushButton("▶  Play latest (Space)")
        self.play_button.setShortcut(Qt.Key_Space)
        self.comment_button = QPushButton("Comment…")
        for button in (self.play_button, self.comment_button):
            button.setEnabled(False)
            actions.addWidget(button)
        root.addLayout(actions)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.currentCellChanged.connect(lambda row, *_: self._choose(row))
        self.play_button.clicked.connect(self.play)
        self.comment_button.clicked.connect(self.comment)
        self.picker.activated.connect(lambda _i: self.refresh())
        self.refresh_button.clicked.connect(self.refresh)
        self.heard.connect(self._heard)
        self.listening.connect(self.refresh)
        self.lost.connect(lambda message: self.live.setText(f"Not live, trying again: {message}"))

    # ------------------------------------------------------------ lifecycle
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.client is None:
            run_in_background(self._connect, self._connected, self._failed)

    def _connect(self):
        client = self.make_client()
        return client, client.whoami(), client.sessions()

    def _connected(self, found) -> None:
        self.client, self.member, sessions = found
        self.setWindowTitle(f"Team board — {self.member.team}")
        self.picker.clear()
        self.pass_marks = {}
        for session_id, name, pass_mark in sessions:
            self.picker.addItem(name, session_id)
            self.pass_marks[session_id] = pass_mark
        self.comment_button.setVisible(self.member.role == "trainer")
        if not sessions:
            self.empty.setText("No sessions on the server yet. A trainer creates one with "
                               "'voicemail-coach team session NAME --rep LOGIN …'.")
        self._listener = threading.Thread(target=self._listen, name="team-board", daemon=True)
        self._listener.start()

    def _failed(self, message: str) -> None:
        self.live.setText("Not connected")
        self.empty.setText(f"The team server cannot be read: {message}")

    def _listen(self) -> None:
        """Listen until the window closes; when the server goes away, try again, sooner at first."""
        delay = [RETRY_FIRST_S]

        def ready():
            delay[0] = RETRY_FIRST_S
            self.listening.emit()

        while not self._stop.is_set():
            try:
                self.client.listen(self.member.team_id, self.heard.emit, self._stop.is_set, on_ready=ready)
            except TeamError as exc:
                self.lost.emit(str(exc))
                self._stop.wait(delay[0])
                delay[0] = min(delay[0] * 2, RETRY_LAST_S)

    def closeEvent(self, event) -> None:
        self._stop.set()
        if self.player is not None:
            self.player.stop()
        super().closeEvent(event)

    # ---------------------------------------------------------------- board
    def _heard(self, note: dict) -> None:
        if note.get("session") == self.picker.currentData():
            self.refresh()

    def refresh(self) -> None:
        """Read the board; while a read is under way, one more read follows it (a busy class sends many
        notifications, the board needs only the latest rows)."""
        session_id = self.picker.currentData()
        if self.client is None or session_id is None:
            return
        if self._reading:
            self._read_again = True
            return
        self._reading, self._read_again = True, False
        run_in_background(lambda: self.client.board(session_id), self._read, self._read_failed)

    def _read(self, rows) -> None:
        self._reading = False
        self._show(rows)
        if self._read_again:
            self.refresh()

    def _read_failed(self, message: str) -> None:
        self._reading = False
        self._failed(message)

    def _show(self, rows) -> None:
        chosen = self.table.currentRow()
        key = (self.rows[chosen].login, self.rows[chosen].scenario_id) if 0 <= chosen < len(self.rows) else None
        self.rows = rows
        self.updated_at = time.time()
        self.live.setText(f"<span style='color:#16a34a'>●</span> live — updated {time.strftime('%H:%M:%S')}")
        pass_mark = self.pass_marks.get(self.picker.currentData(), 80)
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (row.name, self.title_of(row.scenario_id), str(row.attempts), _score(row.best),
                     _score(row.latest), row.last_at.replace("T", " ")[:16])
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 2:
                    item.setTextAlignment(Qt.AlignCenter)
                if c == 3 and row.best is not None:
                    item.setBackground(QBrush(PASS_BG if row.best >= pass_mark else FAIL_BG))
                    item.setToolTip(f"pass mark {pass_mark}")
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        again = next((r for r, row in enumerate(rows) if (row.login, row.scenario_id) == key), None)
        if again is not None:
            self.table.setCurrentCell(again, 0)  # the trainer's choice stays put while the board fills in
            self._choose(again)
        self.empty.setText("" if rows else "No attempts in this session yet; the board fills in as reps record.")

    # ------------------------------------------------- one rep's latest take
    def _choose(self, row: int) -> None:
        if not 0 <= row < len(self.rows) or self.client is None:
            return
        picked = self.rows[row]
        session_id = self.picker.currentData()
        run_in_background(lambda: (picked, self.client.latest_in(session_id, picked.login, picked.scenario_id)),
                          self._chosen, self._failed)

    def _chosen(self, found) -> None:
        picked, latest = found
        if self.selected is None or latest is None or latest[0] != self.selected[0]:
            self.note.setText("")
        self.selected = latest
        self.play_button.setEnabled(latest is not None and self.player is not None)
        self.comment_button.setEnabled(latest is not None)
        if latest is None:
            self.detail.setText("")
            return
        self.detail.setText(f"{picked.name}, latest take: “{latest[1] or '(nothing heard)'}”")

    def play(self) -> None:
        if self.selected is None or self.player is None:
            return
        if self.player.playing:
            self.player.stop()
            return
        attempt_id = self.selected[0]
        run_in_background(lambda: self.client.cached_recording(attempt_id, self.cache), self._play, self._failed)

    def _play(self, path) -> None:
        if path is None:
            self.note.setText("This attempt was uploaded without its recording.")
            return
        try:
            self.player.load(path)
            self.player.play()
            self.note.setText("")
        except Exception as exc:  # no output device, a damaged file: say it where the trainer looks
            self.note.setText(f"The recording cannot be played: {exc}")

    def comment(self) -> None:
        if self.selected is None:
            return
        text, ok = QInputDialog.getMultiLineText(self, "Comment", "A comment for the rep on this attempt:")
        if ok and text.strip():
            attempt_id = self.selected[0]
            run_in_background(lambda: self.client.add_comment(attempt_id, text.strip()),
                              lambda _id: self.note.setText("✓ Comment saved; the rep sees it."),
                              self._failed)


def _score(value) -> str:
    return "–" if value is None else str(value)
