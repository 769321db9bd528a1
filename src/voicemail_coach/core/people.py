"""Who is speaking and to whom: the rep's profile and the scenario's prospect."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from voicemail_coach.core import limits

EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE_CHARS = re.compile(r"[\d\s+().\-/]*(?:\s*(?:x|ext\.?)\s*\d{1,6})?", re.IGNORECASE)


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

    def problems(self, need_all: bool = False) -> list[tuple[str, str]]:
        """What is wrong with the profile as (field, message) pairs; the same rules for the profile form,
        the CLI and bundle import. Empty fields are fine unless ``need_all`` (the form asks for everything
        but the email)."""
        out: list[tuple[str, str]] = []
        if not self.name.strip():
            out.append(("name", "a profile needs a name"))
        for field in ("name", "company", "phone", "email"):
            value = getattr(self, field)
            limit = limits.NAME_CHARS if field == "name" else limits.FIELD_CHARS
            if message := limits.too_long(field, value, limit):
                out.append((field, message))
            elif any(ord(c) < 32 for c in value):
                out.append((field, f"the {field} holds control characters"))
        if need_all and not self.company.strip():
            out.append(("company", "a profile needs a company"))
        if self.phone or need_all:
            digits = sum(c.isdigit() for c in self.phone)
            low, high = limits.PHONE_DIGITS
            if not PHONE_CHARS.fullmatch(self.phone.strip()) or not low <= digits <= high:
                out.append(("phone", f"'{self.phone}' does not look like a phone number "
                                     f"({low} to {high} digits, with spaces, dashes or brackets)"))
        if self.email and not EMAIL.fullmatch(self.email):
            out.append(("email", f"'{self.email}' does not look like an email address"))
        return out


@dataclass(frozen=True)
class Prospect:
    name: str = ""
    company: str = ""
    title: str = ""

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.split() else ""
