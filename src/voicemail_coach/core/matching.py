"""Forgiving matching of names and companies against a noisy transcript.

The recognizer mishears names ("Chloe Martin" -> "Colonial Martin",
"Acme" -> "ECME"), so a name part matches a token when the two are close in
spelling (rapidfuzz) or sound (metaphone). Short names and names that are also
ordinary words ("Will", "Mark") need more: an exact hit, or an introduction slot.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import jellyfish
from rapidfuzz.distance import JaroWinkler
from rapidfuzz.fuzz import ratio

from voicemail_coach.core.transcript import SENTENCE_BREAK, Token

# Names that are also everyday words: credited only where a name is expected.
COMMON_WORD_NAMES = {
    "will", "mark", "bill", "grace", "hope", "joy", "rose", "may", "june", "april", "dawn",
    "faith", "chase", "jack", "pat", "sue", "ray", "rich", "summer", "hunter", "lane", "wade",
    "drew", "art", "frank", "gene", "carol", "miles", "max", "sky", "brook", "glen", "dean",
    "guy", "don", "rob", "sandy", "penny", "holly", "ivy", "jean", "love", "young", "king",
    "price", "best", "long", "short", "white", "black", "brown", "green", "bell", "hall",
    "wood", "stone", "cook", "rice", "call", "day", "week", "page", "post", "cross", "field",
}
GENERIC_COMPANY_WORDS = {
    "inc", "llc", "ltd", "co", "corp", "corporation", "company", "group", "the", "and",
    "solutions", "services", "systems", "technologies", "technology", "partners", "global",
    "international", "holdings", "labs", "software", "consulting", "of", "industries",
}


_CH_AS_K = re.compile(r"ch(?=[^aeiouy])")


def words_of(name: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", name.lower().replace("'", "")) if w]


def _phonetic(word: str) -> str:
    """Metaphone, with an initial vowel written A whichever it is (as Double Metaphone does): "Okafor" heard
    as "Akafur" still sounds the same. A "ch" before a consonant is a K sound (Chloe, Christine), which
    metaphone writes as the "ch" of "church"."""
    word = _CH_AS_K.sub("k", word)
    try:
        code = jellyfish.metaphone(word)
    except Exception:  # metaphone rejects a few unusual characters
        return word
    return "A" + code[1:] if code[:1] in "AEIOU" and code else code


def first_sound(word: str) -> str:
    """The first consonant sound (metaphone's first letter): "Chloe" and "Colonial" both K."""
    return _phonetic(word)[:1] if word else ""


SHORT_SOUND_ALIKE = 75.0  # a name of two consonant sounds heard as another word with the same two


def similarity(heard: str, name: str) -> float:
    """0..100: how likely ``heard`` is the recognizer's rendering of ``name``."""
    if heard == name:
        return 100.0
    score = ratio(heard, name)
    jw = JaroWinkler.similarity(heard, name) * 100
    score = max(score, jw - 8)
    if len(name) >= 4 and len(heard) >= 3:
        ph, pn = _phonetic(heard), _phonetic(name)
        if ph and ph == pn:
            # two sounds alike is little ("call" and "Chloe" are both KL): enough only where a name is expected
            score = max(score, 90.0 if len(pn) >= 3 or score >= 60 else SHORT_SOUND_ALIKE)
        elif ph and pn and len(pn) >= 3:
            score = max(score, ratio(ph, pn) - 10)
    return score


def threshold_for(name: str) -> float:
    if len(name) <= 3:
        return 100.0
    if len(name) <= 4:
        return 86.0
    if len(name) <= 7:
        return 80.0
    return 76.0


@dataclass(frozen=True)
class Hit:
    first: int
    last: int
    score: float
    part: str


def _windows(tokens: list[Token], max_len: int):
    for i in range(len(tokens)):
        if tokens[i].text == SENTENCE_BREAK:
            continue
        for n in range(1, max_len + 1):
            j = i + n - 1
            if j >= len(tokens) or tokens[j].text == SENTENCE_BREAK:
                break
            yield i, j, "".join(t.text for t in tokens[i : j + 1])


def find_name_parts(tokens: list[Token], parts: list[str], relax: float = 0.0) -> list[Hit]:
    """Tokens (or two joined tokens, for "Bright line") that match any of ``parts``."""
    hits: list[Hit] = []
    for i, j, heard in _windows(tokens, 2):
        if not heard.isalpha():
            continue
        for part in parts:
            if j > i and len(part) < 6:
                continue  # joining tokens only helps long names
            if abs(len(heard) - len(part)) > max(3, len(part) // 2):
                continue
            score = similarity(heard, part)
            if relax == 0.0 and len(heard) < len(part) and part.startswith(heard):
                # a word that only begins the name ("way" for Wayne, "sea" for Sean) scores high on its shared
                # start alone: without a name's place around it, it must match as letters, not as a prefix
                score = min(score, ratio(heard, part))
            need = threshold_for(part) - relax
            if part in COMMON_WORD_NAMES and relax == 0.0:
                need = 101.0
            if score >= need:
                hits.append(Hit(i, j, score, part))
    # two tokens joined stand for a name split in two ("Bright line"), not for a name heard whole next to
    # another word ("hen Marcus" is not one long "Marcus")
    alone = [h for h in hits if h.first == h.last]
    return [h for h in hits if h.first == h.last or not any(
        a.part == h.part and h.first <= a.first <= h.last and a.score >= h.score for a in alone)]


def sound_score(heard: str, said: str, min_code: int = 5) -> float:
    """0..100: how alike ``heard`` and ``said`` sound (their metaphone codes); 0 for a sound code shorter
    than ``min_code``, which would sound like too much."""
    target = _phonetic(said)
    code = _phonetic(heard)
    if len(target) < min_code or abs(len(code) - len(target)) > 1:
        return 0.0
    return ratio(code, target)


def sounds_like(tokens: list[Token], said: str, skip: set[str], need: float = 85.0) -> list[Hit]:
    """Runs of two to four tokens that, said together, sound like ``said`` (a whole name): "shoka fur" for
    "Aisha Okafor", "pre raman" for "Priya Raman". A run through one everyday word of ``skip`` ("shuoka
    for") must sound closer still; a run through two is never a name."""
    hits: list[Hit] = []
    for i, j, heard in _windows(tokens, 4):
        if j == i or not heard.isalpha():
            continue
        everyday = sum(t.text in skip for t in tokens[i : j + 1])
        if everyday > 1:
            continue
        if (score := sound_score(heard, said)) >= need + 3 * everyday:
            hits.append(Hit(i, j, score, said))
    return hits


def company_core(company: str) -> list[str]:
    parts = words_of(company)
    core = [p for p in parts if p not in GENERIC_COMPANY_WORDS]
    return core or parts


def find_company(tokens: list[Token], company: str, relax: float = 0.0) -> list[Hit]:
    """Places where the company's distinctive words are said (allowing split or merged words)."""
    core = company_core(company)
    if not core:
        return []
    targets = {"".join(core)}
    targets.add(core[0])  # the distinctive first word is usually how reps say it
    hits: list[Hit] = []
    max_len = len(core) + 1
    for i, j, heard in _windows(tokens, max_len):
        for target in targets:
            if len(target) < 3 or abs(len(heard) - len(target)) > max(2, len(target) // 3):
                continue
            score = similarity(heard, target)
            need = max(threshold_for(target), 84.0 if len(target) <= 5 else 0.0) - relax
            if target in COMMON_WORD_NAMES and relax == 0.0:
                need = 101.0
            if score >= need:
                hits.append(Hit(i, j, score, target))
    return hits
