"""The desktop app's views, offscreen, with pytest-qt."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest
import soundfile
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize
from voicemail_coach.core.people import RepProfile
from voicemail_coach.services import Services
from voicemail_coach.ui.state import Phase

DAVE = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")


def test_qt_void_calls_keep_none_alive(qapp):
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void QPainter call (then crashes)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    img = QImage(20, 20, QImage.Format_ARGB32)
    p = QPainter(img)
    before = sys.getrefcount(None)
    for _ in range(500):
        p.drawLine(1, 2, 3, 4)
        p.setBrush(QColor("red"))
    p.end()
    assert sys.getrefcount(None) >= before - 50


class FakeStream:
    def __init__(self, audio, callback, finished_callback, **_):
        self.audio, self.callback = audio, callback
        self._stop = threading.Event()

    def start(self):
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        for i in range(0, len(self.audio), 1600):
            if self._stop.is_set():
                return
            self.callback(self.audio[i : i + 1600, None], 1600, None, None)
            time.sleep(0.01)  # ten times faster than real time
        while not self._stop.is_set():
            self.callback(np.zeros((1600, 1), dtype="float32"), 1600, None, None)
            time.sleep(0.01)

    def stop(self):
        self._stop.set()

    def close(self):
        pass


class FakeSD:
    """A sound device layer with a microphone that says ``audio`` and no speakers (or no mic at all)."""

    def __init__(self, audio=None, mic=True):
        self.audio = np.zeros(1600, dtype="float32") if audio is None else audio
        self.mic = mic

    def query_devices(self):
        return [{"name": "Test mic", "max_input_channels": 1}] if self.mic else []

    def InputStream(self, **kw):
        return FakeStream(self.audio, kw["callback"], kw["finished_callback"])

    def OutputStream(self, **kw):
        raise RuntimeError("no output device")


@pytest.fixture
def services(tmp_path):
    s = Services(tmp_path / "data")
    return s


def make_window(qtbot, services, sd, scenario="hotel-uniforms", profile=True):
    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.style import STYLE

    QApplication.instance().setStyleSheet(STYLE)
    if profile:
        services.repo.save_rep(DAVE)
    w = MainWindow(services, scenario, sd=sd)
    qtbot.addWidget(w)
    w.resize(1280, 800)
    w.show()
    w.activateWindow()  # keyboard shortcuts belong to the active window
    qtbot.waitUntil(w.isActiveWindow, timeout=30_000)
    return w


def test_first_run_asks_for_the_profile_and_validates_it(qtbot, services):
    from voicemail_coach.ui.profile_dialog import ProfileDialog

    w = make_window(qtbot, services, FakeSD(), profile=False)
    seen = {}

    def fill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ProfileDialog)
        dialog.name.setText("Dave Kowalski")
        dialog.company.setText("Brightline Uniforms")
        dialog.phone.setText("12")
        dialog.save_button.click()
        seen["error"] = dialog.error.text()
        dialog.phone.setText("555-214-3390")
        dialog.save_button.click()

    QTimer.singleShot(100, fill)
    w.reps.ensure()
    assert "phone" in seen["error"]
    assert services.repo.active_rep().profile.phone == "555-214-3390"
    assert w.rep_box.currentText() == "Dave Kowalski"


def test_scenarios_deal_and_pick(qtbot, services):
    w = make_window(qtbot, services, FakeSD(), scenario="plant-solar")
    assert w.state.scenario.id == "plant-solar"
    assert "Ahmed Hassan" in w.page.card.prospect.text()
    qtbot.keyClick(w, Qt.Key_N)
    assert w.state.scenario.id != "plant-solar"
    w.page.card.picker.setCurrentIndex(w.page.card.picker.findData("dental-billing"))
    assert w.state.scenario.id == "dental-billing"
    assert w.page.target_label.text().startswith("target 0:20–0:40")


def test_without_a_microphone_the_app_offers_to_grade_a_file(qtbot, services, audio_cache):
    w = make_window(qtbot, services, FakeSD(mic=False))
    assert w.page.banner.isVisible() and "No microphone" in w.page.banner_text.text()
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    wav = synthesize(vm.text, audio_cache, voice=0)
    w.recording.grade_file(wav)
    qtbot.waitUntil(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, timeout=600_000)
    assert w.state.attempt.score >= 80
    assert w.page.scorecard.rows.count() >= 13  # every item, plus the stretch
    assert w.page.transcript.words and w.page.waveform.duration > 15
    # a moment later the number, heard again through a phone line, joins the scorecard and the saved grade
    qtbot.waitUntil(lambda: w.state.attempt.item("number_on_phone") is not None, timeout=300_000)
    saved = services.repo.attempt(w.state.attempt.id)
    assert saved.item("number_on_phone") == w.state.attempt.item("number_on_phone")
    assert len(saved.metrics["number_on_phone"]) == len(saved.metrics["number_readings"]) == 2
    rows = [w.page.scorecard.rows.itemAt(k).widget() for k in range(w.page.scorecard.rows.count())]
    assert any(r is not None and getattr(r, "item", {}).get("id") == "number_on_phone" for r in rows)
    assert f">{saved.score}<" in w.page.scorecard.score.text()  # the score shown is the one saved
    # the anatomy strip: each part where it was said; a click plays from there
    strip = w.page.anatomy
    order = strip.labels
    assert order.index("Name") < order.index("Value") < order.index("Number") < order.index("Number again")
    strip.repaint()
    value_at = next(m.start for m in strip.anatomy.moments if m.item_id == "value")
    qtbot.mouseClick(strip, Qt.LeftButton, pos=strip.position_of("value").toPoint())
    assert abs(w.player.position - value_at) < 0.6
    w.player.pause()
    # the number strip: each reading of the number, measured; a click plays it
    numbers = w.page.number_strip
    assert numbers.isVisible() and len(numbers.chips) == 2
    assert all("/s" in c.text() and "pause" in c.text() for c in numbers.chips)
    readings = w.state.attempt.metrics["number_readings"]
    qtbot.mouseClick(numbers.chips[1], Qt.LeftButton)
    assert abs(w.player.position - readings[1]["start"]) < 0.6
    assert any(i["id"] == "number_clarity" for i in w.state.attempt.items)
    w.player.pause()
    # the voice timeline under the waveform: pitch and pace across the message; a click plays from there
    timeline = w.page.voice_strip
    assert timeline.isVisible() and timeline.voice.pitch and timeline.voice.pace
    assert "semitones" in timeline.toolTip()
    qtbot.mouseClick(timeline, Qt.LeftButton, pos=QPoint(timeline.width() // 2, timeline.height() // 2))
    assert abs(w.player.position - timeline.duration / 2) < 0.6
    w.player.pause()
    # "On the phone": the same message, as the prospect's voicemail box plays it, from the same moment
    as_made = (w.player.samplerate, w.player.duration)
    w.player.seek(5.0)
    qtbot.keyClick(w, Qt.Key_P)
    assert w.page.phone_button.isChecked() and w.player.samplerate == 8000
    assert abs(w.player.duration - as_made[1]) < 0.01 and abs(w.player.position - 5.0) < 0.01
    spectrum = np.abs(np.fft.rfft(w.player.samples))
    freqs = np.fft.rfftfreq(len(w.player.samples), 1 / 8000)
    assert spectrum[freqs < 200].sum() < 0.001 * spectrum.sum()  # nothing below the phone band
    w.page.phone_button.click()
    assert (w.player.samplerate, w.player.duration) == as_made
    w.tabs.setCurrentIndex(1)
    assert w.history.model.rowCount() == 1


def test_record_with_space_live_checklist_and_saved_attempt(qtbot, services, audio_cache):
    vm = next(v for v in load_corpus() if v.id == "strong-05")
    wav = synthesize(vm.text, audio_cache, voice=1)
    audio, rate = soundfile.read(str(wav), dtype="float32")
    idx = np.arange(0, len(audio), rate / 16000).astype(int)
    services.repo.save_rep(RepProfile(**vm.rep.to_dict()))
    w = make_window(qtbot, services, FakeSD(audio[idx]), scenario="bakery-payroll", profile=False)
    qtbot.keyClick(w, Qt.Key_Space)
    qtbot.waitUntil(lambda: w.state.phase is Phase.RECORDING, timeout=50_000)
    qtbot.waitUntil(lambda: w.practice.recorder.elapsed > len(idx) / 16000 + 0.5, timeout=300_000)
    qtbot.waitUntil(lambda: any(m.text() == "●" and not k.startswith("no_") for k, m in w.page.live.marks.items()),
                    timeout=300_000)  # the checklist ticked while "speaking"
    qtbot.keyClick(w, Qt.Key_Space)
    qtbot.waitUntil(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, timeout=300_000)
    assert w.recording.last_stop_to_visible_s is not None
    rows = services.repo.history()
    assert len(rows) == 1 and rows[0].scenario_id == "bakery-payroll" and rows[0].rep == "Tom Becker"
    saved = services.repo.attempt(rows[0].id)
    assert saved.words and saved.audio_path.endswith(".wav") and saved.score == w.state.attempt.score
    assert {"rep_company", "value", "callback_time"} <= {i["id"] for i in saved.items if i["passed"]}


def test_escape_discards_a_recording(qtbot, services):
    w = make_window(qtbot, services, FakeSD(np.zeros(16000 * 5, dtype="float32")))
    qtbot.keyClick(w, Qt.Key_Space)
    qtbot.waitUntil(lambda: w.state.phase is Phase.RECORDING, timeout=50_000)
    qtbot.keyClick(w, Qt.Key_Escape)
    assert w.state.phase is Phase.IDLE
    assert services.repo.history() == []
    assert not list(services.dirs.recordings.glob("*.wav"))


STRONG_TEXT = ("Hi Chloe, this is Dave Kowalski from Brightline Uniforms. We cut uniform costs by 18% for Seaside Inns. "
               "My number is 555-214-3390. I'm sending you an email, and I'll try you again Thursday at ten.")


def saved_text_attempt(services, text: str = STRONG_TEXT, timed: bool = False) -> int:
    """An attempt graded from text and saved, as if recorded on the hotel scenario (words 0.4 s apart if ``timed``)."""
    from voicemail_coach.core.transcript import Transcript, Word
    from voicemail_coach.practice import Practice

    services.repo.save_rep(DAVE)
    rep = services.repo.active_rep()
    scenario = services.scenarios.get("hotel-uniforms")
    practice = Practice(services)
    transcript = Transcript.from_text(text)
    if timed:
        transcript = Transcript([Word(w.text, i * 0.4, i * 0.4 + 0.3, 0.9) for i, w in enumerate(transcript.words)])
    return practice.save(rep.id, scenario, practice.grade_transcript(transcript, DAVE, scenario), transcript, None)


def test_follow_up_email_draft_edit_mismatch_and_save(qtbot, services):
    attempt_id = saved_text_attempt(services)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.review.show_attempt(attempt_id)
    qtbot.keyClick(w, Qt.Key_E)
    dialog = w.review.email_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert "Seaside Inns" in dialog.body.toPlainText() and "Thursday at ten" in dialog.body.toPlainText()
    assert dialog.result.score == 100
    dialog.body.setPlainText(dialog.body.toPlainText().replace("Thursday", "Friday"))
    dialog.regrade()
    assert not dialog.result.item("email_consistent").passed
    dialog.save()
    saved = services.repo.email_for(attempt_id)
    assert "Friday" in saved.text and saved.score < 100
    dialog.close()


def test_touch_two_with_the_same_reason_is_flagged(qtbot, services, audio_cache):
    from voicemail_coach.ui.touch_dialog import TouchDialog

    first_id = saved_text_attempt(services)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.review.show_attempt(first_id)

    def accept():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, TouchDialog)
        assert dialog.day.currentData() == "thursday" and dialog.hour.value() == 10
        dialog.accept()

    QTimer.singleShot(100, accept)
    qtbot.keyClick(w, Qt.Key_T)
    assert w.state.touch is not None and w.page.touch_banner.isVisible() and "Touch 2" in w.page.touch_banner.text()
    # touch 2 says the same thing again, imported as a file
    vm_text = STRONG_TEXT.replace("I'm sending you an email, and ", "")
    wav = synthesize(vm_text, audio_cache, voice=0)
    w.recording.grade_file(wav)
    qtbot.waitUntil(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, timeout=600_000)
    assert w.state.attempt.touch == 2 and w.state.attempt.previous_id == first_id
    fresh = next(i for i in w.state.attempt.items if i["id"] == "fresh_reason")
    kept = next(i for i in w.state.attempt.items if i["id"] == "on_promised_day")
    assert not fresh["passed"] and "Seaside" in fresh["tip"]
    assert kept["passed"]
    assert "Touch 2" in w.page.attempt_title.text() and not w.page.touch_banner.isVisible()


def test_an_unsure_item_says_what_was_heard_and_the_rep_can_mark_it(qtbot, services):
    from PySide6.QtWidgets import QLabel, QPushButton

    from voicemail_coach.ui.scorecard import ItemRow

    attempt_id = saved_text_attempt(services, STRONG_TEXT + " Again, that's Dave at today Matt 5 -5 -2 -1 -4 -3 -5 -0.",
                                    timed=True)
    w = make_window(qtbot, services, FakeSD(), profile=False)
    w.review.show_attempt(attempt_id)

    def row(item_id):
        shown = [w.page.scorecard.rows.itemAt(i).widget() for i in range(w.page.scorecard.rows.count())]
        return next(r for r in shown if isinstance(r, ItemRow) and r.item["id"] == item_id)

    twice = row("number_twice")
    assert twice.findChild(QLabel, "markUnsure").text() == "?"
    assert "Not sure I heard it" in twice.findChild(QLabel, "unsureTip").text()
    assert "1 item not confirmed" in w.page.scorecard.summary.text()
    jump = next(b for b in twice.findChildren(QPushButton) if b.text().startswith("▶"))
    said = next(b for b in twice.findChildren(QPushButton) if b.text() == "I said it")
    assert jump.isVisible() and said.isVisible()
    qtbot.mouseClick(said, Qt.LeftButton)
    mark = services.repo.labels(attempt_id)["number_twice"]
    assert mark.said and mark.role == "rep" and mark.marker == "Dave Kowalski"
    qtbot.waitUntil(lambda: row("number_twice").findChild(QLabel, "markNote") is not None)
    assert "Marked “said it” by Dave Kowalski (rep)" in row("number_twice").findChild(QLabel, "markNote").text()
    assert "not confirmed" not in w.page.scorecard.summary.text()


def test_every_background_answer_reaches_the_window(qtbot):
    """Nothing but the pool holds a job; its answer must still arrive once the job has run."""
    import gc

    from voicemail_coach.ui.workers import run_in_background

    answers: list[int] = []
    for n in range(200):
        run_in_background(lambda n=n: n, answers.append)
    gc.collect()
    qtbot.waitUntil(lambda: len(answers) == 200, timeout=60_000)
    assert sorted(answers) == list(range(200))
