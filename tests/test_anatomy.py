"""The anatomy of a message: when each part was said, and order problems against the playbook."""

from __future__ import annotations

from voicemail_coach.core.anatomy import anatomy
from voicemail_coach.playbook import default_rubric


def _item(item_id: str, start: float | None, passed: bool = True) -> dict:
    return {"id": item_id, "label": item_id, "passed": passed, "start": start, "end": None if start is None else start + 1}


def test_parts_in_the_order_said_and_no_problem_when_the_article_is_followed():
    items = [_item("value", 4.0), _item("rep_name", 0.8), _item("contact", 15.0), _item("number_twice", 24.0),
             _item("callback_time", 20.0), _item("no_apology", None), _item("email_followup", 9.0, passed=False)]
    shape = anatomy(items, 28.0, default_rubric())
    assert [m.item_id for m in shape.moments] == ["rep_name", "value", "contact", "callback_time", "number_twice"]
    assert shape.problems == [] and shape.duration == 28.0


def test_a_late_name_a_value_after_the_number_and_an_early_repeat_are_each_flagged():
    items = [_item("rep_name", 9.0), _item("contact", 12.0), _item("number_twice", 14.0), _item("value", 18.0)]
    problems = anatomy(items, 35.0, default_rubric()).problems
    assert len(problems) == 3
    assert "0:09" in problems[0] and "first 6 seconds" in problems[0]
    assert "0:18" in problems[1] and "after your number" in problems[1]
    assert "0:14" in problems[2] and "21 s before the end" in problems[2]


def test_without_times_there_is_nothing_to_place():
    shape = anatomy([_item("rep_name", None), _item("value", None)], None, default_rubric())
    assert shape.moments == [] and shape.problems == []
