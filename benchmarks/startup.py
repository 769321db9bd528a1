"""Launch to usable window: time until the main window has painted, model loading in the background.

Starts the app in a fresh process several times (offscreen, temp data dir) and
prints JSON with each launch's seconds to first paint, and to "model ready".
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import _common  # noqa: F401

PROBE = r"""
import sys, time, json
t0 = time.perf_counter()
launched = float(sys.argv[2])  # wall clock when the process was started, interpreter start-up included
from PySide6.QtCore import QObject, QEvent, QTimer
from voicemail_coach.ui.app import build_window
app, w = build_window(sys.argv[1], "hotel-uniforms")
marks = {}
class Painted(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Paint and "painted" not in marks:
            marks["painted"] = time.perf_counter() - t0
            marks["launch_to_painted"] = time.time() - launched
        return False
f = Painted(); w.installEventFilter(f)
w.show(); w.start_background_work()
def poll():
    if w.model_ready and "painted" in marks:
        marks["model_ready"] = time.perf_counter() - t0
        print(json.dumps(marks)); app.quit()
    else:
        QTimer.singleShot(20, poll)
poll()
app.exec()
"""


def main(runs: int = 5) -> int:
    results = []
    for _ in range(runs):
        data = tempfile.mkdtemp(prefix="vc-startup-")
        env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
        proc = subprocess.run([sys.executable, "-c", PROBE, data, repr(time.time())], capture_output=True, text=True, env=env, timeout=120)
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
    painted = [r["launch_to_painted"] for r in results]
    ready = [r["model_ready"] for r in results]
    print(json.dumps({
        "launches": runs,
        "launch_to_window_painted_s": {"median": round(statistics.median(painted), 3), "max": round(max(painted), 3)},
        "model_ready_s": {"median": round(statistics.median(ready), 3), "max": round(max(ready), 3)},
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
