"""Chunk planning: the live path cuts the same audio at the same places as the whole-file path."""

from __future__ import annotations

import numpy as np
import pytest

from voicemail_coach.speech.chunking import (
    MAX_CHUNK_S, SAMPLE_RATE, ChunkPlanner, Span, file_chunks, plan_chunks, speech_spans,
)

S = SAMPLE_RATE


def spans_every(seconds: list[tuple[float, float]]) -> list[Span]:
    return [Span(int(a * S), int(b * S)) for a, b in seconds]


def test_chunks_close_at_the_first_pause_after_the_target():
    spans = spans_every([(0, 3), (3.5, 7), (7.4, 9), (9.5, 12), (12.4, 18), (18.5, 20)])
    chunks = plan_chunks(spans, 20 * S)
    assert [(c.start / S, c.end / S) for c in chunks] == [(0, 9), (9.5, 18), (18.5, 20)]
    assert all((c.end - c.start) / S <= MAX_CHUNK_S for c in chunks)


def test_a_span_still_being_spoken_never_closes_a_chunk():
    spans = spans_every([(0, 3), (3.5, 9)])
    still_talking = spans[:1] + [Span(spans[1].start, spans[1].end, open=True)]
    assert plan_chunks(still_talking, 9 * S, final=False) == []
    assert plan_chunks(spans, int(9.5 * S), final=False) == [Span(0, 9 * S)]


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
    # while the audio is still arriving a cut is only made once the second after it is heard
    early = [c / S for c in _breaths(audio, 0, len(audio), available=int(11.5 * S), final=False)]
    assert early == cuts[:1]


@pytest.fixture(scope="module")
def spoken(audio_cache):
    from tests.support.corpus import load_corpus
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech

    by_id = {v.id: (n, v) for n, v in enumerate(load_corpus())}
    out = []
    for vm_id, voice in (("strong-06", 5), ("strong-01", 0), ("strong-13", 2)):
        n, vm = by_id[vm_id]
        out.append(load_for_speech(synthesize(vm.text, audio_cache, voice=voice)))
    return out


def test_a_voice_without_long_pauses_is_still_cut(spoken):
    """flite's voices run phrases together; breaths keep its chunks near the target."""
    audio = spoken[0]
    chunks = file_chunks(audio)
    assert len(chunks) >= 2  # 29 s of speech with no pause the VAD calls one
    assert all(1.0 <= (c.end - c.start) / S <= MAX_CHUNK_S for c in chunks)
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))
    assert len(speech_spans(audio)) >= 3


@pytest.mark.parametrize("block", [1600, 4000, 8192, 33333])
def test_live_chunks_are_the_file_chunks_whatever_the_timing(spoken, block):
    """Blocks of any size, the planner consulted at any moment: the same cuts as the file path."""
    rng = np.random.default_rng(block)
    for audio in spoken:
        planner = ChunkPlanner()
        live: list[Span] = []
        for i in range(0, len(audio), block):
            planner.extend(audio[i : i + block])
            if rng.random() < 0.5:  # a busy worker does not look at every block
                live += planner.advance()
        live += planner.finish()
        assert live == file_chunks(audio)


def test_speculated_chunks_are_the_final_ones_when_the_rep_stops_after_a_pause(spoken):
    guessed_any = 0
    for speech in spoken:
        for cut in (10.0, 14.0, 18.0):
            # the rep stops a second after the last word (cut mid-phrase, then quiet)
            audio = np.concatenate([speech[: int(cut * S)], np.zeros(S, dtype=np.float32)])
            planner = ChunkPlanner()
            planner.extend(audio)
            closed = planner.advance()
            guessed = planner.speculate()
            guessed_any += bool(guessed)
            assert closed + guessed == file_chunks(audio)
    assert guessed_any >= 3  # (the others were closed as ordinary chunks already)


def test_the_end_of_the_speech_is_not_cut_off_as_a_sliver(spoken):
    """The quiet as the last word fades is not a breath: a chunk of it alone would be decoded (and
    could be misheard) on its own, and its place moves as silence arrives, so the chunks guessed
    when the rep fell silent would not be the ones made at stop."""
    for speech in spoken:
        for quiet in (0.3, 0.6, 1.0):
            audio = np.concatenate([speech, np.zeros(int(quiet * S), dtype=np.float32)])
            final = file_chunks(audio)
            assert all(b.start - a.end > 0 or b.end - b.start >= 0.8 * S for a, b in zip(final, final[1:]))
            planner = ChunkPlanner()
            planner.extend(audio)
            closed = planner.advance()
            assert closed + planner.speculate() == final


def test_speech_through_a_telephone_band_is_all_kept(audio_cache):
    """Silero is less sure of speech with no fundamental below 300 Hz: none of it may be dropped."""
    from tests.support.corpus import load_corpus
    from tests.support.degrade import degraded
    from tests.support.synth import synthesize
    from voicemail_coach.audio.files import load_for_speech

    corpus = {v.id: v for v in load_corpus()}
    for vm_id, voice in (("missing-email-02", 3), ("checkin-03", 7), ("strong-04", 3)):  # flite kal, awb
        clean = synthesize(corpus[vm_id].text, audio_cache, voice=voice)
        covered = {}
        for condition in ("clean", "phone"):
            audio = load_for_speech(degraded(clean, condition, []))
            covered[condition] = sum(c.end - c.start for c in file_chunks(audio)) / len(audio)
        assert covered["phone"] >= 0.9 * covered["clean"], (vm_id, covered)


def test_a_pause_is_judged_against_the_speech_around_it():
    from voicemail_coach.speech.chunking import WINDOW, spans_from_probs

    def spans(*runs):  # (probability, seconds) runs -> spans in seconds
        probs = np.concatenate([np.full(int(s * S / WINDOW), p, dtype=np.float32) for p, s in runs])
        return [(round(x.start / S, 1), round(x.end / S, 1)) for x in spans_from_probs(probs, len(probs) * WINDOW, True)]

    # clear speech: a half-second dip to 0.25 is a pause between phrases, as with Silero's usual thresholds
    assert len(spans((0.99, 3), (0.25, 0.5), (0.99, 3))) == 2
    # speech through a telephone band, heard at 0.3: kept, and its dips to 0.15 are not pauses
    assert len(spans((0.01, 1), (0.3, 3), (0.15, 0.3), (0.3, 3), (0.01, 1))) == 1
    # and its real pauses still are
    assert len(spans((0.3, 3), (0.02, 0.6), (0.3, 3))) == 2
