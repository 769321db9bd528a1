"""Wall time of `voicemail-coach grade some.wav --json` on a ~30 s message, model load included.

Runs the real command in a fresh process each time (so the model loads every
time) and prints JSON with each run's seconds and the median.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize


def main(runs: int = 5) -> int:
    vm = next(v for v in load_corpus() if v.id == "ramble-02")  # the longest strong message
    tmp = Path(tempfile.mkdtemp())
    wav = synthesize(vm.text, tmp, voice=0)
    import soundfile

    duration = soundfile.info(str(wav)).duration
    cmd = [sys.executable, "-m", "voicemail_coach", "grade", str(wav), "--json", "--data-dir", str(tmp / "data"),
           "--rep-name", vm.rep.name, "--rep-company", vm.rep.company, "--rep-phone", vm.rep.phone,
           "--prospect-name", vm.prospect.name]
    seconds, inner = [], []
    for _ in range(runs):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        seconds.append(round(time.perf_counter() - t0, 3))
        inner.append(json.loads(proc.stdout)["timings"])
    print(json.dumps({"audio_seconds": round(duration, 1), "runs_s": seconds, "median_s": statistics.median(seconds),
                      "max_s": max(seconds), "timings": inner}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
