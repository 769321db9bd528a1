"""'Number survives the phone line' (core/number_on_phone.py): which group was lost, why, and when the item
fails, is unsure or passes. The second listen through the real engine: tests/test_cli.py and tests/test_ui.py."""

from __future__ import annotations

import pytest

from voicemail_coach.core.number_clarity import NumberReading
from voicemail_coach.core.number_on_phone import (
    ITEM, PhoneCheck, check, lost_groups, phone_item, stored_checks, with_phone_checks,
)
from voicemail_coach.core.results import GradeResult, ItemResult
from voicemail_coach.playbook import default_rubric

NUMBER = "555-214-3390"
SPEC = default_rubric().delivery[ITEM]
CLARITY = default_rubric().delivery["number_clarity"]


def reading(rate=2.0, db=0.0, start=10.0, pauses=2):
    return NumberReading(start, start + 5.0, 10, rate, pauses, db)


@pytest.mark.parametrize("heard, lost", [
    ("5552143390", ()), ("552143390", (0,)), ("5552143", (2,)), ("5553143390", (1,)), ("", (0, 1, 2)),
    ("55521433900", (2,)), ("2143390", (0,)),
])
def test_the_groups_that_did_not_come_through(heard, lost):
    assert lost_groups("5552143390", heard) == lost


def test_seven_digit_numbers_have_two_groups():
    assert lost_groups("2143390", "214339") == (1,)
    assert lost_groups("2143390", "14339") == (0, 1)


def test_a_fast_or_quiet_reading_fails_with_its_reason_and_an_unexplained_loss_is_unsure():
    fast = check(NUMBER, "555214", reading(rate=5.0), CLARITY)
    assert fast.lost == (2,) and fast.reason == "fast"
    item = phone_item([fast], NUMBER, SPEC)
    assert not item.passed and not item.unsure and "last four digits" in item.tip and "too fast" in item.tip
    nothing = check(NUMBER, "", reading(rate=5.0), CLARITY)
    assert "On the phone, the number did not come through" in phone_item([nothing], NUMBER, SPEC).tip
    two = check(NUMBER, "555", reading(rate=5.0), CLARITY)
    assert "the first three digits and the last four digits did not" in phone_item([two], NUMBER, SPEC).tip
    quiet = check(NUMBER, "2143390", reading(db=-12.0), CLARITY)
    assert quiet.reason == "quiet" and "area code" in phone_item([quiet], NUMBER, SPEC).tip
    together = check(NUMBER, "5552143", reading(pauses=0), CLARITY)
    assert together.reason == "run_together" and "ran together" in phone_item([together], NUMBER, SPEC).tip
    unclear = check(NUMBER, "552143390", reading(), CLARITY)
    item = phone_item([unclear], NUMBER, SPEC)
    assert unclear.reason == "swallowed" and item.unsure and item.heard == "552143390" and item.status == "unsure"
    # a definite cause on either reading wins over an unexplained one
    both = phone_item([unclear, check(NUMBER, "555214", reading(rate=5.0, start=20.0), CLARITY)], NUMBER, SPEC)
    assert not both.unsure and "second time" in both.tip and both.start == 20.0


def test_every_reading_through_whole_passes_and_the_grade_keeps_what_was_heard():
    checks = [check(NUMBER, "5552143390", reading(), CLARITY), check(NUMBER, "5552143390", reading(start=20), CLARITY)]
    base = GradeResult(50, [], "text", {"duration_s": 30.0})
    graded = with_phone_checks(base, checks, NUMBER, default_rubric())
    item = graded.item(ITEM)
    assert item.passed and "2 readings" in item.evidence and graded.score == 100
    assert stored_checks(graded.metrics) == checks
    lost = with_phone_checks(base, [PhoneCheck(10, 15, "5552", (1, 2), "fast")], NUMBER, default_rubric())
    assert stored_checks(lost.metrics)[0].lost == (1, 2) and lost.score == 0
    # a loss with no measured cause leaves the score as it was: unsure, neither earned nor lost
    named = GradeResult(100, [ItemResult("rep_name", "Says who you are", True, evidence="Dave")], "text", {})
    doubt = with_phone_checks(named, [check(NUMBER, "552143390", reading(), CLARITY)], NUMBER, default_rubric())
    assert doubt.item(ITEM).unsure and doubt.unconfirmed == 1 and doubt.score == 100
    failed = with_phone_checks(named, [check(NUMBER, "555214", reading(rate=5.0), CLARITY)], NUMBER, default_rubric())
    assert failed.score == round(100 * 10 / 12)  # a measured loss costs the item's weight
