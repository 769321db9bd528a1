"""Grade a voicemail transcript against the playbook: a pure function, no I/O.

Every item result carries the transcript words that earned it (with their times
when known), so each point in the score can be traced to what the rep said.
"""

from __future__ import annotations

import re

from rapidfuzz.distance import LCSseq

from voicemail_coach.core import matching, numbers, uncertainty
from voicemail_coach.core.evidence import EvidenceIndex
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.results import GradeResult, ItemResult, TipFields
from voicemail_coach.core.rubric import CONTENT_ITEMS, Rubric
from voicemail_coach.core.transcript import SENTENCE_BREAK, Transcript

__all__ = ["GradeResult", "ItemResult", "callback_item", "grade", "partial_numbers", "promise_start"]

_TITLES = {"mr", "mrs", "ms", "miss", "dr", "doctor", "prof", "professor", "sir", "madam"}
_INTRO_SLOT = re.compile(
    r"\b(?:this is|my name is|name is|it is|i am|this|hi it is)((?: [^ |]+){1,2}?) (?:from|with|at|over|calling|here|and|of|in)\b"
)
_COMPANY_SLOT = re.compile(r"\b(?:from|with|at|over at|here at|calling from|of)((?: [^ |]+){1,3})")
# "Hi" over a noisy room is often written "By" or "5": a greeting only as the message's first word
_GREETING_SLOT = re.compile(
    r"(?:(?:^|\| )(?:hi|hello|hey|high|hiya|good morning|good afternoon|good evening|morning|afternoon|dear)"
    r"|^(?:by|bye|buy|5|five))((?: [^ |]+){1,2})"
)
_VOCATIVE_SLOT = re.compile(r"^([^ |]+)(?= (?:this|it) is\b)")  # "Kloi, this is Dave": the first word, a name
_OPENING_TOKENS = 12  # the greeting and the introduction: "Hi Peter, Aisha Okafor with Greenlight Solar."
_TITLE_SLOT = re.compile(r"\b(?:mr|mrs|ms|miss|dr|doctor|mister|misses)((?: [^ |]+){1})")


def _passed(spec_label: str, item_id: str, idx: EvidenceIndex, first: int, last: int) -> ItemResult:
    text, start, end = idx.evidence(first, last)
    return ItemResult(item_id, spec_label, True, text, start, end)


def _best_hit(hits: list[matching.Hit]) -> matching.Hit | None:
    return max(hits, key=lambda h: (h.score, -h.first)) if hits else None


# Words that fill an introduction slot without being a name ("I'm calling from ...").
_SLOT_FILLERS = {
    "calling", "just", "reaching", "out", "the", "a", "an", "here", "with", "team", "from",
    "someone", "over", "also", "again", "back", "glad", "happy", "going", "your", "our", "my",
    "me", "you", "one", "of", "on", "and", "to", "is", "be", "so", "now", "quickly",
}
# Everyday words that follow a greeting or fill a slot ("Hi, sorry to bother you", "Hey, it's
# Jason", "Hello there"): never loosely credited as a name, however close they sound.
_NOT_NAMES = _SLOT_FILLERS | {
    "hi", "hey", "hello", "there", "sorry", "everyone", "all", "folks", "guys", "again", "good",
    "this", "it", "its", "i", "im", "ive", "id", "ill", "how", "hope", "quick", "thanks", "thank",
    "sir", "madam", "friend", "morning", "afternoon", "evening", "bother", "apologies", "apologize",
    "we", "are", "was", "were", "am", "that", "who", "what", "yes", "no", "okay",
    "ok", "well", "uh", "um", "so", "but", "if", "for", "at", "in", "by", "as", "do", "did",
    "not", "know", "busy", "call", "calls", "name", "mister", "mrs", "ms", "mr", "dr", "doctor",
}


def _slot_hits(idx: EvidenceIndex, slot: re.Pattern, parts: list[str], relax: float, company: bool = False) -> list[matching.Hit]:
    """Looser matches where the sentence shape says a name goes ("this is ___ from")."""
    hits: list[matching.Hit] = []
    for first, last in idx.find(slot, 1):
        while first <= last and idx.tokens[first].text in _NOT_NAMES:
            first += 1
        while last >= first and idx.tokens[last].text in _NOT_NAMES:
            last -= 1
        if first > last:
            continue
        segment = idx.sub(first, last)
        if company:
            found = matching.find_company(segment, " ".join(parts), relax)
        else:
            found = matching.find_name_parts(segment, parts, relax)
        for h in found:
            heard = "".join(t.text for t in segment[h.first : h.last + 1])
            # a loose match must at least start like the name: "Colonial" for "Chloe" may be the
            # recognizer, "Karen" for "Megan" is someone else
            if heard[:1] == h.part[:1] or matching.first_sound(heard) == matching.first_sound(h.part):
                hits.append(matching.Hit(h.first + first, h.last + first, h.score, h.part))
    return hits


def _drop_overlaps(hits: list[matching.Hit], rivals: list[matching.Hit]) -> list[matching.Hit]:
    """Keep a hit only if no rival (the other party's name) explains the same words better."""
    kept = []
    for h in hits:
        beaten = any(r.first <= h.last and h.first <= r.last and r.score > h.score for r in rivals)
        if not beaten:
            kept.append(h)
    return kept


def _name_parts(name: str) -> list[str]:
    return [p for p in matching.words_of(name) if p not in _TITLES and len(p) >= 2]


def _rep_name(idx: EvidenceIndex, rep: RepProfile, prospect: Prospect, label: str) -> ItemResult:
    parts = _name_parts(rep.name)
    if not parts:
        return ItemResult("rep_name", label, False, tip="Add your name to your profile so it can be checked.")
    hits = matching.find_name_parts(idx.tokens, parts) + _slot_hits(idx, _INTRO_SLOT, parts, 24.0)
    if len(parts) > 1:  # a whole name that only sounds right: only where reps introduce themselves
        hits += matching.sounds_like(idx.tokens[:_OPENING_TOKENS], "".join(parts), _NOT_NAMES)
    rivals = matching.find_name_parts(idx.tokens, _name_parts(prospect.name))
    if rep.company.strip():
        company_hits = matching.find_company(idx.tokens, rep.company)
        rivals += company_hits
        hits += _before_company(idx, company_hits, parts)
    best = _best_hit([h for h in _drop_overlaps(hits, rivals) if not _in_email(idx, h)])
    if best is None:
        return ItemResult("rep_name", label, False)
    return _passed(label, "rep_name", idx, best.first, best.last)


def _before_company(idx: EvidenceIndex, company_hits: list[matching.Hit], parts: list[str]) -> list[matching.Hit]:
    """Looser matches for the words right before "from <company>": where reps say their name."""
    hits: list[matching.Hit] = []
    for ch in company_hits:
        k = ch.first - 1
        while k >= 0 and idx.tokens[k].text in ("from", "with", "at", "over", "here", "calling", "of"):
            k -= 1
        if k == ch.first - 1:
            continue  # no connector: "Brightline" alone says nothing about a name
        first = k
        while first > 0 and k - first < 1 and idx.tokens[first - 1].text not in _SLOT_FILLERS | {SENTENCE_BREAK}:
            first -= 1
        if k < 0 or idx.tokens[k].text == SENTENCE_BREAK:
            continue
        segment = idx.sub(first, k)
        hits += [matching.Hit(h.first + first, h.last + first, h.score, h.part) for h in matching.find_name_parts(segment, parts, 20.0)]
    return hits


def _in_email(idx: EvidenceIndex, hit: matching.Hit) -> bool:
    """A name heard inside a spoken email address ("dave at brightline dot com") is not an introduction."""
    around = [t.text for t in idx.tokens[hit.first : hit.last + 3]]
    before = idx.tokens[hit.first - 1].text if hit.first > 0 else ""
    after = idx.tokens[hit.last + 1].text if hit.last + 1 < len(idx.tokens) else ""
    return "dot" in around or any("@" in t for t in around) or after == "at" and before in ("is", "me", "email", "address")


def _rep_company(idx: EvidenceIndex, rep: RepProfile, prospect: Prospect, label: str) -> ItemResult:
    if not rep.company.strip():
        return ItemResult("rep_company", label, False, tip="Add your company to your profile so it can be checked.")
    hits = matching.find_company(idx.tokens, rep.company) + _slot_hits(
        idx, _COMPANY_SLOT, matching.company_core(rep.company), 18.0, company=True
    )
    rivals = matching.find_company(idx.tokens, prospect.company) if prospect.company.strip() else []
    hits = [h for h in _drop_overlaps(hits, rivals) if not _in_email(idx, h)]
    best = _best_hit(hits)
    if best is None:
        return ItemResult("rep_company", label, False)
    return _passed(label, "rep_company", idx, best.first, best.last)


def _prospect_named(idx: EvidenceIndex, rep: RepProfile, prospect: Prospect, label: str) -> ItemResult:
    parts = _name_parts(prospect.name)
    if not parts:
        return ItemResult("prospect_named", label, False, tip="This scenario has no prospect name to check against.")
    hits = (
        matching.find_name_parts(idx.tokens, parts)
        + _slot_hits(idx, _GREETING_SLOT, parts[:1], 24.0)  # loosely, only the first name: "Hi Megan" is not Ms Martin
        + _slot_hits(idx, _VOCATIVE_SLOT, parts[:1], 24.0)
        + _slot_hits(idx, _TITLE_SLOT, parts[-1:], 20.0)
    )
    rivals = matching.find_name_parts(idx.tokens, _name_parts(rep.name))
    best = _best_hit(_drop_overlaps(hits, rivals))
    if best is None:
        return ItemResult("prospect_named", label, False)
    return _passed(label, "prospect_named", idx, best.first, best.last)


def _first_match(idx: EvidenceIndex, patterns: list[re.Pattern]) -> tuple[int, int] | None:
    """The earliest match of the first pattern that matches: patterns are listed best evidence first."""
    for pattern in patterns:
        found = idx.find(pattern)
        if found:
            return min(found)
    return None


def _pattern_item(idx: EvidenceIndex, item_id: str, label: str, patterns: list[re.Pattern]) -> ItemResult:
    span = _first_match(idx, patterns)
    if span is None:
        return ItemResult(item_id, label, False)
    return _passed(label, item_id, idx, *span)


def _absence_item(idx: EvidenceIndex, item_id: str, label: str, patterns: list[re.Pattern]) -> ItemResult:
    span = _first_match(idx, patterns)
    if span is None:
        return ItemResult(item_id, label, True)
    text, start, end = idx.evidence(*span)
    return ItemResult(item_id, label, False, flagged=text, flagged_start=start, flagged_end=end)


def _spoken_email(idx: EvidenceIndex, email: str) -> tuple[int, int] | None:
    """Where an email address is spoken ("dave at brightline dot com") or written out."""
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    domain_core = domain.split(".")[0] if domain else ""
    toks = idx.tokens
    for i, tok in enumerate(toks):
        if "@" in tok.text:
            if not email or matching.similarity(tok.text, email) >= 85:
                return i, i
        if tok.text != "at" or i == 0 or i + 1 >= len(toks):
            continue
        before = "".join(t.text for t in toks[max(0, i - 2) : i] if t.text != SENTENCE_BREAK)
        tail = [t.text for t in toks[i + 1 : i + 5]]
        if "dot" not in tail and "com" not in tail:
            continue
        cut = tail.index("dot") if "dot" in tail else tail.index("com")
        after = "".join(tail[:cut])
        if not email:
            return i - 1, i + cut + 1
        near_local = any(matching.similarity(before[-len(local) - k :], local) >= 80 for k in (0, 1, 2)) if local else False
        if near_local and after and matching.similarity(after, domain_core) >= 80:
            return max(0, i - 2), min(len(toks) - 1, i + cut + 2)
    return None


def _contact_items(idx: EvidenceIndex, rep: RepProfile, labels: dict[str, str], metrics: dict) -> list[ItemResult]:
    if numbers.phone_digits(rep.phone):
        mentions = numbers.find_phone(idx.tokens, rep.phone)
    else:
        # No profile number to check against: any phone number counts, and "twice" means the same one twice.
        mentions = numbers.any_phone_numbers(idx.tokens)
        if mentions:
            first = mentions[0].digits
            mentions = [m for m in mentions if numbers._near(m.digits, first)]
    email_span = _spoken_email(idx, rep.email)
    if mentions:
        contact = _passed(labels["contact"], "contact", idx, mentions[0].first, mentions[0].last)
    elif email_span:
        contact = _passed(labels["contact"], "contact", idx, *email_span)
    else:
        contact = ItemResult("contact", labels["contact"], False)
        others = numbers.any_phone_numbers(idx.tokens)
        if others and rep.phone:
            said, _, _ = idx.evidence(others[0].first, others[0].last)
            contact.tip = f"The number you said ({said}) is not your number on file ({rep.phone}): the prospect could not call you back."
    if len(mentions) >= 2:
        twice = _passed(labels["number_twice"], "number_twice", idx, mentions[1].first, mentions[1].last)
    else:
        twice = ItemResult("number_twice", labels["number_twice"], False)
    if mentions and idx.transcript.timed:
        _, start, end = idx.evidence(mentions[0].first, mentions[0].last)
        if start is not None and end is not None and end > start:
            metrics["number_digits_per_second"] = round(len(mentions[0].digits) / (end - start), 2)
    metrics["number_mentions"] = len(mentions)
    return [contact, twice]


def callback_item(idx: EvidenceIndex, rubric: Rubric, label: str) -> ItemResult:
    times = idx.find(rubric.time)
    for pattern in rubric.patterns["callback_commitment"]:
        for first, last in idx.find(pattern):
            sentence = idx.sentence[first]
            near = []
            for t_first, t_last in times:
                same = idx.sentence[t_first] == sentence
                # "I'll try you again. Thursday at ten." — the time opening the next sentence counts too
                opens_next = idx.sentence[t_first] == sentence + 1 and idx.tokens[t_first - 1].text == SENTENCE_BREAK
                if same or opens_next:
                    # the time that belongs to the call: after the promise and closest to it
                    near.append((t_first < first, abs(t_first - last), t_first, t_last))
            if near:
                _, _, t_first, t_last = min(near)
                return _passed(label, "callback_time", idx, min(first, t_first), max(last, t_last))
    return ItemResult("callback_time", label, False)


def promise_start(transcript: Transcript, rubric: Rubric) -> float | None:
    """When the first promise to call again begins (seconds), with or without a time: where a second listen
    looks for the day it named (core.second_listen)."""
    idx = EvidenceIndex(transcript)
    spans = [span for pattern in rubric.patterns["callback_commitment"] for span in idx.find(pattern)]
    return idx.evidence(*min(spans))[1] if spans else None


def partial_numbers(transcript: Transcript, phone: str) -> list[tuple[float, float]]:
    """When each stretch that holds ``phone`` in part begins and ends (seconds): most of its digits in
    order but not all (what the scorecard calls "not sure"), or a number as long whose digits are all but
    one of ``phone``'s in order ("5586712000" for 555-867-1200, a five lost and a zero added; a colleague's
    number on the same exchange has three or four of its own). Where a second listen asks whether the
    whole number was said (core.second_listen)."""
    if not transcript.timed:
        return []
    idx = EvidenceIndex(transcript)
    found = numbers.find_phone(idx.tokens, phone)
    places = [(d.first, d.last) for d in uncertainty.number_doubts(transcript, phone, found)]
    target = numbers.phone_digits(phone)
    for run in numbers.digit_runs(idx.tokens, min_digits=len(target)):
        heard = any(m.first <= run.last and run.first <= m.last for m in found)
        if not heard and LCSseq.similarity(run.digits, target) >= len(target) - 1:
            places.append((run.first, run.last))
    spans = []
    for first, last in sorted(places):
        _, start, end = idx.evidence(first, last)
        if start is not None and end is not None:
            spans.append((start, end))
    return spans


def _word_count(idx: EvidenceIndex) -> int:
    count = 0
    for tok in idx.tokens:
        if tok.text == SENTENCE_BREAK:
            continue
        count += len(tok.text) if tok.text.isdigit() and len(tok.text) >= 3 else 1
    return count


def _fillers(idx: EvidenceIndex, rubric: Rubric) -> list[str]:
    found = [idx.text[slice(*m.span())] for p in rubric.patterns["fillers"] for m in p.finditer(idx.text)]
    words = idx.transcript.words
    for i, w in enumerate(words):
        low = w.text.strip().lower()
        if low.strip(",") == "like":
            # "like" is a filler when set off by commas, not in "I'd like to" or "companies like yours"
            prev_comma = i > 0 and words[i - 1].text.strip().endswith(",")
            if low.endswith(",") or prev_comma:
                found.append("like")
    return found


def _delivery(idx: EvidenceIndex, rubric: Rubric, band: tuple[float, float] | None, metrics: dict) -> list[ItemResult]:
    t = idx.transcript
    out: list[ItemResult] = []
    words = _word_count(idx)
    metrics["word_count"] = words
    spec = rubric.delivery
    duration = t.duration
    if duration is None and t.timed:
        duration = t.words[-1].end
    metrics["duration_s"] = round(duration, 2) if duration is not None else None
    if duration is not None:
        lo, hi = band or (float(spec["length"]["min_s"]), float(spec["length"]["max_s"]))
        ok = lo <= duration <= hi
        item = ItemResult("length", spec["length"]["label"], ok)
        if ok:
            item.evidence = f"{duration:.0f} s"
        else:
            tmpl = spec["length"]["tip_short"] if duration < lo else spec["length"]["tip_long"]
            item.tip = tmpl.format(duration=duration, min_s=f"{lo:g}", max_s=f"{hi:g}")
        out.append(item)
    if t.timed and words:
        speaking = max(1e-6, t.words[-1].end - t.words[0].start)
        wpm = words / speaking * 60
        metrics["words_per_minute"] = round(wpm, 1)
        p = spec["pace"]
        ok = float(p["min_wpm"]) <= wpm <= float(p["max_wpm"])
        item = ItemResult("pace", p["label"], ok)
        if ok:
            item.evidence = f"{wpm:.0f} words per minute"
        else:
            tmpl = p["tip_slow"] if wpm < float(p["min_wpm"]) else p["tip_fast"]
            item.tip = tmpl.format(wpm=wpm, min_wpm=p["min_wpm"], max_wpm=p["max_wpm"])
        out.append(item)
    else:
        metrics["words_per_minute"] = None
    fillers = _fillers(idx, rubric)
    per_100 = 100.0 * len(fillers) / words if words else 0.0
    metrics["filler_words"] = len(fillers)
    metrics["fillers_per_100_words"] = round(per_100, 2)
    f = spec["fillers"]
    ok = per_100 < float(f["max_per_100_words"])
    item = ItemResult("fillers", f["label"], ok)
    if ok:
        item.evidence = f"{len(fillers)} filler words"
    else:
        examples = ", ".join(sorted(set(fillers))[:3])
        item.tip = f["tip"].format(count=len(fillers), per_100=per_100, examples=examples)
    out.append(item)
    return out


def grade(
    transcript: Transcript,
    rep: RepProfile,
    prospect: Prospect,
    rubric: Rubric,
    length_band: tuple[float, float] | None = None,
) -> GradeResult:
    """Grade ``transcript``; ``length_band`` overrides the playbook's target length (seconds)."""
    idx = EvidenceIndex(transcript)
    labels = {k: v.label for k, v in rubric.items.items()}
    metrics: dict = {}
    items = [
        _rep_name(idx, rep, prospect, labels["rep_name"]),
        _rep_company(idx, rep, prospect, labels["rep_company"]),
        _prospect_named(idx, rep, prospect, labels["prospect_named"]),
        _pattern_item(idx, "value", labels["value"], rubric.patterns["value"]),
        *_contact_items(idx, rep, labels, metrics),
        callback_item(idx, rubric, labels["callback_time"]),
        _pattern_item(idx, "email_followup", labels["email_followup"], rubric.patterns["email_followup"]),
        _absence_item(idx, "no_check_in", labels["no_check_in"], rubric.patterns["check_in"]),
        _absence_item(idx, "no_apology", labels["no_apology"], rubric.patterns["apology"]),
    ]
    _mark_doubts(idx, items, rep, prospect, rubric)
    _fill_tips(items, rubric, rep, prospect)
    items += _delivery(idx, rubric, length_band, metrics)
    total = sum(rubric.weight(i.id) for i in items)
    earned = sum(rubric.weight(i.id) for i in items if i.passed)
    score = round(100 * earned / total) if total else 0
    assert [i.id for i in items[: len(CONTENT_ITEMS)]] == list(CONTENT_ITEMS)
    return GradeResult(score, items, transcript.text, metrics)


def _mark_doubts(idx: EvidenceIndex, items: list[ItemResult], rep: RepProfile, prospect: Prospect, rubric: Rubric) -> None:
    """Failed items whose words were nearly heard become "not sure" (see core.uncertainty)."""
    t = idx.transcript
    by_id = {i.id: i for i in items}
    doubts: dict[str, uncertainty.Doubt | None] = {
        "rep_name": uncertainty.name_doubt(t, _name_parts(rep.name), _NOT_NAMES)
        or uncertainty.whole_name_doubt(t, "".join(_name_parts(rep.name)), _NOT_NAMES, _OPENING_TOKENS),
        "prospect_named": uncertainty.name_doubt(t, _name_parts(prospect.name), _NOT_NAMES)
        or uncertainty.greeting_doubt(t, prospect.first_name.lower(), _NOT_NAMES),
        "rep_company": uncertainty.name_doubt(t, matching.company_core(rep.company), _NOT_NAMES) if rep.company else None,
        "callback_time": uncertainty.doubted_after(t, [s for p in rubric.patterns["callback_commitment"] for s in idx.find(p)]),
        "email_followup": uncertainty.email_doubt(t),
    }
    if rep.phone:
        mentions = numbers.find_phone(idx.tokens, rep.phone)
        partial = uncertainty.number_doubts(t, rep.phone, mentions)
        doubts["contact"] = partial[0] if partial and not mentions else None
        doubts["number_twice"] = partial[0] if partial and len(mentions) == 1 else None
    for item_id, doubt in doubts.items():
        item = by_id[item_id]
        if doubt is None or item.passed:
            continue
        item.unsure = True
        item.heard, item.heard_start, item.heard_end = idx.evidence(doubt.first, doubt.last)
        item.tip = f"Not sure I heard it: “{item.heard}” — {doubt.why}. Listen (▶), and mark whether you said it."


def _fill_tips(items: list[ItemResult], rubric: Rubric, rep: RepProfile, prospect: Prospect) -> None:
    values = TipFields(
        rep_first=rep.first_name or "your name",
        rep_company=rep.company or "your company",
        rep_phone=rep.phone or "your number",
        prospect_first=prospect.first_name or "there",
    )
    for item in items:
        if item.passed or item.tip:
            continue
        values["found"] = item.flagged
        item.tip = rubric.items[item.id].tip.format_map(values)
