"""Does the same message grade the same when the recording starts a little later? Prints JSON.

Each corpus voicemail is synthesized, then graded as is and with 10 ms (160 samples) of silence in front,
as two takes of one recording would differ. Reports item agreement with the labels for both, and how
many checklist items come out the same. ``--readings N`` reads every chunk with N tails of silence
(Moonshine) and keeps the most confident; CPU seconds are reported so the cost can be weighed.

    python benchmarks/grade_stability.py [--limit 60] [--start 40] [--readings 1] [--condition clean]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401

import numpy as np

from tests.support.corpus import Agreement, load_corpus
from tests.support.degrade import degraded
from tests.support.synth import synthesize

SHIFT = 160


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--limit", type=int, default=60)
    ap.add_argument("--readings", type=int, default=1)
    ap.add_argument("--condition", default="clean", choices=["clean", "office", "phone"])
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-corpus-audio")
    args = ap.parse_args()
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core.grader import grade
    from voicemail_coach.playbook import default_rubric
    from voicemail_coach.paths import DataDir
    from voicemail_coach.speech.moonshine import MoonshineTranscriber

    transcriber = MoonshineTranscriber(DataDir().cache, readings=args.readings)
    transcriber.load()
    rubric = default_rubric()
    corpus = load_corpus()
    agreement = {0: Agreement(), SHIFT: Agreement()}
    same = total = 0
    changed = []
    cpu = time.process_time()
    for n in range(args.start, min(len(corpus), args.start + args.limit)):
        vm = corpus[n]
        clean = synthesize(vm.text, args.audio_dir, voice=n)
        chatter = [synthesize(corpus[(n + k) % len(corpus)].text, args.audio_dir, voice=n + 2 * k + 1) for k in (1, 2)]
        audio = load_for_speech(degraded(clean, args.condition, chatter))
        hints = [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]
        results = {}
        for shift in agreement:
            shifted = np.concatenate([np.zeros(shift, np.float32), audio])
            results[shift] = grade(transcriber.transcribe_audio(shifted, hints), vm.rep, vm.prospect, rubric)
            agreement[shift].add(vm, results[shift])
        flips = [a.id for a, b in zip(results[0].items, results[SHIFT].items) if a.passed != b.passed]
        same += len(results[0].items) - len(flips)
        total += len(results[0].items)
        if flips:
            changed.append({"id": vm.id, "items": flips, "scores": [results[0].score, results[SHIFT].score]})
    report = {
        "engine": transcriber.label, "readings": args.readings, "condition": args.condition,
        "messages": len(range(args.start, min(len(corpus), args.start + args.limit))),
        "agreement": {"as_recorded": round(agreement[0].rate, 4), "10ms_later": round(agreement[SHIFT].rate, 4)},
        "items_the_same": round(same / max(1, total), 4), "items_compared": total,
        "messages_whose_grade_changed": len(changed),
        "cpu_s": round(time.process_time() - cpu, 1),
        "changed": changed,
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
