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
from voicemail_coach.speech.chunking import SAMPLE_RATE, TARGET_CHUNK_S, plan_chunks, speech_spans
from voicemail_coach.speech.transcriber import NoSpeechError, Transcriber


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
        """Decode every chunk that has ended in a pause. The worker thread calls this as
        audio arrives; a simulation may call it directly at chosen moments."""
        audio = self._snapshot()
        pending = audio[self.done_until :]
        if len(pending) < TARGET_CHUNK_S * SAMPLE_RATE:
            return
        base = self.done_until
        chunks = plan_chunks(speech_spans(pending, final=False), len(pending), final=False)
        for chunk in chunks:
            if self._closing.is_set():
                return
            self._decode(audio, base + chunk.start, base + chunk.end)
            self.done_until = base + chunk.end

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
        tail = audio[self.done_until :]
        if len(tail):
            for chunk in plan_chunks(speech_spans(tail), len(tail), final=True):
                self._decode(audio, self.done_until + chunk.start, self.done_until + chunk.end)
        self.done_until = len(audio)
        if not self.words:
            raise NoSpeechError("no speech detected in the recording")
        return Transcript(list(self.words), duration=len(audio) / SAMPLE_RATE)
