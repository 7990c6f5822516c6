"""The timeline: one story of a contact, a company or a deal, newest first.

Eight sources (timeline.sources) are read, each with one query of at most `limit + 1` rows
after the cursor, and merged by (moment, source rank, id). The union of every source's first
`limit + 1` rows holds the first `limit + 1` entries of the whole story, so a page costs the
same number of queries however long the story is. Each source is narrowed by its own
`visible_to`: the timeline of a client shows only what the reader may see of it.

- activities (calls, meetings, emails, notes) at their start;
- tasks, once when created and once more when done;
- deals: a deal's opening is its first stage change (deal_create records both together),
  every later change is a move; changes of deals the reader cannot see are left out;
- purchases, at the start of their day in the reader's time zone;
- the audit history of the subject itself: created, changed fields, handed over, trashed;
- greetings to the client at the moment they go, with their status now;
- gestures (postcards, flowers, vouchers…), at the start of their day like purchases.

A company's timeline shows what is linked to the company itself. A call with one of its
people that was logged for the company too is linked to it and shows; what concerns only the
person stays on the person's timeline, so a firm of a hundred people does not bury its own
story under theirs.

A deal's timeline takes its opening and moves from its stage changes, so its history leaves
out the "created" event and the stage moves.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.activities.timeline.cursor import cursor_decode, cursor_encode
from clientela.activities.timeline.entries import (
    ENTRY_KINDS,
    KIND_GROUPS,
    Entry,
    Subject,
    SubjectRef,
    TimelinePage,
    entry_kinds,
    kind_groups,
    subject_name,
)
from clientela.activities.timeline.registry import registered_sources
from clientela.activities.timeline.sources import SOURCES
from clientela.contacts.models import Company, Contact
from clientela.core.ids import id_or_404
from clientela.core.models import AuditEvent
from clientela.sales.models import Deal

MAX_LIMIT = 100
# A handover records the owner's change and then the handover itself, a moment apart.
HANDOVER_PAIR_WITHIN = datetime.timedelta(minutes=1)


def timeline_kinds(raw: Iterable[str] | None) -> set[str] | None:
    """The entry kinds a filter names (["task"] → task and task_done); None for everything.

    Values may be repeated or comma-separated; an unknown one is a ValidationError on "kind".
    """
    names = {part.strip() for value in raw or () for part in str(value).split(",")} - {""}
    if not names:
        return None
    groups = kind_groups()
    unknown = sorted(names - groups.keys())
    if unknown:
        allowed = ", ".join(sorted(groups))
        message = _("“%(value)s” is not a kind of entry; use one of: %(allowed)s.")
        raise ValidationError({"kind": [message % {"value": unknown[0], "allowed": allowed}]})
    return set().union(*(groups[name] for name in names))


def timeline_subject(
    user: User, *, contact: Any = None, company: Any = None, deal: Any = None
) -> Subject:
    """The one contact, company or deal named by id that `user` may see; Http404 otherwise.

    Naming none or more than one is a ValidationError (on "contact").
    """
    named = [
        (model, raw)
        for model, raw in ((Contact, contact), (Company, company), (Deal, deal))
        if raw not in (None, "")
    ]
    if len(named) != 1:
        raise ValidationError({"contact": [_("Name one contact, company or deal.")]})
    model, raw = named[0]
    found = model.objects.visible_to(user).filter(pk=id_or_404(raw)).first()
    if found is None:
        raise Http404
    return found


def _fold_handovers(entries: list[Entry]) -> list[Entry]:
    """Leave out the owner's change that a handover entry right after it already tells."""
    handovers = [
        e for e in entries if e.kind == "history" and e.obj.action == AuditEvent.Action.TRANSFER
    ]
    if not handovers:
        return entries

    def told(entry: Entry) -> bool:
        return (
            entry.kind == "history"
            and entry.obj.action == AuditEvent.Action.UPDATE
            and entry.transfer is not None
            and any(
                h.transfer == entry.transfer and entry.at <= h.at <= entry.at + HANDOVER_PAIR_WITHIN
                for h in handovers
            )
        )

    return [e for e in entries if not told(e)]


def timeline(
    user: User,
    *,
    contact: Contact | None = None,
    company: Company | None = None,
    deal: Deal | None = None,
    kinds: Iterable[str] | None = None,
    cursor: str | None = None,
    limit: int = 30,
) -> TimelinePage:
    """One page of the story of one contact, company or deal, newest first.

    Only what `user` may see is told: every source is narrowed by its `visible_to`.
    `kinds` keeps entries of those kinds ("task" and "deal" name their groups, see
    `timeline_kinds`; an empty set keeps nothing): a filter that matches nothing gives an
    empty page. `cursor` is a page's `next_cursor`; a damaged or forged one is a
    ValidationError on "cursor", an unknown kind one on "kind". One query per source (fewer
    when `kinds` leaves sources out), one more when a change of custom fields is shown;
    every row the templates show is joined.
    """
    records = [r for r in (contact, company, deal) if r is not None]
    if len(records) != 1:
        raise ValueError("timeline() tells of exactly one contact, company or deal")
    subject = SubjectRef(record=records[0], name=subject_name(records[0]))
    wanted = set(entry_kinds()) if kinds is None else (timeline_kinds(kinds) or set())
    position = cursor_decode(cursor) if cursor else None
    limit = max(1, min(int(limit), MAX_LIMIT))
    merged: list[Entry] = []
    for source in SOURCES:
        merged.extend(source(user, subject, wanted, position, limit))
    for added in registered_sources():
        merged.extend(added.read(user, subject, wanted, position, limit))
    # Newest first; at the same moment the lower rank first, then the newest row.
    merged.sort(key=lambda e: (e.at, -e.rank, e.obj.pk), reverse=True)
    page = merged[:limit]
    next_cursor = cursor_encode(page[-1]) if len(merged) > limit else None
    # Left out after the cut, so the cursor still marks the place of what was read.
    return TimelinePage(entries=_fold_handovers(page), next_cursor=next_cursor)


def timeline_for(
    user: User,
    record: Subject,
    *,
    kinds: Iterable[str] | None = None,
    cursor: str | None = None,
    limit: int = 30,
) -> TimelinePage:
    """`timeline` of `record`, whichever of contact, company and deal it is."""
    return timeline(
        user,
        contact=record if isinstance(record, Contact) else None,
        company=record if isinstance(record, Company) else None,
        deal=record if isinstance(record, Deal) else None,
        kinds=kinds,
        cursor=cursor,
        limit=limit,
    )


__all__ = [
    "ENTRY_KINDS",
    "KIND_GROUPS",
    "MAX_LIMIT",
    "Entry",
    "Subject",
    "TimelinePage",
    "subject_name",
    "timeline",
    "timeline_for",
    "timeline_kinds",
    "timeline_subject",
]
