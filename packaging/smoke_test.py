"""Smoke test of the standalone build: it starts, finds its data files and grades with the bundled model.

    python packaging/smoke_test.py [dist/voicemail-coach/voicemail-coach]

Prints JSON with timings; exits non-zero on any failure (ImportError, a missing
data file, a wrong grade).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(cmd: list[str], env: dict, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=timeout)
    elapsed = time.perf_counter() - t0
    bad = ("Traceback", "ImportError", "ModuleNotFoundError", "FileNotFoundError")
    if proc.returncode != 0 or any(b in proc.stderr for b in bad):
        sys.exit(f"FAILED: {' '.join(cmd)}\n--- stdout\n{proc.stdout}\n--- stderr\n{proc.stderr}")
    return proc, elapsed


def main() -> int:
    exe = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "dist" / "voicemail-coach" / "voicemail-coach")
    tmp = Path(tempfile.mkdtemp(prefix="vc-smoke-"))
    env = {**os.environ, "VOICEMAIL_COACH_HOME": str(tmp / "data"), "QT_QPA_PLATFORM": "offscreen"}
    report = {}
    run([str(exe), "--version"], env)
    proc, _ = run([str(exe), "scenarios", "--json"], env)
    report["scenarios"] = len(json.loads(proc.stdout)["scenarios"])
    assert report["scenarios"] >= 15, report
    rep = ["--rep-name", "Dave Kowalski", "--rep-company", "Brightline Uniforms", "--rep-phone", "555-214-3390"]
    text = ("Hi Chloe, this is Dave Kowalski from Brightline Uniforms. We cut uniform costs by 18% for Seaside Inns. "
            "My number is 555-214-3390. I'm sending you an email, and I'll try you again Thursday at ten. "
            "Again, 555-214-3390.")
    proc, _ = run([str(exe), "grade", "--text", text, "--scenario", "hotel-uniforms", "--json", *rep], env)
    assert json.loads(proc.stdout)["score"] == 100
    wav = tmp / "vm.wav"
    spoken = text.replace("555-214-3390", "five five five. two one four. three three nine zero.")
    subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "-w", str(wav), spoken], check=True)
    proc, report["frozen_grade_wav_s"] = run([str(exe), "grade", str(wav), "--scenario", "hotel-uniforms", "--json", *rep], env)
    graded = json.loads(proc.stdout)
    report["frozen_wav_score"] = graded["score"]
    report["frozen_engine"] = graded.get("engine")
    assert "brightline" in graded["transcript"].lower() and graded["score"] >= 60, graded
    if sys.platform.startswith("linux") and platform.machine() == "x86_64":
        assert graded["engine"].startswith("moonshine"), graded["engine"]  # the default where it runs
    # faster-whisper stays available (the engine elsewhere, and on request)
    proc, _ = run([str(exe), "grade", str(wav), "--engine", "faster-whisper", "--scenario", "hotel-uniforms",
                   "--json", *rep], env)
    graded = json.loads(proc.stdout)
    assert graded["engine"] == "faster-whisper tiny.en" and "brightline" in graded["transcript"].lower(), graded
    # a session, its PDF report (Qt's PDF writer and fonts inside the bundle) and a review bundle round trip
    run([str(exe), "session", "create", "--name", "Smoke", "--rep", "Dave Kowalski", "--scenario", "hotel-uniforms"], env)
    run([str(exe), "grade", "--text", text, "--scenario", "hotel-uniforms", "--save", "--session", "Smoke", *rep], env)
    run([str(exe), "export", "--session", "Smoke", "-o", str(tmp / "smoke.pdf")], env)
    pdf = subprocess.run(["pdftotext", str(tmp / "smoke.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    assert "Smoke" in pdf and "Dave Kowalski" in pdf, pdf[:500]
    run([str(exe), "bundle", "export", "--session", "Smoke", "-o", str(tmp / "smoke.vcbundle")], env)
    other = {**env, "VOICEMAIL_COACH_HOME": str(tmp / "other")}
    proc, _ = run([str(exe), "--json", "bundle", "import", str(tmp / "smoke.vcbundle")], other)
    report["bundle_import"] = json.loads(proc.stdout)
    assert report["bundle_import"]["attempts"] == 1 and report["bundle_import"]["session"] == "Smoke", report
    proc, report["frozen_window_and_model_ready_s"] = run([str(exe)], {**env, "VOICEMAIL_COACH_EXIT_WHEN_READY": "1"})
    assert proc.stdout.startswith("ready:"), proc.stdout
    report["ok"] = True
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
