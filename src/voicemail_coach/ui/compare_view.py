"""Two to four attempts side by side: each column with its own player, transcript and comments; the checklist
row by row across the columns, with what changed against the first column marked, and metric deltas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSizePolicy, QVBoxLayout, QWidget,
)

from voicemail_coach.audio.files import AudioFileError, read_for_playback
from voicemail_coach.audio.phone_line import through_phone_line
from voicemail_coach.audio.player import Player, PlayerError
from voicemail_coach.core.anatomy import Anatomy
from voicemail_coach.core.voice import stored_voice
from voicemail_coach.core.labels import mark_note
from voicemail_coach.core.records import Comment, Mark, SavedAttempt
from voicemail_coach.core.transcript import mmss
from voicemail_coach.ui.anatomy_strip import AnatomyStrip
from voicemail_coach.ui.voice_strip import VoiceStrip
from voicemail_coach.ui.meters import Waveform
from voicemail_coach.ui.scorecard import TranscriptView
from voicemail_coach.ui.style import AMBER as UNSURE_COLOR
from voicemail_coach.ui.style import FAIL_COLOR, PASS_COLOR, score_color

GAINED_BG, LOST_BG = "#dcfce7", "#fee2e2"
METRICS = (("duration_s", "Length", "{:.0f} s", None), ("words_per_minute", "Pace", "{:.0f} wpm", None),
           ("filler_words", "Filler words", "{:.0f}", -1))


def _delta(value, base, better: int | None = 1, fmt: str = "{:+.0f}") -> str:
    """'+12' against the first column, green when better (``better`` = 1 higher is better, -1 lower, None neutral)."""
    if value is None or base is None or value == base:
        return ""
    diff = value - base
    color = "#6b7280" if better is None else (PASS_COLOR if diff * better > 0 else FAIL_COLOR)
    return f" <span style='color:{color}'>({fmt.format(diff)})</span>"


class _Column:
    """The widgets of one attempt's column that change while it plays."""

    def __init__(self, row: SavedAttempt):
        self.row = row
        self.waveform = Waveform()
        self.waveform.setMinimumHeight(48)
        self.play = QPushButton("▶")
        self.play.setFixedWidth(44)
        self.play.setFocusPolicy(Qt.NoFocus)
        self.position = QLabel("0:00")
        self.position.setObjectName("muted")
        self.transcript = TranscriptView()
        self.transcript.setMinimumHeight(150)
        self.transcript.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.anatomy = AnatomyStrip()
        self.voice = VoiceStrip()
        self.voice.set_voice(stored_voice(row.metrics), row.duration_s)
        self.samples = np.zeros(0, dtype=np.float32)
        self.rate = 16000


class CompareView(QWidget):
    open_attempt = Signal(int)
    closed = Signal()

    def __init__(self, player: Player, parent=None):
        super().__init__(parent)
        self.player = player
        self.columns: list[_Column] = []
        self.playing: int | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 10, 14, 10)
        top = QHBoxLayout()
        self.title = QLabel("Side by side")
        self.title.setObjectName("section")
        top.addWidget(self.title)
        top.addStretch(1)
        self.phone = QPushButton("☎  On the phone")
        self.phone.setCheckable(True)
        self.phone.setToolTip("Hear it as the prospect's voicemail box plays it: the phone band (300–3400 Hz), 8 kHz μ-law, carrier level")
        self.phone.toggled.connect(lambda _on: self.stop())
        top.addWidget(self.phone)
        self.hint = QLabel("Pick 2–4 attempts in History (Ctrl+click, or Ctrl+1..4) and press C.")
        self.hint.setObjectName("muted")
        top.addWidget(self.hint)
        outer.addLayout(top)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.NoFrame)
        outer.addWidget(self.scroll, 1)
        self.timer = QTimer(self, interval=60)
        self.timer.timeout.connect(self._tick)

    def show_attempts(self, rows: list[SavedAttempt], titles: dict[str, str], comments: dict[int, list[Comment]],
                      labels: dict[str, str], exemplar_ids: set[int] = frozenset(),
                      marks: dict[int, dict[str, Mark]] | None = None,
                      anatomies: dict[int, Anatomy] | None = None) -> None:
        """``marks``: per attempt id, the mark that counts per item; ``anatomies``: when each part was said."""
        marks, anatomies = marks or {}, anatomies or {}
        self.stop()
        self.columns = [_Column(r) for r in rows]
        for col in self.columns:
            col.anatomy.set_anatomy(anatomies.get(col.row.id))
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(4)
        grid.setColumnMinimumWidth(0, 190)
        base = rows[0]
        r = 0
        for c, (col, row) in enumerate(zip(self.columns, rows), start=1):
            grid.setColumnStretch(c, 1)
            grid.addWidget(self._header(row, base, titles, row.id in exemplar_ids, c == 1), r, c)
        r += 1
        for c, col in enumerate(self.columns, start=1):
            grid.addWidget(self._player_strip(col, c - 1), r, c)
        r += 1
        grid.addWidget(self._section("Checklist"), r, 0)
        r += 1
        order = [i["id"] for i in base.items]
        for row in rows[1:]:
            order += [i["id"] for i in row.items if i["id"] not in order]
        for item_id in order:
            name = QLabel(labels.get(item_id, item_id))
            name.setWordWrap(True)
            name.setObjectName("itemLabel")
            grid.addWidget(name, r, 0, Qt.AlignTop)
            first = next((i for i in base.items if i["id"] == item_id), None)
            for c, row in enumerate(rows, start=1):
                item = next((i for i in row.items if i["id"] == item_id), None)
                mark = marks.get(row.id, {}).get(item_id)
                grid.addWidget(self._item_cell(item, first if c > 1 else None, mark), r, c)
            r += 1
        grid.addWidget(self._section("Delivery"), r, 0)
        r += 1
        for key, label, fmt, better in METRICS:
            grid.addWidget(QLabel(label), r, 0)
            b = base.metrics.get(key)
            for c, row in enumerate(rows, start=1):
                v = row.metrics.get(key)
                cell = QLabel(("—" if v is None else fmt.format(v)) + (_delta(v, b, better) if c > 1 else ""))
                grid.addWidget(cell, r, c)
            r += 1
        grid.addWidget(self._section("Transcript"), r, 0)
        r += 1
        for c, (col, row) in enumerate(zip(self.columns, rows), start=1):
            col.transcript.set_content(row.words, row.items, row.transcript)
            col.transcript.seek.connect(lambda s, i=c - 1: self.play_column(i, s))
            grid.addWidget(col.transcript, r, c)
        r += 1
        grid.addWidget(self._section("Trainer comments"), r, 0)
        r += 1
        for c, row in enumerate(rows, start=1):
            notes = comments.get(row.id, [])
            text = "<br>".join(
                f"<a href='{n.at_s or 0}'>{mmss(n.at_s or 0)}</a> "
                f"<b>{_esc(n.author or 'Trainer')}</b>: {_esc(n.text)}" for n in notes) or "—"
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextFormat(Qt.RichText)
            label.linkActivated.connect(lambda href, i=c - 1: self.play_column(i, float(href)))
            grid.addWidget(label, r, c, Qt.AlignTop)
        grid.setRowStretch(r + 1, 1)
        self.scroll.setWidget(holder)
        for col in self.columns:
            self._load_samples(col)
        self.title.setText(f"Side by side · {len(rows)} attempts")
        self.hint.setText("Differences against the first column are marked: green gained, red lost.")

    # ------------------------------------------------------------ pieces
    @staticmethod
    def _section(text: str) -> QLabel:
        label = QLabel(text)
        label.setObjectName("section")
        return label

    def _header(self, row: SavedAttempt, base: SavedAttempt, titles: dict[str, str], exemplar: bool, first: bool) -> QWidget:
        box = QFrame()
        box.setObjectName("card")
        lay = QVBoxLayout(box)
        lay.setContentsMargins(10, 8, 10, 8)
        score = row.score or 0
        delta = "" if first else _delta(score, base.score or 0)
        big = QLabel(f"<span style='font-size:30px;font-weight:700;color:{score_color(score)}'>{score}</span>{delta}")
        lay.addWidget(big)
        sid = row.scenario_id or ""
        who = QLabel(f"<b>{_esc(row.rep or '—')}</b>" + (" <span style='color:#3730a3'>· exemplar</span>" if exemplar else ""))
        lay.addWidget(who)
        meta = QLabel(f"{_esc(titles.get(sid, sid or 'no scenario'))}<br>#{row.id} · "
                      f"{row.created_at.replace('T', ' ').rstrip('Z')}")
        meta.setObjectName("muted")
        meta.setWordWrap(True)
        lay.addWidget(meta)
        open_button = QPushButton("Open scorecard")
        open_button.setFocusPolicy(Qt.NoFocus)
        open_button.clicked.connect(lambda: self.open_attempt.emit(row.id))
        lay.addWidget(open_button, 0, Qt.AlignLeft)
        return box

    def _player_strip(self, col: _Column, index: int) -> QWidget:
        box = QWidget()
        outer = QVBoxLayout(box)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(2)
        lay = QHBoxLayout()
        lay.addWidget(col.play)
        lay.addWidget(col.waveform, 1)
        lay.addWidget(col.position)
        outer.addLayout(lay)
        outer.addWidget(col.voice)
        outer.addWidget(col.anatomy)
        col.play.clicked.connect(lambda: self.toggle_column(index))
        col.waveform.seek_requested.connect(lambda s: self.play_column(index, s))
        col.anatomy.seek.connect(lambda s: self.play_column(index, s))
        col.voice.seek.connect(lambda s: self.play_column(index, s))
        audio = col.row.audio_path
        col.play.setEnabled(bool(audio and Path(audio).is_file()))
        col.play.setToolTip("Play this attempt" if col.play.isEnabled() else "No recording (graded from text)")
        return box

    @staticmethod
    def _item_cell(item: dict | None, first: dict | None, marked: Mark | None = None) -> QLabel:
        if item is None:
            cell = QLabel("—")
            cell.setObjectName("muted")
            return cell
        passed = bool(item["passed"])
        unsure = item.get("status") == "unsure"
        color, sign = (PASS_COLOR, "✓") if passed else ((UNSURE_COLOR, "?") if unsure else (FAIL_COLOR, "✗"))
        mark = f"<span style='color:{color};font-weight:700'>{sign}</span>"
        delivery = item["id"] in ("length", "pace", "fillers")
        # delivery items carry their figure either way; content items their words or what was flagged
        detail = item.get("evidence") if passed or delivery else (item.get("heard") if unsure else item.get("flagged"))
        if detail and not delivery:
            text = mark + f" <span style='color:#374151'>“{_esc(detail)}”</span>"
        elif detail:
            text = mark + f" {_esc(detail)}"
        else:
            text = mark + ("" if passed else " <span style='color:#6b7280'>missed</span>")
        if unsure and not marked:
            text += " <span style='color:#92400e'>not sure</span>"
        if marked:
            text += f"<br><span style='color:#4b5563;font-size:11px'><i>{_esc(mark_note(marked))}</i></span>"
        cell = QLabel(text)
        cell.setWordWrap(True)
        cell.setTextFormat(Qt.RichText)
        cell.setContentsMargins(6, 3, 6, 3)
        if first is not None and bool(first["passed"]) != passed:
            cell.setStyleSheet(f"background:{GAINED_BG if passed else LOST_BG}; border-radius:6px;")
            cell.setToolTip("Passed here, missed in the first column" if passed else "Missed here, passed in the first column")
        return cell

    def _load_samples(self, col: _Column) -> None:
        audio = col.row.audio_path
        if not audio or not Path(audio).is_file():
            col.waveform.set_audio(np.zeros(0), 16000)
            return
        try:
            col.samples, col.rate = read_for_playback(audio)
        except AudioFileError:
            col.play.setEnabled(False)
            return
        rate = col.rate
        col.waveform.set_audio(col.samples, rate)

    # ---------------------------------------------------------- playback
    def toggle_column(self, index: int) -> None:
        if self.playing == index and self.player.playing:
            self.player.pause()
            self._tick()
            return
        self.play_column(index, None)

    def play_column(self, index: int, seconds: float | None) -> None:
        col = self.columns[index]
        if not len(col.samples):
            return
        if self.playing != index:
            self.player.load_array(*(through_phone_line(col.samples, col.rate) if self.phone.isChecked()
                                     else (col.samples, col.rate)))
            self.playing = index
        if seconds is not None:
            self.player.seek(max(0.0, seconds - 0.2))
        try:
            self.player.play()
        except PlayerError as exc:
            col.position.setText(str(exc))
            return
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self.playing is not None:
            self.player.stop()
        self.playing = None

    def _tick(self) -> None:
        for i, col in enumerate(self.columns):
            active = i == self.playing
            pos = self.player.position if active else 0.0
            col.play.setText("❚❚" if active and self.player.playing else "▶")
            if active:
                col.waveform.set_position(pos)
                col.transcript.follow(pos)
                col.position.setText(mmss(pos))
        if not self.player.playing:
            self.timer.stop()


def _esc(text: str) -> str:
    import html

    return html.escape(str(text))
