"""The Practice tab's widgets: the scenario card beside either the recording page (timer, level, live
checklist) or the scorecard page (checklist with evidence, waveform, transcript, comments). No logic."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox, QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QSplitter, QStackedWidget, QVBoxLayout,
    QWidget,
)

from voicemail_coach.core.transcript import mmss
from voicemail_coach.ui.anatomy_strip import AnatomyStrip
from voicemail_coach.ui.number_strip import NumberStrip
from voicemail_coach.ui.voice_strip import VoiceStrip
from voicemail_coach.ui.comments import CommentsPanel
from voicemail_coach.ui.meters import LevelMeter, TimerBar, Waveform
from voicemail_coach.ui.scenario_card import ScenarioCard
from voicemail_coach.ui.scorecard import LiveChecklist, Scorecard, TranscriptView

RECORD_PAGE, SCORE_PAGE = 0, 1
PHONE_TIP = ("Hear it as the prospect's voicemail box plays it: the phone band (300–3400 Hz), 8 kHz μ-law, "
             "at the carrier's level (P)")
MAX_SECONDS = 120.0


def _button(text: str, tip: str = "", name: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setFocusPolicy(Qt.NoFocus)  # Space, R, E, T are the window's shortcuts, never a button press
    button.setToolTip(tip)
    if name:
        button.setObjectName(name)
    return button


def _label(text: str = "", name: str = "", wrap: bool = True, plain: bool = False) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    if plain:
        label.setTextFormat(Qt.PlainText)  # holds what a user typed
    return label


class PracticePage(QWidget):
    def __init__(self, checklist_labels: list[tuple[str, str]], parent=None):
        super().__init__(parent)
        root = QHBoxLayout(self)
        root.setContentsMargins(14, 10, 14, 10)
        split = QSplitter(Qt.Horizontal)
        root.addWidget(split)
        self.card = ScenarioCard()
        self.card.setMaximumWidth(420)
        split.addWidget(self.card)
        self.stack = QStackedWidget()
        split.addWidget(self.stack)
        split.setSizes([380, 900])
        split.setChildrenCollapsible(False)
        self.stack.addWidget(self._record_page(checklist_labels))
        self.stack.addWidget(self._score_page())
        self._show_page(RECORD_PAGE)

    def _record_page(self, checklist_labels) -> QWidget:
        page = QFrame()
        page.setObjectName("card")
        rl = QVBoxLayout(page)
        rl.setContentsMargins(28, 22, 28, 22)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        bl = QHBoxLayout(self.banner)
        self.banner_text = _label()
        bl.addWidget(self.banner_text, 1)
        self.banner_import = QPushButton("Grade a recording…")
        bl.addWidget(self.banner_import)
        self.banner.hide()
        rl.addWidget(self.banner)
        self.touch_banner = _label(name="banner")
        self.touch_banner.hide()
        rl.addWidget(self.touch_banner)
        self.session_banner = _label(name="sessionBanner")
        self.session_banner.hide()
        rl.addWidget(self.session_banner)
        rl.addWidget(_label("Read the scenario, then press <b>Space</b>. You'll hear the greeting and the beep; leave "
                            "your voicemail and press <b>Space</b> again to stop.", "muted"))
        rl.addSpacing(10)
        row = QHBoxLayout()
        self.record_button = _button("●  Record  (Space)", name="record")
        self.record_button.setCursor(Qt.PointingHandCursor)
        row.addWidget(self.record_button)
        row.addSpacing(24)
        tcol = QVBoxLayout()
        self.timer_label = _label("0:00", "bigTimer", wrap=False)
        tcol.addWidget(self.timer_label)
        self.target_label = _label("", "muted", wrap=False)
        tcol.addWidget(self.target_label)
        row.addLayout(tcol, 1)
        rl.addLayout(row)
        self.timer_bar = TimerBar()
        rl.addWidget(self.timer_bar)
        level_row = QHBoxLayout()
        level_row.addWidget(QLabel("Mic"))
        self.level = LevelMeter()
        level_row.addWidget(self.level, 1)
        self.device_box = QComboBox()
        self.device_box.setToolTip("Microphone")
        self.device_box.setMinimumWidth(200)
        level_row.addWidget(self.device_box)
        rl.addLayout(level_row)
        rl.addSpacing(12)
        rl.addWidget(_label("Checklist — ticks as the coach hears it", "section", wrap=False))
        self.live = LiveChecklist(checklist_labels)
        rl.addWidget(self.live)
        rl.addStretch(1)
        return page

    def _score_page(self) -> QWidget:
        page = QWidget()
        sl = QHBoxLayout(page)
        sl.setContentsMargins(0, 0, 0, 0)
        left = QFrame()
        left.setObjectName("card")
        ll = QVBoxLayout(left)
        ll.setContentsMargins(16, 12, 16, 12)
        self.scorecard = Scorecard()
        ll.addWidget(self.scorecard, 1)
        # what to do next sits under the checklist, so the replay row beside it stays short
        self.again_button = _button("Try again (Space)", "Record this scenario again (Space)", "primary")
        ll.addWidget(self.again_button)
        after = QHBoxLayout()
        self.email_button = _button("✉  Email (E)", "Draft the email that doubles down on this voicemail")
        after.addWidget(self.email_button, 1)
        self.touch_button = _button("↻  Touch (T)", "Call this prospect again: a fresh reason, on the day you promised")
        after.addWidget(self.touch_button, 1)
        ll.addLayout(after)
        left.setMinimumWidth(300)
        sl.addWidget(left, 1)
        right = QFrame()
        right.setObjectName("card")
        rr = QVBoxLayout(right)
        rr.setContentsMargins(16, 12, 16, 12)
        self.attempt_title = _label(name="section", plain=True)  # holds the rep's name; wraps a long title
        rr.addWidget(self.attempt_title)
        self.waveform = Waveform()
        rr.addWidget(self.waveform)
        self.voice_strip = VoiceStrip()
        rr.addWidget(self.voice_strip)
        self.anatomy = AnatomyStrip()
        rr.addWidget(self.anatomy)
        self.anatomy_note = _label(name="anatomyNote")
        self.anatomy_note.hide()
        rr.addWidget(self.anatomy_note)
        self.number_strip = NumberStrip()
        rr.addWidget(self.number_strip)
        controls = QHBoxLayout()
        self.play_button = _button("▶  Replay (R)", "Replay or pause (R)")
        controls.addWidget(self.play_button)
        self.position_label = _label("0:00 / 0:00", "muted", wrap=False)
        controls.addWidget(self.position_label)
        controls.addStretch(1)
        self.phone_button = _button("☎  On the phone (P)", PHONE_TIP)
        self.phone_button.setCheckable(True)
        controls.addWidget(self.phone_button)
        rr.addLayout(controls)
        self.transcript = TranscriptView()
        rr.addWidget(self.transcript, 1)
        self.comments = CommentsPanel()
        rr.addWidget(self.comments)
        sl.addWidget(right, 1)
        return page

    # ------------------------------------------------------------ showing
    @property
    def on_scorecard(self) -> bool:
        return self.stack.currentIndex() == SCORE_PAGE

    def show_record_page(self, target_s: tuple[float, float] | None) -> None:
        self.card.show()
        self._show_page(RECORD_PAGE)
        self.live.reset()
        self.timer_label.setText("0:00")
        if target_s:
            self.timer_bar.set_state(0.0, target_s, MAX_SECONDS)

    def show_score_page(self) -> None:
        # the scorecard takes the whole width: the checklist reads without wrapping every line, and the
        # attempt's title names the scenario; Try again brings the card back
        self.card.hide()
        self._show_page(SCORE_PAGE)

    def _show_page(self, index: int) -> None:
        # a stacked widget is as wide as its widest page; ignoring the hidden page's size lets the window
        # shrink to what the page on screen needs
        for n in range(self.stack.count()):
            policy = QSizePolicy.Preferred if n == index else QSizePolicy.Ignored
            self.stack.widget(n).setSizePolicy(policy, policy)
        self.stack.setCurrentIndex(index)

    def show_target(self, target_s: tuple[float, float]) -> None:
        lo, hi = target_s
        self.target_label.setText(f"target {mmss(lo)}–{mmss(hi)} · stops by itself at {mmss(MAX_SECONDS)}")
        self.timer_bar.set_state(0.0, target_s, MAX_SECONDS)

    def show_banner(self, text: str) -> None:
        self.banner_text.setText(text)
        self.banner.show()

    def set_record_button(self, text: str, enabled: bool = True, recording: bool = False) -> None:
        self.record_button.setEnabled(enabled)
        self.record_button.setText(text)
        self.record_button.setProperty("recording", recording)
        self.record_button.style().polish(self.record_button)
