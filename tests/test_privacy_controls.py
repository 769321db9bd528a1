"""Settings ▸ Privacy: recordings kept N days, everything of one rep deleted, exports with numbers and emails masked."""

from __future__ import annotations

import json
import zipfile

import numpy as np
import pytest
import soundfile

from voicemail_coach import privacy
from voicemail_coach.bundles import export_bundle, import_bundle
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.redact import MASK, mask_text
from voicemail_coach.reports.build import rep_report
from voicemail_coach.reports.render import rep_html
from voicemail_coach.services import Services
from voicemail_coach.storage.sessions import SessionStore

SAID = "Hi Laura, this is Dave from Brightline. Call me at 555-214-3390, or email dave@brightline.com. Thanks."


@pytest.mark.parametrize("text, gone, kept", [
    (SAID, ["555", "214", "3390", "dave@brightline.com"], ["Laura,", "Brightline.", "Thanks."]),
    ("call five five five, two one four, three three nine oh today", ["five", "two", "nine"], ["call", "today"]),
    ("write to dave at brightline dot com or dave underscore k at acme dot io", ["brightline", "acme", "underscore"],
     ["write", "or"]),
    ("We cut costs 30 percent in 2 weeks; I'll call Tuesday at 10:30.", [], ["30", "2", "10:30"]),
])
def test_numbers_and_emails_are_masked_and_nothing_else(text, gone, kept):
    masked = mask_text(text)
    assert MASK in masked or not gone
    for word in gone:
        assert word not in masked.split() and word not in masked.replace(MASK, " ").split(), (word, masked)
    for word in kept:
        assert word in masked, (word, masked)


def _timed_attempt(s, rep_id, tmp_path, created_at=None):
    """An attempt whose words have times, with a recording that is loud everywhere."""
    words = [{"text": w, "start": i * 0.5, "end": i * 0.5 + 0.4, "p": 0.9} for i, w in enumerate(SAID.split())]
    rate = 16000
    wav = tmp_path / f"take-{len(list(tmp_path.glob('take-*')))}.wav"
    t = np.arange(int(len(words) * 0.5 * rate)) / rate
    soundfile.write(wav, (0.3 * np.sin(2 * np.pi * 300 * t)).astype("float32"), rate)
    result = {"score": 70, "transcript": SAID, "metrics": {"duration_s": len(words) * 0.5},
              "items": [{"id": "contact", "label": "Leaves a way to call back", "passed": True,
                         "evidence": "555-214-3390", "start": 4.5, "end": 4.9}]}
    return s.repo.add_attempt(rep_id, "bakery-payroll", result, words, s.repo.files.new_path(wav), copy_from=wav,
                              created_at=created_at), words


def test_a_masked_bundle_hides_numbers_and_emails_in_text_and_audio(tmp_path):
    s = Services(tmp_path / "a")
    rep = s.repo.save_rep(RepProfile("Dave Kowalski", "Brightline", "555-214-3390", "dave@brightline.com"))
    aid, words = _timed_attempt(s, rep.id, tmp_path)
    s.repo.add_comment(aid, "Say 555-214-3390 slower", 4.0, "Tess")
    bundle = export_bundle(s, tmp_path / "masked.vcbundle", attempt_ids=[aid], mask=True)
    with zipfile.ZipFile(bundle) as zf:
        manifest = zf.read("manifest.json").decode()
        audio_name = json.loads(manifest)["attempts"][0]["audio"]
        zf.extract(audio_name, tmp_path / "x")
    for secret in ("3390", "214", "dave@brightline.com"):
        assert secret not in manifest
    assert json.loads(manifest)["masked"] is True
    audio, rate = soundfile.read(tmp_path / "x" / audio_name)
    for i, w in enumerate(words):  # the number and the email are silent, the rest is not
        part = audio[int(w["start"] * rate): int(w["end"] * rate)]
        silent = float(np.abs(part).max()) == 0.0
        assert silent == (w["text"].strip(".,") in ("555-214-3390", "dave@brightline.com")), w["text"]
    assert not list((tmp_path / "a").glob(".export-*"))  # the silenced copy is cleaned up
    other = Services(tmp_path / "b")
    imported = other.repo.attempt(import_bundle(other, bundle).attempt_ids[0])
    assert "555-214-3390" not in imported.transcript and "Brightline" in imported.transcript
    # and unmasked by default
    plain = export_bundle(s, tmp_path / "plain.vcbundle", attempt_ids=[aid])
    assert "555-214-3390" in zipfile.ZipFile(plain).read("manifest.json").decode()


def test_a_masked_report_hides_numbers(tmp_path):
    s = Services(tmp_path / "a")
    rep = s.repo.save_rep(RepProfile("Dave Kowalski", "Brightline", "555-214-3390"))
    _timed_attempt(s, rep.id, tmp_path)
    assert "3390" in rep_html(rep_report(s, rep))
    html = rep_html(rep_report(s, rep, mask=True))
    assert "3390" not in html and "brightline.com" not in html and "Laura" in html


def test_recordings_older_than_the_setting_are_deleted_scores_stay(tmp_path):
    s = Services(tmp_path / "a")
    rep = s.repo.save_rep(RepProfile("Dave", "Brightline", "555-214-3390"))
    old, _ = _timed_attempt(s, rep.id, tmp_path, created_at="2020-01-01T09:00:00Z")
    new, _ = _timed_attempt(s, rep.id, tmp_path)
    old_audio = s.repo.attempt(old).audio_path
    assert privacy.set_keep_days(s.repo, 30) == 1
    assert s.repo.attempt(old).audio_path is None and s.repo.attempt(old).transcript == SAID
    assert s.repo.attempt(old).score == 70
    assert not (tmp_path / "a" / "recordings" / old_audio.rsplit("/", 1)[-1]).exists()
    assert s.repo.attempt(new).audio_path is not None
    # applied at every start too
    s.repo.conn.execute("UPDATE attempts SET created_at = '2021-01-01T00:00:00Z' WHERE id = ?", (new,))
    again = Services(tmp_path / "a")
    assert again.repo.attempt(new).audio_path is None
    with pytest.raises(ValueError):
        privacy.set_keep_days(s.repo, -1)


def test_deleting_a_rep_removes_everything_of_theirs_and_nothing_else(tmp_path):
    s = Services(tmp_path / "a")
    ana = s.repo.save_rep(RepProfile("Ana", "Acme", "555 201 3344"))
    ben = s.repo.save_rep(RepProfile("Ben", "Acme", "555 201 3345"), make_active=False)
    a1, _ = _timed_attempt(s, ana.id, tmp_path)
    a2, _ = _timed_attempt(s, ana.id, tmp_path)
    b1, _ = _timed_attempt(s, ben.id, tmp_path)
    s.repo.add_comment(a1, "slower", 1.0)
    s.repo.add_mark(a1, "contact", True)
    s.repo.save_email(a1, "Hi Laura", {"score": 50, "items": []})
    s.repo.conn.execute("UPDATE attempts SET previous_id = ? WHERE id = ?", (a1, b1))
    store = SessionStore(s.repo)
    session = store.create("May", [ana.id, ben.id], ["bakery-payroll"], 80, ana.id)
    store.set_exemplar(session.id, "bakery-payroll", a2)
    footprint = s.repo.delete_rep(ana.id)
    assert footprint == {"attempts": 2, "recordings": 2, "comments": 1}
    assert s.repo.rep_by_name("Ana") is None and [a.id for a in s.repo.history()] == [b1]
    assert [p.name for p in (tmp_path / "a" / "recordings").iterdir()] == [s.repo.attempt(b1).audio_path.rsplit("/", 1)[-1]]
    for table in ("comments", "marks", "attempt_emails"):
        assert s.repo.conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == 0
    kept = store.get(session.id)
    assert kept.rep_ids == [ben.id] and kept.trainer_id is None and not kept.exemplars
    if s.repo.conn.dialect == "sqlite":  # PostgreSQL refuses a dangling reference at once
        assert s.repo.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert s.repo.active_rep().id == ben.id


def test_the_privacy_dialog(qtbot, tmp_path):
    from voicemail_coach.ui.privacy_dialog import PrivacyDialog

    s = Services(tmp_path / "a")
    ana = s.repo.save_rep(RepProfile("Ana <b>R</b>", "Acme", "555 201 3344"))
    _timed_attempt(s, ana.id, tmp_path, created_at="2020-01-01T09:00:00Z")
    dialog = PrivacyDialog(s.repo)
    qtbot.addWidget(dialog)
    assert not dialog.keep.isChecked() and not dialog.days.isEnabled()
    dialog.keep.setChecked(True)
    dialog.days.setValue(90)
    dialog.mask.setChecked(True)
    asked = []
    dialog.confirm = lambda text: asked.append(text) or False  # the user says Cancel
    dialog.delete_button.click()
    assert s.repo.rep_by_name("Ana <b>R</b>") is not None and "1 attempt(s), 1 recording(s)" in asked[0]
    dialog.save_button.click()
    assert privacy.keep_days(s.repo) == 90 and privacy.mask_exports(s.repo) and dialog.removed_recordings == 1
    dialog = PrivacyDialog(s.repo)
    qtbot.addWidget(dialog)
    assert dialog.keep.isChecked() and dialog.days.value() == 90 and dialog.mask.isChecked()
    dialog.confirm = lambda text: True
    dialog.delete_button.click()
    assert s.repo.reps() == [] and not dialog.delete_button.isEnabled()
