"""Harder test audio, made with sox: an open office and a phone line.

- ``office``: other voices (two other corpus messages in other synthetic voices)
  about 14 dB below the rep, plus pink noise about 26 dB below.
- ``phone``: 300–3400 Hz band, 8 kHz G.711 μ-law and back, as a voicemail box stores it.

Files are cached beside the clean one by name.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import soundfile

CONDITIONS = ("clean", "office", "phone")
CHATTER_DB = -14.0
PINK_DB = -26.0


def _sox(*args: str) -> None:
    # -R: dither and noise seeded the same every run, so the same message degrades to the same audio
    subprocess.run(["sox", "-R", *args], check=True, capture_output=True, timeout=600)


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64)))) or 1e-9


def _mono16k(path: Path, out: Path) -> np.ndarray:
    _sox(str(path), "-r", "16000", "-c", "1", "-b", "16", str(out))
    audio, _ = soundfile.read(str(out), dtype="float32")
    return audio


def office(clean: Path, chatter: list[Path], out: Path) -> Path:
    """``clean`` with ``chatter`` voices 14 dB down and pink noise 26 dB down (levels by RMS)."""
    if out.exists():
        return out
    work = out.with_suffix(".work.wav")
    speech = _mono16k(clean, work)
    level = _rms(speech)
    mix = speech.astype(np.float64)
    others = []
    for n, path in enumerate(chatter):
        voice = _mono16k(path, work)
        voice = np.tile(voice, int(np.ceil(len(speech) / max(1, len(voice)))) + 1)
        shift = (n + 1) * 16000 * 3 // 2  # the talkers start at different moments
        others.append(voice[shift : shift + len(speech)])
    if others:
        talk = np.sum(others, axis=0)
        mix += talk * (level * 10 ** (CHATTER_DB / 20) / _rms(talk))
    noise_file = out.with_suffix(".pink.wav")
    _sox("-n", "-r", "16000", "-c", "1", "-b", "16", str(noise_file), "synth", f"{len(speech) / 16000:.3f}", "pinknoise")
    noise, _ = soundfile.read(str(noise_file), dtype="float32")
    noise = np.resize(noise, len(speech))
    mix += noise * (level * 10 ** (PINK_DB / 20) / _rms(noise))
    peak = float(np.max(np.abs(mix))) or 1.0
    if peak > 0.99:
        mix *= 0.99 / peak
    soundfile.write(str(out), mix.astype(np.float32), 16000, subtype="PCM_16")
    work.unlink(missing_ok=True)
    noise_file.unlink(missing_ok=True)
    return out


def phone_line(clean: Path, out: Path) -> Path:
    """``clean`` as a voicemail box keeps it: band-limited, 8 kHz μ-law, then back to 16 kHz."""
    if out.exists():
        return out
    narrow = out.with_suffix(".ulaw.wav")
    _sox(str(clean), "-c", "1", "-r", "8000", "-e", "u-law", "-b", "8", str(narrow), "sinc", "300-3400", "gain", "-n", "-3")
    _sox(str(narrow), "-r", "16000", "-e", "signed-integer", "-b", "16", str(out))
    narrow.unlink(missing_ok=True)
    return out


def degraded(clean: Path, condition: str, chatter: list[Path]) -> Path:
    if condition == "clean":
        return clean
    out = clean.with_name(f"{clean.stem}.{condition}.wav")
    if condition == "office":
        return office(clean, chatter, out)
    if condition == "phone":
        return phone_line(clean, out)
    raise ValueError(f"unknown condition {condition!r}")
