"""Number clarity, validated on speech whose property is known.

Each corpus voicemail is read in parts: the words around the number as usual,
the number itself in one of these ways (the flags it should raise in brackets):

    paused   each digit group read alone, 0.35 s of silence between, usual speed   []
    slow     the same with 0.5 s between, 0.8 x speed                               []
    fast     the digits in one breath at 1.9 x speed                    [fast] (no pauses: either way)
    run-on   the digits in one breath at usual speed                    [no pauses] (fast: either way)
    quiet    as "paused", 14 dB below the rest of the message           [quiet]

The default engine transcribes the message, the number's readings are measured
(core.number_clarity) and each measure's flag is compared with how the audio was
made. Prints JSON: per variant, how often each flag fired; per measure, how often
it flags what it should and how often it flags what it should not; and the time
the measures take after stop, as a ratio to grading the transcript. Usage:

With ``--phone-line`` each measured reading is also heard again through the
phone line, and the "Number survives the phone line" verdict (passed, unsure,
failed) is counted per variant.

    python benchmarks/number_clarity.py [--limit N] [--voices N] [--phone-line]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (sets import paths)
import numpy as np

from tests.support.corpus import load_corpus
from tests.support.synth import DIGITS, speak, spoken_form
from voicemail_coach.audio.files import load_for_speech
from voicemail_coach.core.grader import grade
from voicemail_coach.core.number_clarity import number_readings, problems
from voicemail_coach.core.number_on_phone import check, phone_item
from voicemail_coach.speech.phone_check import digits_through_line
from voicemail_coach.playbook import default_rubric

NUMBER = re.compile(r"\b(\d{3}-\d{3}-\d{4}|\d{3}-\d{4})\b")
VARIANTS = {  # silence between groups (None: one breath), speed, gain in dB, flags it should raise, either way
    "paused": (0.35, 1.0, 0.0, set(), set()),
    "slow": (0.5, 0.8, 0.0, set(), set()),
    "fast": (None, 1.9, 0.0, {"fast"}, {"no_pauses"}),
    "run-on": (None, 1.0, 0.0, {"no_pauses"}, {"fast"}),
    "quiet": (0.35, 1.0, -14.0, {"quiet"}, set()),
}
MEASURES = ("fast", "no_pauses", "quiet")


def read_aloud(text: str, variant: str, voice: int, out_dir: Path) -> np.ndarray:
    pause, speed, gain, _, _ = VARIANTS[variant]
    parts = []
    for n, piece in enumerate(NUMBER.split(text)):
        if not any(c.isalnum() for c in piece):
            continue  # a full stop after the number: nothing to say
        if n % 2:  # a number
            groups = [" ".join(DIGITS[int(d)] for d in group) for group in piece.split("-")]
            if pause is None:
                audio = load_for_speech(speak(" ".join(groups), out_dir, voice, speed))
            else:
                gap = np.zeros(int(pause * 16000), np.float32)
                said = [_trimmed(load_for_speech(speak(g, out_dir, voice, speed))) for g in groups]
                audio = np.concatenate([x for g in said for x in (g, gap)][:-1])
            audio = audio * 10 ** (gain / 20)
        else:
            audio = load_for_speech(speak(spoken_form(piece), out_dir, voice))
        parts.append(audio)
    return np.concatenate(parts).astype(np.float32)


def _trimmed(audio: np.ndarray) -> np.ndarray:
    """Without the synthesizer's own silence before and after, so the pause between groups is the one set."""
    loud = np.flatnonzero(np.abs(audio) > 0.02 * float(np.max(np.abs(audio))))
    return audio[loud[0] : loud[-1] + 1] if len(loud) else audio


def flags(readings, spec: dict) -> set[str]:
    return {m for r in readings for m in problems(r, spec)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=24, help="voicemails to read (those with a number)")
    ap.add_argument("--voices", type=int, default=4, help="how many of the synthetic voices to rotate through")
    ap.add_argument("--engine", default="auto", choices=["auto", "moonshine", "faster-whisper"])
    ap.add_argument("--phone-line", action="store_true",
                    help="also hear each reading through the phone line: 'Number survives the phone line' per variant")
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-clarity-audio")
    args = ap.parse_args()

    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.engines import create_transcriber

    rubric = default_rubric()
    spec = rubric.delivery["number_clarity"]
    transcriber = create_transcriber(args.engine, cache_root=DataDir().cache)
    corpus = [vm for vm in load_corpus() if vm.rep.phone and NUMBER.search(vm.text)][: args.limit]
    fired = {v: {m: 0 for m in MEASURES} | {"messages": 0, "number_heard": 0} for v in VARIANTS}
    should = {m: [0, 0] for m in MEASURES}  # flagged, out of
    should_not = {m: [0, 0] for m in MEASURES}
    grade_s, measure_s, seconds = [], [], []
    for n, vm in enumerate(corpus):
        for variant, (_j, _s, _g, expected, either) in VARIANTS.items():
            audio = read_aloud(vm.text, variant, n % args.voices, args.audio_dir)
            transcript = transcriber.transcribe_audio(audio)
            t0 = time.perf_counter()
            grade(transcript, vm.rep, vm.prospect, rubric)
            t1 = time.perf_counter()
            readings = number_readings(transcript, vm.rep.phone, audio, 16000, float(spec["min_pause_s"]))
            t2 = time.perf_counter()
            grade_s.append(t1 - t0)
            measure_s.append(t2 - t1)
            seconds.append(len(audio) / 16000)
            fired[variant]["messages"] += 1
            if not readings:
                continue  # the number was not heard: nothing to measure
            fired[variant]["number_heard"] += 1
            raised = flags(readings, spec)
            if args.phone_line:  # each reading heard again through the phone line: the item's verdict
                checks = [check(vm.rep.phone, digits_through_line(transcriber, audio, 16000, r), r, spec)
                          for r in readings]
                status = phone_item(checks, vm.rep.phone, rubric.delivery["number_on_phone"]).status
                fired[variant]["on_phone_" + status] = fired[variant].get("on_phone_" + status, 0) + 1
            for m in MEASURES:
                fired[variant][m] += m in raised
                if m in expected:
                    should[m][0] += m in raised
                    should[m][1] += 1
                elif m not in either:
                    should_not[m][0] += m in raised
                    should_not[m][1] += 1
    report = {
        "engine": transcriber.label,
        "voicemails": len(corpus),
        "bands": {k: spec[k] for k in ("max_digits_per_s", "min_pause_s", "min_pauses", "min_relative_db")},
        "per_variant": fired,
        "per_measure": {
            m: {"flags_when_it_should": round(should[m][0] / max(1, should[m][1]), 3), "of": should[m][1],
                "flags_when_it_should_not": round(should_not[m][0] / max(1, should_not[m][1]), 3),
                "of_clean": should_not[m][1]}
            for m in MEASURES
        },
        "after_stop": {
            "message_s_mean": round(float(np.mean(seconds)), 1),
            "measures_ms_mean": round(1000 * float(np.mean(measure_s)), 2),
            "measures_ms_max": round(1000 * float(np.max(measure_s)), 2),
            "grade_ms_mean": round(1000 * float(np.mean(grade_s)), 2),
            "measures_over_grade": round(float(np.mean(measure_s)) / max(1e-9, float(np.mean(grade_s))), 3),
        },
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
