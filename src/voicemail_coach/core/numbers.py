"""Spoken-number normalization: find digit strings (phone numbers) in noisy transcripts.

Whisper writes the same spoken number in many ways: "555-214-3390",
"5.5, 2.14, 3.3.9.0", "555 to 140,300", "five five five two one four ...".
Tokens are turned into digit strings and consecutive ones joined into runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicemail_coach.core.transcript import SENTENCE_BREAK, Token

_UNITS = {
    "zero": 0, "oh": 0, "o": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9,
}
_TEENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
# Homophones the recognizer writes for digits; trusted only inside a run of digits: after a digit and before
# one, or as two or more in a row right before one ("fine, fine, fine, two, one, four").
_HOMOPHONES = {"to": "2", "too": "2", "for": "4", "won": "1", "wan": "1", "ate": "8", "free": "3", "tree": "3",
               "fife": "5", "fine": "5", "find": "5", "nein": "9", "no": "0", "nought": "0",
               # through a telephone band (nothing above 3.4 kHz) the hiss of f, s and z is gone: "five" is
               # heard as "time" or "sign", "six" as "ticks", "zero" as "nero"
               "time": "5", "times": "5", "sign": "5", "tick": "6", "ticks": "6", "nero": "0", "neuro": "0",
               "mate": "8"}
# The last digit as the recognizer sometimes writes it ("three, three, nine, no.", "... three, ticks."):
# trusted only there, right after the digits of a number that is nearly complete.
_FINAL_DIGIT = {"no": "0", "u": "0", "you": "0", "nero": "0", "neuro": "0", "tick": "6", "ticks": "6"}
_REPEATS = {"double": 2, "triple": 3}
LOCAL_NUMBER = 7  # digits in a number said without its area code; no clock time holds as many
FULL_NUMBER = 10  # digits in a North American number: a run shorter than this may go on past a full stop


@dataclass(frozen=True)
class DigitRun:
    digits: str
    first: int  # token index
    last: int
    # token index of each digit, so a match inside the run can be mapped to words
    positions: tuple[int, ...]


_CLOCKLIKE = re.compile(r"\d{1,2}:\d+")


def _plain_digits(text: str) -> str | None:
    if text.isdigit():
        return text
    return None


def _clocklike_digits(text: str) -> str | None:
    """ "5:52", "5:5", "9:005558671200" — a recognizer sometimes writes digit groups as clock times;
    trusted inside a run, where another such group or digits follow, or when it holds a number's worth."""
    return text.replace(":", "") if _CLOCKLIKE.fullmatch(text) else None


def word_number(tokens: list[Token], i: int) -> tuple[str, int] | None:
    """Digits for the number words starting at ``i`` and how many tokens they use."""
    t = tokens[i].text
    if t in _REPEATS and i + 1 < len(tokens):
        nxt = _plain_digits(tokens[i + 1].text) or (str(_UNITS[tokens[i + 1].text]) if tokens[i + 1].text in _UNITS else None)
        if nxt and len(nxt) == 1:
            return nxt * _REPEATS[t], 2
        return None
    if t in _UNITS:
        value, used = _UNITS[t], 1
        if i + 2 < len(tokens) and tokens[i + 1].text == "hundred":
            used = 2
            value *= 100
            rest = word_number(tokens, i + 2)
            if rest and tokens[i + 2].text not in _UNITS and len(rest[0]) <= 2:
                value += int(rest[0])
                used += rest[1]
            elif tokens[i + 2].text in _UNITS:
                value += _UNITS[tokens[i + 2].text]
                used += 1
            return str(value), used
        return str(value), used
    if t in _TEENS:
        return str(_TEENS[t]), 1
    if t in _TENS:
        if i + 1 < len(tokens) and tokens[i + 1].text in _UNITS and _UNITS[tokens[i + 1].text] > 0:
            return str(_TENS[t] + _UNITS[tokens[i + 1].text]), 2
        return str(_TENS[t]), 1
    return None


def digit_runs(tokens: list[Token], min_digits: int = 7) -> list[DigitRun]:
    """Runs of consecutive number tokens that hold at least ``min_digits`` digits."""
    pieces: list[tuple[int, int, str]] = []  # (first token, last token, digits)
    i = 0
    while i < len(tokens):
        d = _plain_digits(tokens[i].text)
        if d is not None:
            pieces.append((i, i, d))
            i += 1
            continue
        wn = word_number(tokens, i)
        if wn is not None:
            pieces.append((i, i + wn[1] - 1, wn[0]))
            i += wn[1]
            continue
        pieces.append((i, i, ""))
        i += 1

    runs: list[DigitRun] = []
    current: list[tuple[int, int, str]] = []

    def flush() -> None:
        digits = "".join(p[2] for p in current)
        if len(digits) >= min_digits:
            positions = tuple(p[0] for p in current for _ in p[2])
            runs.append(DigitRun(digits, current[0][0], current[-1][1], positions))
        current.clear()

    for k, piece in enumerate(pieces):
        first, _last, digits = piece
        text = tokens[first].text
        if digits:
            current.append(piece)
        elif _clocklike_digits(text) and (current or _digits_next(tokens, pieces, k)
                                          or len(_clocklike_digits(text)) >= LOCAL_NUMBER):
            current.append((first, first, _clocklike_digits(text)))
        elif text in _HOMOPHONES and _inside_a_run(tokens, pieces, k, bool(current)):
            current.append((first, first, _HOMOPHONES[text]))
        elif _misheard_digit(tokens, pieces, k, current):
            continue  # "five, five, five, Sam, three, six ...": one digit heard as a word is a digit lost
        elif text in _FINAL_DIGIT and current and current[-1][1] == first - 1 and _count(current) >= FULL_NUMBER - 4:
            current.append((first, first, _FINAL_DIGIT[text]))
        elif text in ("dash", "hyphen", "and", "dollars") and current and k + 1 < len(pieces) and pieces[k + 1][2]:
            continue
        elif text == SENTENCE_BREAK and current and _digits_next(tokens, pieces, k) and _count(current) < FULL_NUMBER:
            # "555. 214. 3390." — the recognizer sometimes ends a sentence inside a number
            continue
        else:
            flush()
    flush()
    return runs


def _count(pieces: list[tuple[int, int, str]]) -> int:
    return sum(len(p[2]) for p in pieces)


def _digits_next(tokens: list[Token], pieces: list[tuple[int, int, str]], k: int) -> bool:
    """Whether the piece after ``k`` holds digits, written plainly, as words or as a clock-like group."""
    return k + 1 < len(pieces) and bool(pieces[k + 1][2] or _clocklike_digits(tokens[pieces[k + 1][0]].text))


def _inside_a_run(tokens: list[Token], pieces: list[tuple[int, int, str]], k: int, after_digit: bool) -> bool:
    """Whether the homophone at piece ``k`` reads as a digit: more homophones may follow, then a digit must;
    with no digit before it, it needs another homophone beside it. Three alike ("fine, fine, fine") are an
    area code even when the digit after them was heard as a word."""
    n = k + 1
    while n < len(pieces) and not pieces[n][2] and tokens[pieces[n][0]].text in _HOMOPHONES:
        n += 1
    if _digits_next(tokens, pieces, n - 1) and (after_digit or n - k >= 2):
        return True
    start = k
    while start > 0 and not pieces[start - 1][2] and tokens[pieces[start - 1][0]].text in _HOMOPHONES:
        start -= 1
    alike = {tokens[pieces[m][0]].text for m in range(start, n)}
    return n - start >= 3 and len(alike) == 1 and _word_then_digits(tokens, pieces, n, n - start)


def _word_then_digits(tokens: list[Token], pieces: list[tuple[int, int, str]], k: int, before: int = 3) -> bool:
    """Whether piece ``k`` is one plain word with three or more digits right after it, which with the
    ``before`` digits make no more than one number: "557781 again 555327781" is a number said twice."""
    if k >= len(pieces) or pieces[k][2] or not tokens[pieces[k][0]].text.isalpha():
        return False
    digits, n = 0, k + 1
    while n < len(pieces) and pieces[n][2]:
        digits += len(pieces[n][2])
        n += 1
    return digits >= 3 and before + digits <= FULL_NUMBER


def _misheard_digit(tokens: list[Token], pieces: list[tuple[int, int, str]], k: int,
                    current: list[tuple[int, int, str]]) -> bool:
    """A word between the digits of a number still being said (three to eight digits before it, three or
    more after, a number's worth in all) stands for one digit the recognizer wrote as a word. Only one:
    two words end the number."""
    before = _count(current)
    return (3 <= before < FULL_NUMBER - 1 and current[-1][1] == pieces[k][0] - 1
            and tokens[pieces[k][0]].text not in _HOMOPHONES and _word_then_digits(tokens, pieces, k, before))


def phone_digits(phone: str) -> str:
    """The digits of a profile phone number, without a leading North American country code."""
    digits = "".join(c for c in phone if c.isdigit())
    if len(digits) == 11 and digits.startswith("1"):
        digits = digits[1:]
    return digits


def written_phone(phone: str) -> str:
    """A profile number as a recognizer writes a spoken one: "555-867-1200" (or "867-1200")."""
    digits = phone_digits(phone)
    if len(digits) == 10:
        return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
    if len(digits) == 7:
        return f"{digits[:3]}-{digits[3:]}"
    return digits


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def _near(candidate: str, target: str, slack: int = 2) -> bool:
    """Equal, or within what the recognizer does to a spoken number.

    It drops or repeats digits, and now and then mishears one ("five" for
    "nine"): up to ``slack`` digits dropped or added, or one digit changed in a
    full-length number. Two changed or swapped digits make a different number,
    one the prospect could not call, and it is never credited.
    """
    if candidate == target:
        return True
    diff = len(candidate) - len(target)
    if diff == 0:
        return len(target) >= 10 and sum(a != b for a, b in zip(candidate, target)) == 1
    if abs(diff) > slack:
        return False
    if diff > 0:
        # repeated digits sit inside the number: a run that merely starts or ends with
        # another figure ("at ten, 555…") is not the number with extra digits
        return candidate[0] == target[0] and candidate[-1] == target[-1] and _is_subsequence(target, candidate)
    return _is_subsequence(candidate, target)


@dataclass(frozen=True)
class NumberMention:
    first: int  # token indices
    last: int
    digits: str


def _ends_cleanly(run: str, end: int, shortened: bool, target: str) -> bool:
    """A window missing digits must reach the end of what was said (or the next repeat):
    otherwise "555-214-3309" would pass as "555-214-330" with the 9 "dropped"."""
    return not shortened or end == len(run) or run[end : end + 3] == target[:3]


def find_phone(tokens: list[Token], phone: str) -> list[NumberMention]:
    """Every place the transcript says ``phone`` (full number, or its last seven digits)."""
    target = phone_digits(phone)
    if len(target) < 7:
        return []
    local = target[-7:]
    found: list[NumberMention] = []
    sizes = [len(target) + d for d in (0, -1, 1, -2, 2)]
    for run in digit_runs(tokens):
        d = run.digits
        k = 0
        clean_start = 0  # where a number may begin: the run's start, or right after a number found in it
        while k <= len(d) - 7:
            # a window missing digits must also begin where the number does: "615-214-3390" holds
            # "5214-3390" but is another number, not the rep's with two digits lost
            starts = k == clean_start
            hit = next((n for n in sizes if k + n <= len(d) and (n >= len(target) or starts)
                        and _near(d[k : k + n], target) and _ends_cleanly(d, k + n, n < len(target), target)), None)
            if hit is None and starts:
                # the seven-digit local form, said without the area code
                hit = next((n for n in (7, 8, 6) if k + n <= len(d) and _near(d[k : k + n], local, 1) and _ends_cleanly(d, k + n, n < 7, local)), None)
                if hit is not None and k + hit + 3 <= len(d) and _near(d[k : k + hit + 3], target):
                    hit = None  # part of a longer number that is checked in full
            if hit:
                found.append(NumberMention(run.positions[k], run.positions[k + hit - 1], d[k : k + hit]))
                k += hit
                clean_start = k
            else:
                k += 1
    return found


def any_phone_numbers(tokens: list[Token]) -> list[NumberMention]:
    """Digit runs that look like phone numbers (7 to 15 digits), whoever's they are."""
    return [NumberMention(r.first, r.last, r.digits) for r in digit_runs(tokens) if 7 <= len(r.digits) <= 15]
