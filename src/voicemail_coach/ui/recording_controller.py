"""Recording a take: greeting and beep, the timer and level, the live checklist, stop → graded; and grading a
file made elsewhere. The phases are AppState's; grading runs off the GUI thread."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QFileDialog

from voicemail_coach.audio.player import Player, PlayerError
from voicemail_coach.audio.prompts import RATE, before_the_beep, speak
from voicemail_coach.audio.recorder import RecorderError, input_devices
from voicemail_coach.core.scenarios import Scenario
from voicemail_coach.core.transcript import mmss
from voicemail_coach.practice import Attempt, Practice
from voicemail_coach.ui import messages
from voicemail_coach.ui.practice_page import PracticePage
from voicemail_coach.ui.state import Controller, Phase
from voicemail_coach.ui.workers import run_in_background

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Carries events from the audio and worker threads onto the GUI thread."""

    partial = Signal(object)
    auto_stop = Signal()
    device_error = Signal(str)
    beep_done = Signal()


class RecordingController(Controller):
    saved = Signal(int)  # an attempt was graded and stored (its id)
    regraded = Signal(int)  # a saved attempt's grade gained a measure that comes after the scorecard
    drilled = Signal()  # a drill was recorded: progress has something new

    def __init__(self, window, services, state, practice: Practice, page: PracticePage, player: Player,
                 ensure_rep, sd=None):
        super().__init__(window, services, state)
        self.practice, self.page, self.player, self.sd = practice, page, player, sd
        self.ensure_rep = ensure_rep  # asks for a profile on first use; returns the active rep or None
        self.last_stop_to_visible_s: float | None = None  # stop pressed -> scorecard painted
        self.last_stop_to_saved_s: float | None = None  # stop pressed -> attempt row committed
        self._stop_pressed_at = 0.0
        self.drill_dialog = None
        self._greetings: dict[str, object] = {}  # scenario id -> greeting samples at RATE (None: none)
        self.bridge = _Bridge()
        self.bridge.partial.connect(self._on_partial)
        self.bridge.auto_stop.connect(self._auto_stopped)
        self.bridge.device_error.connect(self._device_failed)
        self.bridge.beep_done.connect(self._begin_recording)
        page.record_button.clicked.connect(self.toggle)
        page.again_button.clicked.connect(self.toggle)
        page.banner_import.clicked.connect(self.import_recording)
        state.scenario_changed.connect(self._prepare_greeting)
        self.tick = QTimer(self, interval=50)
        self.tick.timeout.connect(self._on_tick)
        self.tick.start()

    def list_microphones(self) -> None:
        devices = input_devices(self.sd)
        box = self.page.device_box
        box.clear()
        box.addItem("Default microphone", None)
        for d in devices:
            box.addItem(d["name"], d["name"])
        if not devices:
            self.page.show_banner("No microphone was found. You can still grade a recording you made elsewhere "
                                  "(WAV, FLAC, OGG or MP3).")

    # ------------------------------------------------------------ greeting
    def _prepare_greeting(self, scenario: Scenario) -> None:
        if scenario.greeting and scenario.id not in self._greetings:
            self._greetings[scenario.id] = None
            run_in_background(lambda: speak(scenario.greeting),
                              lambda audio: self._greetings.__setitem__(scenario.id, audio))

    # ----------------------------------------------------------- recording
    def toggle(self) -> None:
        if self.state.phase is Phase.IDLE:
            self.start()
        elif self.state.phase is Phase.RECORDING:
            self.stop()

    def start(self) -> None:
        if self.ensure_rep() is None:
            return
        self.player.stop()
        self.page.show_record_page(self.state.scenario.target_s if self.state.scenario else None)
        self.state.set_phase(Phase.GREETING)
        self.page.set_record_button("Listening to the greeting…", enabled=False)
        scenario = self.state.scenario
        try:
            self.player.load_array(before_the_beep(self._greetings.get(scenario.id) if scenario else None), RATE)
            self.player.on_finished = self.bridge.beep_done.emit
            self.player.play()
        except PlayerError:
            self._begin_recording()  # no speakers: go straight to the recording

    def drill(self, item_id: str | None = None) -> None:
        """Rehearse the part of the message that earns ``item_id`` (default: the first one the attempt on the
        scorecard missed) in a drill of its own."""
        from voicemail_coach.core.drills import part_for
        from voicemail_coach.drilling import DrillRound
        from voicemail_coach.ui.drill_dialog import DrillDialog

        if self.state.phase is not Phase.IDLE or (rep := self.ensure_rep()) is None:
            return
        if item_id is None and self.state.attempt is not None:
            item_id = next((i["id"] for i in self.state.attempt.items if not i["passed"] and part_for(i["id"])), None)
        part = part_for(item_id or "") or part_for("rep_name")
        dialog = DrillDialog(DrillRound(self.services, rep.id, rep.profile, self.state.scenario, part), self.window,
                             sd=self.sd, device=self.page.device_box.currentData())
        self.drill_dialog = dialog  # a test reaches the open drill through it
        dialog.exec()
        self.drill_dialog = None
        if dialog.results:
            self.drilled.emit()

    def _begin_recording(self) -> None:
        if self.state.phase is not Phase.GREETING:
            return
        self.player.on_finished = None
        rep, state = self.state.rep, self.state
        try:
            recorder = self.practice.start(rep.id, rep.profile, state.scenario, on_partial=self.bridge.partial.emit,
                                           device=self.page.device_box.currentData(), sd=self.sd, touch=state.touch,
                                           session_id=state.session_id)
        except RecorderError as exc:
            self._back_to_idle()
            self.page.show_banner(str(exc))
            messages.warning(self.window, "Microphone", str(exc))
            return
        recorder.on_auto_stop = self.bridge.auto_stop.emit
        recorder.on_error = self.bridge.device_error.emit
        self.state.set_phase(Phase.RECORDING)
        self.page.set_record_button("■  Stop  (Space)", recording=True)
        self.say("Recording… press Space to stop, Esc to discard.", 0)

    def stop(self) -> None:
        if self.state.phase is not Phase.RECORDING:
            return
        self._stop_pressed_at = time.perf_counter()
        self.state.set_phase(Phase.GRADING)
        self.page.set_record_button("Scoring…", enabled=False)
        self.say("Scoring your voicemail…", 0)
        run_in_background(self.practice.stop, self._graded, self._grading_failed)

    def cancel(self) -> None:
        if self.state.phase is Phase.RECORDING:
            self.practice.cancel()
            self._back_to_idle()
            self.page.live.reset()
            self.say("Recording discarded.", 5000)

    def finish_on_close(self) -> None:
        """The window is closing mid-take: keep and grade what was said rather than lose it."""
        if self.state.phase is Phase.RECORDING:
            try:
                self.practice.stop()
            except Exception as exc:  # the audio file stays on disk either way
                log.warning("could not finish the attempt on close: %s", exc)

    def _auto_stopped(self) -> None:
        self.say("The recording reached the time limit and stopped.")
        self.stop()

    def _device_failed(self, message: str) -> None:
        self.page.show_banner(message)
        self.stop()

    def _on_partial(self, words) -> None:
        rep = self.state.rep
        if self.state.phase is Phase.RECORDING and rep is not None:
            result = self.practice.partial(words, rep.profile, self.state.scenario)
            self.page.live.update_items([i.to_dict() for i in result.items])

    def _graded(self, attempt: Attempt) -> None:
        self._back_to_idle()
        self.state.set_touch(None)
        self.saved.emit(attempt.id)  # the scorecard shows it, the board counts it
        self.window.repaint()  # measure to pixels drawn, not to widgets merely updated
        self.last_stop_to_visible_s = time.perf_counter() - self._stop_pressed_at
        self.last_stop_to_saved_s = attempt.stop_to_result_s
        log.info("stop -> scorecard visible in %.3f s", self.last_stop_to_visible_s)
        if attempt.warnings:
            self.page.show_banner(" ".join(attempt.warnings))
        self.say(f"Scored in {self.last_stop_to_visible_s:.1f} s.")
        self._hear_number_on_phone(attempt.id)

    def _grading_failed(self, message: str) -> None:
        self._back_to_idle()
        messages.warning(self.window, "Voicemail Coach", f"This attempt could not be scored: {message}\n\n"
                         "The recording is kept in your data folder.")

    def _back_to_idle(self) -> None:
        self.state.set_phase(Phase.IDLE)
        self.page.set_record_button("●  Record  (Space)")

    def _on_tick(self) -> None:
        rec, page = self.practice.recorder, self.page
        if self.state.phase is Phase.RECORDING and rec is not None and self.state.scenario:
            page.level.set_level(rec.level_rms, rec.level_peak)
            page.timer_label.setText(mmss(rec.elapsed))
            page.timer_bar.set_state(rec.elapsed, self.state.scenario.target_s, rec.max_seconds)
        elif self.player.playing or page.on_scorecard:
            pos = self.player.position
            page.waveform.set_position(pos)
            page.position_label.setText(f"{mmss(pos)} / {mmss(self.player.duration)}")
            if self.player.playing:
                page.transcript.follow(pos)
            page.play_button.setText("❚❚  Pause (R)" if self.player.playing else "▶  Replay (R)")

    # ------------------------------------------------------ a file instead
    def import_recording(self) -> None:
        if not self.state.idle:
            return
        path, _ = QFileDialog.getOpenFileName(self.window, "Grade a recording", str(Path.home()),
                                              "Audio (*.wav *.flac *.ogg *.mp3 *.m4a);;All files (*)")
        if path:
            self.grade_file(Path(path))

    def grade_file(self, path: Path) -> None:
        rep = self.ensure_rep()
        if rep is None:
            return
        self.state.set_phase(Phase.GRADING)
        self.say(f"Transcribing {path.name}…", 0)
        scenario, touch, session_id = self.state.scenario, self.state.touch, self.state.session_id
        run_in_background(lambda: self.practice.grade_file(path, rep.id, rep.profile, scenario, touch, session_id),
                          self._graded_file, self._grading_failed)

    def _graded_file(self, attempt: Attempt) -> None:
        self.state.set_phase(Phase.IDLE)
        self.state.set_touch(None)
        self.saved.emit(attempt.id)
        self.say("Graded.", 5000)
        self._hear_number_on_phone(attempt.id)

    def _hear_number_on_phone(self, attempt_id: int) -> None:
        """The number heard again through a phone line, once the scorecard is up (it takes a second)."""
        practice = self.practice

        def check() -> int | None:
            return attempt_id if practice.check_number_on_phone(attempt_id) is not None else None

        # bound methods, not lambdas: the answer is dropped if the window has closed meanwhile
        run_in_background(check, self._heard_on_phone, self._not_heard_on_phone)

    def _heard_on_phone(self, attempt_id: int | None) -> None:
        if attempt_id is not None:
            self.regraded.emit(attempt_id)

    def _not_heard_on_phone(self, message: str) -> None:
        log.warning("the number was not heard through the phone line: %s", message)
