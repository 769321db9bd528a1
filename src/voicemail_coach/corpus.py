"""The labelled voicemail corpus that ships with the app (resources/corpus): voicemails written from scratch,
each labelled for every checklist item. The playbook editor grades it with an edited playbook before it is
saved; the tests and benchmarks measure the grader on it. ``labels export`` writes marked attempts in the
same form, so a team's own real speech can be read alongside."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from voicemail_coach.core.people import Prospect, RepProfile
from voicemail_coach.core.rubric import CONTENT_ITEMS
from voicemail_coach.paths import resources_dir

CORPUS_FILES = ("voicemails.toml", "voicemails-more.toml")


@dataclass(frozen=True)
class Voicemail:
    id: str
    rep: RepProfile
    prospect: Prospect
    text: str
    labels: dict[str, bool]  # every labelled contract item: should it pass?


def corpus_dir() -> Path:
    return resources_dir() / "corpus"


def load_corpus(path: Path | None = None) -> list[Voicemail]:
    """The labelled voicemails (or those of ``path``, e.g. a ``labels export`` of marked attempts).

    An entry names a rep of reps.toml or carries ``rep_profile`` inline; items listed in
    ``unlabelled`` carry no label and are left out of agreement counts.
    """
    folder = corpus_dir()
    reps = tomllib.loads((folder / "reps.toml").read_text(encoding="utf-8"))
    entries = []
    for file in [path] if path else [folder / name for name in CORPUS_FILES]:
        if file.exists():
            entries += tomllib.loads(file.read_text(encoding="utf-8"))["voicemail"]
    out, seen = [], set()
    for entry in entries:
        unknown = (set(entry["fails"]) | set(entry.get("unlabelled", []))) - set(CONTENT_ITEMS)
        if unknown:
            raise ValueError(f"{entry['id']}: unknown items {sorted(unknown)}")
        if entry["id"] in seen:
            raise ValueError(f"{entry['id']}: the id is used twice")
        seen.add(entry["id"])
        rep = RepProfile(**(entry["rep_profile"] if "rep_profile" in entry else reps[entry["rep"]]))
        prospect = Prospect(entry["prospect"], entry.get("prospect_company", ""))
        labels = {item: item not in entry["fails"] for item in CONTENT_ITEMS if item not in entry.get("unlabelled", [])}
        out.append(Voicemail(entry["id"], rep, prospect, entry["text"], labels))
    return out
