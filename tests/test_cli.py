"""The command line contract: JSON shape, exit codes, one-line errors, --data-dir."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from voicemail_coach.core.rubric import CONTENT_ITEMS

STRONG = (
    "Hi Chloe, this is Dave Kowalski from Brightline Uniforms. We cut uniform costs by 18% for Seaside Inns. "
    "My number is 555-214-3390. I'm sending you an email, and I'll try you again Thursday at ten. Again, 555-214-3390."
)
REP = ["--rep-name", "Dave Kowalski", "--rep-company", "Brightline Uniforms", "--rep-phone", "555-214-3390"]


def cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "voicemail_coach", *args], capture_output=True, text=True, timeout=900)
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_grade_text_json_contract(tmp_path):
    out = json.loads(cli("grade", "--text", STRONG, "--scenario", "hotel-uniforms", *REP, "--json", "--data-dir", str(tmp_path)).stdout)
    assert out["score"] == 100
    assert [i["id"] for i in out["items"]][: len(CONTENT_ITEMS)] == list(CONTENT_ITEMS)
    for item in out["items"]:
        assert {"id", "label", "passed", "evidence", "start", "end", "tip"} <= set(item)
    assert out["transcript"].startswith("Hi Chloe")
    assert {"duration_s", "words_per_minute", "filler_words"} <= set(out["metrics"])
    assert {"transcribe_s", "grade_s"} <= set(out["timings"])


def test_prospect_flag_overrides_scenario(tmp_path):
    out = json.loads(cli("grade", "--text", "Hi Raj, this is Dave.", "--scenario", "hotel-uniforms", "--prospect-name", "Raj Patel", *REP, "--json").stdout)
    assert next(i for i in out["items"] if i["id"] == "prospect_named")["passed"]


def test_profile_then_grade_save_then_history(tmp_path):
    d = str(tmp_path / "data")
    cli("profile", "--name", "Dave Kowalski", "--company", "Brightline Uniforms", "--phone", "555-214-3390", "--data-dir", d)
    script = tmp_path / "vm.txt"
    script.write_text(STRONG)
    saved = json.loads(cli("grade", "--transcript", str(script), "--scenario", "hotel-uniforms", "--save", "--json", "--data-dir", d).stdout)
    assert saved["score"] == 100  # the stored profile was used
    history = json.loads(cli("history", "--json", "--data-dir", d).stdout)
    assert len(history) == 1
    row = history[0]
    assert set(row) == {"id", "created_at", "rep", "scenario_id", "score", "duration_s", "transcript", "items"}
    assert row["id"] == saved["attempt_id"] and row["rep"] == "Dave Kowalski" and row["scenario_id"] == "hotel-uniforms"
    assert {i["id"] for i in row["items"]} >= set(CONTENT_ITEMS)
    assert (tmp_path / "data" / "voicemail-coach.sqlite3").is_file()


def test_data_dir_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("VOICEMAIL_COACH_HOME", str(tmp_path / "envhome"))
    cli("profile", "--name", "Ann Lee", "--company", "Lee Co", "--phone", "555-000-1111")
    assert (tmp_path / "envhome" / "voicemail-coach.sqlite3").is_file()


def test_scenarios_lists_builtin_and_user_files(tmp_path):
    d = tmp_path / "data"
    (d / "scenarios").mkdir(parents=True)
    (d / "scenarios" / "mine.toml").write_text('id = "mine"\n[prospect]\nname = "Ann Lee"\ncompany = "Lee Co"\n')
    (d / "scenarios" / "bad.toml").write_text("id = \n")
    proc = cli("scenarios", "--data-dir", str(d))
    assert "hotel-uniforms" in proc.stdout and "mine" in proc.stdout
    assert "bad.toml" in proc.stderr and "line 1" in proc.stderr
    assert proc.stderr.count("bad.toml") == 1  # said once, not once per layer
    data = json.loads(cli("scenarios", "--json", "--data-dir", str(d)).stdout)
    assert len(data["scenarios"]) >= 16


@pytest.mark.parametrize(
    "args,needle",
    [
        (["grade", "/no/such/file.wav"], "no such file"),
        (["grade", "--text", "hi", "--scenario", "nope"], "unknown scenario"),
        (["grade", "--text", "   "], "empty"),
        (["grade"], "required"),
        (["grade", "--transcript", "/no/such.txt"], "no such file"),
        (["profile", "--name", "X", "--phone", "12"], "phone number"),
        (["history", "--rep", "Nobody"], "no rep named"),
        (["frobnicate"], "invalid choice"),
    ],
)
def test_bad_input_one_plain_line(args, needle, tmp_path):
    proc = cli(*args, "--data-dir", str(tmp_path), check=False) if args[0] != "frobnicate" else cli(*args, check=False)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert needle in lines[0] and "Traceback" not in proc.stderr


@pytest.mark.parametrize("kind", ["empty", "garbage", "silent", "folder"])
def test_bad_audio_files(kind, tmp_path):
    import numpy as np
    import soundfile

    path = tmp_path / "x.wav"
    if kind == "empty":
        path.write_bytes(b"")
        needle = "empty"
    elif kind == "garbage":
        path.write_bytes(b"\x00\x01 not audio " * 200)
        needle = "not an audio file"
    elif kind == "silent":
        soundfile.write(path, np.zeros(16000 * 3, dtype="float32"), 16000)
        needle = "no speech"
    else:
        path = tmp_path
        needle = "folder"
    proc = cli("grade", str(path), "--data-dir", str(tmp_path / "d"), check=False)
    assert proc.returncode == 1 and needle in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_hours_long_file_refused_without_decoding(tmp_path):
    import soundfile

    path = tmp_path / "long.wav"
    with soundfile.SoundFile(path, "w", samplerate=8000, channels=1, subtype="PCM_16") as f:
        import numpy as np

        block = np.zeros(8000 * 60, dtype="int16")
        for _ in range(11):
            f.write(block)
    proc = cli("grade", str(path), "--data-dir", str(tmp_path / "d"), check=False)
    assert proc.returncode == 1 and "11 min" in proc.stderr and "up to 10 minutes" in proc.stderr


def test_grade_email_draft_grade_and_errors(tmp_path):
    d = str(tmp_path / "data")
    cli("profile", "--name", "Dave Kowalski", "--company", "Brightline Uniforms", "--phone", "555-214-3390", "--data-dir", d)
    saved = json.loads(cli("grade", "--text", STRONG, "--scenario", "hotel-uniforms", "--save", "--json", "--data-dir", d).stdout)
    attempt = str(saved["attempt_id"])
    draft = json.loads(cli("grade-email", "--attempt", attempt, "--draft", "--json", "--data-dir", d).stdout)
    assert "Seaside Inns" in draft["body"] and draft["subject"].startswith("Harbor Hotels")
    good = json.loads(cli("grade-email", "--attempt", attempt, "--text", draft["body"], "--json", "--data-dir", d).stdout)
    assert good["score"] == 100 and [i["id"] for i in good["items"]] == [
        "email_reiterates", "email_callback_time", "email_consistent", "email_contact", "email_brief"]
    friday = draft["body"].replace("Thursday", "Friday")
    bad = json.loads(cli("grade-email", "--attempt", attempt, "--text", friday, "--json", "--data-dir", d).stdout)
    assert not next(i for i in bad["items"] if i["id"] == "email_consistent")["passed"]
    missing = cli("grade-email", "--attempt", "999", "--text", "hi", "--data-dir", d, check=False)
    assert missing.returncode == 2 and "no attempt #999" in missing.stderr


@pytest.mark.parametrize("args, needle", [
    (["comment", "--attempt", "99999999999999999999999", "--text", "x"], "no attempt"),
    (["comment", "--attempt", "1", "--at", "inf", "--text", "x"], "not a moment"),
    (["comment", "--attempt", "1", "--at", "-5", "--text", "x"], "not a moment"),
    (["comment", "--attempt", "1", "--at", "nan", "--text", "x"], "not a moment"),
    (["mark", "--attempt", "abc"], "not an attempt number"),
    (["grade-email", "--attempt", "0", "--draft"], "no attempt"),
])
def test_out_of_range_numbers_get_a_plain_message(tmp_path, args, needle):
    proc = cli(*args, "--data-dir", str(tmp_path / "data"), check=False)
    assert proc.returncode == 2 and needle in proc.stderr and "Traceback" not in proc.stderr


def test_unusable_data_folders_and_text_files_get_a_plain_message(tmp_path):
    a_file = tmp_path / "notes.txt"
    a_file.write_text("hello")
    cases = [
        (["--data-dir", str(a_file), "grade", "--text", "hi", "--save"], "is a file, not a folder"),
        (["--data-dir", "", "grade", "--text", "hi"], "the folder is empty"),
        (["--data-dir", str(tmp_path / "d"), "grade", "--transcript", "/dev/urandom"], "not a regular file"),
    ]
    big = tmp_path / "big.txt"
    big.write_text("word " * 60_000)
    cases.append((["--data-dir", str(tmp_path / "d"), "grade", "--transcript", str(big)], "larger than"))
    for args, needle in cases:
        proc = cli(*args, check=False)
        assert proc.returncode in (1, 2) and needle in proc.stderr and "Traceback" not in proc.stderr, (args, proc.stderr)


def test_grading_a_recording_measures_how_the_number_was_said(tmp_path, audio_cache):
    """A graded recording's JSON holds the number clarity item and each reading's measures."""
    from tests.support.synth import synthesize

    wav = synthesize(STRONG, audio_cache, voice=0)
    out = json.loads(cli("grade", str(wav), "--scenario", "hotel-uniforms", *REP, "--json",
                         "--data-dir", str(tmp_path)).stdout)
    item = next(i for i in out["items"] if i["id"] == "number_clarity")
    readings = out["metrics"]["number_readings"]
    assert len(readings) == 2 and all(r["digits"] == 10 for r in readings)
    assert all(set(r) == {"start", "end", "digits", "digits_per_s", "pauses", "relative_db"} for r in readings)
    assert readings[0]["start"] < readings[1]["start"] <= out["metrics"]["duration_s"]
    assert item["start"] is not None and (item["passed"] or item["tip"])
    # and how the voice sounded: the measures, and the items the playbook grades them by
    measured = out["metrics"]["voice"]
    assert measured["pitch_median_hz"] > 70 and measured["pitch_range_st"] > 0 and measured["level_db"] > -60
    assert measured["pace_curve"] and measured["pitch_curve"]
    assert {"voice_pitch", "voice_level", "pauses"} <= {i["id"] for i in out["items"]}
    assert "number_on_phone" not in out["metrics"]  # heard through a phone line only when asked


def test_the_number_heard_through_a_phone_line(tmp_path, audio_cache):
    """--phone-line: each reading cut out, sent through the telephone band and μ-law, heard again by the engine."""
    from tests.support.synth import synthesize

    wav = synthesize(STRONG, audio_cache, voice=0)
    out = json.loads(cli("grade", str(wav), "--scenario", "hotel-uniforms", *REP, "--json", "--phone-line",
                         "--data-dir", str(tmp_path)).stdout)
    checks = out["metrics"]["number_on_phone"]
    readings = out["metrics"]["number_readings"]
    assert [c["start"] for c in checks] == [r["start"] for r in readings]
    # digits come through (a wrong rate or a broken line would leave nothing to hear); how many is the
    # engine's, measured by benchmarks/number_clarity.py --phone-line
    assert any(len(c["heard"]) >= 3 for c in checks) and all(c["heard"].isdigit() or not c["heard"] for c in checks)
    item = next(i for i in out["items"] if i["id"] == "number_on_phone")
    assert item["status"] in ("passed", "unsure", "failed") and (item["status"] == "passed") == (not any(c["lost"] for c in checks))
    assert out["timings"]["phone_line_s"] > 0
    proc = cli("grade", "--text", "Call me at 555-214-3390.", "--phone-line", "--data-dir", str(tmp_path), check=False)
    assert proc.returncode == 2 and "needs a recording" in proc.stderr
