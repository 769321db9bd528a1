"""The team server through the real window: joining in Settings ▸ Team, the upload indicator, and the trainer's
live board filling in as a rep's attempt is saved."""

from __future__ import annotations

import time

import numpy as np
import soundfile as sf
from PySide6.QtWidgets import QInputDialog

from voicemail_coach.core.people import RepProfile
from voicemail_coach.services import Services
from voicemail_coach.team.client import TeamClient
from voicemail_coach.team.server import init

RESULT = {"score": 85, "transcript": "Hi Chloe, this is Rosa.", "items": [{"id": "rep_name", "passed": True}],
          "metrics": {"duration_s": 1.0}}


def test_a_rep_joins_and_the_trainers_board_fills_in_as_the_attempt_is_saved(qtbot, postgres, team_db, tmp_path,
                                                                             monkeypatch):
    from voicemail_coach.ui.main_window import MainWindow
    from voicemail_coach.ui.team_board import TeamBoard
    from voicemail_coach.ui.team_dialog import TeamDialog

    database = team_db.rsplit("/", 1)[1]
    trainer, trainer_pw = init(team_db, "Acme West", "Tara Trainer", login="tara_ui")
    trainer_url = f"postgresql://{trainer}@127.0.0.1:{postgres.port}/{database}"
    tara = TeamClient(trainer_url, trainer_pw)
    tara.add_member("rosa_ui", "Rosa Rep", "rosa@example.com", "rep", "rosa-secret")
    tara.create_session("Week 1", ["rosa_ui"])

    services = Services(tmp_path / "rep")
    rep = services.repo.save_rep(RepProfile("Rosa Rep", "Brightline Uniforms", "555-214-3390"))
    session = services.sessions.create("Week 1", [rep.id], ["hotel-uniforms"])
    window = MainWindow(services, "hotel-uniforms")
    qtbot.addWidget(window)
    window.show()
    assert not window.team.label.isVisible()  # practising alone: nothing about teams in sight

    dialog = TeamDialog(services.repo, window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.address.setText(f"postgresql://rosa_ui@127.0.0.1:{postgres.port}/{database}")
    dialog.password.setText("wrong")
    dialog.join_button.click()
    qtbot.waitUntil(lambda: dialog.state.text().startswith("Not joined"), timeout=30_000)
    assert "refused the login" in dialog.state.text()
    dialog.password.setText("rosa-secret")
    dialog.join_button.click()
    qtbot.waitUntil(lambda: bool(dialog.changed), timeout=30_000)
    assert "Rosa Rep (rep)" in dialog.changed and dialog.leave_button.isVisible()
    dialog.grab().save(str(tmp_path / "team-dialog.png"))
    dialog.close()

    # the password was not kept (no keyring on a test machine), so the uploader gets it as a script would
    import os

    from voicemail_coach.team.link import PASSWORD_ENV

    os.environ[PASSWORD_ENV] = "rosa-secret"
    try:
        window.team.start()
        qtbot.waitUntil(lambda: "all uploaded" in window.team.label.text(), timeout=30_000)

        board = TeamBoard(lambda: TeamClient(trainer_url, trainer_pw), player=window.player,
                          cache=tmp_path / "cache", title_of=lambda s: services.scenarios.titles()[s])
        qtbot.addWidget(board)
        board.show()
        qtbot.waitUntil(lambda: board.picker.count() == 1 and board.updated_at is not None, timeout=30_000)
        assert board.table.rowCount() == 0
        time.sleep(0.3)  # the board's LISTEN is in place

        wav = tmp_path / "take.wav"
        sf.write(wav, (0.2 * np.sin(np.arange(16000) / 16000 * 2 * np.pi * 200)).astype(np.float32), 16000)
        attempt_id = services.repo.add_attempt(rep.id, "hotel-uniforms", RESULT, [], services.repo.files.new_path(wav),
                                               session_id=session.id, copy_from=wav)
        saved_at = time.time()
        window.team.after_saved(attempt_id)
        qtbot.waitUntil(lambda: board.table.rowCount() == 1, timeout=30_000)
        print(f"on the trainer's board {board.updated_at - saved_at:.3f} s after the rep saved")
        title = services.scenarios.titles()["hotel-uniforms"]
        assert [board.table.item(0, c).text() for c in range(5)] == ["Rosa Rep", title, "1", "85", "85"]
        qtbot.waitUntil(lambda: "all uploaded" in window.team.label.text(), timeout=30_000)
        assert services.repo.waiting_uploads() == []

        # the trainer picks the row: reads the take, hears it (fetched once into the cache), comments on it
        board.table.setCurrentCell(0, 0)
        qtbot.waitUntil(lambda: "Hi Chloe, this is Rosa." in board.detail.text(), timeout=30_000)
        board.play_button.click()
        qtbot.waitUntil(lambda: window.player.duration > 0, timeout=30_000)
        assert abs(window.player.duration - 1.0) < 0.01 and len(list((tmp_path / "cache").glob("*.flac"))) == 1
        window.player.stop()
        monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *a, **k: ("Slow down on the number.", True))
        board.comment_button.click()
        qtbot.waitUntil(lambda: "Comment saved" in board.note.text(), timeout=30_000)
        rosa = TeamClient(f"postgresql://rosa_ui@127.0.0.1:{postgres.port}/{database}", "rosa-secret")
        server_id = rosa.attempts()[0].id
        assert rosa.comments(server_id) == [(None, trainer, "Slow down on the number.")]
        rosa.close()
        window.team.uploader.kick()  # the rep's app looks again (by itself: every minute, and after each save)
        qtbot.waitUntil(lambda: [c.text for c in services.repo.comments(attempt_id)] == ["Slow down on the number."],
                        timeout=30_000)
        board.grab().save(str(tmp_path / "team-board.png"))
        board.close()
    finally:
        os.environ.pop(PASSWORD_ENV, None)
        window.team.close()
        tara.close()
