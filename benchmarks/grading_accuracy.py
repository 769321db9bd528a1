"""Grading agreement with the labelled corpus, on text and on synthesized audio.

Prints JSON: item-level agreement and per-item confusion for the text path and
for audio (espeak-ng / flite voices through the real faster-whisper model), plus
the transcription real-time factor. Usage:

    python benchmarks/grading_accuracy.py [--bias none|prompt|hotwords|all] [--path whole|streaming|both]
                                          [--limit N] [--text-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (sets import paths)

from tests.support.corpus import Agreement, load_corpus
from tests.support.synth import synthesize
from voicemail_coach.audio.files import load_for_speech
from voicemail_coach.core.grader import grade
from voicemail_coach.core.rubric import default_rubric
from voicemail_coach.core.transcript import Transcript


def hints_for(vm) -> list[str]:
    return [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]


def text_agreement(corpus) -> dict:
    rubric = default_rubric()
    agreement = Agreement()
    t0 = time.perf_counter()
    for vm in corpus:
        agreement.add(vm, grade(Transcript.from_text(vm.text), vm.rep, vm.prospect, rubric))
    out = agreement.to_dict()
    out["grade_ms_mean"] = round(1000 * (time.perf_counter() - t0) / len(corpus), 3)
    return out


def streamed(transcriber, audio, hints):
    """The live path in simulated time: blocks of 100 ms, the worker's step every 0.5 s of audio."""
    from voicemail_coach.speech.streaming import StreamingTranscriber

    live = StreamingTranscriber(transcriber, hints, threaded=False)
    for i in range(0, len(audio), 1600):
        live.feed(audio[i : i + 1600])
        if (i // 1600) % 5 == 4:
            live.poll()
    return live.finish()


def email_agreement() -> dict:
    """Follow-up email items against tests/corpus/emails.toml (the voicemails graded on their text)."""
    from collections import Counter

    from tests.support.corpus import load_email_corpus
    from voicemail_coach.core.followup import EMAIL_ITEMS, grade_email

    rubric = default_rubric()
    per_item = {i: Counter() for i in EMAIL_ITEMS}
    misses = []
    corpus = load_email_corpus()
    for e in corpus:
        voicemail = grade(Transcript.from_text(e.voicemail.text), e.voicemail.rep, e.voicemail.prospect, rubric)
        for item in grade_email(e.text, voicemail, e.voicemail.rep, e.voicemail.prospect, rubric, rubric.email).items:
            want = e.labels[item.id]
            per_item[item.id][("tp" if item.passed else "fn") if want else ("fp" if item.passed else "tn")] += 1
            if item.passed != want:
                misses.append({"id": e.id, "item": item.id, "label": want})
    total = sum(sum(c.values()) for c in per_item.values())
    agree = sum(c["tp"] + c["tn"] for c in per_item.values())
    return {"emails": len(corpus), "agreement": round(agree / total, 4), "items_compared": total,
            "per_item": {i: round((c["tp"] + c["tn"]) / max(1, sum(c.values())), 4) for i, c in per_item.items()},
            "disagreements": misses}


def audio_agreement(corpus, bias: str, audio_dir: Path, beam_size: int = 1, path: str = "whole") -> dict:
    from voicemail_coach.speech.transcriber import Transcriber

    rubric = default_rubric()
    transcriber = Transcriber(bias=bias, beam_size=beam_size)
    transcriber.load()
    agreement = Agreement()
    rtfs, audio_seconds = [], 0.0
    for n, vm in enumerate(corpus):
        wav = synthesize(vm.text, audio_dir, voice=n)
        audio = load_for_speech(wav)
        t0 = time.perf_counter()
        if path == "streaming":
            transcript = streamed(transcriber, audio, hints_for(vm))
        else:
            transcript = transcriber.transcribe_audio(audio, hints_for(vm))
        elapsed = time.perf_counter() - t0
        rtfs.append(elapsed / transcript.duration)
        audio_seconds += transcript.duration
        agreement.add(vm, grade(transcript, vm.rep, vm.prospect, rubric))
    out = agreement.to_dict()
    out["disagreements"] = [
        {"id": vid, "item": item, "label": want, "transcript": text} for vid, item, want, text in agreement.disagreements
    ]
    out["path"] = path
    out["bias"] = bias
    out["beam_size"] = beam_size
    out["model_load_s"] = round(transcriber.load_seconds or 0.0, 3)
    out["audio_seconds"] = round(audio_seconds, 1)
    out["real_time_factor"] = {"mean": round(statistics.mean(rtfs), 4), "max": round(max(rtfs), 4)}
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bias", default="prompt", choices=["none", "prompt", "hotwords", "all"])
    ap.add_argument("--limit", type=int, default=0, help="only the first N voicemails")
    ap.add_argument("--text-only", action="store_true")
    ap.add_argument("--beam-size", type=int, default=1)
    ap.add_argument("--path", default="whole", choices=["whole", "streaming", "both"],
                    help="whole-file transcription, the live (streaming) path, or both")
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-corpus-audio")
    args = ap.parse_args()
    corpus = load_corpus()
    if args.limit:
        corpus = corpus[: args.limit]
    report = {"voicemails": len(corpus), "text": text_agreement(corpus), "email": email_agreement()}
    if not args.text_only:
        biases = ["none", "prompt", "hotwords"] if args.bias == "all" else [args.bias]
        paths = ["whole", "streaming"] if args.path == "both" else [args.path]
        report["audio"] = {
            f"{b}/{p}": audio_agreement(corpus, b, args.audio_dir, args.beam_size, p) for b in biases for p in paths
        }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
