"""Recording with both cores busy: samples lost between the microphone and the file, and the grade of
spoken voicemails, quiet against `stress-ng --cpu 2`, in the same run. Prints JSON.

Each voicemail is synthesized, played in real time into a PulseAudio virtual microphone and recorded
by the real recorder while the live transcriber works (as in the app); then the same is done with
stress-ng loading every core. Lost samples are measured on 15 s of noise with tests/support/alignment.py.

    python benchmarks/recording_under_load.py [--count 6]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

import numpy as np
import soundfile

from tests.support.alignment import align
from tests.support.corpus import load_corpus
from tests.support.pulse import VirtualMic
from tests.support.synth import synthesize


def record(mic, wav: Path, target: Path, listener=None):
    from voicemail_coach.audio.recorder import Recorder

    rec = Recorder(target)
    if listener:
        rec.add_listener(listener)
    rec.start()
    time.sleep(0.3)
    mic.play(wav).wait()
    time.sleep(0.5)
    return rec.stop()


def one_pass(mic, transcriber, picked, noise: Path, tmp: Path, label: str) -> dict:
    from voicemail_coach.core.grader import grade
    from voicemail_coach.playbook import default_rubric
    from voicemail_coach.speech.streaming import StreamingTranscriber

    source = soundfile.read(noise, dtype="float32")[0]
    take = record(mic, noise, tmp / f"noise-{label}.wav")
    found = align(source, soundfile.read(take.path, dtype="float32")[0], 16000)
    out = {"noise": {"overflows": take.overflows, "dropped_samples": int(found.dropped), "steady": found.steady,
                     "min_peak": round(min(found.peaks), 4)}, "messages": []}
    for n, (vm, wav) in enumerate(picked):
        hints = [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]
        live = StreamingTranscriber(transcriber, hints)
        t0 = time.perf_counter()
        take = record(mic, wav, tmp / f"{label}-{n}.wav", live.feed)
        result = grade(live.finish(), vm.rep, vm.prospect, default_rubric())
        out["messages"].append({"id": vm.id, "score": result.score, "overflows": take.overflows,
                                "passed": sorted(i.id for i in result.items if i.passed),
                                "wall_s": round(time.perf_counter() - t0, 2)})
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--engine", default="auto", choices=["auto", "moonshine", "faster-whisper"])
    args = ap.parse_args()
    if not shutil.which("stress-ng"):
        print("stress-ng is not installed (scripts/setup.sh installs it)", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="vc-load-"))
    picked = [(vm, synthesize(vm.text, tmp / "audio", voice=n)) for n, vm in enumerate(load_corpus()[: args.count])]
    noise = tmp / "noise.wav"
    soundfile.write(noise, np.random.default_rng(5).uniform(-0.4, 0.4, 16000 * 15).astype("float32"), 16000,
                    subtype="PCM_16")
    mic = VirtualMic().start()
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.engines import create_transcriber

    transcriber = create_transcriber(args.engine, cache_root=DataDir().cache)
    transcriber.load()
    try:
        quiet = one_pass(mic, transcriber, picked, noise, tmp, "quiet")
        stress = subprocess.Popen(["stress-ng", "--cpu", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
        try:
            loaded = one_pass(mic, transcriber, picked, noise, tmp, "loaded")
        finally:
            stress.terminate()
            stress.wait()
    finally:
        mic.stop()
    pairs = list(zip(quiet["messages"], loaded["messages"]))
    report = {
        "engine": transcriber.label,
        "load": "stress-ng --cpu 2",
        "dropped_samples": {"quiet": quiet["noise"]["dropped_samples"], "loaded": loaded["noise"]["dropped_samples"]},
        "overflows": {"quiet": quiet["noise"]["overflows"] + sum(m["overflows"] for m in quiet["messages"]),
                      "loaded": loaded["noise"]["overflows"] + sum(m["overflows"] for m in loaded["messages"])},
        "messages": len(pairs),
        "same_score": sum(q["score"] == lo["score"] for q, lo in pairs),
        "same_items": sum(q["passed"] == lo["passed"] for q, lo in pairs),
        "mean_score": {"quiet": round(float(np.mean([q["score"] for q, _ in pairs])), 1),
                       "loaded": round(float(np.mean([lo["score"] for _, lo in pairs])), 1)},
        "quiet": quiet,
        "loaded": loaded,
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
