"""Spoken-number normalization on the ways the recognizer writes a phone number."""

from __future__ import annotations

import pytest

from voicemail_coach.core.numbers import (
    digit_runs,
    find_phone,
    phone_digits,
    written_phone,
)
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
        # through a telephone band the f, s and z of "five", "six" and "zero" are gone
        ("time, time, time, mate, six, seven, one, two, zero, zero", "5558671200"),
        ("sign sign sign to 143390", "5552143390"),
        ("5-times-times-for-1-0-9-0-3-6", "5554109036"),
        ("five, five, five, four, one, nero, nine, nero, three, ticks", "5554109036"),
        # one digit heard as a word in the middle of the number is a digit lost, not the end of it
        ("Again, fine, fine, fine, Sam, three, six, two, zero, four, four.", "555362044"),
        ("find, find, find, examine 362044", "555362044"),
        ("five, five, five, two, one, salmon, three, three, nine, oh", "555213390"),
    ],
)
def test_digit_runs(text, digits):
    assert digits in runs(text)


def test_look_alike_words_outside_a_number_stay_words():
    assert runs("I'm calling for 555-214-3390.") == ["5552143390"]  # not 45552143390
    assert runs("No, 555-214-3390 is my cell, fine.") == ["5552143390"]
    assert runs("Talk to you soon, no rush, fine.") == []
    assert runs("It's time to talk: two times a week, 5 times faster, sign up in 10 minutes.") == []


def test_words_between_numbers_do_not_join_them():
    assert runs("Call 555-214-3390 or try 555-302-7781.") == ["5552143390", "5553027781"]
    assert runs("Call 555-214 today or tomorrow 3390.") == []  # two words end a number
    assert runs("Between 10 and noon, 555-214-3390.") == ["5552143390"]
    assert runs("It's fine, fine, fine, really, call at 3 or 4.") == []
    assert runs("My number is 55. 7 7 8 1 again 5 5 5 3 2 7 7 8 1") == ["555327781"]  # not one 15-digit run


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
        ("Call fine, fine, fine, salmon, 2143390.", 1),  # a misheard digit is one digit lost
        ("Call 555-219 sam 7730.", 0),  # still not the rep's number
    ],
)
def test_find_phone(text, count):
    assert len(find_phone(Transcript.from_text(text).tokens, "555-214-3390")) == count


def test_phone_digits_drops_country_code():
    assert phone_digits("+1 (555) 214-3390") == "5552143390"


def test_a_profile_number_is_written_as_a_recognizer_writes_a_spoken_one():
    assert written_phone("(555) 214-3390") == "555-214-3390"
    assert written_phone("+1 555 214 3390") == "555-214-3390"
    assert written_phone("214 3390") == "214-3390"
    assert written_phone("+44 20 7946 0958") == "442079460958"
