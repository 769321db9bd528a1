"""Each reading of the number heard again as the prospect's voicemail box keeps it (core/number_on_phone.py
grades what comes through)."""

from __future__ import annotations

import numpy as np

from voicemail_coach.audio.phone_line import through_phone_line
from voicemail_coach.core.number_clarity import NumberReading
from voicemail_coach.core.numbers import digit_runs
from voicemail_coach.core.transcript import Transcript
from voicemail_coach.speech.chunking import SAMPLE_RATE
from voicemail_coach.speech.transcriber import Transcriber

PAD_S = 0.35  # heard with a little of what surrounds it, as a listener would


def digits_through_line(transcriber: Transcriber, samples: np.ndarray, rate: int, reading: NumberReading) -> str:
    """The digits the engine hears in ``reading``'s span once it has been through the phone line."""
    a = max(0, int((reading.start - PAD_S) * rate))
    b = min(len(samples), int((reading.end + PAD_S) * rate))
    narrow, narrow_rate = through_phone_line(samples[a:b], rate)
    if not len(narrow):
        return ""
    fade = min(len(narrow) // 2, narrow_rate // 50)  # 20 ms in and out: the cut makes no click of its own
    ramp = (0.5 - 0.5 * np.cos(np.linspace(0.0, np.pi, fade))).astype(np.float32)
    narrow = narrow.copy()
    narrow[:fade] *= ramp
    narrow[len(narrow) - fade :] *= ramp[::-1]
    # back to the engine's rate through the spectrum (zeros above 4 kHz): interpolating sample by sample
    # would mirror the band above 4 kHz, sound the line never carried
    n_wide = int(len(narrow) * SAMPLE_RATE / narrow_rate)
    wide = (np.fft.irfft(np.fft.rfft(narrow), n_wide) * (n_wide / len(narrow))).astype(np.float32)
    words = transcriber.transcribe(wide)
    return "".join(run.digits for run in digit_runs(Transcript(words).tokens, min_digits=1))
