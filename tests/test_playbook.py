"""A trainer's own playbook: checked as it is edited, tried on the history, saved as a file, chosen for grading
(by the app and the command line), and the default back with one click."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import tomllib
from PySide6.QtWidgets import QDialogButtonBox

from voicemail_coach import playbook
from voicemail_coach.corpus import load_corpus
from voicemail_coach.core.people import RepProfile
from voicemail_coach.core.rubric import RubricError
from voicemail_coach.core.transcript import Transcript
from voicemail_coach.practice import Practice
from voicemail_coach.services import Services

DAVE = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390")
GOOD = ("Hi Chloe, this is Dave from Brightline Uniforms. We cut uniform costs by 18% for Seaside Inns. "
        "Call me at 555-214-3390. I'll try you again Thursday at 10, and I'm sending you a short email.")
CHECK_IN = "Hi Chloe, it's Dave from Brightline Uniforms, just checking in. Call me back at 555-214-3390."


def test_a_playbook_is_checked_before_it_can_grade():
    data = playbook.default_data()
    data["meta"]["name"] = "Winter class"
    assert playbook.check(data).name == "Winter class"
    broken = json.loads(json.dumps(data))
    broken["patterns"]["apology"] = ["(unclosed"]
    with pytest.raises(RubricError, match="not a valid regular expression"):
        playbook.check(broken)
    heavy = json.loads(json.dumps(data))
    heavy["items"]["value"]["weight"] = -3
    with pytest.raises(RubricError, match="value: the weight"):
        playbook.check(heavy)
    band = json.loads(json.dumps(data))
    band["delivery"]["length"]["max_s"] = "forty"
    with pytest.raises(RubricError, match="length.max_s"):
        playbook.check(band)
    unnamed = json.loads(json.dumps(data))
    unnamed["meta"]["name"] = "  "
    with pytest.raises(RubricError, match="name"):
        playbook.check(unnamed)
    assert playbook.check(unnamed, named=False)


def test_saved_chosen_and_back_to_the_default(tmp_path):
    services = Services(tmp_path / "data")
    data = playbook.default_data()
    data["meta"]["name"] = "Winter class"
    data["items"]["no_check_in"]["label"] = "Never just checks in"
    path = playbook.save(services.dirs, data)
    assert path.name == "winter-class.toml" and tomllib.loads(path.read_text())["items"]["no_check_in"]["label"] == \
        "Never just checks in"
    assert playbook.load_rubric(path).items["value"].label == playbook.default_rubric().items["value"].label
    playbook.choose(services.dirs, path)
    assert services.rubric.name == "Winter class"
    path.write_text("this is not toml [")
    fresh = Services(tmp_path / "data")
    assert fresh.rubric.name == playbook.default_rubric().name and "cannot be used" in fresh.notices[0]
    path.unlink()
    assert playbook.active_rubric(Services(tmp_path / "data").dirs)[1] is None  # chosen file gone: the default


def test_editing_previewing_and_saving_through_the_window(qtbot, tmp_path):
    from voicemail_coach.ui.playbook_dialog import PlaybookDialog

    services = Services(tmp_path / "data")
    rep = services.repo.save_rep(DAVE)
    practice = Practice(services)
    scenario = services.scenarios.get("hotel-uniforms")
    for text in (GOOD, CHECK_IN):
        transcript = Transcript.from_text(text)
        practice.save(rep.id, scenario, practice.grade_transcript(transcript, DAVE, scenario), transcript, None)
    dialog = PlaybookDialog(services, practice)
    qtbot.addWidget(dialog)
    dialog.show()
    save = dialog.buttons.button(QDialogButtonBox.Save)
    assert not save.isEnabled() and "name" in dialog.status.text()  # the default is not overwritten
    dialog.name.setText("Winter class")
    assert save.isEnabled()
    # a weight: the check-in item counts for nothing; a label
    rows = {dialog.items.item(r, 0).text(): r for r in range(dialog.items.rowCount())}
    dialog.items.item(rows["no_check_in"], 2).setText("0")
    dialog.items.item(rows["callback_time"], 1).setText("Names the next call")
    dialog.items.item(rows["value"], 2).setText("lots")
    assert not save.isEnabled() and "value" in dialog.status.text()
    dialog.items.item(rows["value"], 2).setText("16")
    # a phrase list with a broken pattern, then mended
    keys = [dialog.pattern_list.item(k).text() for k in range(dialog.pattern_list.count())]
    dialog.pattern_list.setCurrentRow(keys.index("check_in"))
    original = dialog.pattern_text.toPlainText()
    dialog.pattern_text.setPlainText(original + "\n(broken")
    assert not save.isEnabled() and "regular expression" in dialog.status.text()
    dialog.pattern_text.setPlainText(original)
    assert save.isEnabled()
    # a band
    bands = {dialog.bands.item(r, 0).text(): r for r in range(dialog.bands.rowCount())}
    dialog.bands.item(bands["length.max_s"], 1).setText("60")
    assert save.isEnabled()
    # tried on the history before saving: the check-in attempt's score moves, the good one's does not
    dialog.run_preview()
    qtbot.waitUntil(lambda: "saved attempts:" in dialog.preview_label.text(), timeout=120_000)
    shown = dialog.preview_label.text()
    assert "on 2 saved attempts: 1 score change" in shown
    # the labelled corpus graded with both: a weight moves no label, so agreement stays as it is
    now, edited = re.search(r"agrees with ([\d.]+)% of its (\d+) labels now, ([\d.]+)% edited", shown).group(1, 3)
    assert now == edited and float(now) > 95
    save.click()
    assert services.rubric.name == "Winter class" and "Saved" in dialog.status.text()
    assert services.rubric.items["callback_time"].label == "Names the next call"
    assert services.rubric.delivery["length"]["max_s"] == 60
    # the command line grades with it too
    out = subprocess.run([sys.executable, "-m", "voicemail_coach", "--data-dir", str(tmp_path / "data"), "grade",
                          "--text", CHECK_IN, "--rep-name", DAVE.name, "--rep-company", DAVE.company, "--rep-phone",
                          DAVE.phone, "--json"], capture_output=True, text=True, check=True)
    assert "Names the next call" in [i["label"] for i in json.loads(out.stdout)["items"]]
    dialog.use_default()
    assert services.rubric.name == playbook.default_rubric().name
    assert playbook.active_path(services.dirs) is None and playbook.saved(services.dirs)  # the file is kept


def test_the_settings_menu_opens_it_and_the_live_checklist_follows_the_choice(qtbot, tmp_path):
    from PySide6.QtCore import QTimer

    from tests.test_ui import FakeSD, make_window

    services = Services(tmp_path / "data")
    w = make_window(qtbot, services, FakeSD())
    action = next(a for m in w.menuBar().actions() for a in m.menu().actions() if a.text() == "Play&book…")

    def edit_and_close():
        dialog = w.playbook_dialog
        dialog.name.setText("Short class")
        rows = {dialog.items.item(r, 0).text(): r for r in range(dialog.items.rowCount())}
        dialog.items.item(rows["rep_name"], 1).setText("Your name first")
        dialog.buttons.button(QDialogButtonBox.Save).click()
        dialog.reject()

    QTimer.singleShot(200, edit_and_close)
    action.trigger()
    assert services.rubric.name == "Short class"
    assert w.page.live.texts["rep_name"].text() == "Your name first"
    assert "Short class" in w.statusBar().currentMessage()


def _winter(services) -> str:
    data = playbook.default_data()
    data["meta"]["name"] = "Winter class"
    data["items"]["callback_time"]["label"] = "Names the next call"
    return playbook.save(services.dirs, data).name


def test_a_session_grades_with_its_own_playbook_and_carries_it_in_its_bundle(tmp_path):
    import zipfile

    from voicemail_coach.bundles import export_bundle, import_bundle
    from voicemail_coach.bundles.manifest import BundleError

    services = Services(tmp_path / "a")
    rules = _winter(services)
    rep = services.repo.save_rep(DAVE)
    session = services.sessions.create("January cohort", [rep.id], ["hotel-uniforms"], playbook=rules)
    assert services.sessions.get(session.id).playbook == "winter-class.toml"
    practice = Practice(services)
    scenario = services.scenarios.get("hotel-uniforms")
    transcript = Transcript.from_text(GOOD)
    in_session = practice.grade_transcript(transcript, DAVE, scenario, session_id=session.id)
    alone = practice.grade_transcript(transcript, DAVE, scenario)
    assert in_session.item("callback_time").label == "Names the next call"
    assert alone.item("callback_time").label == playbook.default_rubric().items["callback_time"].label
    practice.save(rep.id, scenario, in_session, transcript, None, session_id=session.id)
    bundle = export_bundle(services, tmp_path / "cohort.vcbundle", session_id=session.id)
    # on another machine: the session arrives with its playbook, and grades with it there
    other = Services(tmp_path / "b")
    summary = import_bundle(other, bundle)
    arrived = other.sessions.get(summary.session_id)
    assert arrived.playbook == "winter-class.toml" and (other.dirs.playbooks / arrived.playbook).is_file()
    graded = Practice(other).grade_transcript(transcript, DAVE, scenario, session_id=arrived.id)
    assert graded.item("callback_time").label == "Names the next call"
    # a playbook that cannot grade does not come in
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["session"]["playbook"]["toml"] = manifest["session"]["playbook"]["toml"].replace(
        "[patterns]", "[patterns]\napology = '(unclosed'\n", 1)
    broken = tmp_path / "broken.vcbundle"
    with zipfile.ZipFile(broken, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
    with pytest.raises(BundleError, match="playbook cannot grade"):
        import_bundle(Services(tmp_path / "c"), broken)


@pytest.mark.sqlite_only  # the command line runs in its own process, on the data folder's file
def test_the_command_line_creates_a_session_with_a_playbook(tmp_path):
    services = Services(tmp_path / "data")
    _winter(services)

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "voicemail_coach", "--data-dir", str(tmp_path / "data"), *args],
                              capture_output=True, text=True)

    made = cli("session", "create", "--name", "Winter", "--rep", "Ann Lee", "--scenario", "hotel-uniforms",
               "--playbook", "Winter-Class", "--json")
    assert made.returncode == 0, made.stderr
    assert Services(tmp_path / "data").sessions.get(json.loads(made.stdout)["id"]).playbook == "winter-class.toml"
    missing = cli("session", "create", "--name", "Spring", "--rep", "Ann Lee", "--scenario", "hotel-uniforms",
                  "--playbook", "summer")
    assert missing.returncode == 2 and "no saved playbook 'summer'" in missing.stderr and "winter-class" in missing.stderr


def test_the_preview_shows_an_edit_that_breaks_an_item_on_the_labelled_corpus(tmp_path):
    services = Services(tmp_path / "data")
    data = playbook.default_data()
    data["patterns"]["value"] = [r"\bnever said by anyone\b"]  # the value item can no longer pass
    shown = Practice(services).preview_playbook(playbook.check(data, named=False))
    assert shown.attempts == 0 and shown.corpus_labels >= 2000
    assert shown.corpus_now == shown.corpus_labels  # the corpus's text labels and today's playbook agree
    lost = shown.corpus_now - shown.corpus_edited
    labelled_value_passes = sum(vm.labels.get("value", False) for vm in load_corpus())
    assert lost == labelled_value_passes and "no saved attempts" in shown.summary()
