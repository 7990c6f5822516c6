"""Complaints on the timeline of a contact, a company or a deal: received, and resolved.

Two registered sources (activities.timeline.registry), one query each, narrowed by
`Complaint.objects.visible_to`: "complaint received" at its receipt and "complaint resolved"
at its resolution (a complaint resolved, reopened and resolved again tells its last one).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import User
from clientela.activities.timeline.cursor import Cursor, after
from clientela.activities.timeline.entries import Entry, SubjectRef
from clientela.activities.timeline.registry import TimelineSource, register_timeline_source
from clientela.retention.complaints.models import Complaint

# Part of the timeline's cursor: never change a rank once released.
RANK_COMPLAINT = 10
RANK_COMPLAINT_RESOLVED = 11
RELATED = ["owner", "resolved_by", "created_by", "compensation"]


def received_entries(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "complaint" not in kinds:
        return []
    rows = (
        Complaint.objects.visible_to(user)
        .filter(**{subject.name: subject.record})
        .filter(after("received_at", RANK_COMPLAINT, cursor))
        .select_related(*RELATED)
        .order_by("-received_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=row.received_at,
            kind="complaint",
            obj=row,
            actor=row.created_by,
            rank=RANK_COMPLAINT,
            link=reverse("complaints:detail", args=[row.pk]),
        )
        for row in rows
    ]


def resolved_entries(
    user: User, subject: SubjectRef, kinds: set[str], cursor: Cursor | None, limit: int
) -> list[Entry]:
    if "complaint_resolved" not in kinds:
        return []
    rows = (
        Complaint.objects.visible_to(user)
        .filter(**{subject.name: subject.record}, resolved_at__isnull=False)
        .filter(after("resolved_at", RANK_COMPLAINT_RESOLVED, cursor))
        .select_related(*RELATED)
        .order_by("-resolved_at", "-id")[: limit + 1]
    )
    return [
        Entry(
            at=row.resolved_at,
            kind="complaint_resolved",
            obj=row,
            actor=row.resolved_by,
            rank=RANK_COMPLAINT_RESOLVED,
            link=reverse("complaints:detail", args=[row.pk]),
        )
        for row in rows
        if row.resolved_at is not None
    ]


def register_timeline() -> None:
    register_timeline_source(
        TimelineSource(
            group="complaint",
            chip=_("Complaints"),
            kinds={"complaint": _("Complaint received")},
            rank=RANK_COMPLAINT,
            read=received_entries,
            template="complaints/_timeline_entry.html",
        )
    )
    register_timeline_source(
        TimelineSource(
            group="complaint_resolved",
            chip=_("Resolved complaints"),
            kinds={"complaint_resolved": _("Complaint resolved")},
            rank=RANK_COMPLAINT_RESOLVED,
            read=resolved_entries,
            template="complaints/_timeline_entry.html",
        )
    )
