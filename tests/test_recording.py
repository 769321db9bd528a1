"""Recording through a real PulseAudio virtual microphone, live transcription, and faults."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time

import numpy as np
import pytest
import soundfile

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize
from voicemail_coach.audio.recorder import Recorder, RecorderError, recover_interrupted
from voicemail_coach.core.grader import grade
from voicemail_coach.playbook import default_rubric
from voicemail_coach.speech.streaming import StreamingTranscriber


@pytest.mark.audio
@pytest.mark.model
def test_record_voicemail_from_virtual_mic_with_live_transcription(virtual_mic, audio_cache, transcriber, tmp_path):
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    wav = synthesize(vm.text, audio_cache, voice=0)
    hints = [vm.rep.name, vm.rep.company, vm.prospect.name, vm.prospect.company]
    live = StreamingTranscriber(transcriber, hints)
    rec = Recorder(tmp_path / "take.wav")
    rec.add_listener(live.feed)
    rec.start()
    time.sleep(0.3)
    player = virtual_mic.play(wav)
    player.wait(timeout=600)
    time.sleep(0.6)
    take = rec.stop()
    transcript = live.finish()
    assert take.error is None and not take.warnings, take
    assert take.duration == pytest.approx(soundfile.info(str(wav)).duration + 0.9, abs=1.5)
    assert soundfile.info(str(take.path)).duration == pytest.approx(take.duration, abs=0.05)
    assert live.chunks_decoded >= 2  # decoded while the message was still playing
    result = grade(transcript, vm.rep, vm.prospect, default_rubric())
    passed = {i.id for i in result.items if i.passed}
    assert {"rep_name", "rep_company", "prospect_named", "value", "callback_time", "email_followup"} <= passed, transcript.text
    assert result.score >= 60
    # one grade per recording: the saved file, decoded afresh, gives the very same words and times
    from voicemail_coach.audio.files import load_for_speech

    again = transcriber.transcribe_audio(load_for_speech(take.path), hints)
    assert [(w.text, w.start, w.end) for w in again.words] == [(w.text, w.start, w.end) for w in transcript.words]
    assert grade(again, vm.rep, vm.prospect, default_rubric()).to_dict() == result.to_dict()
    # and the second listen to the opening (core.second_listen), read while the rep was still talking,
    # hears the same as it does from the file
    assert transcript.opening is not None and again.opening == transcript.opening
    assert live.opening_read_early
    from_file = transcriber.listener(load_for_speech(take.path), hints).again(*again.opening)
    assert from_file and [(w.text, w.start) for w in live.again(*transcript.opening)] == [(w.text, w.start) for w in from_file]


def _record_played(virtual_mic, wav, target):
    rec = Recorder(target)
    rec.start()
    time.sleep(0.3)
    virtual_mic.play(wav).wait(timeout=600)
    time.sleep(0.5)
    return rec.stop()


@pytest.mark.audio
@pytest.mark.parametrize("load", ["quiet", "stress-ng --cpu 2"])
def test_no_sample_is_lost_between_the_microphone_and_the_file(virtual_mic, tmp_path, load):
    """Fifteen seconds of noise through the virtual microphone, with both cores busy or not: the file holds
    the played samples without a gap (every probe of the source sits at the same offset) and PortAudio
    reported no overflow."""
    import shutil

    from tests.support.alignment import align

    rate = 16000
    source = np.random.default_rng(5).uniform(-0.4, 0.4, rate * 15).astype("float32")
    wav = tmp_path / "noise.wav"
    soundfile.write(wav, source, rate, subtype="PCM_16")
    source = soundfile.read(wav, dtype="float32")[0]
    stress = None
    if load != "quiet":
        if not shutil.which("stress-ng"):
            if os.environ.get("CI"):
                raise RuntimeError("stress-ng is not installed (scripts/setup.sh installs it)")
            pytest.skip("stress-ng is not installed")
        stress = subprocess.Popen(["stress-ng", "--cpu", "2", "--timeout", "120"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(1.0)
    try:
        take = _record_played(virtual_mic, wav, tmp_path / "take.wav")
    finally:
        if stress is not None:
            stress.terminate()
            stress.wait()
    recorded = soundfile.read(take.path, dtype="float32")[0]
    found = align(source, recorded, rate)
    assert take.overflows == 0 and take.error is None
    assert min(found.peaks) > 0.99, found  # each probe found as played, bit for bit up to 16-bit rounding
    assert found.steady and found.dropped == 0, found


class FakeStream:
    """Feeds given audio through the callback like PortAudio would; can die midway."""

    def __init__(self, audio, callback, finished_callback, die_after=None, **_):
        self.audio, self.callback, self.finished = audio, callback, finished_callback
        self.die_after = die_after
        self._stop = threading.Event()

    def start(self):
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        for n, i in enumerate(range(0, len(self.audio), 1600)):
            if self._stop.is_set():
                return
            if self.die_after is not None and n >= self.die_after:
                self.finished()
                return
            self.callback(self.audio[i : i + 1600, None], 1600, None, None)
            time.sleep(0.002)

    def stop(self):
        self._stop.set()

    def close(self):
        pass


class FakeSD:
    def __init__(self, audio=None, devices=True, open_error=None, die_after=None):
        self.audio = np.zeros(16000, dtype="float32") if audio is None else audio
        self.devices, self.open_error, self.die_after = devices, open_error, die_after

    def query_devices(self):
        return [{"name": "Fake mic", "max_input_channels": 1}] if self.devices else []

    def InputStream(self, **kw):
        if self.open_error:
            raise self.open_error
        return FakeStream(self.audio, kw["callback"], kw["finished_callback"], self.die_after)


def _wait_frames(rec, n):
    deadline = time.time() + 120
    while rec.frames < n and time.time() < deadline:
        time.sleep(0.01)


def test_no_microphone_is_a_plain_error(tmp_path):
    with pytest.raises(RecorderError, match="No microphone"):
        Recorder(tmp_path / "a.wav", sd=FakeSD(devices=False)).start()
    assert not (tmp_path / "a.wav").exists()


def test_busy_microphone_is_a_plain_error(tmp_path):
    err = RuntimeError("Error opening InputStream: Device unavailable [PaErrorCode -9985]")
    with pytest.raises(RecorderError, match="busy"):
        Recorder(tmp_path / "a.wav", sd=FakeSD(open_error=err)).start()


def test_device_vanishing_keeps_the_audio(tmp_path):
    tone = (0.3 * np.sin(np.arange(16000 * 3) / 16000 * 2 * np.pi * 440)).astype("float32")
    errors = []
    rec = Recorder(tmp_path / "a.wav", sd=FakeSD(tone, die_after=10))
    rec.on_error = errors.append
    rec.start()
    _wait_frames(rec, 16000)
    time.sleep(0.2)
    take = rec.stop()
    assert errors and "unplugged" in errors[0] and take.error == errors[0]
    assert soundfile.info(str(take.path)).duration == pytest.approx(1.0, abs=0.01)


def test_all_zero_capture_warns_about_permission(tmp_path):
    rec = Recorder(tmp_path / "a.wav", sd=FakeSD(np.zeros(16000, dtype="float32")))
    rec.start()
    _wait_frames(rec, 16000)
    take = rec.stop()
    assert any("permission" in w for w in take.warnings)


def test_clipping_warns(tmp_path):
    loud = np.ones(16000, dtype="float32")
    rec = Recorder(tmp_path / "a.wav", sd=FakeSD(loud))
    rec.start()
    _wait_frames(rec, 16000)
    assert any("clipping" in w for w in rec.stop().warnings)


def test_full_disk_stops_with_a_message_and_keeps_audio(tmp_path, monkeypatch):
    tone = (0.3 * np.sin(np.arange(16000 * 2) / 16000 * 2 * np.pi * 440)).astype("float32")
    rec = Recorder(tmp_path / "a.wav", sd=FakeSD(tone))
    rec.start()
    _wait_frames(rec, 8000)
    real_write = rec._file.write

    def full(block):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(rec._file, "write", full)
    time.sleep(0.3)
    take = rec.stop()
    assert "disk is full" in take.error
    assert take.duration > 0 and soundfile.info(str(take.path)).frames == rec.frames
    del real_write


def test_hard_cap_auto_stops(tmp_path):
    tone = (0.3 * np.sin(np.arange(16000 * 3) / 16000 * 2 * np.pi * 440)).astype("float32")
    stopped = threading.Event()
    rec = Recorder(tmp_path / "a.wav", sd=FakeSD(tone), max_seconds=1.0)
    rec.on_auto_stop = stopped.set
    rec.start()
    assert stopped.wait(10)
    take = rec.stop()
    assert take.auto_stopped and take.duration == pytest.approx(1.0)


@pytest.mark.audio
def test_killed_mid_recording_is_recovered(virtual_mic, audio_cache, tmp_path):
    vm = load_corpus()[0]
    wav = synthesize(vm.text, audio_cache, voice=2)
    script = textwrap.dedent(
        f"""
        import time
        from voicemail_coach.audio.recorder import Recorder
        rec = Recorder({str(tmp_path / 'take.wav')!r}, meta={{"scenario_id": "hotel-uniforms"}})
        rec.start()
        print("recording", flush=True)
        time.sleep(60)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env={**os.environ})
    assert proc.stdout.readline().strip() == "recording"
    player = virtual_mic.play(wav)
    take = tmp_path / "take.wav"
    deadline = time.monotonic() + 120  # generous: only a stuck recorder gets near it
    while time.monotonic() < deadline and (not take.exists() or take.stat().st_size < 44 + 3 * 16000 * 2):
        time.sleep(0.05)  # killed once three seconds are on disk, however busy the machine is
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    player.terminate()
    assert (tmp_path / "take.recording").exists()
    recovered = recover_interrupted(tmp_path)
    assert len(recovered) == 1
    path, meta, duration = recovered[0]
    assert meta["scenario_id"] == "hotel-uniforms"
    assert duration > 2.5
    audio, rate = soundfile.read(str(path))
    assert rate == 16000 and np.sqrt(np.mean(audio**2)) > 0.005  # the spoken audio, not silence
    assert not (tmp_path / "take.recording").exists()


@pytest.mark.audio
def test_player_plays_into_the_sink_and_seeks(virtual_mic, tmp_path):
    from voicemail_coach.audio.player import Player
    from voicemail_coach.audio.prompts import beep, with_gap

    tone = with_gap(beep(), beep(), beep(), beep(), gap_s=0.5)
    src = tmp_path / "tone.wav"
    soundfile.write(src, tone, 16000)
    player = Player()
    assert player.load(src) == pytest.approx(len(tone) / 16000)
    finished = threading.Event()
    player.on_finished = finished.set
    rec = Recorder(tmp_path / "heard.wav")
    rec.start()
    player.play()
    assert finished.wait(10)
    time.sleep(0.3)
    take = rec.stop()
    heard, _ = soundfile.read(str(take.path), dtype="float32")
    assert np.max(np.abs(heard)) > 0.1  # the beep came through the virtual line
    player.seek(0.2)
    assert player.position == pytest.approx(0.2)
    player.play()
    time.sleep(0.5)
    p0, t0 = player.position, time.monotonic()
    time.sleep(1.0)
    advanced, wall = player.position - p0, time.monotonic() - t0
    player.pause()
    # it plays and the position follows it, never ahead of real time (a busy machine may make it lag)
    assert 0.0 < advanced <= wall + 0.3
