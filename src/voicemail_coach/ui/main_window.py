"""The main window: scenario card, recording view with live checklist, scorecard with replay, history."""

from __future__ import annotations

import html
import io
import logging
import random
import shutil
import subprocess
import time
from pathlib import Path

import numpy as np
import soundfile
from PySide6.QtCore import QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox, QFileDialog, QFrame, QHBoxLayout, QLabel, QMainWindow, QMessageBox, QPushButton,
    QSplitter, QStackedWidget, QTabWidget, QVBoxLayout, QWidget,
)

from voicemail_coach.audio.player import Player, PlayerError
from voicemail_coach.audio.prompts import RATE, beep, with_gap
from voicemail_coach.audio.recorder import RecorderError, input_devices
from voicemail_coach.core.rubric import CONTENT_ITEMS
from voicemail_coach.core.scenarios import Scenario, parse_scenario
from voicemail_coach.core.transcript import mmss as _fmt
from voicemail_coach.practice import Attempt, Practice
from voicemail_coach.services import Services
from voicemail_coach.ui import messages
from voicemail_coach.ui.comments import CommentsPanel
from voicemail_coach.ui.meters import LevelMeter, TimerBar, Waveform
from voicemail_coach.ui.profile_dialog import ProfileDialog
from voicemail_coach.ui.review import ReviewMixin
from voicemail_coach.ui.scenario_card import ScenarioCard
from voicemail_coach.ui.scorecard import LiveChecklist, Scorecard, TranscriptView
from voicemail_coach.ui.workers import run_in_background

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Signals that carry events from audio and worker threads onto the GUI thread."""

    partial = Signal(object)
    auto_stop = Signal()
    device_error = Signal(str)
    beep_done = Signal()
    model_progress = Signal(str, float)  # preparing the speech model: what, fraction done


class MainWindow(ReviewMixin, QMainWindow):
    IDLE, GREETING, RECORDING, GRADING = range(4)

    def __init__(self, services: Services, scenario_id: str | None = None, sd=None):
        super().__init__()
        self.services = services
        self.practice = Practice(services)
        self.sd = sd
        self.player = Player(sd)
        self.bridge = _Bridge()
        services.progress = self.bridge.model_progress.emit  # called from the loading thread
        self.state = self.IDLE
        self.rep = None
        self.scenario: Scenario | None = None
        self.current: dict | None = None  # the attempt on the scorecard
        self.touch_plan = None  # set when the next recording is a later touch
        self.last_stop_to_visible_s: float | None = None  # stop pressed -> scorecard painted
        self.last_stop_to_saved_s: float | None = None  # stop pressed -> attempt row committed
        self.model_ready = False
        self._stop_pressed_at = 0.0
        self._greeting_cache: dict[str, tuple[np.ndarray, int]] = {}  # scenario id -> (samples, rate)
        self.setWindowTitle("Voicemail Coach")
        self.resize(1280, 800)
        self._build()
        self._wire()
        self._load_scenarios(scenario_id)
        self.refresh_reps()
        self._check_microphone()

    # ------------------------------------------------------------------ layout
    def _build(self) -> None:
        self.tabs = QTabWidget()
        self.setCentralWidget(self.tabs)
        practice = QWidget()
        self.tabs.addTab(practice, "Practice")
        root = QHBoxLayout(practice)
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

        # recording page
        rec_page = QFrame()
        rec_page.setObjectName("card")
        rl = QVBoxLayout(rec_page)
        rl.setContentsMargins(28, 22, 28, 22)
        self.banner = QFrame()
        self.banner.setObjectName("banner")
        bl = QHBoxLayout(self.banner)
        self.banner_text = QLabel("")
        self.banner_text.setWordWrap(True)
        bl.addWidget(self.banner_text, 1)
        self.banner_import = QPushButton("Grade a recording…")
        bl.addWidget(self.banner_import)
        self.banner.hide()
        rl.addWidget(self.banner)
        self.touch_banner = QLabel("")
        self.touch_banner.setObjectName("banner")
        self.touch_banner.setWordWrap(True)
        self.touch_banner.hide()
        rl.addWidget(self.touch_banner)
        self.session_banner = QLabel("")
        self.session_banner.setObjectName("sessionBanner")
        self.session_banner.setWordWrap(True)
        self.session_banner.hide()
        rl.addWidget(self.session_banner)
        self.instructions = QLabel("Read the scenario, then press <b>Space</b>. You'll hear the greeting and the "
                                   "beep; leave your voicemail and press <b>Space</b> again to stop.")
        self.instructions.setWordWrap(True)
        self.instructions.setObjectName("muted")
        rl.addWidget(self.instructions)
        rl.addSpacing(10)
        row = QHBoxLayout()
        self.record_button = QPushButton("●  Record  (Space)")
        self.record_button.setObjectName("record")
        self.record_button.setCursor(Qt.PointingHandCursor)
        self.record_button.setFocusPolicy(Qt.NoFocus)  # Space is the window's shortcut, never a button press
        row.addWidget(self.record_button)
        row.addSpacing(24)
        tcol = QVBoxLayout()
        self.timer_label = QLabel("0:00")
        self.timer_label.setObjectName("bigTimer")
        tcol.addWidget(self.timer_label)
        self.target_label = QLabel("")
        self.target_label.setObjectName("muted")
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
        head = QLabel("Checklist — ticks as the coach hears it")
        head.setObjectName("section")
        rl.addWidget(head)
        labels = [(i, self.services.rubric.items[i].label) for i in CONTENT_ITEMS]
        self.live = LiveChecklist(labels)
        rl.addWidget(self.live)
        rl.addStretch(1)
        self.stack.addWidget(rec_page)

        # scorecard page
        score_page = QWidget()
        sl = QHBoxLayout(score_page)
        sl.setContentsMargins(0, 0, 0, 0)
        left = QFrame()
        left.setObjectName("card")
        ll = QVBoxLayout(left)
        ll.setContentsMargins(16, 12, 16, 12)
        self.scorecard = Scorecard()
        ll.addWidget(self.scorecard)
        left.setMinimumWidth(270)
        sl.addWidget(left, 5)
        right = QFrame()
        right.setObjectName("card")
        rr = QVBoxLayout(right)
        rr.setContentsMargins(16, 12, 16, 12)
        self.attempt_title = QLabel("")
        self.attempt_title.setTextFormat(Qt.PlainText)  # holds the rep's name
        self.attempt_title.setObjectName("section")
        self.attempt_title.setWordWrap(True)  # a long scenario title must not widen the window
        rr.addWidget(self.attempt_title)
        self.waveform = Waveform()
        rr.addWidget(self.waveform)
        controls = QHBoxLayout()
        self.play_button = QPushButton("▶  Replay (R)")
        self.play_button.setToolTip("Replay or pause (R)")
        self.play_button.setFocusPolicy(Qt.NoFocus)
        controls.addWidget(self.play_button)
        self.position_label = QLabel("0:00 / 0:00")
        self.position_label.setObjectName("muted")
        controls.addWidget(self.position_label)
        controls.addStretch(1)
        self.email_button = QPushButton("✉  Email (E)")
        self.email_button.setFocusPolicy(Qt.NoFocus)
        self.email_button.setToolTip("Draft the email that doubles down on this voicemail")
        controls.addWidget(self.email_button)
        self.touch_button = QPushButton("↻  Touch (T)")
        self.touch_button.setFocusPolicy(Qt.NoFocus)
        self.touch_button.setToolTip("Call this prospect again: a fresh reason, on the day you promised")
        controls.addWidget(self.touch_button)
        self.again_button = QPushButton("Try again (Space)")
        self.again_button.setToolTip("Record this scenario again (Space)")
        self.again_button.setObjectName("primary")
        self.again_button.setFocusPolicy(Qt.NoFocus)
        controls.addWidget(self.again_button)
        rr.addLayout(controls)
        self.transcript = TranscriptView()
        rr.addWidget(self.transcript, 1)
        self.comments = CommentsPanel()
        rr.addWidget(self.comments)
        sl.addWidget(right, 6)
        self.stack.addWidget(score_page)

        # header widgets in the status bar and toolbar
        bar = self.addToolBar("Main")
        bar.setMovable(False)
        title = QLabel("  Voicemail Coach  ")
        title.setStyleSheet("font-size:17px; font-weight:700;")
        bar.addWidget(title)
        spacer = QWidget()
        spacer.setSizePolicy(spacer.sizePolicy().horizontalPolicy().Expanding, spacer.sizePolicy().verticalPolicy())
        bar.addWidget(spacer)
        self.board_button = QPushButton("▦  Session board (B)")
        self.board_button.setFocusPolicy(Qt.NoFocus)
        self.board_button.setToolTip("Back to the session's board")
        self.board_action = bar.addWidget(self.board_button)  # shown while a session is on
        self.board_action.setVisible(False)
        bar.addWidget(QLabel("  Rep: "))
        self.rep_box = QComboBox()
        self.rep_box.setMinimumWidth(180)
        self.rep_box.setToolTip("Switch rep profile")
        bar.addWidget(self.rep_box)
        self.edit_profile_button = QPushButton("Profile…")
        bar.addWidget(self.edit_profile_button)
        self.model_label = QLabel("  Loading speech model…  ")
        self.model_label.setObjectName("muted")
        self.statusBar().addPermanentWidget(self.model_label)

        # menus
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Grade a recording…", self, shortcut=QKeySequence("Ctrl+O"))
        file_menu.addAction(self.import_action)
        self.import_scenario_action = QAction("Import a &scenario…", self, shortcut=QKeySequence("Ctrl+I"))
        file_menu.addAction(self.import_scenario_action)
        file_menu.addSeparator()
        self.logs_action = QAction("Show &logs", self)
        file_menu.addAction(self.logs_action)
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        rep_menu = self.menuBar().addMenu("&Rep")
        self.edit_profile_action = QAction("&Edit profile…", self)
        self.new_profile_action = QAction("&New rep…", self)
        rep_menu.addAction(self.edit_profile_action)
        rep_menu.addAction(self.new_profile_action)
        view_menu = self.menuBar().addMenu("&View")
        self._build_review()
        self._review_menus(file_menu, view_menu)
        settings_menu = self.menuBar().addMenu("Se&ttings")
        self.privacy_action = QAction("&Privacy…", self)
        self.privacy_action.triggered.connect(self.open_privacy)
        settings_menu.addAction(self.privacy_action)
        help_menu = self.menuBar().addMenu("&Help")
        keys = QAction("&Keyboard shortcuts", self)
        keys.triggered.connect(self._show_keys)
        help_menu.addAction(keys)

    def _wire(self) -> None:
        QShortcut(QKeySequence(Qt.Key_Space), self, self.toggle_recording)
        QShortcut(QKeySequence("R"), self, self.toggle_replay)
        QShortcut(QKeySequence("N"), self, self.next_scenario)
        QShortcut(QKeySequence(Qt.Key_Escape), self, self.cancel_recording)
        QShortcut(QKeySequence("E"), self, self.open_email)
        QShortcut(QKeySequence("T"), self, self.next_touch)
        self.record_button.clicked.connect(self.toggle_recording)
        self.again_button.clicked.connect(self.toggle_recording)
        self.play_button.clicked.connect(self.toggle_replay)
        self.email_button.clicked.connect(self.open_email)
        self.touch_button.clicked.connect(self.next_touch)
        self.card.next_button.clicked.connect(self.next_scenario)
        self.card.picker.currentIndexChanged.connect(self._picked)
        self.banner_import.clicked.connect(self.import_recording)
        self.import_action.triggered.connect(self.import_recording)
        self.import_scenario_action.triggered.connect(self.import_scenario)
        self.logs_action.triggered.connect(self.show_logs)
        self.edit_profile_action.triggered.connect(self.edit_profile)
        self.edit_profile_button.clicked.connect(self.edit_profile)
        self.new_profile_action.triggered.connect(lambda: self.edit_profile(new=True))
        self.rep_box.activated.connect(self._rep_switched)
        self._wire_review()
        self.scorecard.jump.connect(self.play_from)
        self.scorecard.mark_requested.connect(self.mark_item)
        self.transcript.seek.connect(self.play_from)
        self.waveform.seek_requested.connect(self.play_from)
        self.bridge.partial.connect(self._on_partial)
        self.bridge.auto_stop.connect(self._auto_stopped)
        self.bridge.device_error.connect(self._device_failed)
        self.bridge.beep_done.connect(self._begin_recording)
        self.bridge.model_progress.connect(
            lambda what, done: self.model_label.setText(f"  {what}… {done:.0%} (once, after installing)  "))
        self.tick = QTimer(self, interval=50)
        self.tick.timeout.connect(self._on_tick)
        self.tick.start()

    # ------------------------------------------------------------- start-up
    def start_background_work(self) -> None:
        """Load the model and recover interrupted takes without blocking the window."""
        def load():
            self.services.load_transcriber()
            return self.practice.recover()

        run_in_background(load, self._model_loaded, self._model_failed)

    def _model_loaded(self, recovered: list[Attempt]) -> None:
        self.model_ready = True
        self.model_label.setText(f"  Speech: {self.services.transcriber.label} ready  ")
        if self.services.notices:  # e.g. the engine fell back
            self.show_banner(self.services.notices[-1])
        if recovered:
            self.statusBar().showMessage(
                f"Recovered {len(recovered)} recording(s) interrupted last time; they are in History.", 10000)

    def _model_failed(self, message: str) -> None:
        self.model_label.setText("  Speech model unavailable  ")
        messages.critical(self, "Speech model", f"The speech model could not be loaded:\n\n{message}")

    def ensure_profile(self) -> None:
        if self.services.repo.active_rep() is None:
            self.edit_profile(first_run=True)

    def _check_microphone(self) -> None:
        devices = input_devices(self.sd)
        self.device_box.clear()
        self.device_box.addItem("Default microphone", None)
        for d in devices:
            self.device_box.addItem(d["name"], d["name"])
        if not devices:
            self.show_banner("No microphone was found. You can still grade a recording you made elsewhere "
                             "(WAV, FLAC, OGG or MP3).")

    def show_banner(self, text: str) -> None:
        self.banner_text.setText(text)
        self.banner.show()

    # ------------------------------------------------------------ scenarios
    def _load_scenarios(self, wanted: str | None) -> None:
        found = self.services.scenarios
        self.card.set_scenarios(found.scenarios)
        if found.problems:
            self.statusBar().showMessage("Skipped scenario files: " + "; ".join(str(p) for p in found.problems), 15000)
        chosen = found.get(wanted) if wanted else None
        if wanted and chosen is None:
            self.statusBar().showMessage(f"No scenario called '{wanted}'; dealt another one.", 10000)
        self.set_scenario(chosen or (found.scenarios[0] if found.scenarios else None))

    def set_scenario(self, scenario: Scenario | None) -> None:
        if scenario is None:
            return
        self.scenario = scenario
        self.card.show_scenario(scenario)
        run_in_background(lambda: self._prepare_greeting(scenario))
        lo, hi = scenario.target_s
        self.target_label.setText(f"target {_fmt(lo)}–{_fmt(hi)} · stops by itself at {_fmt(120)}")
        self.timer_bar.set_state(0.0, scenario.target_s, 120.0)

    def next_scenario(self) -> None:
        if self.state != self.IDLE:
            return
        options = [s for s in self.services.scenarios.scenarios if s is not self.scenario]
        if options:
            self.set_scenario(random.choice(options))
            self.show_record_page()

    def _picked(self, index: int) -> None:
        scenario = self.services.scenarios.get(self.card.picker.itemData(index))
        if scenario and self.state == self.IDLE:
            self.set_scenario(scenario)
            self.show_record_page()

    def import_scenario(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a scenario", str(Path.home()), "Scenario files (*.toml)")
        if not path:
            return
        import tomllib

        try:
            scenario = parse_scenario(tomllib.loads(Path(path).read_text(encoding="utf-8")), "yours")
        except (tomllib.TOMLDecodeError, ValueError, OSError, UnicodeDecodeError) as exc:
            messages.warning(self, "Import a scenario", f"{Path(path).name} cannot be used:\n\n{exc}")
            return
        if self.services.scenarios.get(scenario.id):
            messages.warning(self, "Import a scenario", f"A scenario with the id '{scenario.id}' already exists.")
            return
        self.services.dirs.ensure()
        shutil.copyfile(path, self.services.dirs.scenarios / f"{scenario.id}.toml")
        self.services.scenarios.scenarios.append(scenario)
        self.card.set_scenarios(self.services.scenarios.scenarios)
        self.set_scenario(scenario)
        self.statusBar().showMessage(f"Imported scenario “{scenario.title}”.", 8000)

    def open_privacy(self) -> None:
        from voicemail_coach.ui.privacy_dialog import PrivacyDialog

        dialog = PrivacyDialog(self.services.repo, self)
        if dialog.exec() or dialog.deleted_reps:
            self.refresh_reps()
            self.refresh_history()
            removed = dialog.removed_recordings
            self.statusBar().showMessage("Privacy settings saved" + (f"; {removed} old recording(s) deleted." if removed else "."), 8000)

    # ------------------------------------------------------------- profiles
    def refresh_reps(self) -> None:
        repo = self.services.repo
        active = repo.active_rep()
        self.rep = active
        self.rep_box.clear()
        for r in repo.reps():
            self.rep_box.addItem(r.profile.name, r.id)
        if active:
            self.rep_box.setCurrentIndex(self.rep_box.findData(active.id))

    def _rep_switched(self, index: int) -> None:
        rep_id = self.rep_box.itemData(index)
        if rep_id is not None:
            self.services.repo.set_setting("active_rep", str(rep_id))
            self.refresh_reps()
            self._show_session_banner()
            if self.tabs.currentWidget() is self.progress_view:
                self.refresh_progress()
            self.statusBar().showMessage(f"Practising as {self.rep.profile.name}.", 5000)

    def edit_profile(self, new: bool = False, first_run: bool = False) -> None:
        current = None if (new or first_run or self.rep is None) else self.rep.profile
        dialog = ProfileDialog(current, first_run=first_run, parent=self)
        if dialog.exec():
            self.services.repo.save_rep(dialog.profile(), make_active=True)
            self.refresh_reps()

    # ------------------------------------------------------------ recording
    def toggle_recording(self) -> None:
        if self.state == self.IDLE:
            self.start_recording()
        elif self.state == self.RECORDING:
            self.stop_recording()

    def start_recording(self) -> None:
        if self.rep is None:
            self.ensure_profile()
            if self.rep is None:
                return
        self.player.stop()
        self.show_record_page()
        self.live.reset()
        self.state = self.GREETING
        self.record_button.setEnabled(False)
        self.record_button.setText("Listening to the greeting…")
        prompt = self._prompt_audio()
        try:
            self.player.load_array(prompt, RATE)
            self.player.on_finished = self.bridge.beep_done.emit
            self.player.play()
        except PlayerError:
            self._begin_recording()  # no speakers: go straight to the recording

    def _prompt_audio(self) -> np.ndarray:
        greeting = self._greeting_audio()
        return with_gap(greeting, beep()) if greeting is not None else beep()

    def _prepare_greeting(self, scenario: Scenario) -> None:
        """Speak the scenario's greeting with espeak-ng, when it is installed (worker thread); kept in memory."""
        if not scenario.greeting or scenario.id in self._greeting_cache or not shutil.which("espeak-ng"):
            return
        try:
            spoken = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "165", "--stdout", scenario.greeting],
                                    check=True, capture_output=True, timeout=10).stdout
            self._greeting_cache[scenario.id] = soundfile.read(io.BytesIO(spoken), dtype="float32")
        except (OSError, RuntimeError, subprocess.SubprocessError):
            return

    def _greeting_audio(self) -> np.ndarray | None:
        """The greeting prepared for this scenario, at the player's rate; None plays just the beep."""
        spoken = self._greeting_cache.get(self.scenario.id) if self.scenario else None
        if spoken is None:
            return None
        audio, rate = spoken
        idx = np.arange(0, len(audio), rate / RATE).astype(int)
        return audio[idx] * 0.8

    def _begin_recording(self) -> None:
        if self.state != self.GREETING:
            return
        self.player.on_finished = None
        try:
            device = self.device_box.currentData()
            recorder = self.practice.start(self.rep.id, self.rep.profile, self.scenario,
                                           on_partial=self.bridge.partial.emit, device=device, sd=self.sd,
                                           touch=self.touch_plan, session_id=self.session_ctx)
        except RecorderError as exc:
            self.state = self.IDLE
            self._reset_record_button()
            self.show_banner(str(exc))
            messages.warning(self, "Microphone", str(exc))
            return
        recorder.on_auto_stop = self.bridge.auto_stop.emit
        recorder.on_error = self.bridge.device_error.emit
        self.state = self.RECORDING
        self.record_button.setEnabled(True)
        self.record_button.setText("■  Stop  (Space)")
        self.record_button.setProperty("recording", True)
        self.record_button.style().polish(self.record_button)
        self.statusBar().showMessage("Recording… press Space to stop, Esc to discard.")

    def stop_recording(self) -> None:
        if self.state != self.RECORDING:
            return
        self._stop_pressed_at = time.perf_counter()
        self.state = self.GRADING
        self.record_button.setEnabled(False)
        self.record_button.setText("Scoring…")
        self.statusBar().showMessage("Scoring your voicemail…")
        run_in_background(self.practice.stop, self._graded, self._grading_failed)

    def cancel_recording(self) -> None:
        if self.state == self.RECORDING:
            self.practice.cancel()
            self.state = self.IDLE
            self._reset_record_button()
            self.live.reset()
            self.statusBar().showMessage("Recording discarded.", 5000)

    def _auto_stopped(self) -> None:
        self.statusBar().showMessage("The recording reached the time limit and stopped.", 8000)
        self.stop_recording()

    def _device_failed(self, message: str) -> None:
        self.show_banner(message)
        self.stop_recording()

    def _on_partial(self, words) -> None:
        if self.state == self.RECORDING and self.rep is not None:
            result = self.practice.partial(words, self.rep.profile, self.scenario)
            self.live.update_items([i.to_dict() for i in result.items])

    def _graded(self, attempt: Attempt) -> None:
        self.state = self.IDLE
        self.set_touch(None)
        self._reset_record_button()
        self.show_attempt(attempt.id)
        self.after_graded(attempt.id)
        self.repaint()  # measure to pixels drawn, not to widgets merely updated
        self.last_stop_to_visible_s = time.perf_counter() - self._stop_pressed_at
        self.last_stop_to_saved_s = attempt.stop_to_result_s
        log.info("stop -> scorecard visible in %.3f s", self.last_stop_to_visible_s)
        msg = f"Scored in {self.last_stop_to_visible_s:.1f} s."
        if attempt.warnings:
            self.show_banner(" ".join(attempt.warnings))
        self.statusBar().showMessage(msg, 8000)

    def _grading_failed(self, message: str) -> None:
        self.state = self.IDLE
        self._reset_record_button()
        messages.warning(self, "Voicemail Coach", f"This attempt could not be scored: {message}\n\n"
                            "The recording is kept in your data folder.")

    def _reset_record_button(self) -> None:
        self.record_button.setEnabled(True)
        self.record_button.setText("●  Record  (Space)")
        self.record_button.setProperty("recording", False)
        self.record_button.style().polish(self.record_button)

    def _on_tick(self) -> None:
        rec = self.practice.recorder
        if self.state == self.RECORDING and rec is not None and self.scenario:
            self.level.set_level(rec.level_rms, rec.level_peak)
            self.timer_label.setText(_fmt(rec.elapsed))
            self.timer_bar.set_state(rec.elapsed, self.scenario.target_s, rec.max_seconds)
        elif self.player.playing or self.stack.currentIndex() == 1:
            pos = self.player.position
            self.waveform.set_position(pos)
            self.position_label.setText(f"{_fmt(pos)} / {_fmt(self.player.duration)}")
            if self.player.playing:
                self.transcript.follow(pos)
            self.play_button.setText("❚❚  Pause (R)" if self.player.playing else "▶  Replay (R)")

    # -------------------------------------------------------- import & show
    def import_recording(self) -> None:
        if self.state != self.IDLE:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Grade a recording", str(Path.home()),
                                              "Audio (*.wav *.flac *.ogg *.mp3 *.m4a);;All files (*)")
        if path:
            self.grade_file(Path(path))

    def grade_file(self, path: Path) -> None:
        if self.rep is None:
            self.ensure_profile()
            if self.rep is None:
                return
        self.state = self.GRADING
        self.statusBar().showMessage(f"Transcribing {path.name}…")
        rep, touch, session_id = self.rep, self.touch_plan, self.session_ctx
        run_in_background(lambda: self.practice.grade_file(path, rep.id, rep.profile, self.scenario, touch, session_id),
                          self._graded_file, self._grading_failed)

    def _graded_file(self, attempt: Attempt) -> None:
        self.state = self.IDLE
        self.set_touch(None)
        self.show_attempt(attempt.id)
        self.after_graded(attempt.id)
        self.statusBar().showMessage("Graded.", 5000)

    def open_attempt(self, attempt_id: int) -> None:
        self.tabs.setCurrentIndex(0)
        self.show_attempt(attempt_id)

    def show_attempt(self, attempt_id: int) -> None:
        row = self.services.repo.attempt(attempt_id)
        if row is None:
            return
        self.current = row
        self._show_scorecard(row)
        self.transcript.set_content(row["words"], row["items"], row["transcript"])
        scenario = self.services.scenarios.get(row["scenario_id"] or "")
        touch = f"Touch {row['touch']} · " if (row.get("touch") or 1) > 1 else ""
        self.attempt_title.setText(f"{touch}Attempt #{row['id']} · {row['rep'] or ''} · "
                                   f"{scenario.title if scenario else (row['scenario_id'] or 'no scenario')}")
        self.attempt_title.setToolTip(f"Heard by {row['engine']}" if row.get("engine") else "Graded from text")
        self.waveform.marks = []
        self.player.stop()
        audio = row.get("audio_path")
        if audio and Path(audio).is_file():
            try:
                self.player.load(audio)
                self.waveform.set_audio(self.player.samples, self.player.samplerate)
            except PlayerError:
                self.waveform.set_audio(np.zeros(0), RATE)
        else:
            self.waveform.set_audio(np.zeros(0), RATE)
        self.play_button.setEnabled(bool(audio))
        self.show_comments(attempt_id)
        self.stack.setCurrentIndex(1)

    def _show_scorecard(self, row: dict, keep_scroll: bool = False) -> None:
        result = {"score": row["score"], "items": row["items"], "metrics": row["metrics"], "transcript": row["transcript"]}
        self.scorecard.show_result(result, marks=self.services.repo.labels(row["id"]), markable=self.rep is not None,
                                   keep_scroll=keep_scroll)

    def mark_item(self, item_id: str, said: bool) -> None:
        """The rep (or a trainer at this machine) says whether an item was said; kept with who and when."""
        if self.current is None or self.rep is None:
            return
        marker = self.rep.profile.name
        role = "rep" if (self.current.get("rep") or "").lower() == marker.lower() else "trainer"
        self.services.repo.add_mark(self.current["id"], item_id, said, marker, role)
        self._show_scorecard(self.current, keep_scroll=True)
        self.statusBar().showMessage(
            f"Marked as {'said' if said else 'not said'}. Marked attempts become labels for measuring the coach "
            "(voicemail-coach labels export).", 8000)

    def show_record_page(self) -> None:
        self.stack.setCurrentIndex(0)
        self.live.reset()
        self.timer_label.setText("0:00")
        if self.scenario:
            self.timer_bar.set_state(0.0, self.scenario.target_s, 120.0)

    def next_touch(self) -> None:
        """Continue the scenario on the scorecard as the next voicemail to the same prospect."""
        if self.state != self.IDLE or self.stack.currentIndex() != 1 or not self.current:
            return
        from voicemail_coach.ui.touch_dialog import TouchDialog

        scenario = self.services.scenarios.get(self.current["scenario_id"] or "")
        if scenario is None:
            self.statusBar().showMessage("This attempt has no scenario to continue.", 6000)
            return
        dialog = TouchDialog(self.practice.plan_next_touch(self.current["id"]), self)
        if dialog.exec():
            self.set_scenario(scenario)
            self.set_touch(dialog.chosen())
            self.show_record_page()

    def set_touch(self, plan) -> None:
        self.touch_plan = plan
        if plan is None:
            self.touch_banner.hide()
            return
        value = plan.previous.item("value")
        callback = plan.previous.item("callback_time")
        last = f"Last time you said “{html.escape(value.evidence)}”" if value.passed else "Last time you gave no reason"
        promise = f" and promised “{html.escape(callback.evidence)}”." if callback.passed else " and set no time."
        self.touch_banner.setText(f"<b>Touch {plan.touch} · {plan.clock}</b><br>{last}{promise} Bring a fresh reason.")
        self.touch_banner.show()

    def open_email(self) -> None:
        if self.state != self.IDLE or self.stack.currentIndex() != 1 or not self.current:
            return
        from voicemail_coach.ui.email_dialog import EmailDialog

        self.email_dialog = EmailDialog(self.practice, self.current["id"], parent=self)
        self.email_dialog.show()

    # ---------------------------------------------------------------- replay
    def toggle_replay(self) -> None:
        if self.state != self.IDLE or self.stack.currentIndex() != 1 or not self.player.duration:
            return
        try:
            self.player.toggle()
        except PlayerError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    def play_from(self, seconds: float) -> None:
        if self.state != self.IDLE or not self.player.duration:
            return
        self.player.pause()
        self.player.seek(max(0.0, seconds - 0.2))
        try:
            self.player.play()
        except PlayerError as exc:
            self.statusBar().showMessage(str(exc), 8000)

    # ------------------------------------------------------------------ misc
    def show_logs(self) -> None:
        self.services.dirs.ensure()
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.services.dirs.logs)))
        self.statusBar().showMessage(f"Logs are in {self.services.dirs.logs}", 10000)

    def _show_keys(self) -> None:
        QMessageBox.information(self, "Keyboard shortcuts",
                                "Space — start / stop recording\nEsc — discard the recording\nR — replay / pause\n"
                                "E — follow-up email · T — next touch · C — comment at this moment\n"
                                "N — next scenario\nCtrl+O — grade a recording\nCtrl+I — import a scenario\n"
                                "Ctrl+Shift+O — import a review bundle\n\n"
                                "History: Ctrl+F search · Enter open · Del delete · Ctrl+Z undo\n"
                                "Ctrl+click or Ctrl+1..4 — pick attempts · C — compare side by side\n"
                                "Sessions: Enter — the rep records the cell's scenario · X — compare with the exemplar · "
                                "B — back to the board\n\n"
                                "Alt+1 practice · Ctrl+H history · Alt+3 side by side · Alt+4 progress · Alt+5 sessions")

    def closeEvent(self, event) -> None:
        if self.state == self.RECORDING:
            try:
                self.practice.stop()  # keep and grade what was said rather than lose it
            except Exception as exc:  # the audio file stays on disk either way
                log.warning("could not finish the attempt on close: %s", exc)
        self.player.stop()
        self.compare_view.stop()
        try:
            self.services.repo.purge_deleted()  # deletions are final once the window that could undo them closes
        except Exception as exc:
            log.warning("could not remove deleted attempts: %s", exc)
        super().closeEvent(event)
