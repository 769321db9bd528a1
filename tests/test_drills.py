"""Drills: one part of the message rehearsed alone, graded on that part, with a streak; through the real window
with the virtual microphone and the real speech model."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from tests.support.synth import synthesize
from voicemail_coach.core import drills
from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.transcript import Transcript
from voicemail_coach.playbook import default_rubric

DAVE = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")
CHLOE = Prospect("Chloe Martin", "Harbor Hotels")


def judge(text: str, part: str):
    items = drills.judged(grade(Transcript.from_text(text), DAVE, CHLOE, default_rubric(), None), drills.PARTS[part])
    return [(i.id, i.passed) for i in items], drills.passed(items)


@pytest.mark.parametrize("text, part, expected", [
    ("Hi Chloe, this is Dave from Brightline Uniforms.", "opener", True),
    ("Hi, this is Dave from Brightline Uniforms.", "opener", False),  # no name for the prospect
    ("Call me at 555-214-3390. Again, 555-214-3390.", "number", True),
    ("Call me at 555-214-3390.", "number", False),  # once is not twice
    ("I'll call you again Thursday at ten.", "callback", True),
    ("Call me back.", "callback", False),
    ("I'm sending you an email with the case study.", "email", True),
    ("Email me.", "email", False),
])
def test_a_drill_is_graded_on_its_part_alone(text, part, expected):
    items, passed = judge(text, part)
    assert [i for i, _ in items] == list(drills.PARTS[part].items)
    assert passed is expected


def test_every_content_item_but_the_negative_ones_has_a_drill():
    from voicemail_coach.core.rubric import CONTENT_ITEMS

    drilled = {i for p in drills.PARTS.values() for i in p.items}
    assert drilled == set(CONTENT_ITEMS) - {"no_check_in", "no_apology"}
    assert drills.part_for("length") is None


def test_streaks_and_stats_count_back_from_the_latest():
    assert drills.streak([True, True, False, True]) == 2
    assert drills.streak([False, True]) == 0
    found = drills.stats([("number", True), ("opener", False), ("number", True), ("number", False)])
    assert [(s.part.id, s.total, s.passed, s.streak) for s in found] == [("opener", 1, 0, 0), ("number", 3, 2, 2)]


@pytest.mark.audio
@pytest.mark.model
def test_drilling_the_number_from_the_scorecard_through_the_microphone(qtbot, virtual_mic, audio_cache, transcriber,
                                                                        tmp_path):
    from voicemail_coach.services import Services
    from voicemail_coach.ui.drill_dialog import DrillDialog
    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.state import Tab

    services = Services(tmp_path / "data")
    services.__dict__["transcriber"] = transcriber  # the loaded model of this test run
    rep = services.repo.save_rep(DAVE)
    window = MainWindow(services, "hotel-uniforms")
    qtbot.addWidget(window)
    window.show()
    window.model_ready = True
    # an attempt that gave the number only once is on the scorecard
    result = window.practice.grade_transcript(
        Transcript.from_text("Hi Chloe, this is Dave from Brightline Uniforms. Call me at 555-214-3390."),
        DAVE, window.state.scenario)
    attempt_id = window.practice.save(rep.id, window.state.scenario, result, Transcript.from_text(""), None)
    window.review.show_attempt(attempt_id)
    buttons = [b for b in window.page.scorecard.findChildren(type(window.page.record_button))
               if b.objectName() == "drill" and b.text() == "Drill the number"]
    assert buttons, "no “Drill the number” under the missed number"

    takes = [synthesize("Call me at 555-214-3390. Again, that's 555-214-3390.", audio_cache, voice=0),
             synthesize("Call me at 555-214-3390.", audio_cache, voice=0)]
    seen: dict = {}

    def run_drill():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, DrillDialog)
        seen["instruction"] = dialog.instruction.text()
        for n, wav in enumerate(takes):
            dialog.record_button.click()
            qtbot.waitUntil(lambda: dialog.recording, timeout=30_000)
            time.sleep(0.3)
            virtual_mic.play(wav).wait(timeout=120)
            time.sleep(0.5)
            dialog.record_button.click()  # stop before the 15 s are up
            qtbot.waitUntil(lambda n=n: len(dialog.results) == n + 1, timeout=300_000)
            result = dialog.results[-1]
            seen[n] = (result.passed, result.streak, dialog.streak.text(), result.transcript)
        dialog.grab().save(str(tmp_path / "drill.png"))
        dialog.reject()

    QTimer.singleShot(200, run_drill)
    buttons[0].click()
    assert "555-214-3390" in seen["instruction"]
    assert seen[0][:3] == (True, 1, "★ 1 in a row"), seen[0]
    assert seen[1][:2] == (False, 0), seen[1]  # once only: the streak starts over
    assert [(d.part, d.passed) for d in services.repo.drills(rep.id)] == [("number", False), ("number", True)]
    assert not list((services.dirs.cache / "drills").glob("*.wav"))  # a drill keeps its outcome, not its audio
    window.tabs.setCurrentIndex(Tab.PROGRESS)
    assert "the number 1/2 right" in window.progress_view.drills.text()
    window.close()
