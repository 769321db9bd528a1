"""End to end under Xvfb: a new rep records a voicemail through the virtual microphone.

Screenshots of the main views are saved to artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.corpus import load_corpus
from tests.support.synth import synthesize

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.audio, pytest.mark.model]


@pytest.fixture(scope="module")
def xvfb():
    if not shutil.which("Xvfb"):
        if os.environ.get("CI"):
            raise RuntimeError("Xvfb is not installed")
        pytest.skip("Xvfb is not installed")
    proc = subprocess.Popen(["Xvfb", "-displayfd", "1", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    display = proc.stdout.readline().strip()
    yield f":{display}"
    proc.terminate()
    proc.wait(10)


def test_record_score_replay_history_under_xvfb(xvfb, audio_cache, tmp_path):
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    wav = synthesize(vm.text, audio_cache, voice=0)
    data = tmp_path / "data"
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    subprocess.run([sys.executable, "-m", "voicemail_coach", "profile", "--name", vm.rep.name, "--company",
                    vm.rep.company, "--phone", vm.rep.phone, "--email", vm.rep.email, "--data-dir", str(data)],
                   check=True, capture_output=True, env=env)
    shots = ROOT / "artifacts" / "screenshots"
    # the same message, its second reading of the number trailing off three digits short
    head, _, _ = vm.text.rpartition(vm.rep.phone)
    trailing = synthesize(head + "five five five, two one four, three.", audio_cache, voice=0)
    proc = subprocess.run([sys.executable, "-m", "tests.support.e2e_app", str(data), str(shots), str(wav), "1",
                           str(trailing)], capture_output=True, text=True, timeout=1800, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    attempt = out["attempt"]
    assert attempt["score"] >= 60 and attempt["scenario_id"] == "hotel-uniforms"
    assert "brightline" in attempt["transcript"].lower()
    passed = {i["id"] for i in attempt["items"] if i["passed"]}
    assert {"rep_name", "rep_company", "prospect_named", "callback_time", "email_followup"} <= passed
    assert out["history_rows"] == 2
    assert out["smallest_window"] == [1110, 690]  # nothing forces the window wider than a laptop's default
    # the trailing-off reading: not a flat ✗ but "not sure", which the rep then marks
    assert out["unsure_items"] == ["number_twice"]
    assert out["marks"]["number_twice"]["said"] is False and out["marks"]["number_twice"]["role"] == "rep"
    assert out["email_score_after_edit"] < 100  # the deliberate Thursday -> Friday mismatch
    assert out["touch2"] == {"fresh_reason": False, "on_promised_day": True, "touch": 2}
    assert len(out["stop_to_visible_s"]) == 1
    assert out["replay_position_s"] > 0.3  # R replayed the attempt
    for name in ("1-record-view", "2-recording-live-checklist", "3-scorecard", "4-replay-following", "6-history",
                 "7-email-draft", "8-email-mismatch", "10-touch2-record-view", "11-touch2-scorecard",
                 "12-scorecard-unsure", "13-scorecard-marked"):
        assert (shots / f"{name}.png").stat().st_size > 10_000


def test_trainer_runs_a_session_for_three_reps_under_xvfb(xvfb, audio_cache, tmp_path):
    """Create, reps take turns at the virtual mic, live board, exemplar, comparison, PDF + CSV report."""
    from tests.support.e2e_session import REPS, SCENARIO, TRAINER
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.services import Services

    data = tmp_path / "data"
    services = Services(data)
    for name, company, phone, _ in REPS:
        services.repo.save_rep(RepProfile(name, company, phone), make_active=False)
    services.repo.save_rep(RepProfile(*TRAINER), make_active=True)
    services.repo.conn.close()
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb",
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    shots = ROOT / "artifacts" / "screenshots"
    proc = subprocess.run([sys.executable, "-m", "tests.support.e2e_session", str(data), str(shots), str(audio_cache)],
                          capture_output=True, text=True, timeout=2400, env=env, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["session_reps"] == sorted(r[0] for r in REPS)  # the trainer is not one of the reps
    board = out["board"]
    assert all(board[name]["attempts"] == 1 for name, *_ in REPS)
    strong, weak = REPS[0][0], REPS[1][0]
    # synthetic speech through the virtual mic loses a word now and then, so the strong rep's exact score varies;
    # the weak message misses five items whatever is heard
    assert board[strong]["best"] > board[weak]["best"] and not board[weak]["passed"]
    assert all(cell["passed"] == (cell["best"] >= 80) for cell in board.values())
    assert any(cell["passed"] for cell in board.values())
    assert out["exemplar_id"] is not None and out["compared"][0] == out["exemplar_id"]
    pdf = Path(out["reports"]["pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("Spring cohort", *[r[0] for r in REPS], "Exemplars", "Drop the check-in"):
        assert expected in text, expected
    rows = [r for r in out["csv_rows"] if r["scenario_id"] == SCENARIO]
    assert {r["rep"]: r["passed"] for r in rows} == {name: "yes" if board[name]["passed"] else "no" for name, *_ in REPS}
    assert out["csv_rows"][-1]["rep"] == "cohort pass rate"
    pages = shots / "report-pages"
    shutil.rmtree(pages, ignore_errors=True)
    pages.mkdir()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(pages / "page")], check=True)
    assert len(list(pages.glob("page-*.png"))) >= 3
    for name in ("20-new-session-dialog", "21-board-empty", "22-rep-turn-record-view", "24-comment-added",
                 "25-board-after-turns", "27-board-with-exemplar", "28-compare-with-exemplar"):
        assert (shots / f"{name}.png").stat().st_size > 10_000, name
