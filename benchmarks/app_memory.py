"""Resident memory of the app while it records and transcribes, per engine. Prints JSON.

Builds the real main window (offscreen), loads the speech engine the way the app
does, then feeds a synthesized ~30 s voicemail through the live transcriber in
100 ms blocks, as the recorder would, and grades the take as the app does at stop
(the checklist, the voice and the number measured on the audio). Each engine runs in its own process, so
each peak is its own. With ``--fresh-cache`` Moonshine's one-time conversion is
measured too (its seconds and the peak it reaches).

    python benchmarks/app_memory.py [--engines moonshine,faster-whisper] [--fresh-cache]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401


def _rss_mb(field: str = "VmRSS") -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def worker(engine: str) -> dict:
    from PySide6.QtWidgets import QApplication

    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.services import Services
    from voicemail_coach.speech.streaming import StreamingTranscriber
    from voicemail_coach.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="vc-memory-"))
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    # the message as the recorder keeps a take (16 kHz mono WAV), so reading it costs what it costs the app
    spoken = synthesize(vm.text, tmp / "audio", voice=0)
    subprocess.run(["sox", str(spoken), "-r", "16000", "-c", "1", "-b", "16", str(tmp / "take.wav")], check=True)
    audio = load_for_speech(tmp / "take.wav")
    services = Services(tmp / "data", engine=engine)
    window = MainWindow(services, "hotel-uniforms")
    window.show()
    app.processEvents()
    out = {"engine": engine, "window_mb": _rss_mb()}
    t0 = time.perf_counter()
    services.load_transcriber()
    out["load_s"] = round(time.perf_counter() - t0, 2)
    out["peak_after_load_mb"] = _rss_mb("VmHWM")
    out["loaded_mb"] = _rss_mb()
    live = StreamingTranscriber(services.transcriber, [vm.rep.name, vm.prospect.name], threaded=False)
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
        live.poll()
    transcript = live.finish()
    out["peak_transcribed_mb"] = _rss_mb("VmHWM")
    # graded as the app grades a take at stop: the checklist, the voice and the number measured on the audio
    from voicemail_coach.practice import Practice

    take = tmp / "take.wav"
    scenario = services.scenarios.get("hotel-uniforms")
    Practice(services).grade_transcript(transcript, vm.rep, scenario, audio=take)
    out["after_message_mb"] = _rss_mb()
    out["peak_mb"] = _rss_mb("VmHWM")
    out["label"] = services.transcriber.label
    out["faster_whisper_imported"] = "faster_whisper" in sys.modules
    window.close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--engines", default="moonshine,faster-whisper")
    ap.add_argument("--fresh-cache", action="store_true", help="convert Moonshine again into an empty cache first")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker)))
        return 0
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if args.fresh_cache:
        env["VOICEMAIL_COACH_CACHE"] = tempfile.mkdtemp(prefix="vc-memory-cache-")
    results = []
    for engine in args.engines.split(","):
        done = subprocess.run([sys.executable, __file__, "--worker", engine], capture_output=True, text=True,
                              env=env, check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
    print(json.dumps({"fresh_cache": args.fresh_cache, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
