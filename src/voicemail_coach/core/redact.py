"""Masking phone numbers and email addresses in what leaves the machine (exports on request).

The same tokenizer and number reader the grader uses find what to hide, so "five five five, two one four",
"555-214-3390" and "dave at brightline dot com" are masked as surely as they are graded. A masked word is
replaced whole; times stay, so the same spans can be silenced in the audio.
"""

from __future__ import annotations

import re

from voicemail_coach.core import numbers
from voicemail_coach.core.transcript import Transcript, Word

MASK = "•••"
MIN_DIGITS = 4  # shorter numbers (a price, a time, "two weeks") are not personal
_EMAIL_GLUE = {"dot", "at", "underscore", "dash", "hyphen"}


def masked_words(words: list[Word]) -> set[int]:
    """Indexes of the words that speak or spell a phone number or an email address."""
    transcript = Transcript(list(words))
    tokens = transcript.tokens
    hidden: set[int] = set()
    for run in numbers.digit_runs(tokens, min_digits=MIN_DIGITS):
        hidden.update(tokens[i].word for i in range(run.first, run.last + 1))
    for i, t in enumerate(tokens):
        if "@" in t.text:
            hidden.add(t.word)
        # "dave at brightline dot com": from the local part through the word after the last "dot"
        if t.text == "at" and 0 < i and any(x.text == "dot" for x in tokens[i + 1 : i + 5]):
            j = i + 1
            while j < len(tokens) and (tokens[j].text in _EMAIL_GLUE or tokens[j - 1].text in _EMAIL_GLUE
                                       or j == i + 1):
                j += 1
            k = i - 1  # and back over a spelled local part: "dave underscore k at …"
            while k >= 2 and tokens[k - 1].text in _EMAIL_GLUE - {"at"}:
                k -= 2
            hidden.update(range(tokens[k].word, tokens[j - 1].word + 1))
    for i, w in enumerate(words):
        if re.search(r"[\w.-]+\.(com|net|org|io|co|biz|us|uk)\b", w.text.lower()):
            hidden.add(i)
    return hidden


def mask_text(text: str) -> str:
    """``text`` with every phone number and email address replaced by •••, spacing kept."""
    if not text:
        return text
    parts = re.split(r"(\s+)", text)
    chunks = [(n, p) for n, p in enumerate(parts) if p and not p.isspace()]
    hidden = masked_words([Word(p) for _, p in chunks])
    for k in hidden:
        n, raw = chunks[k]
        trail = re.search(r"[.,;:!?]*$", raw).group(0)  # keep the sentence's punctuation
        parts[n] = MASK + trail
    return "".join(parts)


def mask_timed_words(words: list[dict]) -> tuple[list[dict], list[tuple[float, float]]]:
    """Stored words ({text, start, end, …}) masked, and the time spans to silence in the recording."""
    hidden = masked_words([Word(str(w.get("text", ""))) for w in words])
    out, spans = [], []
    for i, w in enumerate(words):
        if i in hidden:
            out.append({**w, "text": MASK})
            if isinstance(w.get("start"), (int, float)) and isinstance(w.get("end"), (int, float)):
                spans.append((float(w["start"]), float(w["end"])))
        else:
            out.append(w)
    return out, spans


def mask_item(item: dict) -> dict:
    """A checklist result with the words it quotes masked."""
    return {**item, **{f: mask_text(item[f]) for f in ("evidence", "flagged", "heard") if isinstance(item.get(f), str)}}
