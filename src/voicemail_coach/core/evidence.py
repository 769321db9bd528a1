"""The transcript as one searchable string of normalized tokens, mapped back to the words (and times) behind
each match: the grader, the follow-up email and later touches find their evidence through it."""

from __future__ import annotations

import re
from bisect import bisect_right

from voicemail_coach.core.transcript import SENTENCE_BREAK, Transcript


class EvidenceIndex:
    """The normalized tokens as one searchable string, mapped back to token indices."""

    def __init__(self, transcript: Transcript):
        self.transcript = transcript
        self.tokens = transcript.tokens
        self.offsets: list[int] = []
        self.sentence: list[int] = []
        pos, sent = 0, 0
        for tok in self.tokens:
            self.offsets.append(pos)
            self.sentence.append(sent)
            pos += len(tok.text) + 1
            if tok.text == SENTENCE_BREAK:
                sent += 1
        self.text = " ".join(t.text for t in self.tokens)

    def token_at(self, char: int) -> int:
        return max(0, bisect_right(self.offsets, char) - 1)

    def find(self, pattern: re.Pattern, group: int = 0) -> list[tuple[int, int]]:
        out = []
        for m in pattern.finditer(self.text):
            a, b = m.span(group)
            while a < b and self.text[a] == " ":  # a slot group starts at the space before its words
                a += 1
            if b <= a:
                continue
            first, last = self.token_at(a), self.token_at(b - 1)
            while last > first and self.tokens[last].text == SENTENCE_BREAK:
                last -= 1
            while first < last and self.tokens[first].text == SENTENCE_BREAK:
                first += 1
            out.append((first, last))
        return out

    def evidence(self, first: int, last: int) -> tuple[str, float | None, float | None]:
        return self.transcript.span(first, last)

    def sub(self, first: int, last: int):
        return self.tokens[first : last + 1]
