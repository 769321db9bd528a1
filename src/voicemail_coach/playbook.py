"""The playbook the app grades with unless told otherwise: the article's checklist, bundled as
resources/playbooks/default.toml (core/rubric.py parses it; it does not know where files live)."""

from __future__ import annotations

from functools import lru_cache

from voicemail_coach.core.rubric import Rubric, load_rubric
from voicemail_coach.paths import resources_dir


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    return load_rubric(resources_dir() / "playbooks" / "default.toml")
