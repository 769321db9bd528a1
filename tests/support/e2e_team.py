"""One app process of a class on a team server, driven for tests/test_team_e2e.py. Prints JSON lines.

    python -m tests.support.e2e_team trainer DATA_DIR SHOT.png STOP_FILE
        opens the team board and reports every change of it until STOP_FILE appears
    python -m tests.support.e2e_team rep DATA_DIR SESSION WAV GO_FILE STOP_FILE
        loads the speech model, waits for GO_FILE, records WAV through the virtual microphone in SESSION,
        then reports when the attempt is saved, waiting (server away) and uploaded; ends at STOP_FILE

The team password comes from VOICEMAIL_COACH_TEAM_PASSWORD (test machines have no keyring).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.support.waiting import wait_until


def say(**event) -> None:
    print(json.dumps({"t": time.time(), **event}), flush=True)


def trainer(data_dir: Path, shot: Path, stop: Path) -> int:
    from voicemail_coach.ui.app import build_window

    app, w = build_window(data_dir, "hotel-uniforms")
    w.show()
    w.team.open_board()
    board = w.team.board
    wait_until(app, lambda: board.updated_at is not None, 120)
    seen = None
    while not stop.exists():
        app.processEvents()
        rows = sorted((r.login, r.attempts, r.best) for r in board.rows)
        if rows != seen:
            seen = rows
            say(event="board", updated_at=board.updated_at, rows=rows)
        time.sleep(0.005)
    board.grab().save(str(shot))
    w.close()
    return 0


def rep(data_dir: Path, session_name: str, wav: Path, go: Path, stop: Path) -> int:
    from tests.support.pulse import SINK
    from voicemail_coach.ui.app import build_window
    from voicemail_coach.ui.state import Phase

    app, w = build_window(data_dir, "hotel-uniforms")
    w.show()
    w.start_background_work()
    wait_until(app, lambda: w.model_ready, 600)
    w.state.set_session(w.services.sessions.find(session_name).id)
    say(event="ready")
    wait_until(app, go.exists, 1800)
    w.recording.toggle()
    wait_until(app, lambda: w.state.phase is Phase.RECORDING, 120)
    player = subprocess.Popen(["paplay", f"--device={SINK}", str(wav)])
    wait_until(app, lambda: player.poll() is not None, 600)
    end = time.time() + 0.6
    wait_until(app, lambda: time.time() > end, 5)
    w.recording.toggle()
    wait_until(app, lambda: w.state.phase is Phase.IDLE and w.state.attempt is not None, 600)
    say(event="saved", attempt=w.state.attempt.id, score=w.state.attempt.score)
    told_waiting = False
    while not stop.exists():
        app.processEvents()
        label = w.team.label.text()
        if "not reachable" in label and not told_waiting:
            told_waiting = True
            say(event="waiting", label=label.strip())
        if "all uploaded" in label:
            say(event="uploaded", label=label.strip())
            break
        time.sleep(0.01)
    wait_until(app, stop.exists, 1800)
    w.close()
    return 0


def main() -> int:
    role, *args = sys.argv[1:]
    if role == "trainer":
        return trainer(Path(args[0]), Path(args[1]), Path(args[2]))
    return rep(Path(args[0]), args[1], Path(args[2]), Path(args[3]), Path(args[4]))


if __name__ == "__main__":
    raise SystemExit(main())
