"""The attempt on the scorecard: its checklist and marks, replay from any word, trainer comments, the
follow-up email and the next touch to the same prospect."""

from __future__ import annotations

import html
from pathlib import Path

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QColor

from voicemail_coach.audio.phone_line import through_phone_line
from voicemail_coach.audio.player import Player, PlayerError
from voicemail_coach.audio.prompts import RATE
from voicemail_coach.core.anatomy import anatomy
from voicemail_coach.core.voice import stored_voice
from voicemail_coach.core.number_clarity import ITEM as NUMBER_ITEM
from voicemail_coach.core.number_clarity import stored_readings
from voicemail_coach.core.transcript import mmss
from voicemail_coach.practice import Practice
from voicemail_coach.ui.comments import CommentDialog
from voicemail_coach.ui.practice_page import PracticePage
from voicemail_coach.ui.state import Controller

COMMENT_MARK = QColor(245, 158, 11, 110)


class ScorecardController(Controller):
    undoable = Signal(str, object)  # what was removed, a callable that brings it back
    record_requested = Signal()  # the next touch is planned: back to the recording page

    def __init__(self, window, services, state, practice: Practice, page: PracticePage, player: Player):
        super().__init__(window, services, state)
        self.practice, self.page, self.player = practice, page, player
        self.email_dialog = None
        self._recording: tuple[np.ndarray, int] | None = None  # the attempt's audio as made
        page.play_button.clicked.connect(self.toggle_replay)
        page.phone_button.toggled.connect(self._hear_on_phone)
        page.email_button.clicked.connect(self.open_email)
        page.touch_button.clicked.connect(self.next_touch)
        page.scorecard.jump.connect(self.play_from)
        page.scorecard.mark_requested.connect(self.mark_item)
        page.transcript.seek.connect(self.play_from)
        page.waveform.seek_requested.connect(self.play_from)
        page.anatomy.seek.connect(self.play_from)
        page.number_strip.seek.connect(self.play_from)
        page.voice_strip.seek.connect(self.play_from)
        page.comments.add_requested.connect(self.add_comment)
        page.transcript.comment_requested.connect(self.add_comment)
        page.waveform.comment_requested.connect(self.add_comment)
        page.comments.delete_requested.connect(self.delete_comment)
        page.comments.seek.connect(self.play_from)
        state.touch_changed.connect(self._show_touch)

    @property
    def showing(self) -> bool:
        """An attempt is on screen and nothing is being recorded."""
        return self.state.idle and self.page.on_scorecard and self.state.attempt is not None

    # ---------------------------------------------------------------- show
    def show_attempt(self, attempt_id: int) -> None:
        row = self.services.repo.attempt(attempt_id)
        if row is None:
            return
        self.state.set_attempt(row)
        page = self.page
        self._show_checklist()
        page.transcript.set_content(row.words, row.items, row.transcript)
        scenario = self.services.scenarios.get(row.scenario_id or "")
        touch = f"Touch {row.touch} · " if row.touch > 1 else ""
        page.attempt_title.setText(f"{touch}Attempt #{row.id} · {row.rep} · "
                                   f"{scenario.title if scenario else (row.scenario_id or 'no scenario')}")
        page.attempt_title.setToolTip(f"Heard by {row.engine}" if row.engine else "Graded from text")
        shape = anatomy(row.items, row.duration_s, self.services.rubric)
        page.anatomy.set_anatomy(shape)
        page.anatomy_note.setText("  ".join(f"⚑ {p}" for p in shape.problems))
        page.anatomy_note.setVisible(bool(shape.problems))
        page.number_strip.set_readings(stored_readings(row.metrics), self.services.rubric.delivery.get(NUMBER_ITEM))
        page.voice_strip.set_voice(stored_voice(row.metrics), row.duration_s)
        page.waveform.marks = []
        self.player.stop()
        audio = row.audio_path
        page.waveform.set_audio(np.zeros(0), RATE)
        self._recording = None
        if audio and Path(audio).is_file():
            try:
                self.player.load(audio)
                self._recording = (self.player.samples, self.player.samplerate)
                page.waveform.set_audio(*self._recording)
            except PlayerError:
                pass
        page.play_button.setEnabled(bool(audio))
        page.phone_button.setEnabled(self._recording is not None)
        if page.phone_button.isChecked():
            self._hear_on_phone(True)
        self.show_comments()
        page.show_score_page()

    def refresh_attempt(self, attempt_id: int) -> None:
        """The attempt on the scorecard was graded again in the background: its checklist and score follow,
        without stopping a replay or moving the list."""
        if self.state.attempt is None or self.state.attempt.id != attempt_id:
            return
        row = self.services.repo.attempt(attempt_id)
        if row is None:
            return
        self.state.set_attempt(row)
        self._show_checklist(keep_scroll=True)

    def _show_checklist(self, keep_scroll: bool = False) -> None:
        row = self.state.attempt
        result = {"score": row.score, "items": row.items, "metrics": row.metrics, "transcript": row.transcript}
        self.page.scorecard.show_result(result, marks=self.services.repo.labels(row.id),
                                        markable=self.state.rep is not None, keep_scroll=keep_scroll)

    def forget(self, attempt_ids: list[int]) -> None:
        """Attempts were deleted: if one is on the scorecard, go back to recording."""
        if self.state.attempt and self.state.attempt.id in attempt_ids:
            self.player.stop()
            self.state.set_attempt(None)
            self.page.show_record_page(self.state.scenario.target_s if self.state.scenario else None)

    def mark_item(self, item_id: str, said: bool) -> None:
        """The rep (or a trainer at this machine) says whether an item was said; kept with who and when."""
        attempt, rep = self.state.attempt, self.state.rep
        if attempt is None or rep is None:
            return
        marker = rep.profile.name
        role = "rep" if attempt.rep.lower() == marker.lower() else "trainer"
        self.services.repo.add_mark(attempt.id, item_id, said, marker, role)
        self._show_checklist(keep_scroll=True)
        self.say(f"Marked as {'said' if said else 'not said'}. Marked attempts become labels for measuring the coach "
                 "(voicemail-coach labels export).")

    # -------------------------------------------------------------- replay
    def toggle_replay(self) -> None:
        if not self.state.idle or not self.page.on_scorecard or not self.player.duration:
            return
        try:
            self.player.toggle()
        except PlayerError as exc:
            self.say(str(exc))

    def play_from(self, seconds: float) -> None:
        if not self.state.idle or not self.player.duration:
            return
        self.player.pause()
        self.player.seek(max(0.0, seconds - 0.2))
        try:
            self.player.play()
        except PlayerError as exc:
            self.say(str(exc))

    def toggle_phone(self) -> None:
        if self.showing and self.page.phone_button.isEnabled():
            self.page.phone_button.toggle()

    def _hear_on_phone(self, on: bool) -> None:
        """Replay the attempt as made, or as the prospect's voicemail box plays it; where it was stays."""
        if self._recording is None:
            return
        at, playing = self.player.position, self.player.playing
        self.player.load_array(*(through_phone_line(*self._recording) if on else self._recording))
        self.player.seek(at)
        if playing:
            self.play_from(at + 0.2)
        self.say("Replay: as the prospect hears it from their voicemail box (phone band, 8 kHz μ-law)." if on
                 else "Replay: the recording as made.", 5000)

    # ------------------------------------------------------------ comments
    def show_comments(self) -> None:
        comments = self.services.repo.comments(self.state.attempt.id)
        self.page.comments.set_comments(comments)
        self.page.waveform.marks = [(c.at_s, c.at_s + 0.35, COMMENT_MARK) for c in comments if c.at_s is not None]
        self.page.waveform.update()

    def add_comment(self, at: float | None = None) -> None:
        """A comment at ``at`` seconds (a right-clicked word or waveform spot), else where playback is."""
        if self.state.attempt is None or not self.page.on_scorecard:
            return
        if at is None:
            at = self.player.position if self.player.duration else None
        at = round(at, 1) if at is not None else None
        repo = self.services.repo
        dialog = CommentDialog(at, repo.setting("reviewer_name") or "", self.window)
        if dialog.exec():
            author = dialog.author.text().strip()
            repo.set_setting("reviewer_name", author)
            repo.add_comment(self.state.attempt.id, dialog.text.toPlainText().strip(), at, author)
            self.show_comments()
            self.say(f"Comment added at {mmss(at)}.", 5000)

    def delete_comment(self, comment_id: int) -> None:
        repo = self.services.repo
        removed = repo.delete_comment(comment_id)
        if removed is None:
            return

        def restore():
            repo.add_comment(removed.attempt_id, removed.text, removed.at_s, removed.author, removed.created_at)
            if self.state.attempt and self.state.attempt.id == removed.attempt_id:
                self.show_comments()

        if self.state.attempt:
            self.show_comments()
        self.undoable.emit("a comment", restore)

    # ------------------------------------------------ email and next touch
    def open_email(self) -> None:
        if not self.showing:
            return
        from voicemail_coach.ui.email_dialog import EmailDialog

        self.email_dialog = EmailDialog(self.practice, self.state.attempt.id, parent=self.window)
        self.email_dialog.show()

    def next_touch(self) -> None:
        """Continue the scenario on the scorecard as the next voicemail to the same prospect."""
        if not self.showing:
            return
        from voicemail_coach.ui.touch_dialog import TouchDialog

        attempt = self.state.attempt
        scenario = self.services.scenarios.get(attempt.scenario_id or "")
        if scenario is None:
            self.say("This attempt has no scenario to continue.", 6000)
            return
        dialog = TouchDialog(self.practice.plan_next_touch(attempt.id), self.window)
        if dialog.exec():
            self.state.set_scenario(scenario)
            self.state.set_touch(dialog.chosen())
            self.record_requested.emit()

    def _show_touch(self, plan) -> None:
        banner = self.page.touch_banner
        if plan is None:
            banner.hide()
            return
        value = plan.previous.item("value")
        callback = plan.previous.item("callback_time")
        last = f"Last time you said “{html.escape(value.evidence)}”" if value.passed else "Last time you gave no reason"
        promise = f" and promised “{html.escape(callback.evidence)}”." if callback.passed else " and set no time."
        banner.setText(f"<b>Touch {plan.touch} · {plan.clock}</b><br>{last}{promise} Bring a fresh reason.")
        banner.show()
