"""Who is speaking and to whom: the rep's profile and the scenario's prospect."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class RepProfile:
    name: str = ""
    company: str = ""
    phone: str = ""
    email: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Prospect:
    name: str = ""
    company: str = ""
    title: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""
