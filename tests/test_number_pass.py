"""The second listen to a number heard only in part: where it is tried, and when it is taken."""

from __future__ import annotations

from voicemail_coach.speech import number_pass

S = number_pass.WORD_START


def tokens(text: str) -> list[str]:
    """Token texts as Moonshine writes them: a word start mark, digits one token each."""
    out = []
    for word in text.split():
        out.append(S + word[0])
        out.extend(word[1:]) if word[0].isdigit() else out.__setitem__(-1, S + word)
    return out


def test_digits_with_unclear_words_in_front_are_listened_to_again():
    toks = tokens("My number is times times times 2 1 4 3 3 9 0. I'm sending")
    (region,) = number_pass.regions(toks)
    assert region.digits == "2143390"
    assert "".join(toks[region.start : region.end]).replace(S, " ").strip() == "times times times 2 1 4 3 3 9 0."


def test_a_number_with_digits_missing_is_listened_to_again_from_its_cue():
    toks = tokens("You can reach me at 555-50. I'll email")
    (region,) = number_pass.regions(toks)
    assert region.digits == "55550"
    assert toks[region.start] == S + "5"  # "at" introduces the number and stays as heard


def test_whole_numbers_and_small_figures_are_left_alone():
    assert number_pass.regions(tokens("Call me at 555-214-3390. Again 555-214-3390.")) == []
    assert number_pass.regions(tokens("We cut costs by 18% in 9 days, not 30.")) == []
    assert number_pass.regions(tokens("Thursday at 10.")) == []


def test_number_words_count_as_digits():
    toks = tokens("I'll call tomorrow. Again, Tom, free tick, two, zero, four, four.")
    (region,) = number_pass.regions(toks)
    assert region.digits == "2044"
    assert "".join(toks[region.start : region.end]).replace(S, " ").split()[:2] == ["Tom,", "free"]
    assert number_pass.regions(tokens("555 to 214 3390 and more")) == []  # "to" sits inside a whole number
    assert number_pass.reading_digits(tokens("three, six, two, oh, 4 4.")) == "362044"


def test_a_second_reading_is_taken_only_when_it_adds_digits_and_keeps_the_first_ones():
    assert number_pass.better("2143390", "552143390", lead=True)  # gaps filled, every digit kept in order
    assert number_pass.better("55510", "5558671200")
    assert not number_pass.better("55550", "5558671200")  # the first reading's fourth 5 is gone
    assert not number_pass.better("2143390", "5552143930")  # its 9 before the 0 is gone: another number
    assert not number_pass.better("5552143390", "5552143390")  # nothing added
    assert not number_pass.better("5552143", "555214339012")  # longer than any phone number


def test_the_tokens_a_number_is_written_with():
    assert number_pass.writes_a_number(S + "5") and number_pass.writes_a_number("-")
    assert number_pass.writes_a_number(S) and number_pass.writes_a_number(S + "oh")
    assert not number_pass.writes_a_number(S + "times") and not number_pass.writes_a_number(S + "Dave")


def test_only_short_words_in_front_of_a_number_may_be_digits_misheard():
    toks = tokens("I will call you again Monday morning 555-867-120")
    (region,) = number_pass.regions(toks)
    assert toks[region.start] == S + "5"  # "Monday morning" were said as words and stay
    toks = tokens("I'm at sign, sign, sign, 736-2044.")
    (region,) = number_pass.regions(toks)
    assert toks[region.start] == S + "sign,"


def test_digits_glued_to_a_word_are_listened_to_again_from_the_first_digit():
    toks = [S + "Again,", S + "at", S + "st", "ay", "mat", "5", "5", "5", "2", "1", "4", ".", S + "Free."]
    (region,) = number_pass.regions(toks)
    assert toks[region.start] == "5" and region.digits == "555214" and not region.lead
    # without words in front, digits found before the first one heard are not believed
    assert not number_pass.better("555214", "105555214", lead=False)
    assert number_pass.better("555214", "5552143", lead=False)
    assert number_pass.better("2143390", "552143390", lead=True)


def test_a_number_written_as_clock_times_is_listened_to_again():
    toks = [S + w for w in "at 1:00, once more, 5:00, 5:00, 5:00, for 1:00, 9:00, 3:06.".split()]
    (region,) = number_pass.regions(toks)
    assert region.clocks and region.digits == "55519306"
    assert toks[region.start] == S + "5:00,"
    # the same digits as plain digits replace the clock times; a real time is left alone
    assert number_pass.better("5557362044", "5557362044", clocks=True)
    assert not number_pass.better("5557362044", "5557362044")
    assert number_pass.better("55519306", "5554109036", clocks=True)  # "3:06" was "0, 3, 6"
    assert not number_pass.better("55519306", "5554109999", clocks=True)  # two of the first's digits gone
    assert not number_pass.better("5557362044", "555736244", clocks=True)  # a digit fewer
    assert number_pass.regions([S + w for w in "call you Thursday at 10:00 or 2:30.".split()]) == []
