"""The transcript model: words with optional timings, and its normalized token view.

Matching works on normalized tokens (lower case, contractions expanded, numbers
split from symbols) while every token remembers the transcript word it came from,
so evidence can always be shown as the rep's own words with their times.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

SENTENCE_BREAK = "|"

_CONTRACTIONS = {
    "i'll": "i will", "i'm": "i am", "i've": "i have", "i'd": "i would",
    "we'll": "we will", "we're": "we are", "we've": "we have", "we'd": "we would",
    "you'll": "you will", "you're": "you are", "you've": "you have", "you'd": "you would",
    "it's": "it is", "that's": "that is", "there's": "there is", "here's": "here is",
    "what's": "what is", "let's": "let us", "he's": "he is", "she's": "she is",
    "they're": "they are", "they'll": "they will", "won't": "will not", "can't": "can not",
    "cannot": "can not", "don't": "do not", "didn't": "did not", "doesn't": "does not",
    "isn't": "is not", "wasn't": "was not", "haven't": "have not", "wouldn't": "would not",
    "shouldn't": "should not", "couldn't": "could not", "gonna": "going to",
    "wanna": "want to", "gotta": "got to", "o'clock": "oclock",
}
_WORDISH = re.compile(r"[a-z0-9']+(?::[0-9]+)?")
_EMAIL = re.compile(r"[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}")
_ABBREVIATIONS = {"a.m.": "am", "p.m.": "pm", "e-mail": "email", "e-mails": "emails", "mr.": "mr", "mrs.": "mrs", "ms.": "ms", "dr.": "dr"}


@dataclass(frozen=True)
class Word:
    text: str
    start: float | None = None
    end: float | None = None
    probability: float | None = None


@dataclass(frozen=True)
class Token:
    """A normalized token; ``word`` is the index of the transcript word it came from."""

    text: str
    word: int


@dataclass
class Transcript:
    words: list[Word]
    duration: float | None = None  # length of the audio, when there is audio
    # seconds the first stretch of speech the recognizer read on its own spans (see core.second_listen)
    opening: tuple[float, float] | None = None
    tokens: list[Token] = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = normalize(self.words)

    @classmethod
    def from_text(cls, text: str) -> "Transcript":
        return cls([Word(w) for w in text.split()])

    @property
    def text(self) -> str:
        return " ".join(w.text.strip() for w in self.words).strip()

    @property
    def timed(self) -> bool:
        return bool(self.words) and all(w.start is not None and w.end is not None for w in self.words)

    def span(self, first_token: int, last_token: int) -> tuple[str, float | None, float | None]:
        """The transcript words behind tokens ``first_token..last_token`` with their times."""
        a = self.tokens[first_token].word
        b = self.tokens[last_token].word
        words = self.words[a : b + 1]
        text = " ".join(w.text.strip() for w in words).strip(" ,;")
        return text, words[0].start, words[-1].end


def _split_word(raw: str) -> tuple[list[str], bool]:
    """Normalized pieces of one raw word, and whether it ends a sentence."""
    low = raw.strip().lower().replace("\u2019", "'")
    ends = bool(re.search(r"[.!?]['\")\]]*$", low)) and not re.fullmatch(r"(?:[a-z]\.){2,}", low)
    if low in _ABBREVIATIONS:
        return [_ABBREVIATIONS[low]], False
    email = _EMAIL.search(low)
    if email:
        return [email.group(0)], ends
    pieces: list[str] = []
    if low.startswith("$"):
        low = low[1:]
        trailer = ["dollars"]
    else:
        trailer = []
    low = low.replace("%", " percent").replace("-", " ")
    # "5.5," or "2.14" inside a phone number: keep the digits together.
    low = re.sub(r"(?<=\d)[.,](?=\d)", "", low)
    low = re.sub(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)", " ", low)
    for m in _WORDISH.finditer(low):
        piece = m.group(0).strip("'")
        if not piece:
            continue
        expanded = _CONTRACTIONS.get(piece)
        if expanded:
            pieces.extend(expanded.split())
        elif piece.endswith("'s") and len(piece) > 2:
            pieces.append(piece[:-2])
        else:
            pieces.append(piece)
    return pieces + trailer, ends


def normalize(words: list[Word]) -> list[Token]:
    tokens: list[Token] = []
    for i, w in enumerate(words):
        pieces, ends = _split_word(w.text)
        tokens.extend(Token(p, i) for p in pieces)
        if len(tokens) > 1 and tokens[-2].text == "per" and tokens[-1].text == "cent":
            tokens[-2:] = [Token("percent", i)]  # "four per cent", as "18%" reads: one word, "percent"
        if ends and tokens and tokens[-1].text != SENTENCE_BREAK:
            tokens.append(Token(SENTENCE_BREAK, i))
    return tokens


def mmss(seconds: float | None, missing: str = "—") -> str:
    """A moment of a recording as m:ss (``missing`` when there is none)."""
    if seconds is None:
        return missing
    return f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
