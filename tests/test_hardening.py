"""Bad input and unlucky machines: each gets one plain line, never a traceback, and nothing is half-saved."""

from __future__ import annotations

import sqlite3

import numpy as np
import pytest
import soundfile

from voicemail_coach.cli import main
from voicemail_coach.core import limits


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_one_profile_check_for_profile_and_grade(tmp_path, capsys):
    d = str(tmp_path / "d")
    code, _, err = run(capsys, "--data-dir", d, "profile", "--name", "Dave", "--phone", "5" * 30)
    assert code == 2 and "does not look like a phone number (7 to 15 digits" in err
    code, _, err = run(capsys, "--data-dir", d, "grade", "--text", "hi it's Dave", "--rep-name", "Dave",
                       "--rep-phone", "abc", "--save")
    assert code == 2 and "not saved: 'abc' does not look like a phone number" in err
    code, _, err = run(capsys, "--data-dir", d, "profile", "--name", "N" * (limits.NAME_CHARS + 1))
    assert code == 2 and "the name is 201 characters long; the most is 200" in err
    code, out, _ = run(capsys, "--data-dir", d, "history")
    assert code == 0 and "No attempts yet." in out  # nothing was saved
    assert run(capsys, "--data-dir", d, "profile", "--name", "Dave", "--phone", "(555) 214-3390 ext 12")[0] == 0


def test_a_comment_over_the_limit_is_refused_with_the_limit(tmp_path, capsys):
    d = str(tmp_path / "d")
    assert run(capsys, "--data-dir", d, "grade", "--text", "Hi, it's Dave from Brightline.", "--save")[0] == 0
    code, _, err = run(capsys, "--data-dir", d, "comment", "--attempt", "1", "--text", "x" * (limits.COMMENT_CHARS + 1))
    assert code == 2 and "the comment is 5,001 characters long; the most is 5,000" in err
    code, _, err = run(capsys, "--data-dir", d, "comment", "--attempt", "1", "--at", "-5", "--text", "x")
    assert code == 2 and "not a moment in a recording" in err


def test_a_data_dir_that_cannot_be_written(capsys):
    """/proc/1 exists and is a folder nobody can create files in, not even root."""
    code, out, err = run(capsys, "--data-dir", "/proc/1", "grade", "--text", "Hi, this is Dave from Brightline.",
                         "--rep-name", "Dave")
    assert code == 0 and out.startswith("Score:") and "grading with the details on the command line only" in err
    code, _, err = run(capsys, "--data-dir", "/proc/1", "grade", "--text", "Hi, this is Dave.", "--save")
    assert code == 1 and "cannot use /proc/1 as the data folder: it cannot be written" in err


def test_without_a_display_the_app_says_so_and_points_to_the_cli(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(capsys)
    assert code == 2 and "no display found" in err and "voicemail-coach grade FILE.wav" in err
    assert err.count("\n") == 1


def test_an_audio_file_without_read_permission(tmp_path, capsys, monkeypatch):
    import builtins

    from voicemail_coach.audio import files

    wav = tmp_path / "take.wav"
    soundfile.write(wav, np.zeros(16000, dtype="float32"), 16000)

    def denied(path, *args, **kwargs):  # the fault: the file's permissions shut us out (root ignores chmod)
        if str(path) == str(wav):
            raise PermissionError(13, "Permission denied", str(path))
        return builtins.open(path, *args, **kwargs)

    monkeypatch.setattr(files, "open", denied, raising=False)
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "grade", str(wav))
    assert code == 1 and "you do not have permission to read it" in err and "not an audio file" not in err


def test_a_full_disk_is_called_a_full_disk(tmp_path, monkeypatch):
    import collections
    import shutil

    from voicemail_coach.storage.db import explain_error

    usage = collections.namedtuple("usage", "total used free")
    monkeypatch.setattr(shutil, "disk_usage", lambda _p: usage(10**9, 10**9, 0))
    message = explain_error(sqlite3.OperationalError("disk I/O error"), tmp_path / "vc.sqlite3")
    assert "is full; free some space" in message
    monkeypatch.undo()
    assert "is full" not in explain_error(sqlite3.OperationalError("disk I/O error"), tmp_path / "vc.sqlite3")


@pytest.mark.parametrize("phone", ["555-214-3390", "+44 20 7946 0958", "(555) 214 3390 x12"])
def test_real_phone_numbers_pass_the_profile_check(phone):
    from voicemail_coach.core.people import RepProfile

    assert RepProfile("Dave", "Acme", phone).problems(need_all=True) == []


def test_a_name_holding_html_is_text_in_reports(tmp_path):
    from voicemail_coach.core.people import RepProfile
    from voicemail_coach.reports.build import rep_report
    from voicemail_coach.reports.render import rep_html
    from voicemail_coach.services import Services

    s = Services(tmp_path / "d")
    rep = s.repo.save_rep(RepProfile("Ann <img src=x onerror=alert(1)>", "Acme", "555 201 3344"))
    s.repo.add_attempt(rep.id, "bakery-payroll", {"score": 50, "items": [], "transcript": "<b>hi</b>", "metrics": {}},
                       [], None)
    html = rep_html(rep_report(s, rep))
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html and "<b>hi</b>" not in html
