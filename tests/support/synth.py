"""Spoken voicemails for tests: espeak-ng and flite read the corpus scripts aloud.

Numbers are read digit by digit in groups, as reps say them, and email
addresses as "name at domain dot com". Files are cached by content hash.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
# (engine, voice, speed): several voices and rates, so no test depends on one voice.
VOICES = [
    ("espeak-ng", "en-us", 155),
    ("flite", "slt", 1.0),
    ("espeak-ng", "en-gb", 165),
    ("flite", "kal", 0.95),
    ("espeak-ng", "en-us+f3", 145),
    ("flite", "rms", 1.05),
    ("espeak-ng", "en-us+m3", 170),
    ("flite", "awb", 1.0),
]


def _say_digits(group: str, oh: bool) -> str:
    return " ".join("oh" if (d == "0" and oh) else DIGITS[int(d)] for d in group)


def spoken_form(text: str, oh_for_zero: bool = False) -> str:
    def phone(m: re.Match) -> str:
        groups = [g for g in m.groups() if g]
        # slowly, a pause between groups, as a rep should say a number
        return ". ".join(_say_digits(g, oh_for_zero) for g in groups) + "."

    text = re.sub(r"\b(\d{3})-(\d{3})-(\d{4})\b", phone, text)
    text = re.sub(r"\b(\d{3})-(\d{4})\b", phone, text)

    def email(m: re.Match) -> str:
        local, domain = m.group(1), m.group(2)
        return f"{local.replace('.', ' dot ')} at {domain.replace('.', ' dot ')}"

    text = re.sub(r"\b([\w.]+)@([\w.]+\.[a-z]{2,})\b", email, text)
    return text


def available_voices() -> list[tuple[str, str, float]]:
    return [v for v in VOICES if shutil.which(v[0])]


def synthesize(text: str, out_dir: Path, voice: int = 0) -> Path:
    """A WAV file of ``text`` read by voice number ``voice`` (wrapping around)."""
    return speak(spoken_form(text, oh_for_zero=bool(voice % 2)), out_dir, voice)


def speak(spoken: str, out_dir: Path, voice: int = 0, rate: float = 1.0) -> Path:
    """A WAV file of ``spoken`` read as it is written, by voice number ``voice`` at ``rate`` times its speed."""
    voices = available_voices()
    if not voices:
        raise RuntimeError("neither espeak-ng nor flite is installed")
    engine, name, speed = voices[voice % len(voices)]
    if rate != 1.0:
        speed = speed * rate
    key = hashlib.sha256(f"{engine}|{name}|{speed}|{spoken}".encode()).hexdigest()[:16]
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{key}.wav"
    if out.exists() and out.stat().st_size > 44:
        return out
    tmp = out.with_suffix(".tmp.wav")
    if engine == "espeak-ng":
        cmd = ["espeak-ng", "-v", name, "-s", str(int(speed)), "-w", str(tmp), spoken]
    else:
        cmd = ["flite", "-voice", name, "--setf", f"duration_stretch={1 / speed:.3f}", "-t", spoken, "-o", str(tmp)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=600)
    tmp.replace(out)
    return out
