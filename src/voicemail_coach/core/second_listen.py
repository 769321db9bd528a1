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

Pure: the reading is asked for through ``again`` and graded through ``judge``.
"""

from __future__ import annotations

from typing import Callable

from voicemail_coach.core.results import GradeResult
from voicemail_coach.core.rubric import ABSENCE_ITEMS, CONTENT_ITEMS
from voicemail_coach.core.transcript import Transcript, Word

Again = Callable[[float, float], list[Word]]  # (start s, end s) -> the words heard there on a second listen
Judge = Callable[[Transcript], GradeResult]

_CREDITED = tuple(i for i in CONTENT_ITEMS if i not in ABSENCE_ITEMS)
_CLOSING = ("email_followup", "callback_time")  # said at the end of a message, not in its opening


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


def better(first: GradeResult, second: GradeResult) -> bool:
    """Whether the second reading's grade should stand: more items credited, none lost, the don'ts unchanged."""
    before, after = _credited(first), _credited(second)
    return after > before and _absences(first) == _absences(second)


def listen_again(transcript: Transcript, again: Again, judge: Judge) -> Transcript:
    """``transcript``, or the same with its opening read again when that reading hears more (see module doc).
    Nothing is decoded again when the first listen already credited every item an opening can hold."""
    if transcript.opening is None or not transcript.timed:
        return transcript
    first = judge(transcript)
    if not set(_CREDITED) - _credited(first) - set(_CLOSING):
        return transcript
    start, end = transcript.opening
    candidate = replaced(transcript, start, end, again(start, end))
    return candidate if better(first, judge(candidate)) else transcript
