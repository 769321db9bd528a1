"""A private PulseAudio server with a virtual microphone, for tests and benchmarks.

The null sink's monitor is made the default source: whatever ``play()`` sends
into the sink is what the app's recorder hears through PortAudio (ALSA pulse
plugin).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

SINK = "vc_virtual_mic"


class VirtualMic:
    def __init__(self):
        self.runtime = Path(tempfile.mkdtemp(prefix="vc-pulse-"))
        self.runtime.chmod(0o700)
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(self.runtime), "PULSE_RUNTIME_PATH": str(self.runtime / "pulse")}
        self._saved = {k: os.environ.get(k) for k in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_SERVER")}

    def start(self) -> "VirtualMic":
        if not shutil.which("pulseaudio"):
            raise RuntimeError("pulseaudio is not installed (scripts/setup.sh installs it)")
        subprocess.run(
            ["pulseaudio", "-D", "--exit-idle-time=-1", "-n", "--disallow-exit", "--log-target=stderr",
             "--load=module-native-protocol-unix", f"--load=module-null-sink sink_name={SINK} rate=16000 channels=1"],
            env=self.env, check=True, capture_output=True, timeout=120,
        )
        for _ in range(50):
            if subprocess.run(["pactl", "info"], env=self.env, capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run(["pactl", "set-default-source", f"{SINK}.monitor"], env=self.env, check=True, capture_output=True)
        subprocess.run(["pactl", "set-default-sink", SINK], env=self.env, check=True, capture_output=True)
        # PortAudio in this process must reach this server
        os.environ["XDG_RUNTIME_DIR"] = self.env["XDG_RUNTIME_DIR"]
        os.environ["PULSE_RUNTIME_PATH"] = self.env["PULSE_RUNTIME_PATH"]
        os.environ.pop("PULSE_SERVER", None)
        return self

    def play(self, wav: Path) -> subprocess.Popen:
        return subprocess.Popen(["paplay", f"--device={SINK}", str(wav)], env=self.env)

    def stop(self) -> None:
        subprocess.run(["pulseaudio", "--kill"], env=self.env, capture_output=True)
        for key, value in self._saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(self.runtime, ignore_errors=True)
