"""Cut speech into chunks at pauses (Silero VAD, shipped with faster-whisper).

Whole-file and live transcription both decode chunk by chunk, so they see the
same pieces of audio: a short chunk also keeps tiny.en from dropping the end of
a window or looping on a digit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16000
MIN_PAUSE_S = 0.35  # a pause this long is a place the audio may be cut
TARGET_CHUNK_S = 8.0  # cut at the first pause after this much audio
SOFT_TARGET_S = 13.0  # or at the first breath after this much, when no pause comes
MAX_CHUNK_S = 20.0  # never hand the model more than this in one piece
PAD_S = 0.2


@dataclass(frozen=True)
class Span:
    start: int  # samples
    end: int
    soft: bool = False  # ends at a breath rather than a real pause: a cut of last resort


FRAME = 480  # 30 ms
QUIET_FRAMES = 4  # 120 ms of near-silence is a breath between phrases
CONTEXT_FRAMES = 33  # about one second either side sets what "quiet" means here


def speech_spans(audio: np.ndarray, final: bool = True) -> list[Span]:
    """Speech found by Silero VAD, with long spans also split at short breaths.

    Some voices never pause long enough for the VAD to end a span; a run of
    frames much quieter than the second around them is a safe cut as well. With
    ``final=False`` no cut is made in the last second, whose context is unknown.
    """
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=int(MIN_PAUSE_S * 1000), speech_pad_ms=int(PAD_S * 1000))
    spans = [Span(s["start"], s["end"]) for s in get_speech_timestamps(audio, opts)]
    out: list[Span] = []
    limit = len(audio) if final else len(audio) - CONTEXT_FRAMES * FRAME
    for span in spans:
        if span.end - span.start <= TARGET_CHUNK_S * SAMPLE_RATE:
            out.append(span)
            continue
        start = span.start
        for cut in _breaths(audio, span.start, min(span.end, limit)):
            if cut - start >= SAMPLE_RATE:  # no sliver chunks
                out.append(Span(start, cut, soft=True))
                start = cut
        out.append(Span(start, span.end))
    return out


def _breaths(audio: np.ndarray, start: int, end: int) -> list[int]:
    """Sample positions in the middle of short quiet runs between ``start`` and ``end``."""
    n = (end - start) // FRAME
    if n < 2 * CONTEXT_FRAMES:
        return []
    frames = audio[start : start + n * FRAME].reshape(n, FRAME)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    cuts: list[int] = []
    run = 0
    for i in range(n):
        lo, hi = max(0, i - CONTEXT_FRAMES), min(n, i + CONTEXT_FRAMES)
        quiet = rms[i] < 0.12 * float(np.median(rms[lo:hi]))
        run = run + 1 if quiet else 0
        if run == QUIET_FRAMES:
            cuts.append(start + (i - QUIET_FRAMES // 2) * FRAME)
    return cuts


def plan_chunks(spans: list[Span], total: int, final: bool = True) -> list[Span]:
    """Group speech spans into chunks, each closed at the first pause after TARGET_CHUNK_S.

    The rule only looks backwards, so live and whole-file transcription cut the
    same audio at the same places: with ``final=False`` (audio still growing) a
    chunk is closed only once the pause after it has really been heard, and the
    unfinished rest is left for later.
    """
    chunks: list[Span] = []
    start: int | None = None
    for n, span in enumerate(spans):
        if start is None:
            start = span.start
        target = SOFT_TARGET_S if span.soft else TARGET_CHUNK_S
        long_enough = span.end - start >= target * SAMPLE_RATE
        too_long_next = n + 1 < len(spans) and spans[n + 1].end - start > MAX_CHUNK_S * SAMPLE_RATE
        if not (long_enough or too_long_next):
            continue
        pause_heard = n + 1 < len(spans) or total - span.end >= MIN_PAUSE_S * SAMPLE_RATE
        if pause_heard or final:
            chunks.append(Span(start, span.end))
            start = None
    if final and start is not None:
        chunks.append(Span(start, spans[-1].end))
    return [Span(max(0, c.start), min(total, c.end)) for c in chunks]
