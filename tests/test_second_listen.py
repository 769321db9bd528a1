"""The opening heard a second time: kept only when it finds more of the checklist and loses nothing."""

from __future__ import annotations

from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.second_listen import listen_again, replaced
from voicemail_coach.core.transcript import Transcript, Word
from voicemail_coach.playbook import default_rubric

DAVE = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")
CHLOE = Prospect("Chloe Martin", "Harbor Hotels")
REST = ("We cut uniform costs by 20 percent for Seaside Inns. Call me at 555-214-3390, again 555-214-3390. "
        "I'll send you an email today and I'll call you again Thursday at 10.")


def words(text: str, start: float = 0.0) -> list[Word]:
    return [Word(w, start + i * 0.5, start + i * 0.5 + 0.4, 0.9) for i, w in enumerate(text.split())]


def message(opening: str) -> Transcript:
    head = words(opening)
    end = len(head) * 0.5
    return Transcript(head + words(REST, start=end + 1.0), duration=60.0, opening=(0.0, end))


def judge(t: Transcript):
    return grade(t, DAVE, CHLOE, default_rubric())


class Listener:
    """The second reading a recognizer would give, and whether it was asked for."""

    def __init__(self, text: str):
        self.text, self.asked = text, []

    def __call__(self, start: float, end: float) -> list[Word]:
        self.asked.append((start, end))
        return words(self.text, start)


def test_a_misheard_opening_read_again_credits_the_names():
    first = message("The clearly, J. Kowalski from Bright Lying Uniforms.")
    assert not judge(first).item("prospect_named").passed
    again = Listener("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    heard = listen_again(first, again, judge)
    assert again.asked == [first.opening]
    result = judge(heard)
    assert result.item("prospect_named").passed and result.item("rep_name").passed
    assert heard.text.startswith("Hi Chloe, Dave Kowalski")  # the ✓ points at words the rep can see
    assert heard.text.endswith("Thursday at 10.")  # the rest of the message is the first reading's


def test_a_complete_message_is_not_read_again():
    first = message("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    again = Listener("anything")
    assert listen_again(first, again, judge) is first
    assert again.asked == []


def test_a_message_missing_only_its_closing_items_is_not_read_again():
    # the follow-up email and the callback promise close a message: a second listen to its opening
    # cannot give them, so nothing is decoded again for them
    first = Transcript(words("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
                       + words("We cut uniform costs by 20 percent for Seaside Inns. Call me at 555-214-3390, "
                               "again 555-214-3390.", start=6.0), duration=30.0, opening=(0.0, 5.0))
    result = judge(first)
    assert not result.item("email_followup").passed and not result.item("callback_time").passed
    again = Listener("Hi Chloe, Dave Kowalski from Brightline Uniforms. I'll email you and call Thursday at 10.")
    assert listen_again(first, again, judge) is first and again.asked == []


def test_a_second_reading_that_loses_an_item_is_not_kept():
    first = message("Hi there, Dave Kowalski from Brightline Uniforms.")
    # names the prospect but loses the company: not strictly more
    assert judge(first).item("rep_company").passed
    heard = listen_again(first, Listener("Hi Chloe, Dave Kowalski here."), judge)
    assert heard is first


def test_an_apology_heard_once_still_counts():
    first = message("Hi, sorry to bother you, Dave Kowalski from Brightline Uniforms.")
    assert not judge(first).item("no_apology").passed
    heard = listen_again(first, Listener("Hi Chloe, to bother you, Dave Kowalski from Brightline Uniforms."), judge)
    assert heard is first
    assert not judge(heard).item("no_apology").passed


def test_a_reading_that_hears_no_more_is_not_kept():
    first = message("Hi there, this is Dave Kowalski from Brightline Uniforms.")
    assert listen_again(first, Listener("Hi there, this is Dave Kowalski from Brightline."), judge) is first


def test_without_an_opening_or_times_nothing_is_read_again():
    again = Listener("Hi Chloe")
    text_only = Transcript.from_text("Hi there, Dave here. " + REST)
    assert listen_again(text_only, again, judge) is text_only
    untimed = message("Hi there")
    untimed.opening = None
    assert listen_again(untimed, again, judge) is untimed
    assert again.asked == []


def test_replacing_keeps_the_words_outside_the_span_in_order():
    t = Transcript(words("one two three four"), duration=2.0, opening=(0.0, 1.0))
    out = replaced(t, 0.0, 1.0, [Word("uno", 0.1, 0.3), Word("dos", 0.5, 0.9)])
    assert [w.text for w in out.words] == ["uno", "dos", "three", "four"]
    assert out.opening == (0.0, 1.0) and out.duration == 2.0
