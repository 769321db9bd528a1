"""Spoken-number normalization on the ways the recognizer writes a phone number."""

from __future__ import annotations

import pytest

from voicemail_coach.core.numbers import digit_runs, find_phone, phone_digits
from voicemail_coach.core.transcript import Transcript


def runs(text: str) -> list[str]:
    return [r.digits for r in digit_runs(Transcript.from_text(text).tokens)]


@pytest.mark.parametrize(
    "text,digits",
    [
        ("555-214-3390", "5552143390"),
        ("5.5, 2.1, 4, 3.3, 9.0.", "552143390"),  # as heard: one "five" lost
        ("555 to 140,300", "5552140300"),
        ("five five five, two one four, three three nine oh", "5552143390"),
        ("double five five, two one four, thirty three ninety", "5552143390"),
        ("555. 214. 3390.", "5552143390"),
        ("(555) 214-3390", "5552143390"),
        ("five hundred fifty five, two one four, three three nine zero", "5552143390"),
        # digits the recognizer wrote as look-alike words, read as digits only inside the number
        ("five, five, five, four, one, no, nine, oh, three, six", "5554109036"),
        ("fine, fine, fine, two, one, four, three, three, nine, oh", "5552143390"),
        # groups written as clock times, however short, when they follow one another
        ("again, 5:5, 5:7, 3:6, 2:04, 4:00.", "555736204400"),
        ("Thursday at 9:35, 5:52 for 8:7, 7:30.", "935552487730"),
        ("Wednesday at 7:30. Again, 5:553027781.", "5553027781"),
        ("Next Thursday at 9:00.55.58671200.", "9005558671200"),
        # the "oh" that ends a number heard as "no" or "U"
        ("five, five, five, two, one, four, three, three, nine, no.", "5552143390"),
        ("three, five, five, five, two, four, eight, seven, seven, three, U..", "35552487730"),
        ("three, five, five, five, two, four, eight, seven, seven, three, you.", "35552487730"),
        ("555. 214. 339. 0.", "5552143390"),
    ],
)
def test_digit_runs(text, digits):
    assert digits in runs(text)


def test_look_alike_words_outside_a_number_stay_words():
    assert runs("I'm calling for 555-214-3390.") == ["5552143390"]  # not 45552143390
    assert runs("No, 555-214-3390 is my cell, fine.") == ["5552143390"]
    assert runs("Talk to you soon, no rush, fine.") == []


def test_short_numbers_are_not_runs():
    assert runs("We cut costs by 18% in 2 years, call Thursday at 10.") == []


def test_clock_times_and_a_closing_no_stay_what_they_are():
    assert runs("I'll call you at 9:35 or 10:15, no later.") == []
    assert runs("Between 9:30 and 10:15 works.") == []
    assert runs("Call me at 9:30, you and I can talk.") == []
    assert runs("We saved 2, no, 3 hours a week. No rush, you can call back.") == []
    assert runs("Call 555-214-3390. No rush.") == ["5552143390"]  # a sentence away, not its last digit
    assert runs("Call 555-214-3390, no rush.") == ["55521433900"]  # the window still finds the number
    assert len(find_phone(Transcript.from_text("Call 555-214-3391, no rush.").tokens, "555-214-3391")) == 1


@pytest.mark.parametrize(
    "text,count",
    [
        ("Call 555-214-3390. Again 555-214-3390.", 2),
        ("Call 555-214-3390, 555-214-3390.", 2),  # said back to back, one run
        ("Call 214-3390.", 1),
        ("Call 555-214-339.", 1),  # a digit dropped at the end of the number
        ("My number is 5.5, 2.1, 4, 3.3, 9.0.", 1),
        ("Call 555-214-3309.", 0),  # two digits swapped
        ("Call 555-219-7730.", 0),
        ("Call 1-555-214-3390.", 1),
    ],
)
def test_find_phone(text, count):
    assert len(find_phone(Transcript.from_text(text).tokens, "555-214-3390")) == count


def test_phone_digits_drops_country_code():
    assert phone_digits("+1 (555) 214-3390") == "5552143390"
