"""Review bundles: an attempt or a session goes to another data dir intact; a bad file changes nothing."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
import soundfile

from tests.support.seed import graded_corpus
from voicemail_coach.bundles import importing as bundle_import
from voicemail_coach.bundles import manifest as bundle_manifest
from voicemail_coach.bundles import BundleError, export_bundle, import_bundle, read_bundle
from voicemail_coach.core.people import RepProfile
from voicemail_coach.reports.build import board_for
from voicemail_coach.services import Services
from voicemail_coach.storage.sessions import SessionStore


def _wav(path, seconds=1.5, rate=16000):
    t = np.arange(int(seconds * rate)) / rate
    soundfile.write(path, (0.2 * np.sin(2 * np.pi * 220 * t)).astype("float32"), rate)
    return path


@pytest.fixture
def source(tmp_path):
    """A trainer's machine: a session with two reps, recordings, comments, an email and an exemplar."""
    s = Services(tmp_path / "trainer")
    repo = s.repo
    ana = repo.save_rep(RepProfile("Ana Ruiz", "Acme", "555 201 3344", "ana@acme.com")).id
    ben = repo.save_rep(RepProfile("Ben Ode", "Acme", "555 201 3345"), make_active=False).id
    tess = repo.save_rep(RepProfile("Tess Lee", "Acme", "555 201 3300"), make_active=False).id
    session = SessionStore(repo).create("May cohort", [ana, ben], ["bakery-payroll"], 75, tess)
    graded = graded_corpus(s)
    ids = []
    for n, (rep, (result, words)) in enumerate(zip((ana, ana, ben), graded[:3])):
        wav = _wav(tmp_path / f"take{n}.wav")
        ids.append(repo.add_attempt(rep, "bakery-payroll", result, words, repo.files.new_path(wav),
                                    copy_from=wav, session_id=session.id,
                                    created_at=f"2026-05-0{n + 1}T10:00:00Z"))
    repo.add_comment(ids[0], "Say the number slower", 0.8, "Tess Lee")
    repo.add_mark(ids[0], "number_twice", True, "Tess Lee", "trainer")
    repo.save_email(ids[0], "Hi Laura, as promised …", {"score": 80, "items": [{"id": "email_brief", "passed": True}]})
    ex_wav = _wav(tmp_path / "ex.wav")
    exemplar = repo.add_attempt(tess, "bakery-payroll", *graded[5], repo.files.new_path(ex_wav), copy_from=ex_wav)
    SessionStore(repo).set_exemplar(session.id, "bakery-payroll", exemplar)
    return s, session, ids, exemplar


def _state(services):
    """Everything an import could change: rows of every table and the recordings on disk."""
    conn = services.repo.conn
    tables = ("reps", "attempts", "comments", "sessions", "session_reps", "session_track", "attempt_emails", "marks")
    rows = {t: conn.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    files = sorted(p.name for p in services.dirs.recordings.glob("*")) if services.dirs.recordings.exists() else []
    return {t: [tuple(r) for r in v] for t, v in rows.items()}, files


def test_an_attempt_travels_with_audio_comments_and_email(source, tmp_path):
    s, _session, ids, _ = source
    bundle = export_bundle(s, tmp_path / "one.vcbundle", attempt_ids=[ids[0]])
    other = Services(tmp_path / "reviewer")
    summary = import_bundle(other, bundle)
    assert summary.attempts == 1 and summary.reps_created == ["Ana Ruiz"] and summary.session_id is None
    got = other.repo.attempt(summary.attempt_ids[0])
    want = s.repo.attempt(ids[0])
    for key in ("scenario_id", "score", "transcript", "items", "words", "metrics", "created_at", "rep"):
        assert getattr(got, key) == getattr(want, key), key
    assert got.audio_path.startswith(str(other.dirs.recordings))
    a, _ = soundfile.read(got.audio_path)
    b, _ = soundfile.read(want.audio_path)
    assert np.array_equal(a, b)
    assert [(c.text, c.at_s, c.author) for c in other.repo.comments(got.id)] == [
        ("Say the number slower", 0.8, "Tess Lee")]
    assert other.repo.email_for(got.id).text == "Hi Laura, as promised …"
    assert [m.to_json() for m in other.repo.marks(got.id)] == [
        m.to_json() for m in s.repo.marks(ids[0])]
    assert other.repo.rep_by_name("Ana Ruiz").profile.email == "ana@acme.com"
    # the same bundle again adds nothing
    again = import_bundle(other, bundle)
    assert again.attempts == 0 and again.skipped == 1 and len(other.repo.rows()) == 1


def test_a_session_travels_and_its_board_is_the_same(source, tmp_path):
    s, session, _ids, exemplar = source
    bundle = export_bundle(s, tmp_path / "may.vcbundle", session_id=session.id)
    other = Services(tmp_path / "reviewer")
    other.repo.save_rep(RepProfile("Ben Ode", "Acme"))  # already known on this machine: reused, not duplicated
    summary = import_bundle(other, bundle)
    assert summary.attempts == 4 and summary.session_name == "May cohort" and summary.reps_created == ["Ana Ruiz", "Tess Lee"]
    imported = other.sessions.get(summary.session_id)
    assert imported.pass_mark == 75 and imported.track == ["bakery-payroll"]
    assert other.repo.rep_by_id(imported.trainer_id).profile.name == "Tess Lee"
    assert other.repo.attempt(imported.exemplars["bakery-payroll"]).transcript == s.repo.attempt(exemplar).transcript
    mine, theirs = board_for(s, session), board_for(other, imported)
    assert [n for _, n in mine.reps] == [n for _, n in theirs.reps]
    for (r1, _), (r2, _) in zip(mine.reps, theirs.reps):
        c1, c2 = mine.cell(r1, "bakery-payroll"), theirs.cell(r2, "bakery-payroll")
        assert (c1.best, c1.attempts, c1.passed) == (c2.best, c2.attempts, c2.passed)
    # a second import keeps both sessions apart by name
    assert import_bundle(other, bundle).session_name == "May cohort (imported)"


def _rewrite(bundle, target, manifest_edit=None, extra=None, rename=None):
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            name = info.filename
            if name == "manifest.json" and manifest_edit:
                m = json.loads(data)
                manifest_edit(m)
                data = json.dumps(m).encode()
            if rename and name in rename:
                name = rename[name]
            zout.writestr(name, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return target


def _bad_bundles(bundle, tmp_path):
    def score(m):
        m["attempts"][0]["score"] = 500

    def traversal(m):
        m["attempts"][0]["audio"] = "../../evil.wav"

    def absolute(m):
        m["attempts"][0]["audio"] = "/etc/passwd"

    def unknown_rep(m):
        m["attempts"][0]["rep"] = "r99"

    def scenario(m):
        m["attempts"][0]["scenario_id"] = "../x"

    def fmt(m):
        m["format"] = "something-else"

    def words(m):
        m["attempts"][0]["words"] = "rm -rf /"

    def metric_text(m):
        m["attempts"][0]["metrics"]["duration_s"] = "abc"

    def metric_infinite(m):
        m["attempts"][0]["metrics"]["duration_s"] = float("inf")  # json.dumps writes Infinity

    def same_rep_key(m):  # the second rep takes the first one's key: attempts would go to the wrong rep
        m["reps"][1]["key"] = m["reps"][0]["key"]

    first_audio = json.loads(zipfile.ZipFile(bundle).read("manifest.json"))["attempts"][0]["audio"]
    yield "metric text", _rewrite(bundle, tmp_path / "b15.vcbundle", metric_text), "metric duration_s"
    yield "metric infinite", _rewrite(bundle, tmp_path / "b16.vcbundle", metric_infinite), "not plain JSON"
    deep = tmp_path / "b17.vcbundle"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(deep, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, b"[" * 100_000 + b"]" * 100_000 if info.filename == "manifest.json" else zin.read(info))
    yield "deep nesting", deep, "not plain JSON"
    huge_number = _rewrite(bundle, tmp_path / "b18.vcbundle", extra=None)
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(huge_number, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = data.replace(b'"format"', b'"n": ' + b"9" * 5000 + b', "format"', 1)
            zout.writestr(info.filename, data)
    yield "5000-digit number", huge_number, "not plain JSON"
    yield "score", _rewrite(bundle, tmp_path / "b1.vcbundle", score), "score"
    yield "same rep key", _rewrite(bundle, tmp_path / "b19.vcbundle", same_rep_key), "two reps share a key"
    bomb = tmp_path / "b20.vcbundle"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():  # one recording swapped for 50 MB of zeros that packs into 50 KB
            big = info.filename == first_audio
            zout.writestr(info.filename, bytes(50 * 2**20) if big else zin.read(info))
    yield "zip bomb", bomb, "unpacks to far more"
    yield "traversal", _rewrite(bundle, tmp_path / "b2.vcbundle", traversal), "audio name"
    yield "absolute", _rewrite(bundle, tmp_path / "b3.vcbundle", absolute), "audio name"
    yield "unknown rep", _rewrite(bundle, tmp_path / "b4.vcbundle", unknown_rep), "rep"
    yield "scenario", _rewrite(bundle, tmp_path / "b5.vcbundle", scenario), "scenario"
    yield "format", _rewrite(bundle, tmp_path / "b6.vcbundle", fmt), "not a Voicemail Coach bundle"
    yield "words", _rewrite(bundle, tmp_path / "b7.vcbundle", words), "words"
    yield "code", _rewrite(bundle, tmp_path / "b8.vcbundle", extra={"run.py": b"import os"}), "unexpected file"
    yield "zip slip", _rewrite(bundle, tmp_path / "b9.vcbundle", extra={"../outside.wav": b"RIFF"}), "unexpected file"
    garbage = tmp_path / "b11.vcbundle"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(garbage, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, b"not audio at all" if info.filename == first_audio else zin.read(info))
    yield "not audio", garbage, "not readable audio"
    missing = tmp_path / "b12.vcbundle"
    with zipfile.ZipFile(bundle) as zin, zipfile.ZipFile(missing, "w") as zout:
        for info in zin.infolist():
            if info.filename != first_audio:
                zout.writestr(info.filename, zin.read(info))
    yield "missing audio", missing, "missing"
    text = tmp_path / "b13.vcbundle"
    text.write_text("hello")
    yield "not a zip", text, "not a zip"
    cut = tmp_path / "b14.vcbundle"
    cut.write_bytes(bundle.read_bytes()[: bundle.stat().st_size // 2])
    yield "truncated", cut, ""


def test_bad_bundles_are_refused_and_change_nothing(source, tmp_path):
    s, session, _ids, _ = source
    bundle = export_bundle(s, tmp_path / "may.vcbundle", session_id=session.id)
    other = Services(tmp_path / "reviewer")
    other.repo.save_rep(RepProfile("Zed"))
    before = _state(other)
    refused = 0
    for name, path, message in _bad_bundles(bundle, tmp_path):
        with pytest.raises(BundleError) as info:
            import_bundle(other, path)
        assert message.lower() in str(info.value).lower(), (name, str(info.value))
        assert _state(other) == before, name
        refused += 1
    assert refused == 19
    assert not (tmp_path / "outside.wav").exists() and not (tmp_path.parent / "evil.wav").exists()


def test_size_limits_are_enforced_while_reading(source, tmp_path, monkeypatch):
    s, session, ids, _ = source
    bundle = export_bundle(s, tmp_path / "one.vcbundle", attempt_ids=[ids[0]])
    monkeypatch.setattr(bundle_manifest, "MAX_AUDIO_BYTES", 1000)
    with pytest.raises(BundleError, match="larger than"):
        read_bundle(bundle)
    monkeypatch.undo()
    size = bundle.stat().st_size
    monkeypatch.setattr(bundle_manifest, "MAX_BUNDLE_BYTES", size)  # all of its audio unpacked is capped too
    with pytest.raises(BundleError, match="unpacks to"):
        read_bundle(bundle)


def test_import_streams_audio_to_disk_without_holding_it(source, tmp_path):
    """Recordings are unpacked member by member into staged files; the manifest is all that is kept in memory."""
    s, session, _ids, _ = source
    bundle = export_bundle(s, tmp_path / "may.vcbundle", session_id=session.id)
    assert isinstance(read_bundle(bundle), dict)  # the manifest alone
    other = Services(tmp_path / "reviewer")
    summary = import_bundle(other, bundle)
    stored = {other.repo.attempt(a).audio_path for a in summary.attempt_ids}
    on_disk = {str(p) for p in other.dirs.recordings.iterdir()}
    assert stored - {None} == on_disk and not any(p.endswith(".part") for p in on_disk)


def test_a_full_disk_midway_leaves_nothing_behind(source, tmp_path, monkeypatch):
    """The disk fills while the third recording is unpacked: a plain message, no rows, no files."""
    import builtins

    s, session, _ids, _ = source
    bundle = export_bundle(s, tmp_path / "may.vcbundle", session_id=session.id)
    other = Services(tmp_path / "reviewer")
    before = _state(other)
    opened = {"n": 0}

    class FullDisk:
        def __init__(self, fh):
            self.fh = fh

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

        def write(self, data):
            raise OSError(28, "No space left on device")

    def fake_open(path, mode="r", *args, **kwargs):
        fh = builtins.open(path, mode, *args, **kwargs)
        if "w" in mode:
            opened["n"] += 1
            if opened["n"] == 3:
                return FullDisk(fh)
        return fh

    monkeypatch.setattr(bundle_import, "open", fake_open, raising=False)
    with pytest.raises(BundleError, match="full"):
        import_bundle(other, bundle)
    monkeypatch.undo()
    assert _state(other) == before
    assert list(other.dirs.recordings.iterdir()) == []
    assert import_bundle(other, bundle).attempts == 4  # and it works once there is room


def test_what_the_app_saves_it_exports_and_imports(tmp_path):
    """Limits are the same on the way out and in: the longest name, transcript and comment the app accepts,
    and a seven-minute 48 kHz stereo recording, survive a round trip; one character more is refused by
    both sides with a message naming the limit."""
    from voicemail_coach.core import limits

    s = Services(tmp_path / "a")
    name = "N" * limits.NAME_CHARS
    rep = s.repo.save_rep(RepProfile(name, "Acme", "555 201 3344"))
    wav = tmp_path / "long.wav"
    rate, seconds = 48000, 7 * 60
    with soundfile.SoundFile(wav, "w", rate, 2, "PCM_16") as f:
        block = (0.1 * np.random.default_rng(1).standard_normal((rate * 10, 2))).astype("float32")
        for _ in range(seconds // 10):
            f.write(block)
    assert wav.stat().st_size > 60 * 2**20
    transcript = ("hi this is a long message " * 10_000)[: limits.TRANSCRIPT_CHARS]
    result = {"score": 40, "items": [], "transcript": transcript, "metrics": {"duration_s": float(seconds)}}
    aid = s.repo.add_attempt(rep.id, "bakery-payroll", result, [], s.repo.files.new_path(wav), copy_from=wav)
    s.repo.add_comment(aid, "c" * limits.COMMENT_CHARS, 3599.0, "A" * limits.NAME_CHARS)
    bundle = export_bundle(s, tmp_path / "big.vcbundle", attempt_ids=[aid])
    other = Services(tmp_path / "b")
    imported = other.repo.attempt(import_bundle(other, bundle).attempt_ids[0])
    assert imported.transcript == transcript and imported.rep == name
    assert other.repo.comments(imported.id)[0].text == "c" * limits.COMMENT_CHARS

    s.repo.add_comment(aid, "c" * (limits.COMMENT_CHARS + 1), 1.0)  # written past the app's own checks
    with pytest.raises(BundleError, match="cannot export: the comment is 5,001 characters long; the most is 5,000"):
        export_bundle(s, tmp_path / "too.vcbundle", attempt_ids=[aid])
    assert not (tmp_path / "too.vcbundle").exists()

    def longer(m):
        m["attempts"][0]["transcript"] += "x"

    with pytest.raises(BundleError, match="transcript is 200,001 characters long; the most is 200,000"):
        import_bundle(other, _rewrite(bundle, tmp_path / "longer.vcbundle", longer))


def test_cli_bundle_round_trip_and_refusal(source, tmp_path, capsys):
    from voicemail_coach.cli import main

    s, _session, ids, _ = source
    out = tmp_path / "cli.vcbundle"
    assert main(["--data-dir", str(tmp_path / "trainer"), "bundle", "export", "--attempt", str(ids[0]),
                 "--attempt", str(ids[2]), "-o", str(out)]) == 0
    assert main(["--data-dir", str(tmp_path / "x"), "bundle", "import", str(out)]) == 0
    assert "Imported 2 attempt(s)" in capsys.readouterr().out
    (tmp_path / "junk.vcbundle").write_bytes(b"PK\x03\x04 nonsense")
    assert main(["--data-dir", str(tmp_path / "x"), "bundle", "import", str(tmp_path / "junk.vcbundle")]) == 1
    assert "voicemail-coach:" in capsys.readouterr().err


def test_an_import_killed_midway_leaves_nothing_a_restart_does_not_clear(tmp_path):
    """kill -9 while a bundle's recordings are unpacked: no rows, only staged files, swept at the next start;
    importing again stores each attempt once."""
    import os
    import signal
    import subprocess
    import sys
    import time

    s = Services(tmp_path / "a")
    rep = s.repo.save_rep(RepProfile("Ana", "Acme", "555 201 3344"))
    big = tmp_path / "big.wav"
    rate = 48000
    with soundfile.SoundFile(big, "w", rate, 2, "PCM_16") as f:
        noise = (0.1 * np.random.default_rng(2).standard_normal((rate * 10, 2))).astype("float32")
        for _ in range(12):
            f.write(noise)
    ids = [s.repo.add_attempt(rep.id, "bakery-payroll", {"score": 50, "items": [], "transcript": "hi", "metrics": {}},
                              [], s.repo.files.new_path(big), copy_from=big) for _ in range(6)]
    bundle = export_bundle(s, tmp_path / "big.vcbundle", attempt_ids=ids)
    target = tmp_path / "b"
    code = ("import sys; from voicemail_coach.services import Services; from voicemail_coach.bundles import import_bundle;"
            "import_bundle(Services(sys.argv[1]), sys.argv[2])")
    proc = subprocess.Popen([sys.executable, "-c", code, str(target), str(bundle)])
    recordings = target / "recordings"
    deadline = time.time() + 60
    while not list(recordings.glob("*.part")) and time.time() < deadline and proc.poll() is None:
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    left = list(recordings.iterdir())
    assert left and all(p.name.endswith(".part") for p in left), left
    for p in left:  # ten minutes on
        os.utime(p, (time.time() - 900, time.time() - 900))
    other = Services(target)
    assert other.repo.count() == 0 and list(recordings.iterdir()) == []
    assert import_bundle(other, bundle).attempts == 6
    stored = sorted(other.repo.attempt(a.id).audio_path for a in other.repo.history())
    assert sorted(str(p) for p in recordings.iterdir()) == stored


@pytest.mark.sqlite_only
def test_a_locked_database_refuses_the_import_plainly_and_leaves_no_file(source, tmp_path):
    import sqlite3

    from voicemail_coach.storage.db import StorageError

    s, session, _ids, _ = source
    bundle = export_bundle(s, tmp_path / "may.vcbundle", session_id=session.id)
    other = Services(tmp_path / "reviewer")
    other.repo.conn.execute("PRAGMA busy_timeout=100")
    holder = sqlite3.connect(other.dirs.database, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another program writing
    try:
        with pytest.raises(StorageError, match="locked"):
            import_bundle(other, bundle)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert list(other.dirs.recordings.iterdir()) == [] and other.repo.count() == 0
