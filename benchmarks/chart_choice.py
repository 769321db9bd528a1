"""What a plotting library would cost the Progress tab: import and first paint, memory, install size.

Each chart is measured in a fresh process (so imports are cold), several times. The progress chart is drawn
with QPainter (ui/charts.py); pyqtgraph is measured when it is installed (pip install pyqtgraph), drawing
the same 50 scores. Prints JSON, with pyqtgraph's figures as ratios to ours.

    python benchmarks/chart_choice.py [--runs 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

from _common import ROOT

PROBE = r"""
import json, os, resource, sys, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
scores = [40 + (i * 7) % 60 for i in range(50)]
t0 = time.perf_counter()
if sys.argv[1] == "pyqtgraph":
    import pyqtgraph
    chart = pyqtgraph.PlotWidget()
    chart.plot(list(range(len(scores))), scores, symbol="o")
else:
    from voicemail_coach.ui.charts import ScoreChart
    chart = ScoreChart()
    chart.set_scores(scores, list(range(1, 51)))
chart.resize(700, 300)
chart.show()
app.processEvents()
chart.grab()
print(json.dumps({"first_paint_s": time.perf_counter() - t0,
                  "rss_growth_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
"""


def _measure(which: str, runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    got = [json.loads(subprocess.run([sys.executable, "-c", PROBE, which], check=True, capture_output=True,
                                     text=True, env=env, timeout=300).stdout) for _ in range(runs)]
    return {"first_paint_s": round(statistics.median(g["first_paint_s"] for g in got), 3),
            "rss_growth_mb": round(statistics.median(g["rss_growth_mb"] for g in got), 1)}


def _size_mb(package: str) -> float | None:
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations)))
    return round(sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 2**20, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    ours = _measure("qpainter", args.runs)
    ours["installed_mb"] = round((ROOT / "src/voicemail_coach/ui/charts.py").stat().st_size / 2**20, 3)
    out = {"runs": args.runs, "qpainter": ours}
    if importlib.util.find_spec("pyqtgraph") is not None:
        theirs = _measure("pyqtgraph", args.runs)
        theirs["installed_mb"] = _size_mb("pyqtgraph")
        out["pyqtgraph"] = theirs
        out["ratio_pyqtgraph_to_qpainter"] = {
            k: round(theirs[k] / ours[k], 1) for k in ("first_paint_s", "rss_growth_mb") if ours[k]}
    else:
        out["pyqtgraph"] = "not installed (pip install pyqtgraph to compare)"
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
