"""Agreement of the grader with the labelled corpus, on the scripts' text."""

from __future__ import annotations

from tests.support.corpus import Agreement, load_corpus
from voicemail_coach.core.grader import grade
from voicemail_coach.core.rubric import CONTENT_ITEMS
from voicemail_coach.playbook import default_rubric
from voicemail_coach.core.transcript import Transcript


def test_corpus_is_large_and_fully_labelled():
    corpus = load_corpus()
    assert len(corpus) >= 80
    assert len({vm.id for vm in corpus}) == len(corpus)
    for vm in corpus:
        assert set(vm.labels) == set(CONTENT_ITEMS)
    # every item is seen both passing and failing
    for item in CONTENT_ITEMS:
        values = {vm.labels[item] for vm in corpus}
        assert values == {True, False}, item


def test_text_agreement_at_least_98_percent():
    agreement = Agreement()
    for vm in load_corpus():
        agreement.add(vm, grade(Transcript.from_text(vm.text), vm.rep, vm.prospect, default_rubric()))
    assert agreement.rate >= 0.98, agreement.disagreements
