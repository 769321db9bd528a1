"""Importing a large review bundle: peak memory and time, against the bare process and a file copy of the
same bytes in the same run, and how a zip bomb of the same shape is refused. Prints JSON.

    python benchmarks/bundle_import.py [--recordings 10] [--seconds 300]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import _common  # noqa: F401
import numpy as np
import soundfile

CHILD = """
import resource, sys, time
from voicemail_coach.services import Services
from voicemail_coach.bundles import BundleError, import_bundle
services = Services(sys.argv[1]); services.repo
t0 = time.perf_counter()
try:
    imported, refused = import_bundle(services, sys.argv[2]).attempts if sys.argv[3] == "import" else 0, None
except BundleError as exc:
    imported, refused = 0, str(exc)
print(imported, time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, refused, sep="\\t")
"""
BARE = """
import resource
from voicemail_coach.services import Services
from voicemail_coach import bundles
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run(code: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
                         env={"PYTHONPATH": str(_common.ROOT / "src"), "PATH": "/usr/bin:/bin"})
    return out.stdout.strip().split("\t")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--recordings", type=int, default=10)
    ap.add_argument("--seconds", type=int, default=300, help="length of each 48 kHz stereo recording")
    args = ap.parse_args()
    from voicemail_coach.bundles import export_bundle
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.services import Services

    tmp = Path(tempfile.mkdtemp(prefix="vc-bundle-"))
    try:
        wav, rate = tmp / "long.wav", 48000
        with soundfile.SoundFile(wav, "w", rate, 2, "PCM_16") as f:
            block = (0.1 * np.random.default_rng(1).standard_normal((rate * 10, 2))).astype("float32")
            for _ in range(args.seconds // 10):
                f.write(block)
        s = Services(tmp / "source")
        rep = s.repo.save_rep(RepProfile("Ana", "Acme", "555 201 3344"))
        ids = [s.repo.add_attempt(rep.id, None, {"score": 50, "items": [], "transcript": "hi", "metrics": {}}, [],
                                  s.repo.files.new_path(wav), copy_from=wav) for _ in range(args.recordings)]
        bundle = export_bundle(s, tmp / "big.vcbundle", attempt_ids=ids)
        t0 = time.perf_counter()
        shutil.copyfile(bundle, tmp / "copy.vcbundle")
        copy_s = time.perf_counter() - t0
        bare_kb = int(run(BARE)[0])
        n, import_s, peak_kb, _ = run(CHILD, str(tmp / "target"), str(bundle), "import")
        # the same recordings as silence, deflated: a small file that would unpack to the same size
        silent = tmp / "silent.wav"
        soundfile.write(silent, np.zeros((rate * args.seconds, 2), dtype="int16"), rate, subtype="PCM_16")
        bomb = tmp / "bomb.vcbundle"
        with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename.startswith("audio/"):
                    zout.write(silent, info.filename)
                else:
                    zout.writestr(info, zin.read(info))
        _, bomb_s, bomb_peak_kb, refused = run(CHILD, str(tmp / "target2"), str(bomb), "import")
        report = {
            "recordings": args.recordings, "recording_mb": round(wav.stat().st_size / 2**20, 1),
            "bundle_mb": round(bundle.stat().st_size / 2**20, 1), "imported": int(n),
            "import_s": round(float(import_s), 2), "file_copy_s": round(copy_s, 2),
            "import_over_copy": round(float(import_s) / max(copy_s, 1e-3), 1),
            "peak_rss_mb": round(int(peak_kb) / 1024, 1), "bare_process_rss_mb": round(bare_kb / 1024, 1),
            "peak_over_bare": round(int(peak_kb) / bare_kb, 2),
            "zip_bomb": {"file_mb": round(bomb.stat().st_size / 2**20, 2), "refused": refused,
                         "seconds": round(float(bomb_s), 3), "peak_rss_mb": round(int(bomb_peak_kb) / 1024, 1)},
        }
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    json.dump(report, sys.stdout, indent=2)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
