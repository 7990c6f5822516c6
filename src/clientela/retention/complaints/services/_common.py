"""The shared mechanics of the complaint services: rights, locking, the history, deadlines."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.retention.complaints.models import Complaint, ComplaintPolicy

Errors = dict[str, list[str]]
RELATED = ["owner", "contact", "company", "deal", "purchase", "compensation", "resolved_by"]


def ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def clean_text(value: Any, field: str, errors: Errors) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; say so instead of failing with a 500.
        errors[field] = [_("Null characters are not allowed.")]
    return text


def locked(actor: User, complaint: Complaint) -> Complaint:
    """`complaint` again, locked until the transaction ends; Http404 unless visible and alive.

    The lock is taken without joins (PostgreSQL re-checks only the locked table's rows).
    """
    visible = Complaint.objects.visible_to(actor).filter(pk=complaint.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    found = visible.select_related(*RELATED).first()
    if found is None:
        raise Http404
    return found


def deadline_for(complaint: Complaint, policy: ComplaintPolicy | None = None) -> datetime.datetime:
    """The deadline the policy gives `complaint` now: its base moment plus its severity's time."""
    policy = policy or ComplaintPolicy.current()
    return complaint.deadline_base + policy.time_for(complaint.severity)


def snapshot(complaint: Complaint) -> dict[str, Any]:
    """The complaint as a person reads it, for the history: labels and plain values."""

    def moment(value: datetime.datetime | None) -> str | None:
        return value.isoformat() if value else None

    def name(field: str) -> str | None:
        return str(getattr(complaint, field)) if getattr(complaint, f"{field}_id") else None

    return {
        "contact": name("contact"),
        "company": name("company"),
        "deal": name("deal"),
        "purchase": name("purchase"),
        "owner": name("owner"),
        "channel": complaint.get_channel_display() if complaint.channel else None,
        "category": complaint.get_category_display() if complaint.category else None,
        "severity": complaint.get_severity_display() if complaint.severity else None,
        "description": complaint.description or None,
        "status": complaint.get_status_display(),
        "received_at": moment(complaint.received_at),
        "deadline": moment(complaint.deadline),
        "resolution": complaint.resolution or None,
        "compensation": name("compensation"),
    }
