"""Chunk planning: the live path cuts the same audio at the same places as the whole-file path."""

from __future__ import annotations

import numpy as np
import pytest

from voicemail_coach.speech.chunking import MAX_CHUNK_S, SAMPLE_RATE, TARGET_CHUNK_S, Span, plan_chunks, speech_spans

S = SAMPLE_RATE


def spans_every(seconds: list[tuple[float, float]]) -> list[Span]:
    return [Span(int(a * S), int(b * S)) for a, b in seconds]


def test_chunks_close_at_the_first_pause_after_the_target():
    spans = spans_every([(0, 3), (3.5, 7), (7.4, 9), (9.5, 12), (12.4, 18), (18.5, 20)])
    chunks = plan_chunks(spans, 20 * S)
    assert [(c.start / S, c.end / S) for c in chunks] == [(0, 9), (9.5, 18), (18.5, 20)]
    assert all((c.end - c.start) / S <= MAX_CHUNK_S for c in chunks)


@pytest.mark.parametrize("heard", [5.0, 9.2, 9.6, 13.0, 18.2, 19.0])
def test_live_plan_is_a_prefix_of_the_final_plan(heard):
    spans = spans_every([(0, 3), (3.5, 7), (7.4, 9), (9.5, 12), (12.4, 18), (18.5, 20)])
    final = plan_chunks(spans, 20 * S)
    total = int(heard * S)
    visible = [Span(s.start, min(s.end, total)) for s in spans if s.start < total]
    live = plan_chunks(visible, total, final=False)
    assert live == final[: len(live)]
    # nothing is closed before its pause has been heard
    assert all(c.end <= total - 0.3 * S for c in live)


def test_breaths_are_found_in_continuous_sound():
    from voicemail_coach.speech.chunking import _breaths

    rng = np.random.default_rng(0)
    t = np.arange(int(20 * S)) / S
    audio = (0.3 * np.sin(2 * np.pi * 220 * t) * (0.6 + 0.4 * rng.random(len(t)))).astype("float32")
    for breath in (6.0, 11.0, 15.5):  # 150 ms breaths
        audio[int(breath * S) : int((breath + 0.15) * S)] *= 0.02
    cuts = [c / S for c in _breaths(audio, 0, len(audio))]
    assert len(cuts) == 3
    for found, breath in zip(cuts, (6.0, 11.0, 15.5)):
        assert breath <= found <= breath + 0.15


def test_a_voice_without_long_pauses_is_still_cut(audio_cache):
    """flite's voices run phrases together; breaths keep its chunks near the target."""
    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech

    vm = next(v for v in load_corpus() if v.id == "strong-06")
    audio = load_for_speech(synthesize(vm.text, audio_cache, voice=5))
    chunks = plan_chunks(speech_spans(audio), len(audio))
    assert len(chunks) >= 3
    assert all((c.end - c.start) / S <= MAX_CHUNK_S for c in chunks)
