"""Prospect scenarios: built-in TOML files plus the user's own folder.

A malformed file is reported with its name and line, and the others still load.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from voicemail_coach.core.people import Prospect

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    prospect: Prospect
    industry: str = ""
    difficulty: str = "standard"
    context: str = ""
    trigger: str = ""
    prior_touches: str = ""
    target_s: tuple[float, float] = (20.0, 40.0)
    greeting: str = ""
    source: str = "built-in"

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "industry": self.industry,
            "difficulty": self.difficulty,
            "prospect": {"name": self.prospect.name, "title": self.prospect.title, "company": self.prospect.company},
            "context": self.context,
            "trigger": self.trigger,
            "prior_touches": self.prior_touches,
            "target_s": list(self.target_s),
            "source": self.source,
        }


@dataclass(frozen=True)
class ScenarioProblem:
    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path.name}: {self.message}"


@dataclass
class ScenarioSet:
    scenarios: list[Scenario] = field(default_factory=list)
    problems: list[ScenarioProblem] = field(default_factory=list)

    def get(self, scenario_id: str) -> Scenario | None:
        return next((s for s in self.scenarios if s.id == scenario_id), None)

    def titles(self) -> dict[str, str]:
        return {s.id: s.title for s in self.scenarios}


MAX_SCENARIO_BYTES = 64 * 1024


def parse_scenario(data: dict, source: str) -> Scenario:
    sid = str(data.get("id", "")).strip()
    if not ID_PATTERN.match(sid):
        raise ValueError("'id' must be 2-64 lower-case letters, digits or dashes")
    prospect = data.get("prospect")
    if not isinstance(prospect, dict) or not str(prospect.get("name", "")).strip():
        raise ValueError("a [prospect] table with a 'name' is required")
    target = data.get("target_s", [20, 40])
    if not (isinstance(target, list) and len(target) == 2 and all(isinstance(x, (int, float)) for x in target) and 0 < target[0] < target[1]):
        raise ValueError("'target_s' must be two numbers of seconds, shortest first, e.g. [20, 40]")
    return Scenario(
        id=sid,
        title=str(data.get("title") or sid),
        prospect=Prospect(str(prospect["name"]).strip(), str(prospect.get("company", "")).strip(), str(prospect.get("title", "")).strip()),
        industry=str(data.get("industry", "")),
        difficulty=str(data.get("difficulty", "standard")),
        context=str(data.get("context", "")).strip(),
        trigger=str(data.get("trigger", "")).strip(),
        prior_touches=str(data.get("prior_touches", "")).strip(),
        target_s=(float(target[0]), float(target[1])),
        greeting=str(data.get("greeting", "")).strip(),
        source=source,
    )


def load_folder(folder: Path, source: str, into: ScenarioSet) -> None:
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.toml")):
        try:
            # a FIFO would block every start, a huge file would fill memory: only small regular files
            if not path.is_file():
                raise ValueError("is not a regular file")
            if path.stat().st_size > MAX_SCENARIO_BYTES:
                raise ValueError(f"is larger than {MAX_SCENARIO_BYTES // 1024} KB; a scenario is a few lines")
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            scenario = parse_scenario(data, source)
        except RecursionError:
            into.problems.append(ScenarioProblem(path, "is nested too deeply to be a scenario"))
            continue
        except tomllib.TOMLDecodeError as exc:
            into.problems.append(ScenarioProblem(path, str(exc)))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            into.problems.append(ScenarioProblem(path, f"cannot be read ({exc})"))
            continue
        except ValueError as exc:
            into.problems.append(ScenarioProblem(path, str(exc)))
            continue
        if into.get(scenario.id):
            into.problems.append(ScenarioProblem(path, f"id '{scenario.id}' is already used by another scenario"))
            continue
        into.scenarios.append(scenario)


def load_scenarios(builtin: Path, user: Path | None = None) -> ScenarioSet:
    found = ScenarioSet()
    load_folder(builtin, "built-in", found)
    if user is not None:
        load_folder(user, "yours", found)
    return found
