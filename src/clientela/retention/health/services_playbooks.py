"""Retention playbooks: what a client's manager is asked to do when the client turns at risk.

An administrator keeps the playbooks (segment = contact stage and/or tag, and a default one)
and the health settings. When the nightly job sees a client enter the at-risk list it applies
the client's playbook once for that entry (`PlaybookRun`, unique per contact and moment of
entry): each step becomes a task for the client's owner, through the activities task service
with the owner as actor (the owner is who will do it; the audit channel says "system"). An
owner who cannot have tasks (a viewer, a deactivated user) gets none; the run is still kept.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.activities.models import TaskOrigin
from clientela.activities.services import task_create
from clientela.contacts.models import Contact, ContactTag, Lifecycle, Tag
from clientela.core.audit import audit_diff, audit_record
from clientela.retention.health.models import (
    ClientHealth,
    HealthSettings,
    Playbook,
    PlaybookRun,
    PlaybookStep,
    PlaybookStepKind,
)

Errors = dict[str, list[str]]
MAX_STEPS = 10


def _ensure_admin(actor: User) -> None:
    if not (actor.is_active and actor.is_admin):
        raise PermissionDenied


def playbook_for(contact: Contact, tag_ids: set[int], playbooks: list[Playbook]) -> Playbook | None:
    """The first active playbook whose segment fits the contact, else the default one."""
    default = None
    for playbook in playbooks:
        if not playbook.active:
            continue
        if playbook.is_default:
            default = default or playbook
            continue
        if playbook.lifecycle and playbook.lifecycle != contact.lifecycle:
            continue
        if playbook.tag_id is not None and playbook.tag_id not in tag_ids:
            continue
        if playbook.lifecycle or playbook.tag_id is not None:
            return playbook
    return default


def playbooks_apply(*, contact_ids: list[int], now: datetime.datetime) -> int:
    """Create the playbook tasks of clients who entered the at-risk list; the task count.

    Once per entry: a second call for the same entry creates nothing.
    """
    if not contact_ids:
        return 0
    playbooks = list(Playbook.objects.filter(active=True).prefetch_related("steps"))
    if not playbooks:
        return 0
    created = 0
    for start in range(0, len(contact_ids), 900):
        chunk = contact_ids[start : start + 900]
        contacts = Contact.objects.filter(pk__in=chunk).select_related("owner")
        tags: dict[int, set[int]] = {}
        for contact_id, tag_id in ContactTag.objects.filter(contact_id__in=chunk).values_list(
            "contact_id", "tag_id"
        ):
            tags.setdefault(contact_id, set()).add(tag_id)
        entries = dict(
            ClientHealth.objects.filter(contact_id__in=chunk).values_list(
                "contact_id", "entered_risk_at"
            )
        )
        for contact in contacts:
            entered_at = entries.get(contact.pk)
            if entered_at is None:
                continue
            playbook = playbook_for(contact, tags.get(contact.pk, set()), playbooks)
            if playbook is None:
                continue
            created += _run(contact, playbook, entered_at, now)
    return created


def _run(
    contact: Contact, playbook: Playbook, entered_at: datetime.datetime, now: datetime.datetime
) -> int:
    try:
        with transaction.atomic():
            run = PlaybookRun.objects.create(
                contact=contact, entered_at=entered_at, playbook=playbook
            )
    except IntegrityError:
        return 0  # this entry has had its playbook already
    owner = contact.owner
    if not (owner.is_active and owner.can_write):
        return 0
    today = user_today(owner, now)
    count = 0
    for step in playbook.steps.all():
        task_create(
            actor=owner,
            data={
                "title": f"{step.get_kind_display()}: {step.title}"[:200],
                "notes": _("%(name)s is on the at-risk list (playbook “%(playbook)s”).")
                % {"name": str(contact), "playbook": playbook.name},
                "due_date": today + datetime.timedelta(days=step.due_in_days),
                "owner": owner.pk,
                "contact": contact.pk,
            },
            origin=TaskOrigin.PLAYBOOK,
        )
        count += 1
    run.tasks = count
    run.save(update_fields=["tasks"])
    return count


def playbook_snapshot(playbook: Playbook) -> dict[str, Any]:
    return {
        "name": playbook.name,
        "lifecycle": playbook.lifecycle or None,
        "tag": playbook.tag.name if playbook.tag_id and playbook.tag else None,
        "is_default": playbook.is_default,
        "active": playbook.active,
        "position": playbook.position,
        "steps": [f"{s.kind} +{s.due_in_days}d {s.title}" for s in playbook.steps.all()],
    }


def _apply_playbook(playbook: Playbook, data: dict[str, Any]) -> tuple[Errors, list[PlaybookStep]]:
    errors: Errors = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("This field is required.")]
    playbook.name = name[:100]
    lifecycle = str(data.get("lifecycle") or "")
    if lifecycle and lifecycle not in Lifecycle.values:
        errors["lifecycle"] = [_("There is no such stage.")]
    playbook.lifecycle = lifecycle
    tag_name = str(data.get("tag") or "").strip()
    playbook.tag = None
    if tag_name:
        tag = Tag.objects.filter(name__iexact=tag_name).first()
        if tag is None:
            errors["tag"] = [_("There is no tag “%(name)s”.") % {"name": tag_name}]
        playbook.tag = tag
    playbook.is_default = bool(data.get("is_default"))
    playbook.active = bool(data.get("active", True))
    try:
        playbook.position = int(data.get("position") or 0)
    except (TypeError, ValueError):
        errors["position"] = [_("Enter a whole number.")]
    if not playbook.is_default and not lifecycle and not tag_name:
        errors["lifecycle"] = [_("Choose a stage or a tag, or make this the default playbook.")]
    steps: list[PlaybookStep] = []
    raw_steps = data.get("steps") or []
    if not isinstance(raw_steps, list) or len(raw_steps) > MAX_STEPS:
        errors["steps"] = [_("Give at most %(count)s steps.") % {"count": MAX_STEPS}]
        raw_steps = []
    for i, raw in enumerate(raw_steps):
        prefix = f"steps.{i}."
        kind = str(raw.get("kind") or "")
        title = str(raw.get("title") or "").strip()
        if kind not in PlaybookStepKind.values:
            errors[prefix + "kind"] = [_("Choose call, visit or offer.")]
        if not title:
            errors[prefix + "title"] = [_("This field is required.")]
        try:
            due = int(raw.get("due_in_days") or 0)
            if not 0 <= due <= 365:
                raise ValueError
        except (TypeError, ValueError):
            errors[prefix + "due_in_days"] = [_("Enter a number of days from 0 to 365.")]
            due = 0
        steps.append(PlaybookStep(kind=kind, title=title[:200], due_in_days=due, position=i))
    if not steps and "steps" not in errors:
        errors["steps"] = [_("Give at least one step.")]
    if playbook.is_default:
        others = Playbook.objects.filter(is_default=True).exclude(pk=playbook.pk)
        if others.exists():
            errors["is_default"] = [_("There is a default playbook already.")]
    return errors, steps


def _save(actor: User, playbook: Playbook, data: dict[str, Any], creating: bool) -> Playbook:
    _ensure_admin(actor)
    before = {} if creating else playbook_snapshot(playbook)
    errors, steps = _apply_playbook(playbook, data)
    if errors:
        raise ValidationError(errors)
    playbook.save()
    playbook.steps.all().delete()
    for step in steps:
        step.playbook = playbook
    PlaybookStep.objects.bulk_create(steps)
    playbook = Playbook.objects.prefetch_related("steps").select_related("tag").get(pk=playbook.pk)
    audit_record(
        actor=actor,
        action="create" if creating else "update",
        obj=playbook,
        changes=audit_diff(before, playbook_snapshot(playbook)),
    )
    return playbook


@transaction.atomic
def playbook_create(*, actor: User, data: dict[str, Any]) -> Playbook:
    """A playbook with its steps (administrators only); ValidationError names each bad field."""
    return _save(actor, Playbook(), data, creating=True)


@transaction.atomic
def playbook_update(*, actor: User, playbook: Playbook, data: dict[str, Any]) -> Playbook:
    """Replace the playbook's fields and steps (administrators only)."""
    locked = Playbook.objects.select_for_update().get(pk=playbook.pk)
    return _save(actor, locked, data, creating=False)


@transaction.atomic
def playbook_delete(*, actor: User, playbook: Playbook) -> None:
    _ensure_admin(actor)
    audit_record(actor=actor, action="delete", obj=playbook, changes={})
    playbook.delete()


@transaction.atomic
def health_settings_update(*, actor: User, data: dict[str, Any]) -> HealthSettings:
    """Change the at-risk threshold and the repeat buyers needed (administrators only)."""
    _ensure_admin(actor)
    config = HealthSettings.current()
    errors: Errors = {}
    before = {"threshold": config.threshold, "min_repeat_buyers": config.min_repeat_buyers}
    for field, low, high in (("threshold", 1, 100), ("min_repeat_buyers", 2, 10000)):
        if field not in data:
            continue
        try:
            value = int(data[field])
            if not low <= value <= high:
                raise ValueError
        except (TypeError, ValueError):
            errors[field] = [
                _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
            ]
            continue
        setattr(config, field, value)
    if errors:
        raise ValidationError(errors)
    config.save()
    after = {"threshold": config.threshold, "min_repeat_buyers": config.min_repeat_buyers}
    audit_record(actor=actor, action="update", obj=config, changes=audit_diff(before, after))
    return config


def playbook_default_ensure() -> Playbook:
    """The default playbook (call in 1 day, offer in 7): created once, for the demo and new firms."""
    found = Playbook.objects.filter(is_default=True).first()
    if found is not None:
        return found
    playbook = Playbook.objects.create(name=_("Win back a drifting client"), is_default=True)
    PlaybookStep.objects.bulk_create(
        [
            PlaybookStep(
                playbook=playbook,
                kind=PlaybookStepKind.CALL,
                title=_("Call and ask how things are"),
                due_in_days=1,
                position=0,
            ),
            PlaybookStep(
                playbook=playbook,
                kind=PlaybookStepKind.OFFER,
                title=_("Make a personal offer"),
                due_in_days=7,
                position=1,
            ),
        ]
    )
    return playbook
