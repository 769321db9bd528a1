"""Transcribe while the rep is still talking, so only the tail is left at stop.

Blocks arrive from the recorder's writer thread; a worker thread cuts the
growing audio at pauses (the same chunk plan as the whole-file path) and
decodes each finished chunk. ``finish()`` decodes what is left and returns the
whole transcript.
"""

from __future__ import annotations

import threading
from typing import Callable

import numpy as np

from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.speech.chunking import MIN_PAUSE_S, SAMPLE_RATE, TARGET_CHUNK_S, plan_chunks, speech_spans
from voicemail_coach.speech.transcriber import NoSpeechError, Transcriber


SPECULATE_AFTER_S = 3.0  # the open part is decoded ahead once it holds this much audio
SPECULATE_STEP_S = 1.5  # and again whenever it has grown by this much


class StreamingTranscriber:
    def __init__(self, transcriber: Transcriber, hints: list[str] | None = None,
                 on_partial: Callable[[list[Word]], None] | None = None, threaded: bool = True):
        self.transcriber = transcriber
        self.hints = hints or []
        self.on_partial = on_partial
        self._blocks: list[np.ndarray] = []
        self._audio = np.zeros(0, dtype=np.float32)
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self.done_until = 0  # samples already transcribed
        self._ahead: tuple[int, int, list[Word]] | None = None  # (start, end, words) of the open part
        self.words: list[Word] = []
        self.chunks_decoded = 0
        self._worker: threading.Thread | None = None
        if threaded:
            self._worker = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
            self._worker.start()

    def feed(self, block: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.asarray(block, dtype=np.float32))
        self._wake.set()

    def _snapshot(self) -> np.ndarray:
        with self._lock:
            if self._blocks:
                self._audio = np.concatenate([self._audio, *self._blocks])
                self._blocks.clear()
            return self._audio

    def _run(self) -> None:
        self.transcriber.load()
        while not self._closing.is_set():
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self._closing.is_set():
                break
            self.poll()

    def poll(self) -> None:
        """Decode every chunk that has ended in a pause; then, ahead of time, the open part up
        to its last pause, so that at stop only the words after it are left. The worker
        thread calls this as audio arrives; a simulation may call it at chosen moments."""
        audio = self._snapshot()
        pending = audio[self.done_until :]
        if len(pending) < SPECULATE_AFTER_S * SAMPLE_RATE:
            return
        base = self.done_until
        spans = speech_spans(pending, final=False)
        if len(pending) >= TARGET_CHUNK_S * SAMPLE_RATE:
            for chunk in plan_chunks(spans, len(pending), final=False):
                if self._closing.is_set():
                    return
                self._decode(audio, base + chunk.start, base + chunk.end)
                self.done_until = base + chunk.end
        if self.done_until != base or self._closing.is_set():
            return
        # nothing closed: decode the open part up to its last heard pause, kept aside
        heard = [s for s in spans if len(pending) - s.end >= MIN_PAUSE_S * SAMPLE_RATE]
        if not heard:
            return
        start, end = base + spans[0].start, base + heard[-1].end
        if self._ahead and self._ahead[0] == start and end - self._ahead[1] < SPECULATE_STEP_S * SAMPLE_RATE:
            return
        words = self.transcriber.transcribe(audio[start:end], self.hints, offset=start / SAMPLE_RATE)
        self._ahead = (start, end, words)

    def _decode(self, audio: np.ndarray, start: int, end: int) -> None:
        words = self.transcriber.transcribe(audio[start:end], self.hints, offset=start / SAMPLE_RATE)
        self.words.extend(words)
        self.chunks_decoded += 1
        if self.on_partial and words:
            self.on_partial(list(self.words))

    def finish_quietly(self) -> None:
        """Stop the worker without decoding the tail (the take was cancelled)."""
        self._closing.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join()

    def finish(self) -> Transcript:
        """Stop live decoding, decode the tail, and return the whole transcript."""
        self._closing.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join()
        audio = self._snapshot()
        ahead = self._ahead
        if ahead and ahead[0] >= self.done_until:  # still about the open part (no chunk closed since)
            # the open part was decoded ahead of time, up to a pause: only what follows is left
            self.words.extend(ahead[2])
            self.chunks_decoded += 1
            self.done_until = ahead[1]
        tail = audio[self.done_until :]
        if len(tail):
            for chunk in plan_chunks(speech_spans(tail), len(tail), final=True):
                self._decode(audio, self.done_until + chunk.start, self.done_until + chunk.end)
        self.done_until = len(audio)
        if not self.words:
            raise NoSpeechError("no speech detected in the recording")
        return Transcript(list(self.words), duration=len(audio) / SAMPLE_RATE)
