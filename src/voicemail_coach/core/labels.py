"""Marked attempts as labelled corpus entries: real voices to measure the grader on.

A rep marks an item "I said it" or "I didn't"; a trainer's mark counts over
the rep's. An attempt's labels are its marks, and for unmarked items what the
coach decided, except items it was unsure of, which stay unlabelled.
"""

from __future__ import annotations

from voicemail_coach.core.records import Mark
from voicemail_coach.core.rubric import CONTENT_ITEMS


def attempt_labels(items: list[dict], marks: dict[str, Mark]) -> tuple[dict[str, bool], list[str]]:
    """({item id: should pass}, [item ids left unlabelled]) for the contract items."""
    by_id = {i["id"]: i for i in items}
    labels: dict[str, bool] = {}
    unlabelled: list[str] = []
    for item_id in CONTENT_ITEMS:
        if item_id in marks:
            labels[item_id] = marks[item_id].said
        elif item_id in by_id and by_id[item_id].get("status") != "unsure":
            labels[item_id] = bool(by_id[item_id]["passed"])
        else:
            unlabelled.append(item_id)
    return labels, unlabelled


def _toml_string(text: str) -> str:
    out = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("\r", " ").replace("\t", " ")
    return f'"{"".join(c if c >= " " else " " for c in out)}"'


def corpus_entry(attempt_id: int, audio: str | None, transcript: str, rep: dict, prospect: dict,
                 labels: dict[str, bool], unlabelled: list[str], marked_by: list[str]) -> str:
    """One ``[[voicemail]]`` entry in the labelled corpus's TOML form (rep profile inline)."""
    fails = [i for i in CONTENT_ITEMS if i in labels and not labels[i]]
    lines = [
        "[[voicemail]]",
        f"id = {_toml_string(f'attempt-{attempt_id}')}",
        f"audio = {_toml_string(audio or '')}",
        f"prospect = {_toml_string(prospect.get('name', ''))}",
        f"prospect_company = {_toml_string(prospect.get('company', ''))}",
        f"text = {_toml_string(transcript)}",
        "fails = [" + ", ".join(_toml_string(i) for i in fails) + "]",
        "unlabelled = [" + ", ".join(_toml_string(i) for i in unlabelled) + "]",
        "marked_by = [" + ", ".join(_toml_string(m) for m in marked_by) + "]",
        "rep_profile = { " + ", ".join(f"{k} = {_toml_string(rep.get(k, ''))}" for k in ("name", "company", "phone", "email")) + " }",
        "",
    ]
    return "\n".join(lines)


def mark_note(mark: Mark) -> str:
    """How a mark reads: 'Marked “said it” by Dave Kowalski (rep), 2026-11-27'.

    ``said`` means the item should pass: for a "no …" item, that the phrase was not said.
    """
    negative = mark.item_id.startswith("no_")
    said = ("not said" if mark.said else "said") if negative else ("said it" if mark.said else "not said")
    return f"Marked “{said}” by {mark.marker or 'someone'} ({mark.role}), {mark.created_at[:10]}"
