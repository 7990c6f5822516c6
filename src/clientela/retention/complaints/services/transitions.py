"""The life of a complaint: new → in progress → resolved → closed, and reopened.

Each transition is a service of its own: one transaction, the actor's right to write checked,
the complaint locked, a transition from the wrong state refused with a ValidationError on
`status` that says why, and the change recorded in the history.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.retention.complaints.models import Complaint, ComplaintStatus
from clientela.retention.complaints.services._common import (
    clean_text,
    deadline_for,
    ensure_can_write,
    locked,
    snapshot,
)
from clientela.retention.complaints.signals import complaint_resolved


def _refuse(complaint: Complaint, message: str) -> ValidationError:
    status = str(complaint.get_status_display()).lower()
    return ValidationError({"status": [message % {"status": status}]})


def _record(actor: User, complaint: Complaint, before: dict[str, Any], **extra: Any) -> None:
    changes = audit_diff(before, snapshot(complaint))
    for key, value in extra.items():
        changes[key] = [None, value]
    audit_record(actor=actor, action="update", obj=complaint, changes=changes)


def _sync(target: Complaint, source: Complaint) -> None:
    """Give the caller's instance the saved values (it may be shown right after)."""
    for field in (
        "status",
        "deadline",
        "resolution",
        "resolved_at",
        "resolved_by_id",
        "closed_at",
        "reopen_count",
        "reopened_at",
        "reopen_reason",
        "updated_at",
    ):
        setattr(target, field, getattr(source, field))


@transaction.atomic
def complaint_start(*, actor: User, complaint: Complaint) -> Complaint:
    """Take a new complaint in hand: new → in progress."""
    ensure_can_write(actor)
    found = locked(actor, complaint)
    if found.status != ComplaintStatus.NEW:
        raise _refuse(found, _("Only a new complaint can be started; this one is %(status)s."))
    before = snapshot(found)
    found.status = ComplaintStatus.IN_PROGRESS
    found.save(update_fields=["status", "updated_at"])
    _record(actor, found, before)
    _sync(complaint, found)
    return found


@transaction.atomic
def complaint_resolve(*, actor: User, complaint: Complaint, resolution: Any) -> Complaint:
    """Resolve a complaint in progress with what was done about it (required).

    Once the transaction commits, `complaint_resolved` is sent (complaint, actor).
    """
    ensure_can_write(actor)
    found = locked(actor, complaint)
    errors: dict[str, list[str]] = {}
    text = clean_text(resolution, "resolution", errors)
    if errors:
        raise ValidationError(errors)
    if found.status != ComplaintStatus.IN_PROGRESS:
        raise _refuse(
            found, _("Only a complaint in progress can be resolved; this one is %(status)s.")
        )
    if not text:
        raise ValidationError({"resolution": [_("Say how the complaint was resolved.")]})
    before = snapshot(found)
    found.status = ComplaintStatus.RESOLVED
    found.resolution = text
    found.resolved_at = timezone.now()
    found.resolved_by = actor
    found.save(update_fields=["status", "resolution", "resolved_at", "resolved_by", "updated_at"])
    _record(actor, found, before)
    _sync(complaint, found)
    transaction.on_commit(
        lambda: complaint_resolved.send(sender=Complaint, complaint=found, actor=actor)
    )
    return found


@transaction.atomic
def complaint_close(*, actor: User, complaint: Complaint) -> Complaint:
    """Close a resolved complaint (the client accepted the resolution): resolved → closed."""
    ensure_can_write(actor)
    found = locked(actor, complaint)
    if found.status != ComplaintStatus.RESOLVED:
        raise _refuse(found, _("Only a resolved complaint can be closed; this one is %(status)s."))
    before = snapshot(found)
    found.status = ComplaintStatus.CLOSED
    found.closed_at = timezone.now()
    found.save(update_fields=["status", "closed_at", "updated_at"])
    _record(actor, found, before)
    _sync(complaint, found)
    return found


@transaction.atomic
def complaint_reopen(*, actor: User, complaint: Complaint, reason: Any) -> Complaint:
    """Reopen a resolved or closed complaint (a reason is required): back in progress, with a
    new deadline counted from now by its severity."""
    ensure_can_write(actor)
    found = locked(actor, complaint)
    errors: dict[str, list[str]] = {}
    text = clean_text(reason, "reason", errors)
    if errors:
        raise ValidationError(errors)
    if found.status not in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
        raise _refuse(
            found,
            _("Only a resolved or closed complaint can be reopened; this one is %(status)s."),
        )
    if not text:
        raise ValidationError({"reason": [_("Say why the complaint is reopened.")]})
    before = snapshot(found)
    found.status = ComplaintStatus.IN_PROGRESS
    found.reopen_count += 1
    found.reopened_at = timezone.now()
    found.reopen_reason = text
    found.resolved_at = None
    found.resolved_by = None
    found.closed_at = None
    found.deadline = deadline_for(found)
    found.save()
    _record(actor, found, before, reopen_reason=text)
    _sync(complaint, found)
    return found
