"""Property-based tests: whatever the input, the grader's parts answer plainly and never credit too much."""

from __future__ import annotations

import tomllib

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from voicemail_coach.core import numbers
from voicemail_coach.core.grader import grade
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.rubric import default_rubric
from voicemail_coach.core.scenarios import parse_scenario
from voicemail_coach.core.transcript import Transcript

PHONE = "5552143390"
DIGIT_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
RUBRIC = default_rubric()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def spoken(digits: str, style: int) -> str:
    """A digit string as a recognizer might write it: grouped, as words, with dots and dashes."""
    groups = [digits[:3], digits[3:6], digits[6:]]
    if style == 0:
        return "-".join(groups)
    if style == 1:
        return ", ".join(" ".join(DIGIT_WORDS[int(d)] for d in g) for g in groups)
    if style == 2:
        return " ".join(groups)
    return ". ".join(".".join(g) for g in groups)


@FAST
@given(st.integers(0, 3), st.integers(0, 9), st.integers(0, 9), st.integers(0, 3))
def test_two_changed_digits_are_never_the_reps_number(style, i, j, bump):
    digits = list(PHONE)
    a, b = i % 10, (i + 1 + j % 9) % 10  # two different places
    digits[a] = str((int(digits[a]) + 1 + bump) % 10)
    digits[b] = str((int(digits[b]) + 3) % 10)
    other = "".join(digits)
    text = f"Call me at {spoken(other, style)}."
    assert numbers.find_phone(Transcript.from_text(text).tokens, PHONE) == []


@FAST
@given(st.integers(0, 3))
def test_the_reps_number_is_found_however_it_is_written(style):
    text = f"My number is {spoken(PHONE, style)}. Again, {spoken(PHONE, (style + 1) % 4)}."
    assert len(numbers.find_phone(Transcript.from_text(text).tokens, PHONE)) == 2


@FAST
@given(st.text(max_size=400))
def test_any_text_grades_without_error_and_scores_in_range(text):
    rep = RepProfile("Dave Kowalski", "Brightline Uniforms", "555-214-3390", "dave@brightline.com")
    result = grade(Transcript.from_text(text), rep, Prospect("Chloe Martin", "Harbor Hotels"), RUBRIC)
    assert 0 <= result.score <= 100
    assert all(isinstance(i.passed, bool) and not (i.passed and i.unsure) for i in result.items)


@FAST
@given(st.lists(st.sampled_from(["one", "two", "five", "oh", "to", "for", "-", "555", "21", "3:39", ".", ",",
                                 "double", "hundred", "dash", "and", "x", "|"]), max_size=60))
def test_digit_runs_never_fail_on_any_mix_of_number_words(words):
    tokens = Transcript.from_text(" ".join(words)).tokens
    for run in numbers.digit_runs(tokens):
        assert run.digits.isdigit() and run.first <= run.last and len(run.positions) == len(run.digits)


@FAST
@given(st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30)),
                    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
                    max_leaves=20))
def test_a_scenario_of_any_shape_is_accepted_or_refused_with_a_reason(data):
    payload = data if isinstance(data, dict) else {"id": data, "prospect": data, "target_s": data}
    try:
        scenario = parse_scenario(payload, "yours")
    except ValueError as exc:
        assert str(exc)
    else:
        assert scenario.id and scenario.prospect.name and scenario.target_s[0] < scenario.target_s[1]


@FAST
@given(st.text(max_size=300))
def test_any_toml_text_loads_or_fails_plainly(text):
    try:
        tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        pass
