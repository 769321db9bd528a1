"""Stop -> scorecard visible in the real app, under Xvfb with the virtual microphone.

Runs the end-to-end driver for several rounds (Space, speak, Space) and prints
JSON with each round's seconds and the p50/p95.

    python benchmarks/app_latency.py [ROUNDS]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import _common  # noqa: F401
from _common import ROOT

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize


def main() -> int:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    tmp = Path(tempfile.mkdtemp(prefix="vc-app-latency-"))
    vm = next(v for v in load_corpus() if v.id == "strong-06")
    wav = synthesize(vm.text, tmp, voice=0)
    xvfb = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = ":" + xvfb.stdout.readline().strip()
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")])}
    try:
        subprocess.run([sys.executable, "-m", "voicemail_coach", "profile", "--name", vm.rep.name, "--company",
                        vm.rep.company, "--phone", vm.rep.phone, "--data-dir", str(tmp / "data")],
                       check=True, capture_output=True, env=env)
        proc = subprocess.run([sys.executable, "-m", "tests.support.e2e_app", str(tmp / "data"), str(tmp / "shots"),
                               str(wav), str(rounds)], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    finally:
        xvfb.terminate()
    out = json.loads(proc.stdout.strip().splitlines()[-1])

    def pcts(values: list[float]) -> dict:
        ordered = sorted(values)
        k = min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))
        return {"p50_s": ordered[len(ordered) // 2], "p95_s": ordered[k], "max_s": ordered[-1]}

    print(json.dumps({"rounds": len(out["stop_to_visible_s"]), "engine": out.get("engine"),
                      "stop_to_scorecard_painted_s": out["stop_to_visible_s"],
                      "painted": pcts(out["stop_to_visible_s"]),
                      "stop_to_row_saved_s": out["stop_to_saved_s"], "saved": pcts(out["stop_to_saved_s"]),
                      "window_shown_s": out["window_shown_s"], "score": out["attempt"]["score"]}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
