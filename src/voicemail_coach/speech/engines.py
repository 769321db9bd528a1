"""Which speech engine runs: Moonshine base where it can, faster-whisper everywhere else."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

from voicemail_coach.speech import moonshine_files
from voicemail_coach.speech.moonshine import MoonshineTranscriber
from voicemail_coach.speech.model import ModelError, resolve_model
from voicemail_coach.speech.transcriber import Transcriber, WhisperTranscriber

ENGINES = ("auto", "moonshine", "faster-whisper")


def moonshine_supported() -> bool:
    """Moonshine's files are shipped for Linux on x86-64; elsewhere faster-whisper is used."""
    return sys.platform.startswith("linux") and platform.machine() in ("x86_64", "AMD64") and moonshine_files.available()


def create_transcriber(
    engine: str = "auto",
    model_dir: Path | str | None = None,
    cache_root: Path | None = None,
    verified_cache: Path | None = None,
    progress: moonshine_files.Progress | None = None,
) -> Transcriber:
    """``engine``: one of ENGINES. A ``model_dir`` (a user's CTranslate2 Whisper folder) means faster-whisper."""
    if engine not in ENGINES:
        raise ModelError(f"unknown speech engine {engine!r}; choose one of {', '.join(ENGINES)}")
    if engine == "auto":
        engine = "moonshine" if not model_dir and moonshine_supported() else "faster-whisper"
    if engine == "moonshine":
        if model_dir:
            raise ModelError("--model-dir names a Whisper model; it cannot be used with the Moonshine engine")
        if not moonshine_files.available():
            raise ModelError(f"the Moonshine engine needs the {moonshine_files.PACKAGE} and onnx packages")
        if cache_root is None:
            raise ModelError("the Moonshine engine needs a cache folder for its converted model")
        return MoonshineTranscriber(cache_root, progress=progress)
    return WhisperTranscriber(resolve_model(model_dir, cache_file=verified_cache))
