"""The voice measures (core/voice.py) on speech whose property is known: pitch against Praat's own tracker,
a flat and a lively reading, quiet, clipped, a long silence, fast and slow speech; and the items they grade."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest
import soundfile

from voicemail_coach.core import voice
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.results import GradeResult

LINE = ("Hi Amy, this is Jason from Acme Staffing. We cut overtime by a third for a bakery like yours last spring. "
        "I will try you again on Thursday at ten, and I am sending you a short email with the numbers.")


def espeak(tmp_path, name: str, text: str = LINE, pitch_range: str = "medium", speed: int = 160) -> tuple[np.ndarray, int]:
    out = tmp_path / f"{name}.wav"
    ssml = f'<speak><prosody range="{pitch_range}">{text}</prosody></speak>'
    subprocess.run(["espeak-ng", "-m", "-s", str(speed), "-w", str(out), ssml], check=True, capture_output=True)
    audio, rate = soundfile.read(str(out), dtype="float32")
    return audio, rate


def test_pitch_of_pure_tones_is_their_frequency():
    rate = 16000
    t = np.arange(rate) / rate
    for hz in (90.0, 150.0, 240.0, 380.0):
        f0 = voice.pitch_track(0.3 * np.sin(2 * np.pi * hz * t), rate)
        voiced = f0[f0 > 0]
        assert len(voiced) > 0.9 * len(f0)
        assert np.median(np.abs(voiced / hz - 1)) < 0.01, hz


def test_pitch_agrees_with_praat_on_speech(tmp_path):
    import parselmouth  # Praat, the reference (a test dependency only: see core/voice.py)

    for name, pitch_range in (("flat", "x-low"), ("lively", "x-high")):
        audio, rate = espeak(tmp_path, name, pitch_range=pitch_range)
        ours = voice.pitch_track(audio, rate)
        praat = parselmouth.Sound(audio.astype(np.float64), rate).to_pitch_ac(
            time_step=voice.HOP_S, pitch_floor=voice.FMIN, pitch_ceiling=voice.FMAX).selected_array["frequency"]
        n = min(len(ours), len(praat))
        both = (ours[:n] > 0) & (praat[:n] > 0)
        assert both.sum() > 0.6 * (praat[:n] > 0).sum()  # most frames Praat calls voiced are voiced here too
        error = np.abs(12 * np.log2(ours[:n][both] / praat[:n][both]))
        assert np.mean(error < 1.0) > 0.9, (name, np.mean(error < 1.0))
        measured = voice.measure(audio, rate)
        semis = 12 * np.log2(praat[praat > 0] / np.median(praat[praat > 0]))
        praat_range = float(np.percentile(semis, 90) - np.percentile(semis, 10))
        assert abs(measured.pitch_range_st - praat_range) < 2.0, (name, measured.pitch_range_st, praat_range)


def test_a_flat_reading_is_flagged_monotone_and_a_lively_one_is_not(tmp_path):
    spec = default_rubric().delivery["voice_pitch"]
    flat = voice.measure(*espeak(tmp_path, "flat", pitch_range="x-low"))
    lively = voice.measure(*espeak(tmp_path, "lively", pitch_range="x-high"))
    assert flat.pitch_range_st < lively.pitch_range_st
    assert voice.pitch_finding(flat, spec).passed is False
    assert "semitones" in voice.pitch_finding(flat, spec).tip
    assert voice.pitch_finding(lively, spec).passed is True


def test_quiet_and_clipped_speech_are_flagged_and_a_normal_level_is_not(tmp_path):
    spec = default_rubric().delivery["voice_level"]
    audio, rate = espeak(tmp_path, "normal")
    normal = voice.measure(audio, rate)
    quiet = voice.measure(audio * 10 ** (-30 / 20), rate)
    clipped = voice.measure(np.clip(audio * 8, -1.0, 1.0), rate)
    assert abs((normal.level_db - quiet.level_db) - 30) < 1.0  # the level follows the gain
    assert voice.level_finding(normal, spec).passed
    assert not voice.level_finding(quiet, spec).passed and "quiet" in voice.level_finding(quiet, spec).tip
    found = voice.level_finding(clipped, spec)
    assert not found.passed and "top of the scale" in found.tip


def test_a_long_silence_is_found_where_it_is(tmp_path):
    spec = default_rubric().delivery["pauses"]
    audio, rate = espeak(tmp_path, "normal")
    assert voice.measure(audio, rate, float(spec["max_s"])).pauses == []
    cut = len(audio) // 2
    cut += int(np.argmin(np.abs(audio[cut : cut + rate // 2])))  # between two samples of little sound
    gapped = np.concatenate([audio[:cut], np.zeros(3 * rate, np.float32), audio[cut:]])
    m = voice.measure(gapped, rate, float(spec["max_s"]))
    assert len(m.pauses) == 1
    start, end = m.pauses[0]
    assert start <= cut / rate + 0.3 and end >= cut / rate + 2.7
    found = voice.pause_finding(m, spec)
    assert not found.passed and found.start <= start and "silence" in found.tip


def test_the_pace_curve_follows_the_speaking_rate(tmp_path):
    slow = voice.measure(*espeak(tmp_path, "slow", speed=110))
    fast = voice.measure(*espeak(tmp_path, "fast", speed=220))
    assert slow.pace and fast.pace
    assert np.median([r for _t, r in fast.pace]) > 1.4 * np.median([r for _t, r in slow.pace])
    times = [t for t, _r in slow.pace]
    assert times == sorted(times) and times[-1] - times[0] > 5  # a curve across the message, not one figure


def test_voice_items_join_the_grade_and_its_metrics(tmp_path):
    rubric = default_rubric()
    audio, rate = espeak(tmp_path, "flat", pitch_range="x-low")
    base = GradeResult(100, [], "text", {"duration_s": 10.0})
    graded = voice.with_voice(base, audio, rate, rubric)
    ids = {i.id: i for i in graded.items}
    assert set(ids) == {"voice_pitch", "voice_level", "pauses"}
    assert not ids["voice_pitch"].passed and ids["voice_level"].passed and ids["pauses"].passed
    assert graded.score == round(100 * 4 / 6)
    kept = voice.stored_voice(graded.metrics)
    assert kept is not None and kept.pitch and kept.pace and kept.pitch_range_st == pytest.approx(
        round(voice.measure(audio, rate).pitch_range_st, 1))


def test_silence_and_noise_measure_without_failing():
    rate = 16000
    spec = default_rubric().delivery["voice_pitch"]
    silence = voice.measure(np.zeros(rate * 3, np.float32), rate)
    assert silence.pitch_median_hz == 0 and voice.pitch_finding(silence, spec) is None  # nothing voiced: not judged
    assert silence.pauses == [] and silence.pitch == []
    empty = voice.measure(np.zeros(10, np.float32), rate)
    assert empty.pace == [] and empty.pitch_median_hz == 0
    noise = voice.measure(np.random.default_rng(1).normal(0, 0.01, rate * 3).astype(np.float32), rate)
    assert np.isfinite(noise.level_db) and noise.clipped_fraction == 0
    assert voice.VoiceMeasures.from_json(noise.to_json()).to_json() == noise.to_json()  # kept as it was measured
