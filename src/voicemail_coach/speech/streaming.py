"""Transcribe while the rep is still talking, so only the tail is left at stop.

Blocks arrive from the recorder's writer thread; a worker thread hands them to
the chunk planner (the same one the file path uses) and decodes each chunk it
closes. When the rep pauses, the rest is decoded ahead, cut as it would be if
the rep stopped there; ``finish()`` reuses those words when the cut turned out
the same, decodes what is left otherwise, and returns the whole transcript:
the same words the file path gets from the saved recording.

The first chunk is also read a second time as soon as it is decoded (see
core.second_listen), and read with each of ``names`` the first reading did not
hold (speech.name_reading), so a second listen at stop rarely has anything left
to decode.
"""

from __future__ import annotations

import threading
from typing import Callable

import numpy as np

from voicemail_coach.core.matching import words_of
from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.speech.chunking import SAMPLE_RATE, ChunkPlanner, Span
from voicemail_coach.speech.transcriber import NoSpeechError, Transcriber


class StreamingTranscriber:
    def __init__(self, transcriber: Transcriber, hints: list[str] | None = None,
                 on_partial: Callable[[list[Word]], None] | None = None, threaded: bool = True,
                 names: tuple[str, ...] = ()):
        self.transcriber = transcriber
        self.hints = hints or []
        self.names = tuple(n for n in names if n)  # names a second listen may look for in the opening
        self.on_partial = on_partial
        self._blocks: list[np.ndarray] = []
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._closing = threading.Event()
        self._planner = ChunkPlanner()
        self._ahead: dict[tuple[int, int], list[Word]] = {}  # words of chunks decoded ahead
        self.words: list[Word] = []
        self._opening: Span | None = None  # the first chunk decoded
        self._opening_again: list[Word] | None = None  # its second reading, once made
        self._opening_named: tuple[tuple[str, ...], list[Word] | None] | None = None  # names looked for, the reading
        self.chunks_decoded = 0
        self.chunks_at_stop = 0  # chunks that were left to decode after stop
        self._worker: threading.Thread | None = None
        if threaded:
            self._worker = threading.Thread(target=self._run, name="live-transcriber", daemon=True)
            self._worker.start()

    def feed(self, block: np.ndarray) -> None:
        with self._lock:
            self._blocks.append(np.asarray(block, dtype=np.float32).reshape(-1))
        self._wake.set()

    def _take_blocks(self) -> None:
        with self._lock:
            blocks, self._blocks = self._blocks, []
        if blocks:
            self._planner.extend(np.concatenate(blocks))

    def _run(self) -> None:
        self.transcriber.load()
        while not self._closing.is_set():
            self._wake.wait(timeout=0.5)
            self._wake.clear()
            if self._closing.is_set():
                break
            self.poll()

    def poll(self) -> None:
        """Decode every chunk the planner has closed; then, ahead of time, the rest as it would be
        cut at a stop now. The worker thread calls this as audio arrives; a simulation may call it
        at chosen moments."""
        self._take_blocks()
        for chunk in self._planner.advance():
            self._decode(chunk)  # even when closing: the planner has moved past it
        if self.opening is not None and self._opening_again is None and not self._closing.is_set():
            self._opening_again = self._read_again(*self.opening)
        if self.opening is not None and self._opening_named is None and not self._closing.is_set():
            heard = {part for w in self.words if w.start is not None and w.start < self.opening[1]
                     for part in words_of(w.text)}
            unheard = tuple(n for n in self.names if not set(words_of(n)) <= heard)
            self._opening_named = (unheard, self._listener().with_names(*self.opening, unheard) if unheard else None)
        self._ahead = {k: v for k, v in self._ahead.items() if k[0] >= self._planner.done}
        for chunk in self._planner.speculate():
            key = (chunk.start, chunk.end)
            if self._closing.is_set() or key in self._ahead:
                continue
            self._ahead[key] = self._words_of(chunk)

    def _words_of(self, chunk: Span) -> list[Word]:
        audio = self._planner.audio
        return self.transcriber.transcribe(audio[chunk.start : chunk.end], self.hints, offset=chunk.start / SAMPLE_RATE)

    @property
    def opening(self) -> tuple[float, float] | None:
        """The first chunk, in seconds: what a second listen reads again."""
        return (self._opening.start / SAMPLE_RATE, self._opening.end / SAMPLE_RATE) if self._opening else None

    @property
    def opening_read_early(self) -> bool:
        """Whether the opening's second reading was made while the rep was still talking."""
        return self._opening_again is not None

    def again(self, start: float, end: float) -> list[Word]:
        """The second listen to ``start..end`` s (core.second_listen asks for the opening): read during
        the recording when there was time, else now."""
        if self._opening_again is not None and (start, end) == self.opening:
            return list(self._opening_again)
        return self._read_again(start, end)

    def with_names(self, start: float, end: float, names: tuple[str, ...]) -> list[Word] | None:
        """The opening read with ``names`` (core.second_listen asks for the names its grade misses): read
        during the recording when the same names were missing from the words then, else now."""
        if self._opening_named is not None and (start, end) == self.opening and self._opening_named[0] == names:
            reading = self._opening_named[1]
            return list(reading) if reading is not None else None
        return self._listener().with_names(start, end, names)

    def with_one_of(self, start: float, end: float, words: tuple[str, ...]) -> list[Word] | None:
        """A reading with one of ``words`` (the day after a promise to call again, the rep's number where it
        was heard in part), read now: both are near the end of a message, when there is no time left to read
        them ahead."""
        return self._listener().with_one_of(start, end, words)

    def _listener(self):
        return self.transcriber.listener(self._planner.audio, self.hints)

    def _read_again(self, start: float, end: float) -> list[Word]:
        return self._listener().again(start, end)

    def _decode(self, chunk: Span) -> None:
        if self._opening is None:
            self._opening = chunk
        words = self._ahead.pop((chunk.start, chunk.end), None)
        if words is None:
            words = self._words_of(chunk)
        self.words.extend(words)
        self.chunks_decoded += 1
        if self.on_partial and words:
            self.on_partial(list(self.words))

    def _stop_worker(self) -> None:
        self._closing.set()
        self._wake.set()
        if self._worker is not None:
            self._worker.join()

    def finish_quietly(self) -> None:
        """Stop the worker without decoding the tail (the take was cancelled)."""
        self._stop_worker()

    def finish(self) -> Transcript:
        """Stop live decoding, decode the tail, and return the whole transcript."""
        self._stop_worker()
        self._take_blocks()
        self.transcriber.load()
        for chunk in self._planner.finish():
            if (chunk.start, chunk.end) not in self._ahead:
                self.chunks_at_stop += 1
            self._decode(chunk)
        if not self.words:
            raise NoSpeechError("no speech detected in the recording")
        return Transcript(list(self.words), duration=len(self._planner.audio) / SAMPLE_RATE, opening=self.opening)
