"""A second listen to the opening, kept only when it hears what the first listen missed.

A message's first seconds are the hardest to recognize: the rep starts talking as
the recording starts, often over a room's noise, and the names are said there. The
recognizer reads the opening again after a moment of silence (see
``Transcriber.transcribe_again``): the two readings differ most where the audio
was doubtful. The second reading replaces the first only when it credits more
checklist items and loses none, and it changes no "don't" item (an apology heard
once and not the second time still counts as said). The transcript the rep sees
is then that reading, so every ✓ still points at words in it. The opening is read
again only when an item it can hold is missing: the follow-up email and the callback
promise close a message (on the labelled corpus a second reading was never kept for
those alone, in any of 705 messages heard clean, in an office or through a phone line).

A name still missing after that is listened for: the recognizer is asked for a reading of
the opening that holds the rep's or the prospect's first name or the company's name, which
it gives only where it finds that reading about as likely as the one it heard (see
speech.name_reading), and which is kept under the same rule. In an open office a name said
in the first second is what the recognizer most often turns into other words ("Hi honored"
for "Hi Ahmed").

A promise to call again heard with no time ("I'll try you again, first, they have 10")
is listened to in the same way for the day it would name: through a phone line the days
are what the recognizer most often turns into other words ("Thursday" as "first day",
"Wednesday" as "when they have"). The day is written only where the recognizer finds it
about as likely as what it heard ("I'll try you again soon" keeps its "soon").

A number that holds most of the rep's number but not all of it ("five, five, five, eight,
six, seven. One to ho-ho" for 555-867-1200 through a phone line), or all of it but one digit
among others ("5586712000"), is listened to for the whole number, in the seconds around it,
the same way: only there, never where fewer of its digits were heard (a repeat of only the
area code stays a repeat of the area code).

A reading asked to hold a word (a name, a day, the number) stands only from where it
begins until it is back on the transcript's words after that word (``rejoined``): the
rest of it is a reading of its own, worse where its window cuts the speech, and could
lose what the transcript heard right ("Clear Path Hills" for the "Clear Path Health"
the first reading had).

Pure: the readings are asked for through a ``Listener`` and graded through ``judge``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Protocol

from voicemail_coach.core import matching, numbers
from voicemail_coach.core.grader import partial_numbers
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.results import GradeResult
from voicemail_coach.core.rubric import ABSENCE_ITEMS, CONTENT_ITEMS
from voicemail_coach.core.transcript import Transcript, Word

Judge = Callable[[Transcript], GradeResult]

_CREDITED = tuple(i for i in CONTENT_ITEMS if i not in ABSENCE_ITEMS)
_CLOSING = ("email_followup", "callback_time")  # said at the end of a message, not in its opening
NAMED = ("rep_name", "rep_company", "prospect_named")  # items a name listened for may credit
# what a promise to call again names when it names a day; listened for in the seconds after the promise
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "tomorrow")
PROMISE_S = 12.0
NUMBER_ITEMS = ("contact", "number_twice")
NUMBER_BEFORE_S = 1.0  # a word's times are estimates: the number may begin a little before its first digit
NUMBER_AFTER_S = 3.0  # the digits lost are often said after those heard ("eight, six, seven. One to ho-ho")
RESUME_WORDS = 3  # words in a row that put a window's reading back on the transcript's


@dataclass(frozen=True)
class NumberAsk:
    """The rep's number, as a recognizer writes it ("555-867-1200"), and where a transcript holds it in
    part (stretches in seconds: grader.partial_numbers)."""

    written: str
    partial: Callable[[Transcript], list[tuple[float, float]]]


class Listener(Protocol):
    """The second listens a recognizer gives (speech.transcriber.FileListener, speech.streaming)."""

    def again(self, start: float, end: float) -> list[Word]:
        """The words of ``start..end`` s heard once more."""

    def with_names(self, start: float, end: float, names: tuple[str, ...]) -> list[Word] | None:
        """A reading of ``start..end`` s that holds ``names`` where the recognizer finds them about as
        likely as what it first heard; None when it places none of them."""

    def with_one_of(self, start: float, end: float, words: tuple[str, ...]) -> list[Word] | None:
        """A reading of ``start..end`` s that holds the one of ``words`` the recognizer finds likeliest,
        when about as likely as what it first heard; None otherwise."""


def _credited(result: GradeResult) -> set[str]:
    return {i for i in _CREDITED if result.item(i).passed}


def _absences(result: GradeResult) -> dict[str, bool]:
    return {i: result.item(i).passed for i in ABSENCE_ITEMS}


def replaced(transcript: Transcript, start: float, end: float, words: list[Word]) -> Transcript:
    """``transcript`` with the words that begin in ``start..end`` s replaced by ``words``."""
    inside = lambda w: w.start is not None and start - 1e-3 <= w.start < end  # noqa: E731
    kept = [w for w in transcript.words if not inside(w)]
    merged = sorted(kept + list(words), key=lambda w: w.start if w.start is not None else 0.0)
    return Transcript(merged, duration=transcript.duration, opening=transcript.opening)


def rejoined(transcript: Transcript, start: float, end: float, words: list[Word], asked: tuple[str, ...]
             ) -> Transcript:
    """``transcript`` with as much of a reading of ``start..end`` s, asked to hold one of ``asked``, as it
    takes to hold the word: the reading stands from its start to the first place after the word where it
    says the same ``RESUME_WORDS`` words as the transcript (the nearest such place in time), and the
    transcript's own words go on from there. A window's reading differs from the message's most where the
    window cuts the speech, at its ends: a number said a moment after the day a promise names is not lost
    because the window read it worse. With no such place, ``replaced``."""
    before = [w for w in transcript.words if w.start is None or w.start < start - 1e-3]
    # a window that begins a little before the first word it replaces reads that word's neighbours again
    said_before = [matching.words_of(w.text) for w in before]
    for k in range(RESUME_WORDS, 0, -1):
        if len(words) > k and len(before) >= k and [matching.words_of(w.text) for w in words[:k]] == said_before[-k:]:
            words = words[k:]
            break
    later = [w for w in transcript.words if w.start is not None and w.start >= start - 1e-3]
    said = [tuple(matching.words_of(w.text)) for w in later]
    heard = [tuple(matching.words_of(w.text)) for w in words]
    wanted = {tuple(matching.words_of(w)) for w in asked}
    placed = max((i + 1 for i, w in enumerate(heard) if w in wanted), default=0)
    for i in range(placed, len(words) - RESUME_WORDS + 1):
        run = heard[i : i + RESUME_WORDS]
        places = [j for j in range(len(said) - RESUME_WORDS + 1) if said[j : j + RESUME_WORDS] == run]
        if places:
            j = min(places, key=lambda j: abs((later[j].start or 0.0) - (words[i].start or 0.0)))
            return Transcript(before + words[:i] + later[j:], duration=transcript.duration, opening=transcript.opening)
    return replaced(transcript, start, end, words)


def better(first: GradeResult, second: GradeResult) -> bool:
    """Whether the second reading's grade should stand: more items credited, none lost, the don'ts unchanged."""
    before, after = _credited(first), _credited(second)
    return after > before and _absences(first) == _absences(second)


def names_of(rep: RepProfile, prospect: Prospect) -> dict[str, str]:
    """The word that credits each name item, as it is written: the rep's and the prospect's first names and
    the company's distinctive first word ("Brightline" of "Brightline Uniforms"). What a second listen
    looks for when the item is missing."""
    core = matching.company_core(rep.company)
    company = next((w.strip(",.") for w in rep.company.split() if core and w.strip(",.").lower() == core[0]), "")
    return {"rep_name": rep.first_name, "rep_company": company, "prospect_named": prospect.first_name}


def number_of(rep: RepProfile) -> NumberAsk | None:
    """What a second listen asks about the rep's number on file; None without one."""
    if len(numbers.phone_digits(rep.phone or "")) < 7:
        return None
    return NumberAsk(numbers.written_phone(rep.phone), lambda t: partial_numbers(t, rep.phone))


def listen_again(transcript: Transcript, listener: Listener, judge: Judge, names: dict[str, str] | None = None,
                 promise: Callable[[Transcript], float | None] | None = None,
                 number: NumberAsk | None = None) -> Transcript:
    """``transcript``, or the same with its opening read again when that reading hears more, then with the
    names of ``names`` (item id -> the word that credits it, see ``names_of``) listened for where still missing, then
    with a day listened for after a promise to call again (``promise``: when it begins, if one was heard)
    that names no time, then with the rep's ``number`` listened for where only part of it was heard (see
    module doc). Nothing is decoded again for items already credited."""
    if transcript.opening is None or not transcript.timed:
        return transcript
    result = judge(transcript)
    if set(_CREDITED) - _credited(result) - set(_CLOSING):
        transcript, result = _opening_again(transcript, result, listener, judge, names or {})
    if promise is not None and not result.item("callback_time").passed and (at := promise(transcript)) is not None:
        end = min(at + PROMISE_S, transcript.duration or at + PROMISE_S)
        if reading := listener.with_one_of(at, end, DAYS):
            transcript, result = _kept(transcript, result, rejoined(transcript, at, end, reading, DAYS), judge)
    if number is not None and not all(result.item(i).passed for i in NUMBER_ITEMS):
        for first, last in number.partial(transcript):
            if all(result.item(i).passed for i in NUMBER_ITEMS):
                break
            start, end = max(0.0, first - NUMBER_BEFORE_S), last + NUMBER_AFTER_S
            if transcript.duration:
                end = min(end, transcript.duration)
            if reading := listener.with_one_of(start, end, (number.written,)):
                candidate = rejoined(transcript, start, end, reading, (number.written,))
                transcript, result = _kept(transcript, result, candidate, judge)
    return transcript


def _opening_again(transcript: Transcript, result: GradeResult, listener: Listener, judge: Judge,
                   names: dict[str, str]) -> tuple[Transcript, GradeResult]:
    start, end = transcript.opening
    transcript, result = _kept(transcript, result, replaced(transcript, start, end, listener.again(start, end)), judge)
    wanted = tuple(name for item, name in names.items() if item in NAMED and name and not result.item(item).passed)
    if wanted and (reading := listener.with_names(start, end, wanted)):
        transcript, result = _kept(transcript, result, rejoined(transcript, start, end, reading, wanted), judge)
    return transcript, result


def _kept(transcript: Transcript, result: GradeResult, candidate: Transcript, judge: Judge
          ) -> tuple[Transcript, GradeResult]:
    """The candidate and its grade when it should stand (see ``better``), else the transcript as it was."""
    judged = judge(candidate)
    return (candidate, judged) if better(result, judged) else (transcript, result)
