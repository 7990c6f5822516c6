"""Services that add, change, complete, reopen, trash and restore tasks, and the follow-up."""

import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.accounts.zones import user_today
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services._common import (
    Errors,
    _date,
    _empty,
    _ensure_can_write,
    _full_clean,
    _id_or_none,
    _links,
    _locked,
    _restore,
    _text,
    _time,
    _trash,
)
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.models import FirmSettings
from clientela.sales.models import Deal

TASK_FIELDS = frozenset(
    {"title", "notes", "due_date", "due_time", "urgent", "owner", "contact", "company", "deal"}
)
TASK_RELATED = ["owner", "contact", "company", "deal", "done_by", "created_by"]
_SET_BY_SERVICE = ["owner", "contact", "company", "deal", "due_date", "due_time", "done_by"]


def task_snapshot(task: Task) -> dict[str, Any]:
    """The task as a person reads it, for the history: names and plain values."""
    return {
        "title": task.title,
        "notes": task.notes or None,
        "due_date": task.due_date.isoformat() if task.due_date else None,
        "due_time": task.due_time.strftime("%H:%M") if task.due_time else None,
        "urgent": task.urgent,
        "owner": str(task.owner) if task.owner_id else None,
        "contact": str(task.contact) if task.contact_id else None,
        "company": str(task.company) if task.company_id else None,
        "deal": str(task.deal) if task.deal_id else None,
        "done_at": task.done_at.isoformat() if task.done_at else None,
    }


def _assignee(
    actor: User, task: Task, data: dict[str, Any], errors: Errors, creating: bool
) -> None:
    if "owner" not in data and not creating:
        return
    raw = data.get("owner")
    owner_id = actor.pk if _empty(raw) else _id_or_none(raw)
    owner = assignable_users(actor).filter(pk=owner_id).first() if owner_id else None
    if owner is None:
        errors["owner"] = [_("You cannot give tasks to this user.")]
    else:
        task.owner = owner
        task.team_id = owner.team_id


def _apply_task(*, actor: User, task: Task, data: dict[str, Any], creating: bool) -> Errors:
    """Set the fields of `task` present in `data` (all of them when creating); the errors."""
    errors: Errors = {}
    for field in sorted(data.keys() - TASK_FIELDS):
        errors[field] = [_("There is no such field.")]
    if "title" in data or creating:
        task.title = _text(data.get("title"), "title", errors)
        if not task.title and "title" not in errors:
            errors["title"] = [_("This field is required.")]
    if "notes" in data:
        task.notes = _text(data["notes"], "notes", errors)
    if "due_date" in data or creating:
        due = _date(data.get("due_date"), "due_date", errors)
        if due is None and "due_date" not in errors:
            errors["due_date"] = [_("This field is required.")]
        elif due is not None:
            task.due_date = due
    if "due_time" in data:
        task.due_time = _time(data["due_time"], "due_time", errors)
    if "urgent" in data:
        if not isinstance(data["urgent"], bool) and data["urgent"] is not None:
            errors["urgent"] = [_("Enter true or false.")]
        else:
            task.urgent = bool(data["urgent"])
    _assignee(actor, task, data, errors, creating)
    _links(actor, task, data, errors)
    _full_clean(task, errors, _SET_BY_SERVICE)
    return errors


@transaction.atomic
def task_create(*, actor: User, data: dict[str, Any], origin: str = TaskOrigin.MANUAL) -> Task:
    """A task for `data["owner"]` (default: the actor; one of the users the actor may give
    records to), optionally about a contact, company or deal the actor sees. `origin` tells
    what made it (a person by hand unless another app says otherwise).

    Raises ValidationError naming each bad field; nothing saved.
    """
    _ensure_can_write(actor)
    task = Task(created_by=actor, origin=origin)
    errors = _apply_task(actor=actor, task=task, data=data, creating=True)
    if errors:
        raise ValidationError(errors)
    task.save()
    audit_record(
        actor=actor, action="create", obj=task, changes=audit_diff({}, task_snapshot(task))
    )
    return task


@transaction.atomic
def task_update(
    *,
    actor: User,
    task: Task,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Task:
    """Change the fields present in `data` of a task the actor sees (Http404 otherwise).

    Refuses with EditConflict if the task changed since `expected_updated_at`; a change that
    alters nothing keeps the version.
    """
    _ensure_can_write(actor)
    locked = _locked(actor, task, TASK_RELATED)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this task while you were editing it."))
    before = task_snapshot(locked)
    errors = _apply_task(actor=actor, task=locked, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    changes = audit_diff(before, task_snapshot(locked))
    if changes:
        locked.save()
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


def _set_done(actor: User, task: Task, done: bool) -> Task:
    _ensure_can_write(actor)
    locked: Task = _locked(actor, task, TASK_RELATED)
    if locked.is_done == done:
        return locked
    before = task_snapshot(locked)
    locked.done_at = timezone.now() if done else None
    locked.done_by = actor if done else None
    locked.save(update_fields=["done_at", "done_by", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=locked, changes=audit_diff(before, task_snapshot(locked))
    )
    return locked


@transaction.atomic
def task_complete(*, actor: User, task: Task) -> Task:
    """Mark done now by the actor; a task already done stays as it was."""
    return _set_done(actor, task, True)


@transaction.atomic
def task_reopen(*, actor: User, task: Task) -> Task:
    """Open again; a task that is open stays as it was."""
    return _set_done(actor, task, False)


@transaction.atomic
def task_delete(*, actor: User, task: Task) -> None:
    """Move to the trash; the assignee or an administrator can restore it."""
    _trash(actor=actor, record=task)


@transaction.atomic
def task_restore(*, actor: User, task: Task) -> None:
    _restore(actor=actor, record=task, also=task.created_by_id)


def follow_up_key(deal: Deal) -> str:
    """What makes the follow-up of one win unique (a deal won again gets a new one)."""
    closed = deal.closed_at or timezone.now()
    return f"deal_won:{deal.pk}:{closed:%Y%m%dT%H%M%S%f}"


def task_follow_up_create(*, deal: Deal, actor: User | None) -> Task | None:
    """The follow-up task of a won deal, for its owner; None if it exists already.

    Due `FirmSettings.follow_up_days` after the win (the owner's local date), titled in the
    owner's language, linked to the deal and its client, created by the system and recorded
    in the history under `actor` (who won the deal). Runs in a transaction of its own; a
    second call for the same win (a signal sent again) creates nothing.
    """
    owner = deal.owner
    key = follow_up_key(deal)
    if Task.all_objects.filter(origin_key=key).exists():
        return None
    won_on = user_today(owner, deal.closed_at)
    due = won_on + datetime.timedelta(days=FirmSettings.current().follow_up_days)
    with translation.override(owner.language or settings.LANGUAGE_CODE):
        title = _("Follow up: %(deal)s") % {"deal": deal.title}
    task = Task(
        title=title[:200],
        due_date=due,
        owner=owner,
        team_id=owner.team_id,
        contact_id=deal.contact_id,
        company_id=deal.company_id,
        deal=deal,
        created_by=None,
        origin=TaskOrigin.FOLLOW_UP,
        origin_key=key,
    )
    try:
        with transaction.atomic():
            task.save()
            audit_record(
                actor=actor, action="create", obj=task, changes=audit_diff({}, task_snapshot(task))
            )
    except IntegrityError:
        # Another delivery of the same signal was first.
        if Task.all_objects.filter(origin_key=key).exists():
            return None
        raise
    return task
