"""Nothing leaves the machine: no file outside the data and cache folders, no network socket."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize

pytestmark = pytest.mark.model


def _files_outside(home, *allowed):
    found = []
    for root, _dirs, files in os.walk(home):
        if any(str(root).startswith(str(a)) for a in allowed):
            continue
        found += [os.path.join(root, f) for f in files]
    return found


def test_grading_a_recording_writes_only_to_the_data_and_cache_folders_and_opens_no_socket(tmp_path, audio_cache):
    if not shutil.which("strace"):
        if os.environ.get("CI"):
            raise AssertionError("strace is missing (scripts/setup.sh installs it)")
        pytest.skip("strace is not installed")
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    wav = synthesize(vm.text, audio_cache, voice=0)
    home = tmp_path / "home"
    home.mkdir()
    # as on a fresh login: no test PulseAudio server (its client would keep a cookie in ~/.config/pulse)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VOICEMAIL_COACH_", "ORT_", "HF_", "PULSE_"))}
    env.update(HOME=str(home), VOICEMAIL_COACH_CACHE=os.environ["VOICEMAIL_COACH_CACHE"])
    trace = tmp_path / "connect.log"
    proc = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
         sys.executable, "-m", "voicemail_coach", "grade", str(wav), "--json", "--save", "--rep-name", vm.rep.name,
         "--rep-phone", vm.rep.phone, "--data-dir", str(home / "data")],
        capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stderr
    assert _files_outside(home, home / "data") == []
    calls = [line for line in trace.read_text().splitlines() if "connect(" in line or "sendto(" in line]
    network = [c for c in calls if re.search(r"AF_INET6?|AF_NETLINK", c)]
    assert network == [], network


def test_the_data_folder_and_its_files_are_private(tmp_path, audio_cache):
    vm = next(v for v in load_corpus() if v.id == "strong-02")
    wav = synthesize(vm.text, audio_cache, voice=1)
    data = tmp_path / "data"
    proc = subprocess.run([sys.executable, "-m", "voicemail_coach", "--data-dir", str(data), "grade", str(wav),
                           "--save", "--rep-name", vm.rep.name], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr
    assert (data.stat().st_mode & 0o777) == 0o700
    made = [p for p in data.rglob("*") if "cache" not in p.parts]
    assert any(p.suffix == ".wav" for p in made) and any(p.suffix == ".sqlite3" for p in made)
    for path in made:
        assert path.stat().st_mode & 0o077 == 0, f"{path} is readable by others"


def test_starting_the_app_writes_only_to_its_documented_folders_and_opens_no_socket(tmp_path):
    """The window comes up with HOME an empty folder and no --data-dir: every file it writes is under the
    platform folders the README lists, and no network socket is opened."""
    if not shutil.which("strace"):
        if os.environ.get("CI"):
            raise AssertionError("strace is missing (scripts/setup.sh installs it)")
        pytest.skip("strace is not installed")
    home = tmp_path / "home"
    home.mkdir()
    # as on a fresh login: no test PulseAudio server (its client would keep a cookie in ~/.config/pulse)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "VOICEMAIL_COACH_", "ORT_", "HF_", "PULSE_"))}
    env.update(HOME=str(home), VOICEMAIL_COACH_CACHE=os.environ["VOICEMAIL_COACH_CACHE"],
               VOICEMAIL_COACH_EXIT_WHEN_READY="1", QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    trace = tmp_path / "connect.log"
    proc = subprocess.run(["strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
                           sys.executable, "-m", "voicemail_coach"], capture_output=True, text=True, timeout=900, env=env)
    assert proc.returncode == 0 and "ready:" in proc.stdout, proc.stderr
    documented = [home / ".local" / "share" / "voicemail-coach", home / ".local" / "state" / "voicemail-coach",
                  home / ".config" / "voicemail-coach", home / ".cache" / "voicemail-coach"]
    assert (home / ".local" / "share" / "voicemail-coach" / "voicemail-coach.sqlite3").is_file()
    assert _files_outside(home, *documented) == []
    # no temporary files either (PulseAudio's client keeps its socket folder in TMPDIR when there is no
    # XDG_RUNTIME_DIR: that is the sound system's, not a file of ours)
    assert [p.name for p in (tmp_path / "tmp").iterdir() if not p.name.startswith("pulse-")] == []
    calls = [line for line in trace.read_text().splitlines() if "connect(" in line or "sendto(" in line]
    assert [c for c in calls if re.search(r"AF_INET6?|AF_NETLINK", c)] == []
