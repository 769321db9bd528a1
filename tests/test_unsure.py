"""'Not sure I heard it' instead of a wrong ✗, and marks that turn attempts into labels."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from voicemail_coach.core.grader import ItemResult, grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.transcript import Transcript, Word

DAVE = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")
CHLOE = Prospect("Chloe Martin", "Harbor Hotels")


def timed(text: str, doubted: set[str] = frozenset()) -> Transcript:
    """Words half a second apart; words in ``doubted`` come back with a low probability."""
    words = [Word(w, i * 0.5, i * 0.5 + 0.4, 0.3 if w.strip(".,").lower() in doubted else 0.95)
             for i, w in enumerate(text.split())]
    return Transcript(words, duration=len(words) * 0.5)


def run(transcript: Transcript):
    return grade(transcript, DAVE, CHLOE, default_rubric())


def test_a_garbled_second_reading_is_unsure_not_failed():
    result = run(timed("Hi Chloe, this is Dave from Brightline. Call me at 555-214-3390. "
                       "Again, today Matt 5 -5 -2 -1 -4 -3 -5 -0."))
    twice = result.item("number_twice")
    assert not twice.passed and twice.unsure and twice.status == "unsure"
    assert twice.heard.startswith("5 -5") and twice.heard_start is not None
    assert "not sure" in twice.tip.lower()
    assert result.unconfirmed == 1
    out = result.to_dict()
    assert out["unconfirmed"] == 1
    item = next(i for i in out["items"] if i["id"] == "number_twice")
    assert item["passed"] is False and item["status"] == "unsure" and item["heard_end"] >= item["heard_start"]


def test_a_different_number_is_a_plain_miss():
    result = run(timed("Hi Chloe, this is Dave. Call me at 555-219-7730. Again 555-219-7730."))
    assert result.item("contact").status == "failed"
    assert result.unconfirmed == 0


def test_a_doubted_word_near_a_name_is_unsure_and_a_confident_one_is_not():
    doubted = run(timed("This is Dave from Brightline. Clover, I can help.", doubted={"clover"}))
    assert doubted.item("prospect_named").status == "unsure"
    assert doubted.item("prospect_named").heard == "Clover"
    confident = run(timed("This is Dave from Brightline. Clover, I can help."))
    assert confident.item("prospect_named").status == "failed"


@pytest.mark.parametrize("opening", ["Hiklowee", "1. Heyclo-e"])
def test_a_greeting_run_into_the_name_is_unsure_not_credited(opening):
    # "Hi Chloe" heard as one word sounds the same as a greeting to someone else ("Helen" for "Hi Lena"):
    # never credited, but not a flat miss either
    item = run(timed(f"{opening}, this is Dave from Brightline.")).item("prospect_named")
    assert not item.passed and item.status == "unsure"
    assert item.heard in opening


def test_a_name_that_sounds_somewhat_right_in_the_introduction_is_unsure():
    aisha = RepProfile("Aisha Okafor", "Greenlight Solar", "555-582-6107")
    peter = Prospect("Peter Novak")
    near = grade(timed("Hi Peter, shark heifer, Greenlight Solar."), aisha, peter, default_rubric()).item("rep_name")
    assert not near.passed and near.status == "unsure" and near.heard == "shark heifer"
    none = grade(timed("Hi Peter, Greenlight Solar here, about your panels."), aisha, peter, default_rubric())
    assert none.item("rep_name").status == "failed"


def test_a_greeting_to_someone_else_is_a_plain_miss():
    assert run(timed("Hello Megan, this is Dave from Brightline.")).item("prospect_named").status == "failed"
    assert run(timed("Helena, this is Dave from Brightline.")).item("prospect_named").status == "failed"


def test_a_promise_whose_time_was_doubted_is_unsure():
    result = run(timed("I'll call you again Thirsty, bye.", doubted={"thirsty"}))
    callback = result.item("callback_time")
    assert callback.status == "unsure" and "Thirsty" in callback.heard


def test_a_doubted_email_word_is_unsure():
    result = run(timed("I'm sending you a female with the numbers.", doubted={"female"}))
    assert result.item("email_followup").status == "unsure"


def test_unsure_is_never_credited_and_round_trips():
    result = run(timed("Hi Chloe. Call me at 555-214. That's 555-214.", doubted={"555-214."}))
    assert all(not i.passed for i in result.items if i.unsure)
    again = [ItemResult.from_dict(d) for d in result.to_dict()["items"]]
    assert [(i.id, i.status, i.heard) for i in again] == [(i.id, i.status, i.heard) for i in result.items]
    assert ItemResult.from_dict({"id": "x", "label": "X", "passed": True, "bogus": 1}).passed


@pytest.mark.parametrize("text, prospect", [
    ("Hey, it's Jason. Call me.", "Amy Chen"),
    ("Hi, sorry to bother you, this is Jason from Acme.", "Greg Holloway"),
    ("Hello there, Jason here from Acme.", "Amy Chen"),
    ("Hi Karen, it's Jason from Acme.", "Megan O'Brien"),
    ("Hi everyone, it's Jason from Acme.", "Rosa Jimenez"),
    ("Good morning, this is Jason from Acme.", "Mark Sullivan"),
])
def test_a_greeting_without_the_prospects_name_is_not_credited(text, prospect):
    rep = RepProfile("Jason Park", "Acme", "555-111-2222")
    result = grade(Transcript.from_text(text), rep, Prospect(prospect), default_rubric())
    assert not result.item("prospect_named").passed, result.item("prospect_named").evidence


def cli(*args, data):
    return subprocess.run([sys.executable, "-m", "voicemail_coach", "--data-dir", str(data), *args],
                          capture_output=True, text=True, timeout=900)


def test_marks_and_labels_export_from_the_command_line(tmp_path):
    from tests.support.corpus import load_corpus

    data = tmp_path / "data"
    assert cli("profile", "--name", "Dave Kowalski", "--company", "Brightline Uniforms", "--phone", "555-214-3390",
               data=data).returncode == 0
    graded = cli("grade", "--scenario", "hotel-uniforms", "--save", "--json", "--text",
                 "Hi Chloe, this is Dave from Brightline. Call me at 555-214-3390. Again, today Matt 5 -5 -2 -1 -4 -3 -5 -0.",
                 data=data)
    out = json.loads(graded.stdout)
    assert out["unconfirmed"] == 1
    attempt = str(out["attempt_id"])
    assert cli("mark", "--attempt", attempt, "--item", "number_twice", "--said", data=data).returncode == 0
    done = cli("mark", "--attempt", attempt, "--item", "value", "--not-said", "--by", "Tess Lee", data=data)
    assert "trainer" in done.stdout
    # a trainer's mark counts over the rep's
    cli("mark", "--attempt", attempt, "--item", "rep_name", "--not-said", data=data)
    cli("mark", "--attempt", attempt, "--item", "rep_name", "--said", "--by", "Tess Lee", data=data)
    cli("mark", "--attempt", attempt, "--item", "rep_name", "--not-said", data=data)
    listed = json.loads(cli("mark", "--attempt", attempt, "--json", data=data).stdout)
    assert [(m["item_id"], m["said"], m["role"]) for m in listed][:2] == [("number_twice", True, "rep"), ("value", False, "trainer")]
    assert all(m["created_at"] for m in listed)
    exported = tmp_path / "labels.toml"
    assert cli("labels", "export", "-o", str(exported), data=data).returncode == 0
    [entry] = load_corpus(exported)
    assert entry.labels["number_twice"] is True and entry.labels["value"] is False
    assert entry.labels["rep_name"] is True  # the trainer's mark, not the rep's later one
    assert entry.labels["prospect_named"] is True and entry.rep.phone == "555-214-3390"
    bad = cli("mark", "--attempt", "99999999999999999999999", "--item", "value", "--said", data=data)
    assert bad.returncode == 2 and "no attempt" in bad.stderr
    bad = cli("mark", "--attempt", attempt, "--item", "bogus", "--said", data=data)
    assert bad.returncode == 2 and "unknown item" in bad.stderr
