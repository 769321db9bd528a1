"""Reading audio files for grading, with a plain message for every kind of bad file."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voicemail_coach.core import limits

SPEECH_RATE = 16000
MAX_SECONDS = limits.RECORDING_SECONDS
SILENCE_RMS = 1e-3  # below this the file holds nothing a microphone heard (about -60 dBFS)


class AudioFileError(ValueError):
    """The file cannot be graded; the message names the problem and what to do."""


@dataclass(frozen=True)
class AudioInfo:
    duration: float
    samplerate: int
    channels: int


def probe(path: Path) -> AudioInfo:
    if not path.exists():
        raise AudioFileError(f"{path}: no such file")
    if path.is_dir():
        raise AudioFileError(f"{path} is a folder, not an audio file")
    if not path.is_file():
        raise AudioFileError(f"{path} is not a regular file")
    size = path.stat().st_size
    if size == 0:
        raise AudioFileError(f"{path.name} is empty (0 bytes)")
    if size > limits.AUDIO_BYTES:
        raise AudioFileError(f"{path.name} is {size / 2**20:,.0f} MB; Voicemail Coach takes audio files up to "
                             f"{limits.AUDIO_BYTES // 2**20} MB. Trim it to the voicemail and try again")
    try:
        with open(path, "rb") as fh:
            fh.read(1)
    except PermissionError:
        raise AudioFileError(f"{path}: you do not have permission to read it") from None
    except OSError as exc:
        raise AudioFileError(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        import soundfile

        info = soundfile.info(str(path))
        return AudioInfo(info.frames / info.samplerate if info.samplerate else 0.0, info.samplerate, info.channels)
    except Exception:
        pass
    try:
        import av

        with av.open(str(path)) as container:
            streams = container.streams.audio
            if not streams:
                raise AudioFileError(f"{path.name} has no audio track")
            stream = streams[0]
            duration = float(container.duration / 1_000_000) if container.duration else 0.0
            return AudioInfo(duration, stream.codec_context.sample_rate or 0, stream.codec_context.channels or 0)
    except AudioFileError:
        raise
    except Exception:
        raise AudioFileError(
            f"{path.name} is not an audio file Voicemail Coach can read (use WAV, FLAC, OGG or MP3)"
        ) from None


def _fmt_duration(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {secs:02d} s"


def load_for_speech(path: Path) -> np.ndarray:
    """16 kHz mono float32 samples of ``path``, or AudioFileError saying why not."""
    info = probe(path)
    if info.duration > MAX_SECONDS:
        raise AudioFileError(
            f"{path.name} is {_fmt_duration(info.duration)} long; Voicemail Coach grades messages up to "
            f"{MAX_SECONDS // 60} minutes. Trim it to the voicemail and try again"
        )
    try:
        audio = _read_speech_rate(path) if info.samplerate == SPEECH_RATE and info.channels == 1 else None
        if audio is None:
            from faster_whisper.audio import decode_audio

            audio = decode_audio(str(path), sampling_rate=SPEECH_RATE)
    except Exception:
        raise AudioFileError(f"{path.name} could not be decoded; it may be damaged") from None
    if audio.size == 0:
        raise AudioFileError(f"{path.name} holds no audio")
    if float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) < SILENCE_RMS:
        raise AudioFileError(f"{path.name} is silent: no speech detected")
    return audio.astype(np.float32, copy=False)


def _read_speech_rate(path: Path) -> np.ndarray | None:
    """A mono file already at the speech rate (every recording the app makes), read as it is: the same
    samples PyAV would give, without loading PyAV and CTranslate2 (faster_whisper) into the app."""
    import soundfile

    try:
        return soundfile.read(str(path), dtype="float32")[0]
    except Exception:
        return None  # a format libsndfile does not read: PyAV will


def read_for_playback(path: Path | str) -> tuple[np.ndarray, int]:
    """A saved recording as mono float32 samples at its own rate, for replay and waveforms."""
    import soundfile

    try:
        audio, rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:
        raise AudioFileError(f"cannot play {Path(path).name}: {exc}") from None
    mono = audio[:, 0] if audio.shape[1] == 1 else audio.mean(axis=1)  # no second copy of a mono file
    return np.ascontiguousarray(mono, dtype=np.float32), rate


def read_samples(path: Path | str) -> tuple[np.ndarray, int]:
    """Mono samples and their rate: a WAV or FLAC read as it is, any other format decoded to 16 kHz."""
    try:
        return read_for_playback(path)
    except AudioFileError:
        return load_for_speech(Path(path)), SPEECH_RATE
