"""Stop -> graded result, live (streaming) path against the whole-file path.

Plays synthesized 25-45 s voicemails in real time into a PulseAudio virtual
microphone, records them with the real recorder while the streaming transcriber
works, and measures the time from "stop" to the graded result. In the same run,
the recorded file is transcribed whole after stop as the baseline. Prints JSON.

    python benchmarks/latency.py [--count 6]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

import soundfile

from tests.support.corpus import load_corpus
from tests.support.pulse import VirtualMic
from tests.support.synth import synthesize


def peak_rss_mb() -> float:
    """The process's peak resident memory (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[k], 3)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=6)
    ap.add_argument("--engine", default="auto", choices=["auto", "moonshine", "faster-whisper"])
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="vc-latency-"))
    picked = []
    for n, vm in enumerate(load_corpus()):
        wav = synthesize(vm.text, tmp / "audio", voice=n)
        if 25 <= soundfile.info(str(wav)).duration <= 45:
            picked.append((vm, wav))
        if len(picked) == args.count:
            break

    mic = VirtualMic().start()
    import sounddevice

    sounddevice._terminate()
    sounddevice._initialize()
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.audio.recorder import Recorder
    from voicemail_coach.core.grader import grade
    from voicemail_coach.playbook import default_rubric
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.engines import create_transcriber
    from voicemail_coach.speech.streaming import StreamingTranscriber

    transcriber = create_transcriber(args.engine, cache_root=DataDir().cache)
    transcriber.load()
    rubric = default_rubric()
    runs = []
    try:
        for n, (vm, wav) in enumerate(picked):
            hints = [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]
            live = StreamingTranscriber(transcriber, hints)
            rec = Recorder(tmp / f"take-{n}.wav")
            rec.add_listener(live.feed)
            rec.start()
            time.sleep(0.3)
            mic.play(wav).wait()
            time.sleep(0.5)  # the rep's pause before pressing stop
            t0 = time.perf_counter()
            take = rec.stop()
            live_words = live.finish()
            streamed = grade(live_words, vm.rep, vm.prospect, rubric, None)
            stream_s = time.perf_counter() - t0

            t0 = time.perf_counter()
            file_words = transcriber.transcribe_audio(load_for_speech(take.path), hints)
            whole = grade(file_words, vm.rep, vm.prospect, rubric)
            whole_s = time.perf_counter() - t0
            same_words = [(w.text, w.start, w.end) for w in live_words.words] == [
                (w.text, w.start, w.end) for w in file_words.words]
            same_items = [i.passed for i in streamed.items] == [i.passed for i in whole.items]
            runs.append({"id": vm.id, "audio_s": round(take.duration, 1), "stop_to_result_s": round(stream_s, 3),
                         "whole_file_s": round(whole_s, 3), "chunks_live": live.chunks_decoded,
                         "chunks_left_at_stop": live.chunks_at_stop, "score_streaming": streamed.score,
                         "score_whole": whole.score, "same_words": same_words, "same_items": same_items})
    finally:
        mic.stop()
    s = [r["stop_to_result_s"] for r in runs]
    w = [r["whole_file_s"] for r in runs]
    report = {
        "messages": len(runs),
        "streaming": {"p50_s": pct(s, 0.5), "p95_s": pct(s, 0.95), "max_s": round(max(s), 3)},
        "whole_file": {"p50_s": pct(w, 0.5), "p95_s": pct(w, 0.95), "max_s": round(max(w), 3)},
        "ratio_p50_streaming_over_whole": round(statistics.median(s) / statistics.median(w), 3),
        "ratio_p95_streaming_over_whole": round(pct(s, 0.95) / pct(w, 0.95), 3),
        "engine": transcriber.label,
        "live_equals_file": {"words": sum(r["same_words"] for r in runs), "items": sum(r["same_items"] for r in runs),
                             "of": len(runs)},
        "peak_rss_mb_recording_and_transcribing": peak_rss_mb(),
        "runs": runs,
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
