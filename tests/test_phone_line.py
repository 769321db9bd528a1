"""The phone line: what a voicemail box keeps of a message (band, rate, 8-bit μ-law, level)."""

from __future__ import annotations

import numpy as np

from voicemail_coach.audio.phone_line import PHONE_RATE, mu_law_round_trip, through_phone_line


def _level_db(samples: np.ndarray, rate: int, hz: float) -> float:
    spectrum = np.abs(np.fft.rfft(samples)) / len(samples)
    return 20 * np.log10(spectrum[np.argmin(np.abs(np.fft.rfftfreq(len(samples), 1 / rate) - hz))] + 1e-12)


def test_only_the_telephone_band_comes_through_at_8_khz():
    rate = 16000
    t = np.arange(rate * 2) / rate
    tones = {100: 0.2, 1000: 0.2, 3000: 0.2, 3800: 0.2, 6000: 0.2}
    x = sum(a * np.sin(2 * np.pi * f * t) for f, a in tones.items()).astype(np.float32)
    y, rate_out = through_phone_line(x, rate)
    assert rate_out == PHONE_RATE and len(y) == len(x) // 2
    kept = {f: _level_db(y, PHONE_RATE, f) for f in (100, 1000, 3000, 3800)}
    assert kept[1000] - kept[100] > 40 and kept[3000] - kept[3800] > 40  # 300–3400 Hz, and nothing else
    assert abs(kept[1000] - kept[3000]) < 1  # flat inside the band


def test_a_quiet_message_arrives_at_the_carrier_level_in_8_bit_steps():
    rate = 16000
    t = np.arange(rate) / rate
    quiet = (0.01 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
    y, _ = through_phone_line(quiet, rate)
    assert 0.05 < float(np.sqrt(np.mean(np.square(y)))) < 0.2  # about -20 dBFS, not -40
    ramp = np.linspace(-1, 1, 10001, dtype=np.float32)
    assert len(np.unique(mu_law_round_trip(ramp))) <= 256
    assert np.max(np.abs(mu_law_round_trip(ramp) - ramp)) < 0.04


def test_nothing_in_nothing_out():
    y, rate = through_phone_line(np.zeros(0, dtype=np.float32), 16000)
    assert rate == PHONE_RATE and y.size == 0
    silent, _ = through_phone_line(np.zeros(1600, dtype=np.float32), 16000)
    assert not silent.any()
