"""The playbook the app grades with: the article's checklist, bundled as resources/playbooks/default.toml,
unless a trainer has made and chosen their own (TOML files in the data folder's ``playbooks``; the chosen
one's file name is kept in ``playbooks/active``). core/rubric.py parses them; it does not know where files live."""

from __future__ import annotations

import copy
import re
import tomllib
from functools import lru_cache
from pathlib import Path

from voicemail_coach.core.rubric import Rubric, RubricError, load_rubric, parse_rubric
from voicemail_coach.paths import DataDir, resources_dir

ACTIVE = "active"


@lru_cache(maxsize=1)
def default_rubric() -> Rubric:
    return load_rubric(default_path())


def default_path() -> Path:
    return resources_dir() / "playbooks" / "default.toml"


def default_data() -> dict:
    """The default playbook as data, to start a new one from."""
    return tomllib.loads(default_path().read_text(encoding="utf-8"))


def saved(dirs: DataDir) -> list[Path]:
    """The trainer's own playbooks, by name."""
    return sorted(dirs.playbooks.glob("*.toml")) if dirs.playbooks.is_dir() else []


def active_path(dirs: DataDir) -> Path | None:
    """The chosen playbook's file, or None for the default (also when the chosen file is gone)."""
    try:
        name = (dirs.playbooks / ACTIVE).read_text(encoding="utf-8").strip()
    except OSError:
        return None
    path = dirs.playbooks / name
    return path if name and path.is_file() else None


def choose(dirs: DataDir, path: Path | None) -> None:
    """Grade with ``path`` (one of the saved playbooks) from now on; None goes back to the default."""
    dirs.playbooks.mkdir(mode=0o700, parents=True, exist_ok=True)
    marker = dirs.playbooks / ACTIVE
    if path is None:
        marker.unlink(missing_ok=True)
    else:
        marker.write_text(Path(path).name, encoding="utf-8")


def active_rubric(dirs: DataDir) -> tuple[Rubric, str | None]:
    """The rubric to grade with, and why the chosen playbook could not be used (then the default's)."""
    path = active_path(dirs)
    return (default_rubric(), None) if path is None else named_rubric(dirs, path.name)


def named_rubric(dirs: DataDir, name: str) -> tuple[Rubric, str | None]:
    """The saved playbook ``name`` (a file name, as a session keeps it), or the default and why not."""
    path = dirs.playbooks / Path(name).name
    try:
        return load_rubric(path), None
    except RubricError as exc:
        return default_rubric(), f"The playbook {path.stem} cannot be used ({exc}); grading with the default."


def file_name(name: str) -> str:
    """A playbook's file name from the name a trainer gives it."""
    stem = re.sub(r"[^\w\- ]+", "", name).strip().replace(" ", "-").lower()[:60]
    if not stem:
        raise RubricError("give the playbook a name")
    return stem + ".toml"


def check(data: dict, named: bool = True) -> Rubric:
    """``data`` as a rubric, or RubricError saying where and why it cannot grade: anything the parser
    refuses, a weight or band that is not a number of 0 or more, and (``named``) a missing name."""
    for table in ("items", "delivery"):
        for item_id, spec in data.get(table, {}).items():
            if isinstance(spec.get("weight"), bool) or not isinstance(spec.get("weight"), (int, float)) \
                    or spec["weight"] < 0:
                raise RubricError(f"{item_id}: the weight must be a number, 0 or more")
    for entry, spec in data.get("delivery", {}).items():
        for key, value in spec.items():
            if key.startswith(("min_", "max_")) and not isinstance(value, (int, float)):
                raise RubricError(f"{entry}.{key} must be a number")
    rubric = parse_rubric(copy.deepcopy(data), "the edited playbook")
    if named:
        file_name(str(data.get("meta", {}).get("name", "")))
    return rubric


def save(dirs: DataDir, data: dict) -> Path:
    """Check ``data`` as a playbook and write it under its ``meta.name``; the path it was saved to."""
    import tomli_w

    check(data)  # raises RubricError with where and why
    dirs.playbooks.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = dirs.playbooks / file_name(str(data.get("meta", {}).get("name", "")))
    tmp = path.with_suffix(".toml.tmp")
    tmp.write_text(tomli_w.dumps(data, multiline_strings=True), encoding="utf-8")
    tmp.replace(path)
    return path
