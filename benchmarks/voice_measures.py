"""The voice measures (core/voice.py), validated on speech whose property is known.

Each corpus voicemail is read by espeak-ng (its four voices in turn) in these ways,
with the flags each should raise in brackets:

    normal    pitch range "medium", usual speed                      []
    lively    pitch range "x-high"                                   []
    flat      pitch range "x-low": a monotone reading                [monotone]
    quiet     normal, 30 dB down                                     [quiet]
    clipped   normal, 8 times too loud and clipped                   [clipping]
    silence   normal with 3 s of silence between two sentences       [pause]
    phone     normal through the phone line (300-3400 Hz, 8 kHz μ-law) []
    slow/fast normal at 0.75x / 1.4x speed: the pace curve must tell them apart

and by the flite voices as they speak (their pitch range is their own: reported,
with Praat's range beside ours when parselmouth is installed).

Prints JSON: per variant how often each flag fired; per measure how often it
flags what it should and how often it flags what it should not; the pace curve's
ordering; and the time all delivery measures take after stop for a 40 s message,
as a ratio to grading its transcript and to transcribing it. Usage:

    python benchmarks/voice_measures.py [--limit N] [--no-engine]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _common  # noqa: F401  (sets import paths)
import numpy as np

from tests.support.corpus import load_corpus
from tests.support.degrade import phone_line
from tests.support.synth import VOICES, spoken_form, synthesize
from voicemail_coach.audio.files import load_for_speech
from voicemail_coach.core import voice
from voicemail_coach.playbook import default_rubric

ESPEAK = [(name, speed) for engine, name, speed in VOICES if engine == "espeak-ng"]
FLITE = [n for n, (engine, _name, _speed) in enumerate(VOICES) if engine == "flite"]
VARIANTS = {  # pitch range, speed factor, what is done to the audio, flags it should raise
    "normal": ("medium", 1.0, None, set()),
    "lively": ("x-high", 1.0, None, set()),
    "flat": ("x-low", 1.0, None, {"monotone"}),
    "quiet": ("medium", 1.0, "quiet", {"quiet"}),
    "clipped": ("medium", 1.0, "clipped", {"clipping"}),
    "silence": ("medium", 1.0, "silence", {"pause"}),
    "phone": ("medium", 1.0, "phone", set()),
    "slow": ("medium", 0.75, None, set()),
    "fast": ("medium", 1.4, None, set()),
}
MEASURES = ("monotone", "quiet", "clipping", "pause")


def espeak(text: str, voice_n: int, pitch_range: str, speed: float, out_dir: Path) -> Path:
    name, base = ESPEAK[voice_n % len(ESPEAK)]
    out = out_dir / f"{abs(hash((text, name, pitch_range, speed))):x}.wav"
    if not out.exists():
        ssml = f'<speak><prosody range="{pitch_range}">{spoken_form(text)}</prosody></speak>'
        subprocess.run(["espeak-ng", "-m", "-v", name, "-s", str(int(base * speed)), "-w", str(out), ssml],
                       check=True, capture_output=True, timeout=600)
    return out


def with_silence(audio: np.ndarray, seconds: float = 3.0) -> np.ndarray:
    """``audio`` with a silence put in at the quietest moment near its middle (between two words)."""
    hop = 160
    frames = np.abs(audio[: len(audio) // hop * hop].reshape(-1, hop)).mean(axis=1)
    mid = len(frames) // 2
    at = (mid - len(frames) // 6 + int(np.argmin(frames[mid - len(frames) // 6 : mid + len(frames) // 6]))) * hop
    return np.concatenate([audio[:at], np.zeros(int(seconds * 16000), np.float32), audio[at:]])


def flags(m: voice.VoiceMeasures, delivery: dict) -> set[str]:
    found = set()
    pitch = voice.pitch_finding(m, delivery["voice_pitch"])
    if pitch is not None and not pitch.passed:
        found.add("monotone")
    spec = delivery["voice_level"]
    if m.clipped_fraction > float(spec["max_clipped_fraction"]):
        found.add("clipping")
    if m.level_db < float(spec["min_db"]):
        found.add("quiet")
    if not voice.pause_finding(m, delivery["pauses"]).passed:
        found.add("pause")
    return found


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=24, help="voicemails to read")
    ap.add_argument("--no-engine", action="store_true", help="skip timing against the speech engine")
    ap.add_argument("--audio-dir", type=Path, default=Path(tempfile.gettempdir()) / "voicemail-coach-voice-audio")
    args = ap.parse_args()
    args.audio_dir.mkdir(parents=True, exist_ok=True)
    delivery = default_rubric().delivery
    max_pause = float(delivery["pauses"]["max_s"])
    corpus = load_corpus()[: args.limit]
    fired = {v: {m: 0 for m in MEASURES} | {"messages": 0} for v in VARIANTS}
    should = {m: [0, 0] for m in MEASURES}
    should_not = {m: [0, 0] for m in MEASURES}
    pace_ordered, ranges = 0, {v: [] for v in ("flat", "normal", "lively")}
    for n, vm in enumerate(corpus):
        paces = {}
        for variant, (pitch_range, speed, change, expected) in VARIANTS.items():
            path = espeak(vm.text, n, pitch_range, speed, args.audio_dir)
            if change == "phone":
                path = phone_line(path, path.with_suffix(".phone.wav"))
            audio = load_for_speech(path)
            if change == "quiet":
                audio = audio * 10 ** (-30 / 20)
            elif change == "clipped":
                audio = np.clip(audio * 8, -1.0, 1.0)
            elif change == "silence":
                audio = with_silence(audio)
            m = voice.measure(audio, 16000, max_pause)
            raised = flags(m, delivery)
            fired[variant]["messages"] += 1
            for k in MEASURES:
                fired[variant][k] += k in raised
                if k in expected:
                    should[k][0] += k in raised
                    should[k][1] += 1
                else:
                    should_not[k][0] += k in raised
                    should_not[k][1] += 1
            if variant in ranges:
                ranges[variant].append(m.pitch_range_st)
            if variant in ("slow", "fast"):
                paces[variant] = float(np.median([r for _t, r in m.pace])) if m.pace else 0.0
        pace_ordered += paces["fast"] > paces["slow"]

    flite = {}
    try:
        import parselmouth
    except ImportError:
        parselmouth = None
    for v in FLITE:
        ours, praat, flagged = [], [], 0
        for vm in corpus[:8]:
            audio = load_for_speech(synthesize(vm.text, args.audio_dir, voice=v))
            m = voice.measure(audio, 16000, max_pause)
            ours.append(m.pitch_range_st)
            flagged += bool(flags(m, delivery))
            if parselmouth is not None:
                f0 = parselmouth.Sound(audio.astype(np.float64), 16000).to_pitch_ac(
                    time_step=voice.HOP_S, pitch_floor=voice.FMIN, pitch_ceiling=voice.FMAX).selected_array["frequency"]
                st = 12 * np.log2(f0[f0 > 0] / np.median(f0[f0 > 0]))
                praat.append(float(np.percentile(st, 90) - np.percentile(st, 10)))
        flite[VOICES[v][1]] = {"pitch_range_st_median": round(float(np.median(ours)), 2),
                               "praat_range_st_median": round(float(np.median(praat)), 2) if praat else None,
                               "messages_flagged": flagged, "of": len(ours)}

    # after stop: every delivery measure for a 40 s message, against grading it and transcribing it
    long_audio = np.concatenate([load_for_speech(espeak(vm.text, 0, "medium", 1.0, args.audio_dir))
                                 for vm in corpus[:3]])[: 40 * 16000]
    timing = _timing(long_audio, corpus[0], args.no_engine)
    report = {
        "voicemails": len(corpus),
        "bands": {"min_range_st": delivery["voice_pitch"]["min_range_st"], "min_db": delivery["voice_level"]["min_db"],
                  "max_clipped_fraction": delivery["voice_level"]["max_clipped_fraction"], "max_pause_s": max_pause},
        "per_variant": fired,
        "per_measure": {
            k: {"flags_when_it_should": round(should[k][0] / max(1, should[k][1]), 3), "of": should[k][1],
                "flags_when_it_should_not": round(should_not[k][0] / max(1, should_not[k][1]), 3),
                "of_others": should_not[k][1]}
            for k in MEASURES
        },
        "pitch_range_st_median": {k: round(float(np.median(v)), 2) for k, v in ranges.items()},
        "pace_curve_fast_above_slow": f"{pace_ordered}/{len(corpus)}",
        "flite_voices": flite,
        "after_stop_40s": timing,
    }
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


def _timing(audio: np.ndarray, vm, no_engine: bool) -> dict:
    from voicemail_coach.core.grader import grade
    from voicemail_coach.core.number_clarity import number_readings
    from voicemail_coach.core.transcript import Transcript

    rubric = default_rubric()
    transcriber = None
    if no_engine:
        transcript = Transcript.from_text(vm.text)
    else:
        from voicemail_coach.paths import DataDir
        from voicemail_coach.speech.engines import create_transcriber

        transcriber = create_transcriber("auto", cache_root=DataDir().cache)
        transcriber.load()
    runs = {"measures": [], "grade": [], "transcribe": []}
    for _ in range(5):
        if transcriber is not None:
            t0 = time.perf_counter()
            transcript = transcriber.transcribe_audio(audio)
            runs["transcribe"].append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        grade(transcript, vm.rep, vm.prospect, rubric)
        t1 = time.perf_counter()
        voice.measure(audio, 16000)
        number_readings(transcript, vm.rep.phone, audio, 16000)
        runs["measures"].append(time.perf_counter() - t1)
        runs["grade"].append(t1 - t0)
    med = {k: float(np.median(v)) for k, v in runs.items() if v}
    out = {"seconds": round(len(audio) / 16000, 1), "measures_ms": round(1000 * med["measures"], 1),
           "grade_ms": round(1000 * med["grade"], 1),
           "measures_over_grade": round(med["measures"] / max(1e-9, med["grade"]), 2)}
    if "transcribe" in med:
        out |= {"engine": transcriber.label, "transcribe_ms": round(1000 * med["transcribe"], 1),
                "measures_over_transcribe": round(med["measures"] / med["transcribe"], 3)}
    return out


if __name__ == "__main__":
    raise SystemExit(main())
