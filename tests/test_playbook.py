"""A trainer's own playbook: checked as it is edited, tried on the history, saved as a file, chosen for grading
(by the app and the command line), and the default back with one click."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import tomllib
from PySide6.QtWidgets import QDialogButtonBox

from voicemail_coach import playbook
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
    qtbot.waitUntil(lambda: dialog.preview_label.text().startswith("On "), timeout=60_000)
    assert "On 2 saved attempts: 1 score change" in dialog.preview_label.text()
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
