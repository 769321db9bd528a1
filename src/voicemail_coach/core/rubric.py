"""The playbook file: item labels, tips, weights, delivery bands and phrase patterns."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

CONTENT_ITEMS = (
    "rep_name", "rep_company", "prospect_named", "value", "contact",
    "number_twice", "callback_time", "email_followup", "no_check_in", "no_apology",
)
ABSENCE_ITEMS = ("no_check_in", "no_apology")  # passed when something was *not* said
DELIVERY_ITEMS = ("length", "pace", "fillers")
OPTIONAL_DELIVERY_ITEMS = ("number_clarity", "number_on_phone", "voice_pitch", "voice_level", "pauses")  # graded when the playbook has them
_MACROS = ("time", "outcome", "quantity", "problem")


class RubricError(ValueError):
    """The playbook file cannot be used; the message says where and why."""


@dataclass(frozen=True)
class ItemSpec:
    id: str
    label: str
    weight: float
    tip: str


@dataclass(frozen=True)
class Rubric:
    name: str
    items: dict[str, ItemSpec]
    delivery: dict[str, dict]
    patterns: dict[str, list[re.Pattern]]
    time: re.Pattern
    email: dict  # the follow-up email's bound and items: {"max_words": int, "items": {id: spec}}
    touch: dict  # the items of a later touch: {id: spec}
    anatomy: dict = field(default_factory=dict)  # where each part belongs in the message ([anatomy])

    def weight(self, item_id: str) -> float:
        if item_id in self.items:
            return self.items[item_id].weight
        return float(self.touch[item_id]["weight"])  # an item of a later touch

    def label_tip(self, item_id: str) -> tuple[str, str]:
        """Label and tip of any checklist item, a later touch's included (the id itself when unknown)."""
        if item_id in self.items:
            return self.items[item_id].label, self.items[item_id].tip
        spec = self.touch.get(item_id, {})
        # a touch tip may quote the previous call; the general advice reads right out of context
        return spec.get("label", item_id), spec.get("tip_none", spec.get("tip", ""))


def _expand(pattern: str, macros: dict[str, str]) -> str:
    out = pattern.replace("{gap6}", r"(?:[^ |]+ ){0,6}").replace("{gap}", r"(?:[^ |]+ ){0,3}")
    for name, body in macros.items():
        out = out.replace("{" + name + "}", body)
    return out


def parse_rubric(data: dict, source: str = "playbook") -> Rubric:
    try:
        raw_patterns = data["patterns"]
        macros = {name: raw_patterns[name].strip() for name in _MACROS}
        compiled: dict[str, list[re.Pattern]] = {}
        for key, value in raw_patterns.items():
            if key in _MACROS:
                continue
            values = value if isinstance(value, list) else [value]
            compiled[key] = [re.compile(_expand(v.strip(), macros)) for v in values]
        time = re.compile(r"\b" + macros["time"])
        items: dict[str, ItemSpec] = {}
        for item_id in CONTENT_ITEMS:
            spec = data["items"][item_id]
            items[item_id] = ItemSpec(item_id, spec["label"], float(spec["weight"]), spec["tip"])
        delivery = {k: dict(data["delivery"][k]) for k in DELIVERY_ITEMS}
        delivery |= {k: dict(data["delivery"][k]) for k in OPTIONAL_DELIVERY_ITEMS if k in data["delivery"]}
        for k, spec in delivery.items():
            items[k] = ItemSpec(k, spec["label"], float(spec["weight"]), spec.get("tip", ""))
        for needed in ("value", "callback_commitment", "callback_negation", "email_followup", "check_in", "apology", "fillers"):
            if needed not in compiled:
                raise KeyError(f"patterns.{needed}")
    except KeyError as exc:
        raise RubricError(f"{source}: missing entry {exc.args[0]}") from None
    except re.error as exc:
        raise RubricError(f"{source}: a pattern is not a valid regular expression ({exc})") from None
    except (TypeError, ValueError) as exc:
        raise RubricError(f"{source}: {exc}") from None
    email = {"max_words": int(data.get("email", {}).get("max_words", 120)), "items": dict(data.get("email_items", {}))}
    touch = dict(data.get("touch_items", {}))
    return Rubric(data.get("meta", {}).get("name", source), items, delivery, compiled, time, email, touch,
                  dict(data.get("anatomy", {})))


def load_rubric(path: Path) -> Rubric:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise RubricError(f"cannot read playbook {path}: {exc.strerror}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RubricError(f"{path.name}: {exc}") from None
    return parse_rubric(data, path.name)

