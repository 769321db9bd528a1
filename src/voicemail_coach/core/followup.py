"""Double down: draft the follow-up email from the voicemail's own words, and grade an email.

The draft is a template filled from the graded voicemail: the value point and
the callback time are the rep's evidence, never invented. Grading checks that
the email repeats the value point, says when the rep will call, agrees with the
voicemail (day, time, numbers), carries contact details and stays short.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voicemail_coach.core import numbers
from voicemail_coach.core.evidence import EvidenceIndex
from voicemail_coach.core.grader import callback_item
from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.results import GradeResult, ItemResult, TipFields
from voicemail_coach.core.rubric import Rubric
from voicemail_coach.core.transcript import SENTENCE_BREAK, Transcript

EMAIL_ITEMS = ("email_reiterates", "email_callback_time", "email_consistent", "email_contact", "email_brief")
_STOP = {
    "a", "an", "the", "and", "or", "but", "to", "of", "in", "on", "for", "with", "at", "by", "from", "is", "are",
    "was", "were", "be", "been", "it", "its", "this", "that", "we", "i", "you", "your", "our", "my", "me", "us",
    "they", "their", "them", "as", "so", "if", "will", "would", "can", "could", "have", "has", "had", "do", "did",
    "about", "just", "also", "there", "here", "than", "then", "like", "last", "year", SENTENCE_BREAK,
}
_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tomorrow", "today", "tonight")
_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "noon": "12"}


@dataclass
class EmailDraft:
    subject: str
    body: str

    @property
    def text(self) -> str:
        return f"Subject: {self.subject}\n\n{self.body}"

    def mailto(self, to: str = "") -> str:
        from urllib.parse import quote

        return f"mailto:{quote(to)}?subject={quote(self.subject)}&body={quote(self.body)}"


def _item(result: GradeResult, item_id: str) -> ItemResult | None:
    try:
        return result.item(item_id)
    except KeyError:
        return None


def _clean(evidence: str) -> str:
    text = re.sub(r"\s+", " ", evidence).strip(" ,.;")
    text = re.sub(r"(\d) %", r"\1%", text).replace("$ ", "$")  # the recognizer spaces out "18 %"
    return text[:1].upper() + text[1:] if text else text


def sentence_with(text: str, evidence: str) -> str:
    """The transcript sentence that holds ``evidence``: the rep's whole thought, not just the matched words."""
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        if evidence and evidence.strip(" .,") in sentence:
            return sentence.strip()
    return evidence


def _callback_phrase(result: GradeResult, rubric: Rubric) -> str:
    """The day and time the voicemail promised ("thursday at ten"), in normalized words."""
    item = _item(result, "callback_time")
    if not item or not item.passed:
        return ""
    normalized = " ".join(t.text for t in Transcript.from_text(item.evidence).tokens)
    found = [m.group(0) for m in rubric.time.finditer(normalized)]
    return max(found, key=len) if found else ""


def draft_email(result: GradeResult, rep: RepProfile, prospect: Prospect, rubric: Rubric) -> EmailDraft:
    value = _item(result, "value")
    value_text = _clean(sentence_with(result.transcript, value.evidence)) if value and value.passed else ""
    callback = _item(result, "callback_time")
    when = _clean(callback.evidence) if callback and callback.passed else ""
    first = prospect.first_name or "there"
    short_value = _clean(value.evidence) if value and value.passed else ""
    subject = f"{prospect.company}: {short_value}" if short_value and prospect.company else (
        f"Following up on my voicemail, {first}")
    lines = [f"Hi {first},", "", f"I just left you a voicemail. I'm {rep.name or '[your name]'} with "
             f"{rep.company or '[your company]'}."]
    lines.append(f"{value_text}." if value_text else "[The result you can get for them, as you said it in the voicemail.]")
    lines.append(f"{when}." if when else "I'll call you again [day and time].")
    contact = " or ".join(x for x in (rep.phone, rep.email) if x)
    lines.append(f"If it's easier, reach me at {contact}." if contact else "[Your phone number.]")
    lines += ["", rep.name or "", " · ".join(x for x in (rep.company, rep.phone, rep.email) if x)]
    return EmailDraft(subject[:90], "\n".join(lines).strip())


# ----------------------------------------------------------------- grading
def content_words(text: str) -> set[str]:
    """Words that carry the substance, lightly stemmed, numbers as digits."""
    out = set()
    for token in Transcript.from_text(text).tokens:
        w = _NUMBER_WORDS.get(token.text, token.text)
        if w in _STOP or (len(w) < 2 and not w.isdigit()):
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out


def same_substance(want: set[str], have: set[str]) -> bool:
    shared = len(want & have)
    return shared >= 3 and (shared / len(want) >= 0.5 or shared / len(have) >= 0.6)


def spoken_times(text: str, rubric: Rubric) -> tuple[set[str], set[str]]:
    """Days and clock hours named in ``text`` ("thursday", "10")."""
    joined = " ".join(t.text for t in Transcript.from_text(text).tokens)
    days, hours = set(), set()
    for m in rubric.time.finditer(joined):
        phrase = m.group(0)
        days |= {d for d in _DAYS if re.search(rf"\b{d}", phrase)}
        for h in re.findall(r"\b(\d{1,2})(?::\d\d)?\b", phrase):
            hours.add(str(int(h)))
        for word, digit in _NUMBER_WORDS.items():
            if re.search(rf"\b(?:at|around|by) {word}\b", phrase):
                hours.add(digit)
        for part in ("next week", "end of the week"):
            if part in phrase:
                days.add(part)
    return days, hours


_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_UNITS = ("percent", "dollars", "hours", "days", "weeks", "minutes")


def _figures(text: str) -> set[str]:
    """Quantities stated as results ("18 percent", "forty thousand dollars" -> "40000 dollars")."""
    from voicemail_coach.core.numbers import word_number

    tokens = Transcript.from_text(text).tokens
    found: set[str] = set()
    i = 0
    while i < len(tokens):
        value, j = None, i
        while j < len(tokens):
            t = tokens[j].text
            if t.isdigit():
                value, j = (value or 0) + int(t), j + 1
            elif t in _SCALES and value is not None:
                value, j = value * _SCALES[t], j + 1
            else:
                parsed = word_number(tokens, j)
                if parsed is None:
                    break
                value, j = (value or 0) + int(parsed[0]), j + parsed[1]
        if value is not None and j < len(tokens) and tokens[j].text in _UNITS:
            found.add(f"{value} {tokens[j].text}")
        i = max(j, i + 1)
    return found


def grade_email(email: str, voicemail: GradeResult, rep: RepProfile, prospect: Prospect, rubric: Rubric,
                settings: dict) -> GradeResult:
    """Grade ``email`` against the voicemail it follows up. ``settings`` is the playbook's email section."""
    specs = settings["items"]
    labels = {k: v["label"] for k, v in specs.items()}
    transcript = Transcript.from_text(email)
    idx = EvidenceIndex(transcript)
    items: list[ItemResult] = []
    values = TipFields(rep_phone=rep.phone or "your number")

    # 1. the voicemail's value point, in substance
    value = _item(voicemail, "value")
    reiterates = ItemResult("email_reiterates", labels["email_reiterates"], False)
    if value and value.passed:
        said = sentence_with(voicemail.transcript, value.evidence)
        want = content_words(said)
        values["value"] = said
        match = next((sentence.strip() for sentence in re.split(r"(?<=[.!?])\s+|\n+", email)
                      if want and content_words(sentence) and same_substance(want, content_words(sentence))), "")
        if match:
            reiterates.passed, reiterates.evidence = True, match
        else:
            reiterates.tip = specs["email_reiterates"]["tip"].format_map(values)
    else:
        reiterates.tip = specs["email_reiterates"]["tip_no_value"]
    items.append(reiterates)

    # 2. when the rep will call again: the voicemail's own rule, on the email
    callback = callback_item(idx, rubric, labels["email_callback_time"])
    callback.id = "email_callback_time"
    promised = _item(voicemail, "callback_time")
    values["callback"] = _callback_phrase(voicemail, rubric) or "on Thursday at 10"
    if not callback.passed:
        callback.tip = specs["email_callback_time"]["tip"].format_map(values)
    items.append(callback)

    # 3. agreement with the voicemail: the day and time, the figures, the number
    consistent = ItemResult("email_consistent", labels["email_consistent"], True)
    conflicts: list[tuple[str, str]] = []
    if promised and promised.passed and callback.passed:
        v_days, v_hours = spoken_times(promised.evidence, rubric)
        e_days, e_hours = spoken_times(callback.evidence, rubric)
        if (v_days and e_days and not (v_days & e_days)) or (v_hours and e_hours and not (v_hours & e_hours)):
            conflicts.append((callback.evidence, promised.evidence))
    if value and value.passed:
        said = _figures(voicemail.transcript)
        for figure in _figures(email) - said:
            if said:
                conflicts.append((figure, ", ".join(sorted(said))))
    if rep.phone:
        wanted = numbers.phone_digits(rep.phone)
        for mention in numbers.any_phone_numbers(transcript.tokens):
            if not numbers._near(mention.digits, wanted) and not mention.digits.endswith(wanted[-7:]):
                text, _, _ = idx.evidence(mention.first, mention.last)
                conflicts.append((text, rep.phone))
    if conflicts:
        found, said = conflicts[0]
        consistent.passed = False
        consistent.flagged = found
        values["found"], values["said"] = found, said
        consistent.tip = specs["email_consistent"]["tip"].format_map(values)
    items.append(consistent)

    # 4. contact details
    contact = ItemResult("email_contact", labels["email_contact"], False)
    phone_hits = numbers.find_phone(transcript.tokens, rep.phone) if rep.phone else numbers.any_phone_numbers(transcript.tokens)
    address = re.search(r"[\w.+-]+@[\w-]+\.[\w.]+", email)
    if phone_hits:
        contact.passed = True
        contact.evidence = idx.evidence(phone_hits[0].first, phone_hits[0].last)[0]
    elif address:
        contact.passed, contact.evidence = True, address.group(0)
    else:
        contact.tip = specs["email_contact"]["tip"].format_map(values)
    items.append(contact)

    # 5. brevity (the subject line and signature count too: it is all on the phone's screen)
    words = len(re.findall(r"[A-Za-z0-9']+", email))
    limit = int(settings["max_words"])
    brief = ItemResult("email_brief", labels["email_brief"], words <= limit, evidence=f"{words} words" if words <= limit else "")
    if not brief.passed:
        brief.tip = specs["email_brief"]["tip"].format(words=words, max_words=limit)
    items.append(brief)

    total = sum(float(specs[i.id]["weight"]) for i in items)
    earned = sum(float(specs[i.id]["weight"]) for i in items if i.passed)
    return GradeResult(round(100 * earned / total), items, email.strip(), {"word_count": words})
