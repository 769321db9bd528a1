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
MAX_CHUNK_S = 20.0  # never hand the model more than this in one piece
PAD_S = 0.2


@dataclass(frozen=True)
class Span:
    start: int  # samples
    end: int


def speech_spans(audio: np.ndarray) -> list[Span]:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    opts = VadOptions(min_silence_duration_ms=int(MIN_PAUSE_S * 1000), speech_pad_ms=int(PAD_S * 1000))
    return [Span(s["start"], s["end"]) for s in get_speech_timestamps(audio, opts)]


def plan_chunks(spans: list[Span], total: int, final: bool = True) -> list[Span]:
    """Group speech spans into chunks of about TARGET_CHUNK_S, cut in pauses.

    With ``final=False`` the audio is still growing: the last group is held
    back (it may continue), so only chunks that end in a pause are returned.
    """
    chunks: list[Span] = []
    group: list[Span] = []
    for span in spans:
        if group and (span.end - group[0].start) > MAX_CHUNK_S * SAMPLE_RATE:
            chunks.append(Span(group[0].start, group[-1].end))
            group = []
        group.append(span)
        if (group[-1].end - group[0].start) >= TARGET_CHUNK_S * SAMPLE_RATE:
            chunks.append(Span(group[0].start, group[-1].end))
            group = []
    if group:
        last = Span(group[0].start, group[-1].end)
        # a group that reaches the live edge may still be mid-sentence
        if final or (total - last.end) >= MIN_PAUSE_S * SAMPLE_RATE:
            if final or (last.end - last.start) >= TARGET_CHUNK_S * SAMPLE_RATE / 2:
                chunks.append(last)
    return [Span(max(0, c.start), min(total, c.end)) for c in chunks]
