"""Drive the real app under Xvfb with the virtual microphone, as a rep would.

Run as a script by the end-to-end test (Qt's platform is chosen once per
process, so this runs apart from the offscreen tests). Prints JSON.

    python -m tests.support.e2e_app DATA_DIR SHOTS_DIR WAV [ROUNDS [TRAILING_OFF_WAV]]
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path


def main() -> int:
    data_dir, shots, wav = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    shots.mkdir(parents=True, exist_ok=True)
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from tests.support.pulse import VirtualMic
    from tests.support.waiting import wait_until
    from voicemail_coach.ui.app import build_window
    from voicemail_coach.ui.state import Phase

    mic = VirtualMic().start()
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    t0 = time.perf_counter()
    app, w = build_window(data_dir, "hotel-uniforms")
    w.resize(1280, 800)
    w.show()
    w.start_background_work()
    QApplication.processEvents()
    shown_s = time.perf_counter() - t0
    w.activateWindow()  # Xvfb has no window manager to give it focus
    QTest.qWaitForWindowActive(w, 5000)

    def wait(cond, timeout=300.0):
        wait_until(app, cond, timeout)

    def shot(name: str, size=None):
        if size:
            w.resize(*size)
        wait(lambda: True)
        for _ in range(20):
            app.processEvents()
            time.sleep(0.01)
        w.grab().save(str(shots / f"{name}.png"))

    out: dict = {"window_shown_s": round(shown_s, 3)}
    try:
        wait(lambda: w.model_ready, 300)
        out["model_ready_s"] = round(time.perf_counter() - t0, 3)
        shot("1-record-view")
        out["stop_to_visible_s"] = []
        out["stop_to_saved_s"] = []
        for n in range(rounds):
            QTest.keyClick(w, Qt.Key_Space)
            wait(lambda: w.state.phase is Phase.RECORDING, 150)
            player = mic.play(wav)
            if n == 0:
                wait(lambda: w.practice.recorder is not None and w.practice.recorder.elapsed > 14, 300)
                shot("2-recording-live-checklist")
            wait(lambda: player.poll() is not None, 600)
            end = time.time() + 0.6
            wait(lambda: time.time() > end)
            QTest.keyClick(w, Qt.Key_Space)
            wait(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, 300)
            out["stop_to_visible_s"].append(round(w.recording.last_stop_to_visible_s, 3))
            out["stop_to_saved_s"].append(round(w.recording.last_stop_to_saved_s, 3))
            out.setdefault("engine", w.services.transcriber.label)
        shot("3-scorecard")
        first_attempt = w.state.attempt
        QTest.keyClick(w, Qt.Key_E)
        wait(lambda: w.review.email_dialog is not None and w.review.email_dialog.isVisible(), 120)
        dialog = w.review.email_dialog
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)
        dialog.grab().save(str(shots / "7-email-draft.png"))
        dialog.body.setPlainText(dialog.body.toPlainText().replace("Thursday", "Friday"))
        dialog.regrade()
        for _ in range(30):
            app.processEvents()
            time.sleep(0.01)
        dialog.grab().save(str(shots / "8-email-mismatch.png"))
        out["email_score_after_edit"] = dialog.result.score
        dialog.close()
        # touch 2, saying the same thing again
        from PySide6.QtCore import QTimer

        def accept_touch():
            modal = QApplication.activeModalWidget()
            if modal is not None:
                modal.grab().save(str(shots / "9-touch-dialog.png"))
                modal.accept()

        QTimer.singleShot(300, accept_touch)
        w.activateWindow()
        QTest.qWaitForWindowActive(w, 5000)
        QTest.keyClick(w, Qt.Key_T)
        wait(lambda: w.state.touch is not None, 120)
        shot("10-touch2-record-view")
        w.activateWindow()  # no window manager hands focus back after a dialog
        QTest.qWaitForWindowActive(w, 5000)
        QTest.keyClick(w, Qt.Key_Space)
        wait(lambda: w.state.phase is Phase.RECORDING, 150)
        player = mic.play(wav)
        wait(lambda: player.poll() is not None, 600)
        end = time.time() + 0.6
        wait(lambda: time.time() > end)
        QTest.keyClick(w, Qt.Key_Space)
        wait(lambda: w.state.phase is Phase.IDLE and w.page.stack.currentIndex() == 1, 300)
        shot("11-touch2-scorecard")
        out["touch2"] = {i["id"]: i["passed"] for i in w.state.attempt.items if i["id"] in ("fresh_reason", "on_promised_day")}
        out["touch2"]["touch"] = w.state.attempt.touch
        QTest.keyClick(w, Qt.Key_R)
        end = time.time() + 1.5
        wait(lambda: time.time() > end)
        out["replay_position_s"] = round(w.player.position, 2)
        shot("4-replay-following")
        QTest.keyClick(w, Qt.Key_R)
        shot("5-scorecard-1920", (1920, 1080))
        shot("30-scorecard-1110x690", (1110, 690))  # a laptop's default window: the checklist must still read
        out["smallest_window"] = [w.width(), w.height()]
        w.resize(1280, 800)
        w.tabs.setCurrentIndex(1)
        shot("6-history")
        out["attempt"] = dataclasses.asdict(first_attempt)
        out["history_rows"] = w.history.model.rowCount()
        if len(sys.argv) > 5:  # a recording whose second reading of the number trails off
            from PySide6.QtWidgets import QPushButton

            from voicemail_coach.ui.scorecard import ItemRow

            before = w.state.attempt.id
            w.recording.grade_file(Path(sys.argv[5]))
            wait(lambda: w.state.phase is Phase.IDLE and w.state.attempt is not None and w.state.attempt.id != before, 600)
            w.tabs.setCurrentIndex(0)
            shot("12-scorecard-unsure", (1600, 1000))
            out["unsure_items"] = [i["id"] for i in w.state.attempt.items if i.get("status") == "unsure"]
            rows = [w.page.scorecard.rows.itemAt(i).widget() for i in range(w.page.scorecard.rows.count())]
            unsure = [r for r in rows if isinstance(r, ItemRow) and r.item.get("status") == "unsure"]
            if unsure:
                button = next(b for b in unsure[0].findChildren(QPushButton) if b.text() == "I didn't")
                QTest.mouseClick(button, Qt.LeftButton)
                shot("13-scorecard-marked", (1600, 1000))
            out["marks"] = {k: m.to_json() for k, m in w.services.repo.labels(w.state.attempt.id).items()}
    finally:
        w.close()
        mic.stop()
    print(json.dumps(out, default=str))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
