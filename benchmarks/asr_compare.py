"""Speech engines side by side on the labelled corpus, clean and degraded.

For every candidate and every condition (clean; open office: other voices 14 dB
down plus pink noise; phone line: 300-3400 Hz, 8 kHz mu-law) the corpus is
synthesized (espeak-ng / flite, several voices), transcribed and graded.
Reported per candidate and condition: item agreement with the labels (overall
and per item), the rep's phone number recovered (every time it was said),
name words recovered, word error rate against the script, CPU seconds per
message and per decoded chunk with their ratio to today's path, and peak RSS
(each candidate runs in its own process). Prints JSON.

    python benchmarks/asr_compare.py [--candidates a,b] [--conditions clean,office,phone] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (sets import paths)

CANDIDATES = {
    "tiny.en-chunks": "faster-whisper tiny.en, pause-cut chunks, greedy, name prompt (the path before this change)",
    "tiny.en-whole-beam5": "faster-whisper tiny.en, the whole file in 30 s windows, beam 5 (the library's own call)",
    "moonshine-float": "Moonshine base-en, float weights, pause-cut chunks, greedy",
    "moonshine-int8": "Moonshine base-en, 8-bit block weights (MatMulNBits), pause-cut chunks, greedy",
    "moonshine-int8-hints": "moonshine-int8, the rep's and prospect's names hinted (logits +2.5 to begin one, +4 to go on)",
    "moonshine-int8-3readings": "moonshine-int8, every chunk read with all three tails of silence, the most confident kept",
    "moonshine-int8-once": "moonshine-int8 without the second listen to a number heard in part (speech/number_pass.py)",
}
BASELINE = "tiny.en-chunks"

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen " \
         "seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}


def normalized_words(text: str) -> list[str]:
    """Words for WER: lower case, numbers as single digits however written, no punctuation."""
    text = text.lower().replace("%", " percent ").replace("-", " ").replace("'", "")
    words = re.findall(r"[a-z]+|\d+", text)
    out: list[str] = []
    i = 0
    while i < len(words):
        w = words[i]
        if w in _TENS:
            value = _TENS[w]
            if i + 1 < len(words) and words[i + 1] in _UNITS[1:10]:
                value += _UNITS.index(words[i + 1])
                i += 1
            out.extend(str(value))
        elif w in _UNITS:
            out.extend(str(_UNITS.index(w)))
        elif w == "oh" and out and out[-1].isdigit():
            out.append("0")
        elif w.isdigit():
            out.extend(w)
        else:
            out.append(w)
        i += 1
    return out


def word_errors(reference: str, hypothesis: str) -> tuple[int, int]:
    from rapidfuzz.distance import Levenshtein

    ref, hyp = normalized_words(reference), normalized_words(hypothesis)
    return Levenshtein.distance(ref, hyp), len(ref)


def make_transcriber(candidate: str, cache_root: Path):
    from voicemail_coach.speech.moonshine import MoonshineTranscriber
    from voicemail_coach.speech.transcriber import WhisperTranscriber

    if candidate == "tiny.en-chunks":
        return WhisperTranscriber()
    if candidate == "tiny.en-whole-beam5":
        return WhisperTranscriber(beam_size=5, bias="none")
    if candidate == "moonshine-int8-hints":
        return MoonshineTranscriber(cache_root, precision="int8", boost=(2.5, 4.0))
    if candidate == "moonshine-int8-3readings":
        return MoonshineTranscriber(cache_root, precision="int8", readings=3)
    if candidate == "moonshine-int8-once":
        return MoonshineTranscriber(cache_root, precision="int8", numbers_again=False)
    if candidate.startswith("moonshine-"):
        return MoonshineTranscriber(cache_root, precision=candidate.split("-", 1)[1])
    raise SystemExit(f"unknown candidate {candidate}")


def whole_file(transcriber, audio, hints):
    """faster-whisper's own whole-file call: 30 s windows, its own VAD off, beam as configured."""
    from voicemail_coach.core.transcript import Transcript, Word

    transcriber.load()
    segments, _ = transcriber._model.transcribe(audio, language="en", beam_size=transcriber.beam_size,
                                                word_timestamps=True, condition_on_previous_text=False)
    words = [Word(w.word.strip(), float(w.start), float(w.end), float(w.probability))
             for s in segments for w in (s.words or []) if w.word.strip()]
    return Transcript(words, duration=len(audio) / 16000), math.ceil(len(audio) / 16000 / 30)


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return float("nan")


def run_worker(candidate: str, condition: str, limit: int, audio_dir: Path, cache_root: Path) -> dict:
    """One candidate on one condition, in this process."""
    from tests.support.corpus import Agreement, load_corpus
    from tests.support.degrade import degraded
    from tests.support.synth import spoken_form, synthesize
    from voicemail_coach.audio.files import load_for_speech
    from voicemail_coach.core import numbers
    from voicemail_coach.core.grader import grade
    from voicemail_coach.core.matching import words_of
    from voicemail_coach.playbook import default_rubric
    from voicemail_coach.core.transcript import Transcript
    from voicemail_coach.speech.chunking import file_chunks

    corpus = load_corpus()
    if limit:
        corpus = corpus[:limit]
    rubric = default_rubric()
    transcriber = make_transcriber(candidate, cache_root)
    transcriber.load()
    agreement = Agreement()
    cpu = chunks = 0.0
    errors = ref_words = 0
    said = recovered = 0
    names_said = names_heard = 0
    audio_s = 0.0
    for n, vm in enumerate(corpus):
        clean = synthesize(vm.text, audio_dir, voice=n)
        chatter = [synthesize(corpus[(n + k) % len(corpus)].text, audio_dir, voice=n + 2 * k + 1) for k in (1, 2)]
        audio = load_for_speech(degraded(clean, condition, chatter))
        hints = [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]
        t0 = time.process_time()
        if candidate == "tiny.en-whole-beam5":
            transcript, pieces = whole_file(transcriber, audio, hints)
        else:
            transcript = transcriber.transcribe_chunked(audio, hints)
            pieces = len(file_chunks(audio))
        cpu += time.process_time() - t0
        chunks += pieces
        audio_s += len(audio) / 16000
        agreement.add(vm, grade(transcript, vm.rep, vm.prospect, rubric))
        e, r = word_errors(spoken_form(vm.text), transcript.text)
        errors, ref_words = errors + e, ref_words + r
        script_mentions = len(numbers.find_phone(Transcript.from_text(vm.text).tokens, vm.rep.phone))
        if script_mentions:
            said += script_mentions
            recovered += min(script_mentions, len(numbers.find_phone(transcript.tokens, vm.rep.phone)))
        heard = set(words_of(transcript.text))
        script = set(words_of(vm.text))
        for name in words_of(vm.rep.name) + words_of(vm.prospect.name):
            if name in script:
                names_said += 1
                names_heard += name in heard
    out = agreement.to_dict()
    return {
        "candidate": candidate,
        "condition": condition,
        "voicemails": len(corpus),
        "agreement": out["agreement"],
        "per_item": {k: v["agreement"] for k, v in out["per_item"].items()},
        "false_passes": sum(v["fp"] for v in out["per_item"].values()),
        "false_fails": sum(v["fn"] for v in out["per_item"].values()),
        "number_readings_recovered": f"{recovered}/{said}",
        "number_recovery": round(recovered / max(1, said), 4),
        "name_words_recovered": f"{names_heard}/{names_said}",
        "name_recovery": round(names_heard / max(1, names_said), 4),
        "wer": round(errors / max(1, ref_words), 4),
        "cpu_s_per_message": round(cpu / len(corpus), 3),
        "cpu_s_per_chunk": round(cpu / max(1, chunks), 3),
        "cpu_s_per_audio_s": round(cpu / max(1e-9, audio_s), 4),
        "model_load_s": round(transcriber.load_seconds or 0.0, 3),
        "peak_rss_mb": peak_rss_mb(),
        "disagreements": [{"id": vid, "item": item, "label": want, "transcript": text}
                          for vid, item, want, text in agreement.disagreements],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", default=",".join(CANDIDATES))
    ap.add_argument("--conditions", default="clean,office,phone")
    ap.add_argument("--limit", type=int, default=0, help="only the first N voicemails")
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-corpus-audio")
    ap.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-model-cache")
    ap.add_argument("--worker", nargs=2, metavar=("CANDIDATE", "CONDITION"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        json.dump(run_worker(*args.worker, args.limit, args.audio_dir, args.cache_dir), sys.stdout)
        return 0
    results: dict = {}
    for condition in args.conditions.split(","):
        for candidate in args.candidates.split(","):
            cmd = [sys.executable, __file__, "--worker", candidate, condition, "--limit", str(args.limit),
                   "--audio-dir", str(args.audio_dir), "--cache-dir", str(args.cache_dir)]
            done = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
            if done.returncode:
                raise SystemExit(f"{candidate}/{condition} failed:\n{done.stderr[-3000:]}")
            results.setdefault(condition, {})[candidate] = json.loads(done.stdout)
            print(f"{condition:7} {candidate:22} agreement {results[condition][candidate]['agreement']:.4f}",
                  file=sys.stderr, flush=True)
    for condition, by_candidate in results.items():
        base = by_candidate.get(BASELINE)
        for r in by_candidate.values():
            if base:
                r["cpu_per_message_vs_today"] = round(r["cpu_s_per_message"] / base["cpu_s_per_message"], 3)
                r["cpu_per_chunk_vs_today"] = round(r["cpu_s_per_chunk"] / base["cpu_s_per_chunk"], 3)
    json.dump({"candidates": {c: CANDIDATES[c] for c in args.candidates.split(",")}, "results": results},
              sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
