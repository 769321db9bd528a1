"""Cut speech into chunks at pauses, the same way live and from a file.

Silero VAD (shipped with faster-whisper) is causal: the speech probability of
a 32 ms window depends only on the audio before it. ``ChunkPlanner`` runs it in
fixed steps and decides at each step boundary, from the audio up to that
boundary alone, which chunks are closed. The live path feeds the planner as
the rep speaks; the file path feeds it the whole recording; both see the same
boundaries, so they cut the same audio at the same places and the recording
gets one grade, however it was decoded.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SAMPLE_RATE = 16000
WINDOW = 512  # Silero's window: 32 ms
STEP_WINDOWS = 16  # decisions are taken every 16 windows (0.512 s) of audio
STEP = WINDOW * STEP_WINDOWS
# Speech starts lower than Silero's usual 0.5: speech that came through a telephone band (no fundamental
# below 300 Hz) gets probabilities of 0.2 to 0.4 from it, and whole sentences went undecoded. Once a span
# has begun, what counts as speech going on (and as its end) is a share of the span's own peak: 0.5 and
# 0.35 for clear speech, as usual, so the pauses between its phrases are still heard. The next span, too,
# must reach half the last one's peak: a voice the detector is sure of is not restarted by sounds it is not.
THRESHOLD, NEG_THRESHOLD = 0.2, 0.1
SPEECH_SHARE, END_SHARE = 0.5, 0.35
MIN_SPEECH_S = 0.25
MIN_PAUSE_S = 0.35  # a pause this long is a place the audio may be cut
TARGET_CHUNK_S = 8.0  # cut at the first pause after this much audio
SOFT_TARGET_S = 13.0  # or at the first breath after this much, when no pause comes
MAX_CHUNK_S = 20.0  # never hand the model more than this in one piece
PAD_S = 0.2

FRAME = 480  # 30 ms, for the breath detector
QUIET_FRAMES = 4  # 120 ms of near-silence is a breath between phrases
MIN_AFTER_BREATH_S = 0.8  # a breath closer than this to the end of the speech is its end, not a breath
CONTEXT_FRAMES = 33  # about one second either side sets what "quiet" means here


@dataclass(frozen=True)
class Span:
    start: int  # samples
    end: int
    soft: bool = False  # ends at a breath rather than a real pause: a cut of last resort
    open: bool = False  # still being spoken: its end is only where the audio ends so far


@functools.lru_cache(maxsize=1)
def _silero():
    """Silero VAD as faster-whisper ships it, run with onnxruntime as faster-whisper runs it. The file is
    found without importing faster_whisper, which would load CTranslate2, PyAV and tokenizers (about
    50 MB) that the Moonshine engine never uses."""
    import importlib.util

    import onnxruntime

    spec = importlib.util.find_spec("faster_whisper")
    folders = list(spec.submodule_search_locations or []) if spec else []
    model = Path(folders[0]) / "assets" / "silero_vad_v6.onnx" if folders else None
    if model is None or not model.is_file():
        from faster_whisper.vad import get_vad_model  # a layout we do not know: let the package find it

        return get_vad_model().session
    options = onnxruntime.SessionOptions()
    options.inter_op_num_threads = options.intra_op_num_threads = 1
    options.enable_cpu_mem_arena = False
    options.log_severity_level = 4
    return onnxruntime.InferenceSession(str(model), sess_options=options, providers=["CPUExecutionProvider"])


class VadStream:
    """Silero speech probabilities, computed window by window as audio arrives."""

    def __init__(self) -> None:
        self._session = _silero()
        self._h = np.zeros((1, 1, 128), dtype=np.float32)
        self._c = np.zeros((1, 1, 128), dtype=np.float32)
        self._context = np.zeros(64, dtype=np.float32)
        self.probs = np.zeros(0, dtype=np.float32)

    def feed(self, windows: np.ndarray) -> None:
        """Probabilities for whole windows (a multiple of WINDOW samples) that follow the last ones."""
        if not len(windows):
            return
        batch = windows.reshape(-1, WINDOW)
        context = np.concatenate([self._context[None, :], batch[:-1, -64:]])
        self._context = batch[-1, -64:].copy()
        out, self._h, self._c = self._session.run(
            None, {"input": np.concatenate([context, batch], axis=1), "h": self._h, "c": self._c}
        )
        self.probs = np.concatenate([self.probs, np.asarray(out, dtype=np.float32).reshape(-1)])

    def clone(self) -> "VadStream":
        """A copy to look ahead with, leaving this stream's state untouched."""
        other = VadStream.__new__(VadStream)
        other._session = self._session
        other._h, other._c, other._context = self._h.copy(), self._c.copy(), self._context.copy()
        other.probs = self.probs.copy()
        return other


def _end_threshold(peak: float) -> float:
    """Below this, speech whose loudest window scored ``peak`` has stopped (for a span and for the look-ahead)."""
    return max(NEG_THRESHOLD, END_SHARE * peak)


def spans_from_probs(probs: np.ndarray, total: int, final: bool) -> list[Span]:
    """Speech spans in samples. A span is closed once MIN_PAUSE_S of silence follows it, and never
    changes after that; with ``final`` the speech still going on at the end is closed there."""
    min_silence = int(MIN_PAUSE_S * SAMPLE_RATE)
    pad = int(PAD_S * SAMPLE_RATE)
    raw: list[tuple[int, int, bool]] = []
    triggered, start, temp_end, peak = False, 0, 0, 0.0
    for i, p in enumerate(probs):
        pos = i * WINDOW
        if p >= max(THRESHOLD, SPEECH_SHARE * peak):  # (peak: this span's, or the last one's until it starts)
            temp_end = 0
            if not triggered:
                triggered, start, peak = True, pos, 0.0
            peak = max(peak, float(p))
            continue
        if triggered and p < _end_threshold(peak):
            temp_end = temp_end or pos
            if pos - temp_end >= min_silence:
                raw.append((start, temp_end, False))
                triggered, temp_end = False, 0
    if triggered:
        if final:
            raw.append((start, temp_end or total, False))
        else:
            raw.append((start, total, True))
    spans: list[Span] = []
    for s, e, is_open in raw:
        if not is_open and e - s < MIN_SPEECH_S * SAMPLE_RATE:
            continue  # a click, not a word
        s = max(spans[-1].end if spans else 0, s - pad)
        e = total if is_open else min(total, e + pad)
        spans.append(Span(s, e, open=is_open))
    return spans


def split_at_breaths(audio: np.ndarray, spans: list[Span], available: int, final: bool) -> list[Span]:
    """Long spans also split at short breaths: some voices never pause long enough for the VAD."""
    out: list[Span] = []
    for span in spans:
        if span.end - span.start <= TARGET_CHUNK_S * SAMPLE_RATE:
            out.append(span)
            continue
        start = span.start
        # once the speech has ended, the quiet as it ends is not a place to cut: that would leave a sliver
        last = span.end if span.open else span.end - int(MIN_AFTER_BREATH_S * SAMPLE_RATE)
        for cut in _breaths(audio, span.start, span.end, available if not final else len(audio), final):
            if cut - start >= SAMPLE_RATE and cut <= last:  # no sliver chunks
                out.append(Span(start, cut, soft=True))
                start = cut
        out.append(Span(start, span.end, open=span.open))
    return out


def _breaths(audio: np.ndarray, start: int, end: int, available: int | None = None, final: bool = True) -> list[int]:
    """Sample positions in the middle of short quiet runs between ``start`` and ``end``.

    A frame is judged against the second around it; until ``final``, only frames whose
    whole second of context has been heard are judged, so a cut never moves once made.
    """
    available = len(audio) if available is None else min(available, len(audio))
    n = (end - start) // FRAME
    n_ctx = (available - start) // FRAME  # frames of audio there are to judge against
    if n < 2 * CONTEXT_FRAMES:
        return []
    frames = audio[start : start + n_ctx * FRAME].reshape(n_ctx, FRAME)
    rms = np.sqrt(np.mean(np.square(frames, dtype=np.float64), axis=1))
    cuts: list[int] = []
    run = 0
    for i in range(n):
        lo, hi = max(0, i - CONTEXT_FRAMES), i + CONTEXT_FRAMES
        if hi > n_ctx:
            if not final:
                break
            hi = n_ctx
        quiet = rms[i] < 0.12 * float(np.median(rms[lo:hi]))
        run = run + 1 if quiet else 0
        if run == QUIET_FRAMES:
            cuts.append(start + (i - QUIET_FRAMES // 2) * FRAME)
    return cuts


def plan_chunks(spans: list[Span], total: int, final: bool = True) -> list[Span]:
    """Group speech spans into chunks, each closed at the first pause after TARGET_CHUNK_S.

    With ``final=False`` (audio still growing) a chunk is closed only once the pause after
    it has really been heard, and the unfinished rest is left for later.
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
        pause_heard = not span.open and (n + 1 < len(spans) or total - span.end >= MIN_PAUSE_S * SAMPLE_RATE)
        if pause_heard or final:
            chunks.append(Span(start, span.end))
            start = None
    if final and start is not None:
        chunks.append(Span(start, spans[-1].end))
    return [Span(max(0, c.start), min(total, c.end)) for c in chunks]


class ChunkPlanner:
    """Audio in, closed chunks out, decided at fixed step boundaries (see the module note)."""

    def __init__(self) -> None:
        self._buffer = np.zeros(SAMPLE_RATE * 30, dtype=np.float32)
        self._length = 0
        self._vad = VadStream()
        self.done = 0  # samples already handed out in chunks
        self.boundary = 0  # the last step boundary decided

    @property
    def audio(self) -> np.ndarray:
        """Everything heard so far (a view: valid until the next ``extend``)."""
        return self._buffer[: self._length]

    def extend(self, block: np.ndarray) -> None:
        block = np.asarray(block, dtype=np.float32).reshape(-1)
        if self._length + len(block) > len(self._buffer):  # grow by doubling: appends stay cheap
            grown = np.zeros(max(2 * len(self._buffer), self._length + len(block)), dtype=np.float32)
            grown[: self._length] = self.audio
            self._buffer = grown
        self._buffer[self._length : self._length + len(block)] = block
        self._length += len(block)

    def _spans(self, total: int, final: bool, probs: np.ndarray | None = None) -> list[Span]:
        probs = self._vad.probs if probs is None else probs
        spans = spans_from_probs(probs[: -(-total // WINDOW)], total, final)
        spans = [s for s in spans if s.end > self.done]
        spans = [Span(max(s.start, self.done), s.end, s.soft, s.open) for s in spans]
        return split_at_breaths(self.audio, spans, total, final)

    def advance(self) -> list[Span]:
        """Chunks closed at the step boundaries that the audio has reached since the last call."""
        closed: list[Span] = []
        while self.boundary + STEP <= len(self.audio):
            b = self.boundary + STEP
            self._vad.feed(self.audio[self.boundary : b])
            self.boundary = b
            if b - self.done < TARGET_CHUNK_S * SAMPLE_RATE:
                continue
            now = self._shifted(self._spans(b, final=False), b, final=False)
            if now:
                closed += now
                self.done = now[-1].end
        return closed

    def _shifted(self, spans: list[Span], total: int, final: bool) -> list[Span]:
        rel = [Span(s.start - self.done, s.end - self.done, s.soft, s.open) for s in spans]
        return [Span(c.start + self.done, c.end + self.done) for c in plan_chunks(rel, total - self.done, final)]

    def speculate(self) -> list[Span]:
        """The chunks the rest would be cut into if the rep stopped now, once the last words are
        followed by a short silence; decoding them ahead leaves almost nothing for the stop.

        A guess, not a decision: it looks past the last step boundary with a copy of the VAD.
        The stop reuses a guessed chunk only when its final plan cuts exactly the same audio.
        """
        vad = self._vad.clone()
        whole = (len(self.audio) - self.boundary) // WINDOW * WINDOW
        vad.feed(self.audio[self.boundary : self.boundary + whole])
        total = self.boundary + whole
        quiet = int(PAD_S * SAMPLE_RATE) // WINDOW + 1
        recent = vad.probs[-quiet * 15 :]  # about three seconds: the speech that just ended sets what quiet is
        if len(vad.probs) < quiet or bool((recent[-quiet:] >= _end_threshold(float(recent.max()))).any()):
            return []  # still speaking, or only just stopped
        spans = self._spans(total, final=True, probs=vad.probs)
        return self._shifted(spans, total, final=True) if spans else []

    def finish(self) -> list[Span]:
        """The remaining chunks once the audio is complete."""
        closed = self.advance()
        rest = self.audio[self.boundary :]
        if len(rest):
            self._vad.feed(np.pad(rest, (0, -len(rest) % WINDOW)))
        total = len(self.audio)
        spans = self._spans(total, final=True)
        return closed + (self._shifted(spans, total, final=True) if spans else [])


def file_chunks(audio: np.ndarray) -> list[Span]:
    """The chunks a recording is cut into: exactly what the live path cuts it into."""
    planner = ChunkPlanner()
    planner.extend(audio)
    return planner.finish()


def speech_spans(audio: np.ndarray) -> list[Span]:
    """Every speech span of a complete recording, long ones split at breaths."""
    vad = VadStream()
    vad.feed(np.pad(audio.astype(np.float32), (0, -len(audio) % WINDOW)))
    return split_at_breaths(audio, spans_from_probs(vad.probs, len(audio), final=True), len(audio), True)
