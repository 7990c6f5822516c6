"""What a timeline is made of: entries of a few kinds, in one order, a page at a time."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import User
from clientela.activities.models import ActivityKind
from clientela.activities.timeline.registry import registered_kinds, registered_sources
from clientela.contacts.models import Company, Contact
from clientela.contacts.views.common import FieldChange
from clientela.sales.models import Deal

Subject = Contact | Company | Deal

ACTIVITY_KINDS = frozenset(ActivityKind.values)
ENTRY_KINDS = frozenset(
    {
        *ACTIVITY_KINDS,
        "task",
        "task_done",
        "deal",
        "stage",
        "purchase",
        "history",
        "greeting",
        "gesture",
    }
)
# What a filter may name: an entry kind, or a group of them ("task": created and done).
KIND_GROUPS: dict[str, frozenset[str]] = {
    **{kind: frozenset({kind}) for kind in ENTRY_KINDS},
    "task": frozenset({"task", "task_done"}),
    "deal": frozenset({"deal", "stage"}),
}
KIND_LABELS = {
    "call": _("Call"),
    "meeting": _("Meeting"),
    "email": _("Email"),
    "note": _("Note"),
    "task": _("Task"),
    "task_done": _("Done"),
    "deal": _("Deal"),
    "stage": _("Deal"),
    "purchase": _("Purchase"),
    "history": _("History"),
    "greeting": _("Greeting"),
    "gesture": _("Gesture"),
}


def entry_kinds() -> frozenset[str]:
    """Every entry kind: the built-in ones and the registered sources' ones."""
    return ENTRY_KINDS | frozenset(registered_kinds())


def kind_groups() -> dict[str, frozenset[str]]:
    """What a filter may name, the registered sources' groups included."""
    groups = dict(KIND_GROUPS)
    for source in registered_sources():
        groups[source.group] = frozenset(source.kinds)
        groups.update({kind: frozenset({kind}) for kind in source.kinds})
    return groups


# The order of sources at the same moment (the lower first): what was done before what it led to.
RANK_ACTIVITY, RANK_TASK_DONE, RANK_TASK, RANK_DEAL, RANK_PURCHASE, RANK_HISTORY = range(6)
# Greetings and gestures came later; their ranks follow so that older cursors keep their place.
RANK_GREETING, RANK_GESTURE = 6, 7
RANK_LAST = RANK_GESTURE


@dataclass(frozen=True)
class Entry:
    at: datetime.datetime
    kind: str
    obj: Any  # Activity, Task, DealStageChange, Purchase, AuditEvent, Greeting or Gesture
    actor: User | None
    rank: int
    duration: str = ""  # a call's length: "12 min"
    facts: list[str] = field(default_factory=list)  # a call's outcome, mood, load
    stay: str = ""  # a move: how long the deal was in the stage it left
    headline: str = ""  # history: "Contact changed"
    changes: list[FieldChange] = field(default_factory=list)
    transfer: tuple[str, str] | None = None  # history: (from, to) of a handover
    url: str = ""  # the page of the deal an entry is about, where there is one
    status: str = ""  # a greeting's status now ("sent"), read from its email
    link: str = ""  # a registered source's entry: the page of its record

    @property
    def label(self) -> str:
        if self.kind in KIND_LABELS:
            return str(KIND_LABELS[self.kind])
        return str(registered_kinds()[self.kind].kinds[self.kind])

    @property
    def template(self) -> str:
        """The template of an entry from a registered source ("" for the built-in kinds)."""
        source = registered_kinds().get(self.kind)
        return source.template if source else ""

    @property
    def is_activity(self) -> bool:
        return self.kind in ACTIVITY_KINDS

    @property
    def names_client(self) -> bool:
        """The entry's own contact and deal are worth naming (on another subject's timeline)."""
        return self.is_activity or self.kind in {"task", "task_done", "purchase"}

    @property
    def key(self) -> tuple[datetime.datetime, int, int]:
        """The entry's place: newest `at` first, then the lower rank, then the higher id."""
        return (self.at, self.rank, self.obj.pk)


@dataclass(frozen=True)
class TimelinePage:
    entries: list[Entry]
    next_cursor: str | None


@dataclass(frozen=True)
class SubjectRef:
    """The record a timeline tells of, and the name its rows point to it by."""

    record: Subject
    name: str  # "contact", "company" or "deal"


def subject_name(record: Subject) -> str:
    """The query parameter (and the field of activities, tasks…) that names `record`."""
    return record._meta.model_name or ""
