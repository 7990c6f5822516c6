"""Errors that services raise and every edge (page, API, command line) turns into its answer."""

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DuplicateMatch:
    field: str  # "emails" or "phones"
    value: str
    record: Any | None  # None when the record exists but the user may not see it


class DuplicateFound(Exception):
    """A new or changed record would share an email or phone with an existing one."""

    def __init__(self, matches: list[DuplicateMatch]) -> None:
        super().__init__(", ".join(m.value for m in matches))
        self.matches = matches


class EditConflict(Exception):
    """The record changed since the user loaded it; saving would overwrite someone's work."""
