"""Later touches: a fresh reason each time, and the call when it was promised."""

from __future__ import annotations

from tests.support.corpus import load_corpus, load_touch_corpus
from voicemail_coach.core.grader import grade
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.touches import TOUCH_ITEMS, Clock, grade_touch, promise_of, suggested_clock, with_touch_items
from voicemail_coach.core.transcript import Transcript


def graded(text, vm):
    return grade(Transcript.from_text(text), vm.rep, vm.prospect, default_rubric())


def touch_items(t):
    rubric = default_rubric()
    previous = graded(t.previous.text, t.previous)
    current = graded(t.text, t.previous)
    return grade_touch(current, previous, Clock(*t.previous_clock), Clock(*t.clock), rubric, rubric.touch)


def test_touch_agreement_at_least_97_percent():
    corpus = load_touch_corpus()
    assert len(corpus) >= 20
    for item in TOUCH_ITEMS:
        assert {t.labels[item] for t in corpus} == {True, False}
    misses = [(t.id, i.id) for t in corpus for i in touch_items(t) if i.passed != t.labels[i.id]]
    total = len(corpus) * len(TOUCH_ITEMS)
    assert (total - len(misses)) / total >= 0.97, misses


def test_same_reason_is_flagged_with_last_times_words():
    t = next(t for t in load_touch_corpus() if t.id == "same-reason-on-time")
    fresh = next(i for i in touch_items(t) if i.id == "fresh_reason")
    assert not fresh.passed and "Seaside Inns" in fresh.tip and fresh.flagged


def test_clock_suggests_the_promised_day_and_hour():
    rubric = default_rubric()
    vm = next(v for v in load_corpus() if v.id == "strong-01")  # "I'll try you again Thursday at ten"
    promise = promise_of(graded(vm.text, vm), rubric)
    assert suggested_clock(Clock("monday", 9), promise) == Clock("thursday", 10)
    vm5 = next(v for v in load_corpus() if v.id == "strong-05")  # "tomorrow afternoon"
    assert suggested_clock(Clock("monday", 16), promise_of(graded(vm5.text, vm5), rubric)).day == "tuesday"
    assert str(Clock("thursday", 14)) == "Thursday at 2 pm"


def test_touch_scorecard_adds_items_and_rescores():
    rubric = default_rubric()
    t = next(t for t in load_touch_corpus() if t.id == "same-reason-on-time")
    current = graded(t.text, t.previous)
    merged = with_touch_items(current, touch_items(t), rubric.touch, rubric)
    assert [i.id for i in merged.items][-2:] == list(TOUCH_ITEMS)
    assert merged.score < current.score
