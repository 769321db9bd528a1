"""Speech engines behind one interface: load once, transcribe arrays into Transcripts.

``Transcriber`` holds what every engine shares (chunking at pauses, decoding
what an engine left out at the end of a chunk); ``WhisperTranscriber`` runs
faster-whisper and ``speech.moonshine.MoonshineTranscriber`` runs Moonshine.
"""

from __future__ import annotations

import os
import threading
import time

import numpy as np

from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.speech.model import ModelInfo, resolve_model

SAMPLE_RATE = 16000
LEAD_IN_S = 0.3  # silence before a second reading (see Transcriber.transcribe_again)


def _has_speech(audio: np.ndarray, frame: int = 480, threshold: float = 0.01, min_frames: int = 15) -> bool:
    """Enough loud 30 ms frames to be worth decoding (cheap energy check, not a full VAD)."""
    n = len(audio) // frame
    if n == 0:
        return False
    rms = np.sqrt(np.mean(np.square(audio[: n * frame].reshape(n, frame)), axis=1))
    return int(np.count_nonzero(rms > threshold)) >= min_frames


def heard_from(words: list[Word], offset: float) -> list[Word]:
    """Words of a reading made after a lead-in of silence, none placed before ``offset`` (where the audio began)."""
    return [Word(w.text, max(offset, w.start), max(offset, w.end), w.probability) for w in words]


class NoSpeechError(ValueError):
    """The audio holds no speech the model could hear."""


def default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


class Transcriber:
    """One speech engine; safe to call from one worker thread at a time."""

    engine = "none"

    def __init__(self) -> None:
        self.load_seconds: float | None = None

    @property
    def model_name(self) -> str:
        raise NotImplementedError

    @property
    def label(self) -> str:
        """How the status bar and the history name the engine."""
        return f"{self.engine} {self.model_name}"

    @property
    def loaded(self) -> bool:
        raise NotImplementedError

    def load(self) -> None:
        raise NotImplementedError

    def _decode(self, audio: np.ndarray, hints: list[str] | None, offset: float) -> list[Word]:
        raise NotImplementedError

    def transcribe(self, audio: np.ndarray, hints: list[str] | None = None, offset: float = 0.0) -> list[Word]:
        """Words of 16 kHz mono float32 ``audio``; times are shifted by ``offset`` seconds."""
        self.load()
        words = self._decode(audio, hints, offset)
        # a decoder sometimes ends a window early and drops the rest of the message:
        # decode what is left after the last word whenever it still holds speech.
        for _ in range(3):
            heard_until = (words[-1].end - offset) if words else 0.0
            rest = audio[int(max(0.0, heard_until - 0.1) * SAMPLE_RATE) :]
            if len(rest) < 1.5 * SAMPLE_RATE or not _has_speech(rest):
                break
            more = self._decode(rest, hints, offset + max(0.0, heard_until - 0.1))
            if not more:
                break
            words += more
        return words

    def transcribe_again(self, audio: np.ndarray, hints: list[str] | None = None, offset: float = 0.0) -> list[Word]:
        """``audio`` heard once more, after a moment of silence: a second reading of the same words
        (see core.second_listen). A recognizer reads speech that starts at once less surely than
        speech it hears begin."""
        lead = np.zeros(int(LEAD_IN_S * SAMPLE_RATE), np.float32)
        words = self.transcribe(np.concatenate([lead, audio.astype(np.float32, copy=False)]), hints, offset - LEAD_IN_S)
        return heard_from(words, offset)

    def reading_with_names(self, audio: np.ndarray, names: tuple[str, ...], offset: float = 0.0) -> list[Word] | None:
        """A reading of ``audio`` that holds ``names`` where the decoder finds them about as likely as what it
        heard (speech.name_reading); None when it places none. An engine that cannot weigh readings places none."""
        return None

    def reading_with_one_of(self, audio: np.ndarray, words: tuple[str, ...], offset: float = 0.0) -> list[Word] | None:
        """A reading of ``audio`` that holds the likeliest of ``words`` when about as likely as what the decoder
        heard; None otherwise (and from an engine that cannot weigh readings)."""
        return None

    def listener(self, audio: np.ndarray, hints: list[str] | None = None) -> "FileListener":
        """The second listens to parts of ``audio``, as core.second_listen asks for them."""
        return FileListener(self, audio, hints)

    def transcribe_chunked(self, audio: np.ndarray, hints: list[str] | None = None) -> Transcript:
        """Decode ``audio`` piece by piece, cut at pauses, as the live path does."""
        from voicemail_coach.speech.chunking import file_chunks

        words: list[Word] = []
        chunks = file_chunks(audio)
        for chunk in chunks:
            words += self.transcribe(audio[chunk.start : chunk.end], hints, offset=chunk.start / SAMPLE_RATE)
        opening = (chunks[0].start / SAMPLE_RATE, chunks[0].end / SAMPLE_RATE) if chunks else None
        return Transcript(words, duration=float(len(audio)) / SAMPLE_RATE, opening=opening)

    def transcribe_audio(self, audio: np.ndarray, hints: list[str] | None = None) -> Transcript:
        transcript = self.transcribe_chunked(audio, hints)
        if not transcript.words:
            raise NoSpeechError("no speech detected in the recording")
        return transcript


class FileListener:
    """Second listens to a recording that is all there (core.second_listen.Listener)."""

    def __init__(self, transcriber: Transcriber, audio: np.ndarray, hints: list[str] | None = None):
        self.transcriber, self.audio, self.hints = transcriber, audio, hints

    def _span(self, start: float, end: float) -> np.ndarray:
        return self.audio[int(round(start * SAMPLE_RATE)) : int(round(end * SAMPLE_RATE))]

    def again(self, start: float, end: float) -> list[Word]:
        return self.transcriber.transcribe_again(self._span(start, end), self.hints, start)

    def with_names(self, start: float, end: float, names: tuple[str, ...]) -> list[Word] | None:
        return self.transcriber.reading_with_names(self._span(start, end), names, start)

    def with_one_of(self, start: float, end: float, words: tuple[str, ...]) -> list[Word] | None:
        return self.transcriber.reading_with_one_of(self._span(start, end), words, start)


class WhisperTranscriber(Transcriber):
    """Owns one faster-whisper model."""

    engine = "faster-whisper"

    def __init__(
        self, model: ModelInfo | None = None, cpu_threads: int | None = None, bias: str = "prompt", beam_size: int = 1
    ):
        super().__init__()
        self._info = model
        self.beam_size = beam_size
        self._threads = cpu_threads or default_threads()
        self._model = None
        self._lock = threading.Lock()
        self.bias = bias  # "none", "prompt" or "hotwords": how names are hinted to the decoder

    @property
    def info(self) -> ModelInfo:
        if self._info is None:
            self._info = resolve_model()
        return self._info

    @property
    def model_name(self) -> str:
        return self.info.name

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def load(self) -> None:
        with self._lock:
            if self._model is not None:
                return
            t0 = time.perf_counter()
            info = self.info
            from faster_whisper import WhisperModel  # heavy import, kept off start-up

            self._model = WhisperModel(
                str(info.path), device="cpu", compute_type="int8", cpu_threads=self._threads, local_files_only=True
            )
            self.load_seconds = time.perf_counter() - t0

    def _decode(self, audio: np.ndarray, hints: list[str] | None, offset: float) -> list[Word]:
        kwargs: dict = {}
        names = ", ".join(h for h in (hints or []) if h)
        if names and self.bias == "prompt":
            kwargs["initial_prompt"] = f"Voicemail from {names}."
        elif names and self.bias == "hotwords":
            kwargs["hotwords"] = names
        with self._lock:
            segments, _info = self._model.transcribe(
                audio,
                language="en",
                beam_size=self.beam_size,
                word_timestamps=True,
                condition_on_previous_text=False,
                vad_filter=False,
                # one greedy pass, and no more tokens than speech can hold: a decoder caught in a
                # loop ("5 -5 -5 -5 …") otherwise retries at higher temperatures for seconds
                temperature=0.0,
                max_new_tokens=min(400, int(len(audio) / SAMPLE_RATE * 10) + 30),
                **kwargs,
            )
            return [
                Word(w.word.strip(), round(float(w.start) + offset, 3), round(float(w.end) + offset, 3), round(float(w.probability), 3))
                for seg in segments
                for w in (seg.words or [])
                if w.word.strip()
            ]
