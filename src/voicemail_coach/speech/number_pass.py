"""A second listen to a phone number the first reading heard only in part.

Over a phone line, or from a fast talker, the decoder writes a number with
digits missing or turned into words ("times times times 2 1 4 3 3 9 0",
"555-50"). The span is decoded again from the same place with the decoder
leaning towards digits: words other than digits pay a penalty, so a word wins
only where the audio clearly holds one. The second reading replaces the first
only when it keeps every digit the first reading heard, in order, adds some,
and is no longer than a phone number: it fills gaps, it never invents a number
where none was heard, and it is never told which number to expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz.distance import LCSseq

from voicemail_coach.speech.word_timing import vowel_groups

WORD_START = "\u2581"
DIGIT_WORDS = "zero one two three four five six seven eight nine".split()
NUMBER_WORDS = frozenset(DIGIT_WORDS + ["oh"])
# words that introduce a number: the second listen starts after them
CUES = frozenset("is at me number number's that's more again on it's call reach dial".split())
LEAD_WORDS = 3  # unclear words just before the first digit that may be digits misheard
GAP_WORDS = 2  # words between digits of one number: digits misheard as these ("555 to 214")
SOUND_LIKE_DIGITS = frozenset("to too for won ate free tree fine nein no dash and".split())
WHOLE = (10, 11)  # digits of a full number, with or without its country code
PENALTY = 10.0  # logits taken from non-digit tokens while the number is read again (4 and 7 did less)


@dataclass(frozen=True)
class Region:
    """Tokens [start, end) of the first reading that hold one number and the unclear words before it."""

    start: int
    end: int
    digits: str
    lead: bool = False  # begins with words that may be digits misheard: digits may be found before
    clocks: bool = False  # holds digits written as clock times ("5:00, 5:00, 5:00, for 1:00")


def _word_text(word: str) -> str:
    return word.replace(WORD_START, " ").strip().lower().strip(",.;:!?")


def _digits_of(word: str) -> str:
    """Digits of a word of a spoken number; none for a quantity ("18%", "$40", "10:30")."""
    if word in NUMBER_WORDS:
        return "0" if word == "oh" else str(DIGIT_WORDS.index(word))
    if any(c in word for c in "%$:"):
        return ""
    return "".join(c for c in word if c.isdigit())


def _clock_digits(word: str) -> str:
    """The digits a decoder meant when it wrote a digit as a time: "5:00" is 5, "3:06" is 306, "5:5" is 55."""
    m = re.fullmatch(r"(\d{1,2}):(\d{1,2})", word)
    if not m:
        return ""
    return m.group(1) if m.group(2) == "00" else m.group(1) + m.group(2)


def _one_syllable(word: str) -> bool:
    """Every digit but "seven" and "zero" is one syllable, and so is what the decoder writes for one it
    misheard ("times", "sign", "free"); a longer word ("Monday", "morning") was said as a word."""
    letters = "".join(c for c in word if c.isalpha())
    if letters.endswith("es") or letters.endswith("e"):
        letters = letters[:-2] if letters.endswith("es") else letters[:-1]
    return vowel_groups(letters) == 1


def regions(token_texts: list[str]) -> list[Region]:
    """Numbers in a reading (given as token texts) that were heard only in part: fewer digits than a full
    number, or unclear short words where digits would be."""
    words: list[tuple[int, int, str]] = []  # (first token, end token, text)
    for i, text in enumerate(token_texts):
        if text.startswith(WORD_START) or not words:
            words.append((i, i + 1, text))
        else:
            first, _end, joined = words[-1]
            words[-1] = (first, i + 1, joined + text)
    texts = [_word_text(w[2]) for w in words]
    digits = [_digits_of(t) for t in texts]
    clock = [_clock_digits(t) for t in texts]
    numeric = [bool(c or d) for c, d in zip(clock, digits)]
    for i, c in enumerate(clock):
        # three or more "times" in a row, or times among digits, are a number written as clock times
        if c and any(all(numeric[j : j + 3]) for j in range(max(0, i - 2), min(i, len(texts) - 3) + 1)):
            digits[i] = c
    found: list[Region] = []
    k = 0
    while k < len(words):
        if not digits[k]:
            k += 1
            continue
        last, gap, n = k, 0, k + 1
        while n < len(words) and gap <= GAP_WORDS and len("".join(digits[k : last + 1])) < 10:
            if digits[n]:
                last, gap = n, 0
            elif texts[n] in SOUND_LIKE_DIGITS:
                gap += 1
            else:
                break
            n += 1
        heard = "".join(digits[k : last + 1])
        lead = k
        while lead > 0 and k - lead < LEAD_WORDS and texts[lead - 1] not in CUES and _one_syllable(texts[lead - 1]) \
                and not words[lead - 1][2].rstrip().endswith((".", "?", "!")):
            lead -= 1
        inner_words = any(not d for d in digits[k : last + 1])
        clocks = any(clock[j] and digits[j] for j in range(k, last + 1))
        # seven digits may be a number said without its area code, unless words stand where digits would
        if len(heard) >= 3 and (clocks or len(heard) not in WHOLE and (len(heard) != 7 or lead < k or inner_words)):
            start = words[lead][0]
            glued = texts[k] not in NUMBER_WORDS and not _digits_of(_word_text(token_texts[start]))
            if lead == k and glued:  # "staymat555214": the letters were said as a word; listen again from the digits
                start = next(i for i in range(start, words[k][1]) if any(c.isdigit() for c in token_texts[i]))
            found.append(Region(start, words[last][1], heard, lead < k, clocks))
        k = last + 1
    return found


def _is_subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


def better(first: str, second: str, lead: bool = False, clocks: bool = False) -> bool:
    """Whether the second reading's digits should replace the first's: more of them, every digit first
    heard still there in order, and no longer than a number with its country code. Where the first wrote
    them as clock times (``clocks``), at least as many, all but one of the first's in order. Digits found
    before the first one heard are believed only where words stood there (``lead``)."""
    if len(second) > max(WHOLE) or not (lead or second[0] == first[0]):
        return False
    if clocks:  # "3:06" may stand for "0, 3, 6": one digit of the clock reading may disagree
        return len(second) >= len(first) and LCSseq.similarity(first, second) >= len(first) - 1
    return len(first) < len(second) and _is_subsequence(first, second)


def reading_digits(token_texts: list[str]) -> str:
    """The digits a reading holds, written as figures or as words."""
    text = "".join(token_texts).replace(WORD_START, " ")
    return "".join(_digits_of(w.lower().strip(",.;:!?-")) for w in text.split())


def writes_a_number(token: str) -> bool:
    """Tokens a number is written with: digits, number words, separators, the space before a group."""
    text = token.replace(WORD_START, "")
    return all(c.isdigit() or c in "-,." for c in text) or text.lower() in NUMBER_WORDS
