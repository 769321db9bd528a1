"""A name the first reading missed, looked for where the decoder could have heard it.

A name said in the first second of a message, over a room's chatter or through a
phone line, is often read as other words ("Hi honored" for "Hi Ahmed", "free your
aim" for "Priya Raman"). Asking the decoder to start the name at a place in its
own reading, and to go on reading from there, gives a second reading that holds
the name; the two are compared by how likely the decoder finds each. Once the
second reading is back on the words of the first (the same ``RESYNC`` tokens in a
row), the rest is the first reading's: only the stretch where they differ is
compared, and only that stretch is decoded. The name's reading is kept only when
it is at most ``MARGIN`` nats less likely than the decoder's own (in 101 office
messages of the labelled corpus, a name truly said scored between +5 and -2 nats
against what was first heard; a name not said, -10 nats and below). So a name is never written where
the audio holds something else, only where the decoder was unsure between the two.

The places tried are the word starts among the first ``SEARCH_TOKENS`` tokens where
the decoder gave the name's first token the best odds against its own choice. The
same search finds the likeliest of a few words (the day a promise to call again named) and
the rep's number where a reading holds it in part.
Decoding is asked for through ``Steps``: pure apart from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

import numpy as np

MARGIN = 4.0  # nats the name's reading may fall short of the decoder's own (4 and 6 credit the same names, 2 fewer)
POSITIONS = 3  # places tried for each name
PLACE_ODDS = -14.0  # nats: a place where the name's first token was this much less likely than the decoder's
# choice is not tried (in 101 office messages, every reading within the margin began at a place of -12 or better)
SEARCH_TOKENS = 18  # names are said at the start of a message: only the first tokens are tried
RESYNC = 3  # tokens in a row that put the second reading back on the first's
SKIP_TOKENS = 8  # how many more tokens of the first reading the name may stand for than the detour read
DETOUR_TOKENS = 40  # a reading not back on the first's after this many tokens is not a name in its place


class Steps(Protocol):
    """The decoder, one token at a time. A state is the decoder's memory after the tokens fed so far; a row
    is the log-probability of each next token."""

    end: int  # the end-of-text token

    def begin(self) -> tuple[np.ndarray, Any]:
        """The row and state before any token is read."""

    def step(self, state: Any, token: int) -> tuple[np.ndarray, Any]:
        """``token`` fed after ``state``: the next row, and the state after it (``state`` stays usable)."""


@dataclass(frozen=True)
class Reading:
    tokens: list[int]
    logps: list[float]  # one for each token

    @property
    def probabilities(self) -> list[float]:
        return [float(np.exp(p)) for p in self.logps]


def first_reading(steps: Steps, limit: int) -> Reading:
    """The decoder's own greedy reading, at most ``limit`` tokens."""
    row, state = steps.begin()
    row = row.copy()
    row[steps.end] = -np.inf  # a chunk holds speech: never end before the first word
    tokens, logps = [], []
    while len(tokens) < limit:
        token = int(row.argmax())
        if token == steps.end:
            break
        tokens.append(token)
        logps.append(float(row[token]))
        row, state = steps.step(state, token)
    return Reading(tokens, logps)


def with_one_of(steps: Steps, reading: Reading, words: list[list[int]], starts_word: Callable[[int], bool],
                head: list[tuple[np.ndarray, Any]] | None = None) -> Reading | None:
    """``reading`` with the likeliest of ``words`` (each as its tokens) begun at the best place for it; None
    when no word at any place is likely enough. ``head``: the row and state before each of the reading's
    first tokens, when the decoding that made the reading kept them."""
    words = [w for w in words if w]
    if not words or not reading.tokens:
        return None
    tokens = reading.tokens[:SEARCH_TOKENS]
    if head is None:
        head = []
        row, state = steps.begin()
        for token in tokens:
            head.append((row, state))
            row, state = steps.step(state, token)
    rows, states = [r for r, _ in head[: len(tokens)]], [s for _, s in head[: len(tokens)]]
    best: tuple[float, Reading] | None = None
    for word in words:
        places = sorted(((float(rows[i][word[0]] - rows[i][t]), i) for i, t in enumerate(tokens) if starts_word(t)),
                        reverse=True)
        for odds, at in places[:POSITIONS]:
            found = _detour(steps, reading, at, rows[at], states[at], word) if odds >= PLACE_ODDS else None
            if found is not None and (best is None or found[0] > best[0]):
                best = found
    return best[1] if best is not None and best[0] >= -MARGIN else None


def _detour(steps: Steps, reading: Reading, at: int, row: np.ndarray, state: Any, name: list[int]
            ) -> tuple[float, Reading] | None:
    """The name fed from token ``at``, then greedy reading until it is back on ``reading`` (or ends): how much
    more likely than ``reading`` it is over the stretch where they differ, and the whole reading."""
    # the most the first reading can give up over any stretch the detour may stand for: once the detour has
    # lost more than that and the margin, it cannot stand, however it goes on (log-probabilities are never positive)
    floor = sum(reading.logps[at : at + len(name) + DETOUR_TOKENS + SKIP_TOKENS]) - MARGIN
    tokens, logps = list(name), []
    for token in name:
        logps.append(float(row[token]))
        if sum(logps) < floor:
            return None
        row, state = steps.step(state, token)
    for _ in range(DETOUR_TOKENS):
        token = int(row.argmax())
        if token == steps.end:  # read to the end: compared with the rest of the first reading, unless that skips a phrase
            if len(reading.tokens) - at > len(tokens) + SKIP_TOKENS:
                return None
            gain = sum(logps) - sum(reading.logps[at:])
            return gain, Reading(reading.tokens[:at] + tokens, reading.logps[:at] + logps)
        tokens.append(token)
        logps.append(float(row[token]))
        if sum(logps) < floor:
            return None
        back = _back_on(reading.tokens, at, tokens[len(name) :])
        if back is not None:
            gain = sum(logps) - sum(reading.logps[at:back])
            return gain, Reading(reading.tokens[:at] + tokens + reading.tokens[back:],
                                 reading.logps[:at] + logps + reading.logps[back:])
        row, state = steps.step(state, token)
    return None


def _back_on(first: list[int], at: int, read: list[int]) -> int | None:
    """Where ``first`` goes on after ``read`` when the last RESYNC tokens read are a run of ``first`` after
    ``at``; None while they are not."""
    if len(read) < RESYNC:
        return None
    tail = read[-RESYNC:]
    # near where the first reading would be by now: a detour that skips a phrase of it is not a name in its place
    for j in range(at, min(len(first), at + len(read) + SKIP_TOKENS) - RESYNC + 1):
        if first[j : j + RESYNC] == tail:
            return j + RESYNC
    return None
