"""A trainer runs an onboarding session in the real app under Xvfb, the reps speaking into the virtual mic.

Creates the session in its dialog, three reps take turns recording (Space, speak, Space), the trainer
records the exemplar, comments on an attempt, compares a rep with the exemplar, and exports the report as PDF
and CSV. Screenshots go to SHOTS; prints JSON.

    python -m tests.support.e2e_session DATA_DIR SHOTS_DIR CACHE_DIR
"""

from __future__ import annotations

import csv
import json
import sys
import time
from pathlib import Path

SCENARIO = "bakery-payroll"
TRAINER = ("Tom Becker", "Summit Payroll", "555-736-2044")
REPS = [("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "strong-05"),
        ("Priya Raman", "Ledgerly", "555-867-1200", "mixed-01"),
        ("Marcus Reed", "Northwind Freight", "555-302-7781", "email-sent-01")]


def spoken_as(text: str, name: str, company: str, phone: str) -> str:
    """A corpus voicemail of the trainer's, said by another rep."""
    return (text.replace("Tom Becker", name).replace("Summit Payroll", company).replace("Tom,", name.split()[0] + ",")
            .replace("555-736-2044", phone))


def main() -> int:
    data_dir, shots, cache = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    shots.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QFileDialog

    from tests.support.corpus import load_corpus
    from tests.support.pulse import VirtualMic
    from tests.support.synth import synthesize
    from tests.support.waiting import wait_until
    from voicemail_coach.ui.app import build_window
    from voicemail_coach.ui.state import Phase, Tab

    corpus = {v.id: v for v in load_corpus()}
    voices = {name: synthesize(spoken_as(corpus[vid].text, name, company, phone), cache, voice=n)
              for n, (name, company, phone, vid) in enumerate(REPS)}
    voices[TRAINER[0]] = synthesize(corpus["strong-05"].text, cache, voice=3)

    mic = VirtualMic().start()
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    app, w = build_window(data_dir, SCENARIO)
    w.resize(1280, 800)
    w.show()
    w.start_background_work()

    def wait(cond, timeout=300.0):
        wait_until(app, cond, timeout)

    def settle(seconds=0.3):
        end = time.time() + seconds
        wait(lambda: time.time() > end)

    def focus():
        w.activateWindow()  # Xvfb has no window manager to hand focus back
        QTest.qWaitForWindowActive(w, 5000)

    def shot(name: str):
        settle()
        w.grab().save(str(shots / f"{name}.png"))

    def record(wav: Path):
        focus()
        QTest.keyClick(w, Qt.Key_Space)
        wait(lambda: w.state.phase is Phase.RECORDING, 150)
        player = mic.play(wav)
        wait(lambda: player.poll() is not None, 600)
        settle(0.6)
        QTest.keyClick(w, Qt.Key_Space)
        wait(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, 300)

    out: dict = {}
    try:
        wait(lambda: w.model_ready, 300)
        focus()

        def fill_session():
            d = QApplication.activeModalWidget()
            d.name.setText("Spring cohort")
            for i in range(d.track.count()):
                if d.track.item(i).data(Qt.UserRole) in (SCENARIO, "clinic-no-shows"):
                    d.track.item(i).setCheckState(Qt.Checked)
            d.pass_mark.setValue(80)
            settle(0.2)
            d.grab().save(str(shots / "20-new-session-dialog.png"))
            d.create_button.click()

        QTimer.singleShot(300, fill_session)
        w.sessions.new_session()
        session = w.services.sessions.find("Spring cohort")
        out["session_reps"] = sorted(w.services.repo.rep_by_id(r).profile.name for r in session.rep_ids)
        shot("21-board-empty")
        view = w.sessions_view
        rep_rows = {name: 1 + i for i, (_rid, name) in enumerate(view.board.reps)}
        col = view.board.track.index(SCENARIO)
        for name, *_ in REPS:
            focus()
            w.tabs.setCurrentIndex(Tab.SESSIONS)
            view.table.setCurrentCell(rep_rows[name], col)
            view.table.setFocus()
            QTest.keyClick(view.table, Qt.Key_Return)
            wait(lambda: w.tabs.currentIndex() == 0 and w.state.rep.profile.name == name, 120)
            if name == REPS[0][0]:
                shot("22-rep-turn-record-view")
            record(voices[name])
            if name == REPS[1][0]:
                shot("23-rep-scorecard-in-session")
                # the trainer leaves a comment where the check-in is heard
                flagged = next((i for i in w.state.attempt.items if i["id"] == "no_check_in"), {})
                at = flagged.get("flagged_start") or 2.0
                w.review.play_from(at)
                settle(0.3)
                w.player.pause()

                def fill_comment():
                    d = QApplication.activeModalWidget()
                    d.author.setText(TRAINER[0])
                    d.text.setPlainText("Drop the check-in: open with the result the bakery got.")
                    d.accept()

                QTimer.singleShot(300, fill_comment)
                focus()
                QTest.keyClick(w, Qt.Key_C)
                wait(lambda: w.page.comments.list.count() >= 1 and w.page.comments.list.item(0).data(Qt.UserRole), 120)
                shot("24-comment-added")
            focus()
            QTest.keyClick(w, Qt.Key_B)
            wait(lambda: w.tabs.currentIndex() == Tab.SESSIONS, 120)
        shot("25-board-after-turns")
        # the exemplar, recorded by the trainer
        view.table.setCurrentCell(0, col)
        view.exemplar_button.click()
        wait(lambda: w.state.rep.profile.name == TRAINER[0], 120)
        shot("26-exemplar-record-view")
        record(voices[TRAINER[0]])
        session = w.services.sessions.get(session.id)
        out["exemplar_id"] = session.exemplars.get(SCENARIO)
        w.tabs.setCurrentIndex(Tab.SESSIONS)
        wait(lambda: w.sessions_view.board is not None)
        shot("27-board-with-exemplar")
        out["board"] = {name: {"best": c.best, "attempts": c.attempts, "passed": c.passed}
                        for rid, name in view.board.reps for c in [view.board.cell(rid, SCENARIO)]}
        # compare the weakest rep with the exemplar
        view.table.setCurrentCell(rep_rows[REPS[1][0]], col)
        focus()
        view.table.setFocus()
        QTest.keyClick(view.table, Qt.Key_X)
        wait(lambda: w.tabs.currentIndex() == 2, 120)
        out["compared"] = [c.row.id for c in w.compare_view.columns]
        shot("28-compare-with-exemplar")
        # reports: the user picks where to save them
        reports = {}
        for fmt in ("pdf", "csv"):
            target = shots.parent / f"spring-cohort.{fmt}"
            QFileDialog.getSaveFileName = staticmethod(lambda *a, t=target, **k: (str(t), ""))
            w.exports.session(session.id, fmt)
            reports[fmt] = str(target)
        out["reports"] = reports
        with open(reports["csv"], newline="") as fh:
            out["csv_rows"] = list(csv.DictReader(fh))
        w.tabs.setCurrentIndex(3)
        shot("29-progress")
    finally:
        w.close()
        mic.stop()
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
