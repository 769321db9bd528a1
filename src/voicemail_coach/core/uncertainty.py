"""Items the coach is not sure about: failed, but maybe only because the recognizer misheard.

A rep who said the number twice and is told "✗" stops trusting the coach. So a
failed item becomes *unsure* when what was heard nearly fits: a digit run that
is most of the rep's number, a word that almost matches a name where a name goes
or that the recognizer itself doubted, a callback promise whose time word the
recognizer doubted, an "email" it doubted. An unsure item is still not passed
(nothing unsaid is ever credited): it says what was heard, and where, so the rep
can listen and mark it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

from voicemail_coach.core import matching, numbers
from voicemail_coach.core.transcript import SENTENCE_BREAK, Token, Transcript

DOUBTED = 0.55  # a word the recognizer gave less than this probability
NAME_SLACK = 14.0  # how far below the matching threshold a name may be and still be "nearly"
NUMBER_SHARE = 0.6  # share of the number's digits, in order, that a garbled reading must hold
NAME_SOUND_NEARLY = 70.0  # a whole name that sounds this alike (of 100) is "nearly"; crediting needs 85
GREETINGS = ("hi", "hey", "hello")


@dataclass(frozen=True)
class Doubt:
    first: int  # token indices of what was heard
    last: int
    why: str


def _probability(transcript: Transcript, token: Token) -> float | None:
    return transcript.words[token.word].probability


def _doubted(transcript: Transcript, first: int, last: int) -> bool:
    probs = [_probability(transcript, t) for t in transcript.tokens[first : last + 1]]
    return any(p is not None and p < DOUBTED for p in probs)


def number_doubts(transcript: Transcript, phone: str, matched: list[numbers.NumberMention]) -> list[Doubt]:
    """Digit runs that hold most of ``phone`` in order but were not taken as it."""
    target = numbers.phone_digits(phone)
    if len(target) < 7:
        return []
    taken = [(m.first, m.last) for m in matched]
    out = []
    for run in numbers.digit_runs(transcript.tokens, min_digits=4):
        if any(a <= run.last and run.first <= b for a, b in taken):
            continue
        if len(run.digits) >= len(target):
            continue  # a whole number that is not yours is another number, not a misheard one
        common = LCSseq.similarity(run.digits, target)  # digits in common, in order
        # digits lost, at most one misheard: most of the number, in its order
        if common / len(target) >= NUMBER_SHARE and len(run.digits) - common <= 1:
            out.append(Doubt(run.first, run.last, f"{len(run.digits)} digits that are most of your number, not all of it"))
    return out


def name_doubt(transcript: Transcript, name_parts: list[str], not_names: set[str]) -> Doubt | None:
    """The word closest to a name that was not matched, when it nearly matches and was doubted."""
    tokens = transcript.tokens
    best: tuple[float, int] | None = None
    for i, tok in enumerate(tokens):
        if tok.text == SENTENCE_BREAK or not tok.text.isalpha() or tok.text in not_names or len(tok.text) < 3:
            continue
        for part in name_parts:
            gap = matching.threshold_for(part) - matching.similarity(tok.text, part)
            if 0 < gap <= NAME_SLACK and (best is None or gap < best[0]):
                best = (gap, i)
    if best is None or not _doubted(transcript, best[1], best[1]):
        return None
    return Doubt(best[1], best[1], "a doubtful word that sounds close to the name")


def greeting_doubt(transcript: Transcript, first_name: str, not_names: set[str]) -> Doubt | None:
    """The first word, when it sounds like a greeting and the name run together ("Hallease" for "Hey Luis").
    Not credited: "Helen" to a Lena sounds the same and greets someone else."""
    tokens = transcript.tokens
    first = 0
    while first < len(tokens) and (tokens[first].text.isdigit() or tokens[first].text == SENTENCE_BREAK):
        first += 1  # "1. Hallease": a stray number heard before the first word
    if not first_name or first == len(tokens) or tokens[first].text in not_names:
        return None
    score = max(matching.sound_score(tokens[first].text, greeting + first_name, min_code=3) for greeting in GREETINGS)
    return Doubt(first, first, "the greeting and the name may have run together") if score >= 85.0 else None


def whole_name_doubt(transcript: Transcript, name: str, not_names: set[str], opening: int) -> Doubt | None:
    """Words in the opening that sound somewhat like the whole name said together ("pretty raymond" for
    "Priya Raman"), not close enough to credit."""
    hits = matching.sounds_like(transcript.tokens[:opening], name, not_names, need=NAME_SOUND_NEARLY)
    best = max(hits, key=lambda h: h.score, default=None)
    return Doubt(best.first, best.last, "words that sound somewhat like your name") if best else None


def doubted_after(transcript: Transcript, spans: list[tuple[int, int]], reach: int = 6) -> Doubt | None:
    """A doubted word within ``reach`` tokens after one of ``spans`` (in the same or next sentence)."""
    tokens = transcript.tokens
    for _first, last in spans:
        breaks = 0
        for k in range(last + 1, min(len(tokens), last + 1 + reach)):
            if tokens[k].text == SENTENCE_BREAK:
                breaks += 1
                if breaks > 1:
                    break
                continue
            if _doubted(transcript, k, k):
                return Doubt(last + 1, k, "the words after your promise were unclear, so the time was not heard")
    return None


def email_doubt(transcript: Transcript) -> Doubt | None:
    """A doubted word that sounds like "email" in a sentence that sends something."""
    tokens = transcript.tokens
    for i, tok in enumerate(tokens):
        if tok.text == SENTENCE_BREAK or not _doubted(transcript, i, i):
            continue
        if max(matching.similarity(tok.text, w) for w in ("email", "mail", "emailing")) < 70:
            continue
        lo, hi = i, i
        while lo > 0 and tokens[lo - 1].text != SENTENCE_BREAK:
            lo -= 1
        while hi + 1 < len(tokens) and tokens[hi + 1].text != SENTENCE_BREAK:
            hi += 1
        sentence = {t.text for t in tokens[lo : hi + 1]}
        if sentence & {"send", "sending", "sent", "drop", "shoot", "forward", "you"}:
            return Doubt(i, i, "an unclear word that sounds like \"email\"")
    return None
