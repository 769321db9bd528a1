"""The opening heard a second time: kept only when it finds more of the checklist and loses nothing."""

from __future__ import annotations

from voicemail_coach.core.grader import grade, promise_start
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.second_listen import (
    NUMBER_AFTER_S,
    NUMBER_BEFORE_S,
    listen_again,
    names_of,
    number_of,
    rejoined,
    replaced,
)
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
    """The second readings a recognizer would give, and which were asked for."""

    def __init__(self, text: str, named: str | None = None, day: str | None = None):
        self.text, self.named, self.day = text, named, day
        self.asked, self.names_asked, self.days_asked = [], [], []

    def again(self, start: float, end: float) -> list[Word]:
        self.asked.append((start, end))
        return words(self.text, start)

    def with_names(self, start: float, end: float, names: tuple[str, ...]) -> list[Word] | None:
        self.names_asked.append(names)
        return words(self.named, start) if self.named is not None else None

    def with_one_of(self, start: float, end: float, choices: tuple[str, ...]) -> list[Word] | None:
        self.days_asked.append((start, end, choices))
        return words(self.day, start) if self.day is not None else None


def test_a_window_read_again_stands_only_until_it_is_back_on_the_transcript():
    t = Transcript(words("call me at five five five two. I'll email you the savings estimate today and I'll call"),
                   duration=10.0)
    # the window 1.0..6.2 s: its reading begins with words heard before it, and the cut at its end garbles
    # its last words; from where it says what the transcript says, the transcript's words go on
    window = "call me at 555-214-3390. I'll email you the savings as to May."
    reading = [Word(w, 1.0 + i * 0.4, 1.3 + i * 0.4, 0.9) for i, w in enumerate(window.split())]
    expected = "call me at 555-214-3390. I'll email you the savings estimate today and I'll call"
    assert rejoined(t, 1.0, 6.2, reading, ("555-214-3390",)).text == expected
    # never before the word asked for: a reading that says the same words before it is not cut there
    day = Transcript(words("I'll call you again, sir, and they have. Again 555-214-3390."), duration=8.0)
    said = "I'll call you again Thursday. Again 555 to 14."
    reading = [Word(w, i * 0.4, 0.3 + i * 0.4, 0.9) for i, w in enumerate(said.split())]
    assert rejoined(day, 0.0, 6.0, reading, ("Thursday",)).text == said
    # nothing in common: the words that begin in the window are replaced
    other = [Word("hello", 1.0, 1.4, 0.9), Word("there", 1.5, 1.9, 0.9)]
    assert rejoined(t, 1.0, 6.2, other, ("555-214-3390",)).text == replaced(t, 1.0, 6.2, other).text


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


def test_a_name_still_missing_is_listened_for_and_kept_when_it_credits_more():
    first = message("Hi honored, Dave Kowalski from Brightline Uniforms.")
    assert not judge(first).item("prospect_named").passed
    listener = Listener("Hi honored, Dave Kowalski from Brightline Uniforms.",
                        named="Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    heard = listen_again(first, listener, judge, names_of(DAVE, CHLOE))
    assert listener.names_asked == [("Chloe",)]  # only the name the grade misses, the first name that credits it
    assert judge(heard).item("prospect_named").passed
    assert heard.text.startswith("Hi Chloe, Dave") and heard.text.endswith("Thursday at 10.")


def test_a_reading_with_a_name_keeps_what_the_transcript_heard_after_the_name():
    first = message("Hi honored, Dave Kowalski from Brightline Uniforms.")
    # the name's reading hears the company worse than the transcript did: only the stretch up to where
    # it is back on the transcript's words ("Dave Kowalski from") is taken from it
    listener = Listener("Hi honored, Dave Kowalski from Brightline Uniforms.",
                        named="Hi Chloe, Dave Kowalski from Bright Lying Uniforms.")
    heard = listen_again(first, listener, judge, names_of(DAVE, CHLOE))
    assert heard.text.startswith("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    result = judge(heard)
    assert result.item("prospect_named").passed and result.item("rep_company").passed


def test_a_reading_with_a_name_that_loses_an_item_is_not_kept():
    first = message("Hi honored, Dave Kowalski from Brightline Uniforms.")
    listener = Listener("Hi honored, Dave Kowalski from Brightline Uniforms.", named="Hi Chloe, here.")
    assert listen_again(first, listener, judge, names_of(DAVE, CHLOE)) is first


def test_no_name_is_listened_for_when_the_recognizer_places_none_or_none_is_missing():
    first = message("Hi honored, Dave Kowalski from Brightline Uniforms.")
    listener = Listener("Hi honored, Dave Kowalski from Brightline Uniforms.")
    assert listen_again(first, listener, judge, names_of(DAVE, CHLOE)) is first
    assert listener.names_asked == [("Chloe",)]
    # the company missing: its distinctive word is looked for, as it is written
    no_company = message("Hi Chloe, Dave Kowalski here.")
    listener = Listener("Hi Chloe, Dave Kowalski here.")
    assert listen_again(no_company, listener, judge, names_of(DAVE, CHLOE)) is no_company
    assert listener.names_asked == [("Brightline",)]
    # every name heard, the value missing: read again, no name to look for
    no_value = Transcript(words("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
                          + words("Call me at 555-214-3390, again 555-214-3390. I'll send you an email today and "
                                  "I'll call you again Thursday at 10.", start=6.0), duration=30.0, opening=(0.0, 5.0))
    assert not judge(no_value).item("value").passed
    listener = Listener("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    assert listen_again(no_value, listener, judge, names_of(DAVE, CHLOE)) is no_value
    assert listener.asked and listener.names_asked == []
    # without names to look for (a caller that gives none), nothing is asked
    listener = Listener("Hi honored, Dave Kowalski from Brightline Uniforms.")
    assert listen_again(first, listener, judge) is first and listener.names_asked == []


def promise(t: Transcript):
    return promise_start(t, default_rubric())


def test_a_promise_without_a_day_is_listened_to_for_one():
    opening = "Hi Chloe, Dave Kowalski from Brightline Uniforms."
    rest = ("We cut uniform costs by 20 percent for Seaside Inns. Call me at 555-214-3390, again 555-214-3390. "
            "I'll send you an email today and I'll call you again, sir, and they have.")
    head = words(opening)
    first = Transcript(head + words(rest, start=6.0), duration=40.0, opening=(0.0, 4.0))
    assert not judge(first).item("callback_time").passed
    at = promise(first)
    said = [w for w in first.words if w.text == "I'll"][-1]  # "I'll call you again": the promise
    assert at == said.start
    listener = Listener(opening, day="I'll call you again Thursday.")
    heard = listen_again(first, listener, judge, names_of(DAVE, CHLOE), promise)
    assert listener.asked == [] and listener.names_asked == []  # the opening held everything it can
    assert listener.days_asked == [(at, at + 12.0, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow"))]
    assert judge(heard).item("callback_time").passed
    assert heard.text.endswith("I'll call you again Thursday.")
    assert "sir, and they have" not in heard.text


def test_no_day_is_listened_for_without_a_promise_or_when_the_time_was_heard():
    no_promise = message("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    no_promise = Transcript([w for w in no_promise.words if w.start < 14.0], duration=20.0, opening=no_promise.opening)
    assert promise(no_promise) is None
    listener = Listener("", day="I'll call you Thursday.")
    assert listen_again(no_promise, listener, judge, names_of(DAVE, CHLOE), promise) is no_promise
    assert listener.days_asked == []
    complete = message("Hi Chloe, Dave Kowalski from Brightline Uniforms.")
    listener = Listener("", day="I'll call you Thursday.")
    assert listen_again(complete, listener, judge, names_of(DAVE, CHLOE), promise) is complete
    assert listener.days_asked == []


def _with_repeat(repeat: str) -> Transcript:
    """A complete message whose second number was heard as ``repeat``."""
    text = ("Hi Chloe, Dave Kowalski from Brightline Uniforms. We cut uniform costs by 20 percent for Seaside Inns. "
            f"Call me at 555-214-3390. I'll send you an email today and I'll call you again Thursday at 10. {repeat}")
    return Transcript(words(text), duration=40.0, opening=(0.0, 4.0))


def test_a_number_heard_in_part_is_listened_to_for_the_whole_number():
    first = _with_repeat("Again, five, five, five, two, one, four. Three, tonight.")
    assert not judge(first).item("number_twice").passed
    again_at = max(i for i, w in enumerate(first.words) if w.text == "Again,")
    digits = first.words[again_at + 1 : again_at + 8]  # "five, five, five, two, one, four. Three,"
    listener = Listener("", day="10. Again, 555-214-3390.")  # the window's reading: from a second before the digits
    heard = listen_again(first, listener, judge, number=number_of(DAVE))
    start, end = digits[0].start - NUMBER_BEFORE_S, digits[-1].end + NUMBER_AFTER_S
    assert listener.days_asked == [(start, end, ("555-214-3390",))]  # around what was heard, the number as written
    assert judge(heard).item("number_twice").passed
    assert heard.text.endswith("Thursday at 10. Again, 555-214-3390.")


def test_no_number_is_listened_for_where_little_of_it_was_heard_or_all_of_it():
    # a repeat of only the area code is not most of the number: nothing is asked, nothing credited
    area_code = _with_repeat("Again, the area code is 555.")
    listener = Listener("", day="Again, 555-214-3390.")
    assert listen_again(area_code, listener, judge, number=number_of(DAVE)) is area_code
    assert listener.days_asked == []
    # the number heard twice already: nothing to listen for
    complete = _with_repeat("Again, 555-214-3390.")
    listener = Listener("", day="Again, 555-214-3390.")
    assert listen_again(complete, listener, judge, number=number_of(DAVE)) is complete
    assert listener.days_asked == []
    # a reading that does not credit the number is not kept
    partly = _with_repeat("Again, five, five, five, two, one, four. Three, tonight.")
    listener = Listener("", day="10. Again, five, five, five, two, one, four, three.")
    assert listen_again(partly, listener, judge, number=number_of(DAVE)) is partly
    # no number on file: nothing to listen for
    assert number_of(RepProfile("Dave Kowalski", "Brightline Uniforms", "", "dave@brightline.com")) is None


def test_a_number_as_long_with_all_its_digits_but_one_is_listened_to_and_a_colleagues_is_not():
    # one "5" lost, a "0" added: the same length as the number, all but one of its digits in order
    off = _with_repeat("Again, 552-143-3900.")
    assert not judge(off).item("number_twice").passed
    listener = Listener("", day="10. Again, 555-214-3390.")
    assert judge(listen_again(off, listener, judge, number=number_of(DAVE))).item("number_twice").passed
    assert [asked[2] for asked in listener.days_asked] == [("555-214-3390",)]
    # a colleague's number on the same exchange shares the area code and the prefix, not the line
    colleague = _with_repeat("For orders, call Maria at 555-214-7781.")
    listener = Listener("", day="10. For orders, call Maria at 555-214-3390.")
    assert listen_again(colleague, listener, judge, number=number_of(DAVE)) is colleague
    assert listener.days_asked == []
