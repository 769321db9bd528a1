"""The follow-up email: drafted from the voicemail's own words, graded against it."""

from __future__ import annotations


import pytest

from tests.support.corpus import load_corpus, load_email_corpus
from voicemail_coach.core.followup import EMAIL_ITEMS, draft_email, grade_email
from voicemail_coach.core.grader import grade
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.transcript import Transcript


def graded(vm):
    return grade(Transcript.from_text(vm.text), vm.rep, vm.prospect, default_rubric())


def test_email_agreement_at_least_97_percent():
    rubric = default_rubric()
    agree, total, misses = 0, 0, []
    corpus = load_email_corpus()
    assert len(corpus) >= 30
    for item in EMAIL_ITEMS:
        assert {e.labels[item] for e in corpus} == {True, False}, item
    for e in corpus:
        result = grade_email(e.text, graded(e.voicemail), e.voicemail.rep, e.voicemail.prospect, rubric, rubric.email)
        for it in result.items:
            total += 1
            if it.passed == e.labels[it.id]:
                agree += 1
            else:
                misses.append((e.id, it.id))
    assert agree / total >= 0.97, misses


@pytest.mark.parametrize("vm_id", ["strong-01", "strong-02", "strong-04", "strong-06", "strong-08"])
def test_the_draft_passes_its_own_grading(vm_id):
    rubric = default_rubric()
    vm = next(v for v in load_corpus() if v.id == vm_id)
    voicemail = graded(vm)
    draft = draft_email(voicemail, vm.rep, vm.prospect, rubric)
    result = grade_email(draft.body, voicemail, vm.rep, vm.prospect, rubric, rubric.email)
    assert result.score == 100, [(i.id, i.tip) for i in result.items if not i.passed]
    assert vm.prospect.first_name in draft.body and vm.rep.phone in draft.body
    assert draft.mailto("chloe@example.com").startswith("mailto:chloe%40example.com?subject=")


def test_draft_marks_what_the_voicemail_left_out():
    rubric = default_rubric()
    vm = next(v for v in load_corpus() if v.id == "checkin-01")  # no value, no callback time
    draft = draft_email(graded(vm), vm.rep, vm.prospect, rubric)
    assert "[The result you can get" in draft.body and "[day and time]" in draft.body


def test_mismatch_is_flagged_with_both_sides():
    rubric = default_rubric()
    vm = next(v for v in load_corpus() if v.id == "strong-01")
    email = "Hi Chloe, we cut uniform costs by 18 percent for Seaside Inns. I'll call you Friday at ten. 555-214-3390"
    item = grade_email(email, graded(vm), vm.rep, vm.prospect, rubric, rubric.email).item("email_consistent")
    assert not item.passed and "Friday" in item.flagged and "Thursday" in item.tip
