"""Moonshine base (English) decoding with ONNX Runtime, behind the Transcriber interface.

The model files are prepared by :mod:`voicemail_coach.speech.moonshine_files`.
"""

from __future__ import annotations

import hashlib
import threading
import time
from pathlib import Path
from typing import NamedTuple

import numpy as np

from voicemail_coach.core.transcript import Word
from voicemail_coach.speech import name_reading, number_pass
from voicemail_coach.speech.moonshine_files import MODEL_NAME, MoonshineFiles, Progress, ensure_converted
from voicemail_coach.speech.transcriber import LEAD_IN_S, SAMPLE_RATE, Transcriber, default_threads, heard_from
from voicemail_coach.speech.word_timing import syllable_weight, word_times

START, END = 1, 2
HEADS, HEAD_DIM = 8, 52
TOKENS_PER_SECOND = 6.5  # Moonshine's own bound on how much text a second of speech can hold
WORD_START = "\u2581"
MUSIC = frozenset("\u266a\u266b\u266c")  # ♪ ♫ ♬
TAIL_PADS = (SAMPLE_RATE // 10, SAMPLE_RATE * 3 // 10, 0)  # silence after a chunk, first choice first
MIN_TOKENS_PER_SECOND = 1.5  # fewer means the decoder stopped early (speech runs at 3-5 tokens a second)
CONFIDENT = -0.3  # mean token log-probability below which a reading is tried again (good ones: -0.1 to -0.25)
SPLIT_MIN_S = 2.0  # a chunk no reading makes sense of is read again in halves no shorter than this
READINGS = 1  # tails always decoded before a confident reading is accepted (more: steadier, slower)


def load_tokens(path: Path) -> list[str]:
    """The vocabulary as text (for matching hinted names); see load_token_bytes."""
    return [t.decode("utf-8", "replace") for t in load_token_bytes(path)]


def load_token_bytes(path: Path) -> list[bytes]:
    """tokenizer.bin: one length byte (two when the first has its top bit set), then the token's bytes."""
    data = path.read_bytes()
    tokens, i = [], 0
    while i < len(data):
        n = data[i]
        i += 1
        if n >= 0x80:
            n = (n & 0x7F) | (data[i] << 7)
            i += 1
        tokens.append(data[i : i + n])
        i += n
    return tokens


def words_from_tokens(pieces: list[bytes], probs: list[float]) -> list[tuple[str, float]]:
    """Token bytes joined into words, each with its least sure token's probability. A character may be split
    over several byte tokens, so bytes are joined before decoding; bytes that never form a character (the
    decoder trailing off into noise) are dropped rather than shown as "�"."""
    start = WORD_START.encode()
    words: list[list] = []  # [bytes, lowest probability]
    for raw, p in zip(pieces, probs):
        if raw.startswith(start) or not words:
            words.append([raw, p])
        else:
            words[-1][0] += raw
            words[-1][1] = min(words[-1][1], p)
    decoded = [(_without_music(b.decode("utf-8", "ignore")).lstrip(WORD_START).strip(), p) for b, p in words]
    return [(w, p) for w, p in decoded if w]


def _without_music(text: str) -> str:
    """The decoder marks noise it took for music with ♪; the mark is not a word anyone said."""
    return "".join(ch for ch in text if ch not in MUSIC)


class Encoded(NamedTuple):
    """A chunk as decoded: the audio with its tail of silence, and the encoder's states for it."""

    audio: np.ndarray
    hidden: np.ndarray


def _looping(tokens: list[int], run: int = 5, phrase_run: int = 3) -> bool:
    """The same token, or the same two tokens, repeated ``run`` times running; or a longer phrase
    (up to sixteen tokens: "5:00,", "I'll be able to make a video.") ``phrase_run`` times running."""
    for width in range(1, 17):
        times = run if width <= 2 else phrase_run
        for i in range(len(tokens) - width * times + 1):
            unit = tokens[i : i + width]
            if all(tokens[i + k * width : i + (k + 1) * width] == unit for k in range(1, times)):
                return True
    return False


def _quietest_middle(audio: np.ndarray, frame: int = SAMPLE_RATE * 3 // 25) -> int:
    """The middle of the quietest 120 ms in the middle half of ``audio``: where to cut it in two."""
    lo, hi = len(audio) // 4 // frame, 3 * len(audio) // 4 // frame
    frames = audio[lo * frame : hi * frame].reshape(-1, frame)
    quietest = int(np.argmin(np.mean(np.square(frames, dtype=np.float64), axis=1)))
    return (lo + quietest) * frame + frame // 2


def _log_probabilities(logits: np.ndarray) -> np.ndarray:
    top = logits.max()
    return logits - (top + np.log(np.exp(logits - top).sum()))


def _fingerprint(audio: np.ndarray) -> bytes:
    return hashlib.blake2b(audio.tobytes(), digest_size=16).digest()


def _release_freed_memory() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


class MoonshineTranscriber(Transcriber):
    engine = "moonshine"

    def __init__(self, cache_root: Path, cpu_threads: int | None = None, progress: Progress | None = None,
                 precision: str = "int8", boost: tuple[float, float] = (0.0, 0.0), readings: int = READINGS,
                 numbers_again: bool = True):
        super().__init__()
        self.readings = readings  # see READINGS
        self.numbers_again = numbers_again  # a number heard in part is decoded again (see number_pass)
        self.cache_root = Path(cache_root)
        self.precision = precision
        # logit bonus for beginning a hinted name's word, and for continuing one once begun
        self.start_boost, self.boost = boost
        self.progress = progress
        self._threads = cpu_threads or default_threads()
        self._encoder = self._decoder = None
        self._tokens: list[str] = []
        self._token_bytes: list[bytes] = []
        self._ids: dict[str, int] = {}
        self._lock = threading.Lock()
        self.files: MoonshineFiles | None = None
        self._digit_like: np.ndarray | None = None  # tokens a number is written with (see number_pass)
        # the latest second reading's plain decode (fingerprint, encoder states, tokens, probabilities, the
        # decoder's rows and states over its first tokens): a name search of the opening starts from it, even
        # when later chunks were decoded in between (the live path reads the opening again early)
        self._last_reading: tuple[bytes, np.ndarray | None, list[int], list[float], list] = (b"", None, [], [], [])
        self._keep_reading = False

    @property
    def model_name(self) -> str:
        return MODEL_NAME if self.precision == "int8" else f"{MODEL_NAME} ({self.precision})"

    @property
    def loaded(self) -> bool:
        return self._decoder is not None

    def load(self) -> None:
        with self._lock:
            if self._decoder is not None:
                return
            import onnxruntime as ort

            t0 = time.perf_counter()
            self.files = ensure_converted(self.cache_root, self.progress, self.precision)
            folder = self.files.converted
            options = ort.SessionOptions()
            options.intra_op_num_threads = self._threads
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # no busy-waiting threads
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
            providers = ["CPUExecutionProvider"]
            self._encoder = ort.InferenceSession(str(folder / "encoder_model.onnx"), options, providers=providers)
            self._decoder = ort.InferenceSession(str(folder / "decoder_model_merged.onnx"), options, providers=providers)
            self._past_names = [i.name for i in self._decoder.get_inputs() if i.name.startswith("past_key_values")]
            self._present_names = [o.name for o in self._decoder.get_outputs()][1:]
            self._token_bytes = load_token_bytes(folder / "tokenizer.bin")
            self._tokens = [t.decode("utf-8", "replace") for t in self._token_bytes]
            self._ids = {t: i for i, t in enumerate(self._tokens)}
            # the decoder's output is wider than the vocabulary: the unused ids are not digits
            outputs = self._decoder.get_outputs()[0].shape[-1]
            self._digit_like = np.zeros(max(len(self._tokens), outputs if isinstance(outputs, int) else 0), bool)
            self._digit_like[: len(self._tokens)] = [number_pass.writes_a_number(t) for t in self._tokens]
            self._digit_like[END] = True
            _release_freed_memory()  # the graphs' protobufs are gone; give their pages back
            self.load_seconds = time.perf_counter() - t0

    def _decode(self, audio: np.ndarray, hints: list[str] | None, offset: float, halves: int = 1) -> list[Word]:
        if len(audio) < SAMPLE_RATE // 10:
            return []
        hinted = self.hint_tokens(hints)
        audio = audio.astype(np.float32, copy=False)
        tokens, probs, encoded = self._steady_decode(audio, hinted)
        if halves and len(audio) >= 2 * SPLIT_MIN_S * SAMPLE_RATE and not self._plausible(tokens, len(audio)):
            # every reading looped or stopped early: the two halves, cut where it is quietest, read apart
            cut = _quietest_middle(audio)
            return (self._decode(audio[:cut], hints, offset, halves - 1)
                    + self._decode(audio[cut:], hints, offset + cut / SAMPLE_RATE, halves - 1))
        if self.numbers_again:
            tokens, probs = self._listen_again_to_numbers(encoded, tokens, probs, hinted)
        return self._words(audio, tokens, probs, offset)

    def _words(self, audio: np.ndarray, tokens: list[int], probs: list[float], offset: float) -> list[Word]:
        known = len(self._token_bytes)
        pieces = words_from_tokens([self._token_bytes[t] if t < known else b"" for t in tokens], probs)
        spans = word_times(audio, [syllable_weight(w) for w, _ in pieces])
        return [
            Word(w, round(a + offset, 3), round(b + offset, 3), round(float(p), 3))
            for (w, p), (a, b) in zip(pieces, spans)
        ]

    def hint_tokens(self, hints: list[str] | None) -> list[list[int]]:
        """Token sequences of the hinted names' words ("▁Kow", "al", "ski"), longest vocabulary match first."""
        if not (self.boost or self.start_boost) or not hints:
            return []
        sequences = [self.word_tokens(w) for w in {w for h in hints for w in h.split() if len(w) >= 3 and w.isalpha()}]
        return [seq for seq in sequences if len(seq) >= 2]  # a one-token word needs no help: it would be pushed everywhere

    def word_tokens(self, word: str) -> list[int]:
        """The tokens of ``word`` said as a word of its own, longest vocabulary match first; none when the
        vocabulary cannot spell it."""
        text, seq = WORD_START + word, []
        while text:
            for n in range(len(text), 0, -1):
                if text[:n] in self._ids:
                    seq.append(self._ids[text[:n]])
                    text = text[n:]
                    break
            else:
                return []
        return seq

    def transcribe_again(self, audio: np.ndarray, hints: list[str] | None = None, offset: float = 0.0) -> list[Word]:
        self._keep_reading = True
        try:
            return super().transcribe_again(audio, hints, offset)
        finally:
            self._keep_reading = False

    def reading_with_names(self, audio: np.ndarray, names: tuple[str, ...], offset: float = 0.0) -> list[Word] | None:
        """``audio`` read with each of ``names`` placed where the decoder finds it about as likely as what it
        heard (see speech.name_reading); None when no name could be placed. Heard after a moment of silence,
        as a second reading is."""
        return self._read_with(audio, [[name] for name in names], offset)

    def reading_with_one_of(self, audio: np.ndarray, words: tuple[str, ...], offset: float = 0.0) -> list[Word] | None:
        """``audio`` read with the likeliest of ``words`` placed, as reading_with_names places a name."""
        return self._read_with(audio, [list(words)], offset)

    def _read_with(self, audio: np.ndarray, searches: list[list[str]], offset: float) -> list[Word] | None:
        """``audio`` read with one word of each search placed in turn (speech.name_reading.with_one_of)."""
        self.load()
        padded = np.concatenate([np.zeros(int(LEAD_IN_S * SAMPLE_RATE), np.float32), audio.astype(np.float32, copy=False),
                                 np.zeros(TAIL_PADS[0], np.float32)])
        placed = False
        with self._lock:
            key, hidden, tokens, probs, head = self._last_reading
            if key == _fingerprint(padded):  # the second listen to this opening has just read it
                steps = _Steps(self, hidden)
                reading = name_reading.Reading(tokens, [float(np.log(max(p, 1e-30))) for p in probs])
            else:
                steps = _Steps(self, self._encoder.run(None, {"input_values": padded[None, :]})[0])
                reading, head = name_reading.first_reading(steps, self._token_limit(len(padded))), None
            for words in searches:
                found = name_reading.with_one_of(steps, reading, [self.word_tokens(w) for w in words], self._starts_word,
                                                 head=None if placed else head)
                if found is not None:
                    reading, placed = found, True
        if not placed:
            return None
        return heard_from(self._words(padded, reading.tokens, reading.probabilities, offset - LEAD_IN_S), offset)

    def _starts_word(self, token: int) -> bool:
        return token < len(self._tokens) and self._tokens[token].startswith(WORD_START)

    def _steady_decode(self, audio: np.ndarray, hinted: list[list[int]] | None = None
                       ) -> tuple[list[int], list[float], "Encoded"]:
        """Greedy decoding, tried again with other silence after the chunk when it looks wrong.

        Moonshine's reading of a chunk can swing with a few milliseconds of audio more or less at
        its end: a sentence dropped, a phrase misheard, or a fluent sentence that was never said.
        A short tail of silence steadies it. When the reading is doubtful (the decoder unsure of its
        tokens on average, far too few words for the audio, a token looping) the other tails are
        tried too and the most confident plausible reading is kept.
        """
        best: tuple[bool, float, list[int], list[float], Encoded] | None = None
        for n, pad in enumerate(TAIL_PADS, start=1):
            padded = np.concatenate([audio, np.zeros(pad, np.float32)])
            with self._lock:
                encoded = Encoded(padded, self._encoder.run(None, {"input_values": padded[None, :]})[0])
                head: list | None = [] if n == 1 and not hinted and self._keep_reading else None
                tokens, probs = self._greedy(padded, hinted or [], hidden=encoded.hidden, head=head)
                if head is not None:  # what a name search of the same audio starts from (reading_with_names)
                    self._last_reading = (_fingerprint(padded), encoded.hidden, tokens, probs, head)
                    self._keep_reading = False  # the whole second reading's: not a half or a rest of it
            confidence = float(np.mean(np.log(np.maximum(probs, 1e-9)))) if probs else -99.0
            plausible = self._plausible(tokens, len(audio))
            if best is None or (plausible, confidence) > best[:2]:
                best = (plausible, confidence, tokens, probs, encoded)
            if n >= self.readings and best[0] and best[1] >= CONFIDENT:
                break
        return best[2], best[3], best[4]

    @staticmethod
    def _plausible(tokens: list[int], samples: int) -> bool:
        return len(tokens) >= MIN_TOKENS_PER_SECOND * samples / SAMPLE_RATE and not _looping(tokens)

    def _listen_again_to_numbers(self, encoded: "Encoded", tokens: list[int], probs: list[float],
                                 hinted: list[list[int]]) -> tuple[list[int], list[float]]:
        """Numbers heard only in part are decoded again leaning towards digits (see number_pass), from the
        encoder states the first reading used."""
        texts = [self._tokens[t] if t < len(self._tokens) else "" for t in tokens]
        for region in reversed(number_pass.regions(texts)):  # from the end: earlier indices stay valid
            with self._lock:
                again, again_probs = self._greedy(encoded.audio, hinted, forced=tokens[: region.start], numbers=True,
                                                  hidden=encoded.hidden)
            digits = number_pass.reading_digits([self._tokens[t] for t in again])
            if number_pass.better(region.digits, digits, region.lead, region.clocks):
                tokens = tokens[: region.start] + again + tokens[region.end :]
                probs = probs[: region.start] + again_probs + probs[region.end :]
        return tokens, probs

    def _greedy(self, audio: np.ndarray, hinted: list[list[int]] = (), forced: list[int] = (),
                numbers: bool = False, hidden: np.ndarray | None = None,
                head: list | None = None) -> tuple[list[int], list[float]]:
        """Greedy decoding (``hidden``: the encoder's states for ``audio``, when already computed). With
        ``forced``, those tokens are fed first and only what follows is returned; with ``numbers``,
        non-digit tokens pay number_pass.PENALTY and decoding stops at the first word after the digits
        (the number read again, and nothing more). ``head`` receives, for the first tokens a name search
        tries, each token's row and the decoder's state before it (speech.name_reading.Steps)."""
        if hidden is None:
            hidden = self._encoder.run(None, {"input_values": audio[None, :]})[0]
        past = self._empty_past()
        token, out, probs = START, [], []
        limit = self._token_limit(len(audio))
        if numbers:
            limit = min(limit, len(forced) + 40)
        for step in range(limit):
            logits = self._step(token, step, hidden, past)
            if step == 0:
                logits[END] = -np.inf  # a chunk holds speech: never end before the first word
            heard = logits
            if head is not None and step < name_reading.SEARCH_TOKENS:
                head.append((_log_probabilities(heard).astype(np.float32), (step + 1, dict(past))))
            if hinted:
                # a hinted name, once begun, is helped to its end; its probability stays the unhelped one
                logits = logits.copy()
                for seq in hinted:
                    logits[seq[0]] += self.start_boost
                    for k in range(1, len(seq)):
                        if out[-k:] == seq[:k]:
                            logits[seq[k]] += self.boost
            if numbers and step >= len(forced):
                logits = np.where(self._digit_like[: len(logits)], logits, logits - number_pass.PENALTY)
            token = forced[step] if step < len(forced) else int(logits.argmax())
            if token == END:
                break
            if step < len(forced):
                continue
            if numbers and not self._digit_like[token] and number_pass.reading_digits([self._tokens[t] for t in out]):
                break  # the number has been read: a word follows
            e = np.exp(heard - heard[token])
            probs.append(float(1.0 / e.sum()))
            out.append(token)
        return out, probs

    @staticmethod
    def _token_limit(samples: int) -> int:
        return int(samples / SAMPLE_RATE * TOKENS_PER_SECOND) + 10

    def _empty_past(self) -> dict[str, np.ndarray]:
        return {n: np.zeros((1, HEADS, 0, HEAD_DIM), np.float32) for n in self._past_names}

    def _step(self, token: int, step: int, hidden: np.ndarray, past: dict[str, np.ndarray]) -> np.ndarray:
        """One decoder step: ``token`` fed at position ``step``; ``past`` takes the new keys and values. The
        logits of the next token, as float64."""
        result = self._decoder.run(None, {
            "input_ids": np.array([[token]], np.int64),
            "encoder_hidden_states": hidden,
            "use_cache_branch": np.array([step > 0]),
            **past,
        })
        for name, value in zip(self._present_names, result[1:]):
            key = name.replace("present", "past_key_values")
            if step == 0 or ".decoder." in key:  # the encoder's keys are computed once
                past[key] = value
        return result[0][0, -1].astype(np.float64)


class _Steps:
    """The decoder one token at a time over one chunk's encoder states (speech.name_reading.Steps). A state is
    (position, keys and values so far); the decoder returns new arrays, so an earlier state stays usable."""

    end = END

    def __init__(self, transcriber: MoonshineTranscriber, hidden: np.ndarray):
        self._transcriber, self._hidden = transcriber, hidden

    def begin(self) -> tuple[np.ndarray, tuple[int, dict]]:
        return self.step((0, self._transcriber._empty_past()), START)

    def step(self, state: tuple[int, dict], token: int) -> tuple[np.ndarray, tuple[int, dict]]:
        position, past = state
        past = dict(past)
        return _log_probabilities(self._transcriber._step(token, position, self._hidden, past)), (position + 1, past)
