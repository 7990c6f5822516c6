"""Services that log, change, trash and restore calls, meetings, emails and notes."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.accounts.zones import user_zone
from clientela.activities.models import (
    Activity,
    ActivityKind,
    CallOutcome,
    Direction,
)
from clientela.activities.services._common import (
    Errors,
    _empty,
    _ensure_can_write,
    _full_clean,
    _id_or_none,
    _is_lead_or_admin,
    _links,
    _locked,
    _moment,
    _restore,
    _text,
    _trash,
)
from clientela.contacts.channels import normalize_email
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict

COMMON_FIELDS = frozenset(
    {"kind", "contact", "company", "deal", "subject", "body", "started_at", "user"}
)
# The fields each kind of activity has besides the common ones.
KIND_FIELDS: dict[str, frozenset[str]] = {
    ActivityKind.CALL: frozenset({"direction", "duration", "outcome", "mood", "draining"}),
    ActivityKind.MEETING: frozenset({"ended_at", "place", "attendees"}),
    ActivityKind.EMAIL: frozenset({"direction", "email_address"}),
    ActivityKind.NOTE: frozenset(),
}
_ALL_KIND_FIELDS = frozenset().union(*KIND_FIELDS.values())
# Only a meeting may be planned ahead; the rest are logged once they happened. A day of slack
# covers clocks and time zones a little off.
FUTURE_SLACK = datetime.timedelta(days=1)
ACTIVITY_RELATED = ["owner", "user", "contact", "company", "deal"]
_SET_BY_SERVICE = ["owner", "user", "contact", "company", "deal", "duration", "mood", "draining"]


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    """The activity as a person reads it, for the history: names and plain values."""
    duration = activity.duration
    return {
        "kind": activity.kind,
        "contact": str(activity.contact) if activity.contact_id else None,
        "company": str(activity.company) if activity.company_id else None,
        "deal": str(activity.deal) if activity.deal_id else None,
        "subject": activity.subject or None,
        "body": activity.body or None,
        "started_at": activity.started_at.isoformat() if activity.started_at else None,
        "user": str(activity.user) if activity.user_id else None,
        "owner": str(activity.owner) if activity.owner_id else None,
        "direction": activity.direction or None,
        "duration": int(duration.total_seconds()) if duration is not None else None,
        "outcome": activity.outcome or None,
        "mood": activity.mood,
        "draining": activity.draining,
        "ended_at": activity.ended_at.isoformat() if activity.ended_at else None,
        "place": activity.place or None,
        "attendees": activity.attendees or None,
        "email_address": activity.email_address or None,
    }


def _choice(value: Any, field: str, choices: list[str], errors: Errors) -> str:
    text = str(value or "").strip()
    if text and text not in choices:
        errors[field] = [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(choices)}]
    return text


def _one_to_five(value: Any, field: str, errors: Errors) -> int | None:
    if _empty(value):
        return None
    try:
        if isinstance(value, bool) or float(str(value)) % 1:
            raise ValueError
        number = int(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a whole number from 1 to 5.")]
        return None
    if not 1 <= number <= 5:
        errors[field] = [_("Enter a whole number from 1 to 5.")]
        return None
    return number


def _duration(value: Any, errors: Errors) -> datetime.timedelta | None:
    """Seconds (an int or a numeric string) or a timedelta; never negative."""
    if _empty(value):
        return None
    if isinstance(value, datetime.timedelta):
        duration = value
    else:
        try:
            if isinstance(value, bool) or float(str(value)) % 1:
                raise ValueError
            duration = datetime.timedelta(seconds=int(str(value).strip()))
        except (ValueError, OverflowError):
            errors["duration"] = [_("Enter the duration as a whole number of seconds.")]
            return None
    if duration < datetime.timedelta(0):
        errors["duration"] = [_("A duration cannot be negative.")]
        return None
    if duration > datetime.timedelta(days=1):
        errors["duration"] = [_("A call cannot last longer than a day.")]
        return None
    return duration


def _doer(
    actor: User, activity: Activity, data: dict[str, Any], errors: Errors, creating: bool
) -> None:
    """Who did it: the actor by default; a lead or administrator may log for its people."""
    if "user" not in data and not creating:
        return
    raw = data.get("user")
    user_id = actor.pk if _empty(raw) else _id_or_none(raw)
    if user_id == actor.pk:
        activity.user = actor
        return
    user = None
    if user_id is not None and _is_lead_or_admin(actor):
        user = assignable_users(actor).filter(pk=user_id).first()
    if user is None:
        errors["user"] = [_("You cannot log activities for this user.")]
    else:
        activity.user = user


def _not_of_kind(kind: str) -> str:
    messages = {
        ActivityKind.CALL: _("A call has no such field."),
        ActivityKind.MEETING: _("A meeting has no such field."),
        ActivityKind.EMAIL: _("An email has no such field."),
        ActivityKind.NOTE: _("A note has no such field."),
    }
    return messages[ActivityKind(kind)]


def _kind_fields(
    activity: Activity,
    data: dict[str, Any],
    errors: Errors,
    *,
    creating: bool,
    zone: datetime.tzinfo,
) -> None:
    kind = activity.kind
    for field in sorted((data.keys() & _ALL_KIND_FIELDS) - KIND_FIELDS[kind]):
        if not _empty(data[field]):
            errors[field] = [_not_of_kind(kind)]
    mine = KIND_FIELDS[kind] & data.keys()
    if "direction" in mine or (creating and "direction" in KIND_FIELDS[kind]):
        direction = _choice(data.get("direction"), "direction", Direction.values, errors)
        if not direction and kind == ActivityKind.EMAIL and "direction" not in errors:
            direction = Direction.OUTBOUND  # a logged email is most often one that was sent
        if not direction and "direction" not in errors:
            errors["direction"] = [_("Say whether the call was outgoing or incoming.")]
        activity.direction = direction
    if "duration" in mine:
        activity.duration = _duration(data["duration"], errors)
    if "outcome" in mine:
        activity.outcome = _choice(data["outcome"], "outcome", CallOutcome.values, errors)
    for field in ("mood", "draining"):
        if field in mine:
            setattr(activity, field, _one_to_five(data[field], field, errors))
    if "ended_at" in mine:
        activity.ended_at = _moment(data["ended_at"], "ended_at", errors, zone)
    for field in ("place", "attendees", "subject", "body"):
        if field in data:
            setattr(activity, field, _text(data[field], field, errors))
    if "email_address" in mine:
        address = _text(data["email_address"], "email_address", errors)
        if address and "email_address" not in errors:
            try:
                address = normalize_email(address)
            except ValidationError as exc:
                errors["email_address"] = exc.messages
        activity.email_address = address


def _apply_activity(
    *, actor: User, activity: Activity, data: dict[str, Any], creating: bool
) -> Errors:
    """Set the fields of `activity` present in `data` (all of them when creating); the errors."""
    errors: Errors = {}
    for field in sorted(data.keys() - COMMON_FIELDS - _ALL_KIND_FIELDS):
        errors[field] = [_("There is no such field.")]
    if creating:
        activity.kind = _choice(data.get("kind"), "kind", ActivityKind.values, errors)
        if not activity.kind and "kind" not in errors:
            errors["kind"] = [_("This field is required.")]
    elif "kind" in data and data["kind"] != activity.kind:
        errors["kind"] = [_("The kind of an activity cannot change; log a new one instead.")]
    _doer(actor, activity, data, errors, creating)
    zone = user_zone(actor)
    if "started_at" in data or creating:
        _when(activity, data.get("started_at"), errors, creating=creating, zone=zone)
    if activity.kind in KIND_FIELDS and "kind" not in errors:
        _kind_fields(activity, data, errors, creating=creating, zone=zone)
    timed = activity.ended_at is not None and not {"ended_at", "started_at"} & errors.keys()
    if timed and activity.ended_at < activity.started_at:  # type: ignore[operator]
        errors["ended_at"] = [_("A meeting cannot end before it starts.")]
    client_before = (activity.contact_id, activity.company_id)
    data = _links(actor, activity, data, errors)
    named = {"contact", "company", "deal"} & errors.keys()
    if activity.contact_id is None and activity.company_id is None and not named:
        errors["contact"] = [_("Give a contact, a company or both.")]
    if creating or (activity.contact_id, activity.company_id) != client_before:
        # Whoever sees the client sees its whole story: the activity is the client's.
        client = activity.contact or activity.company
        if client is not None:
            activity.owner_id = client.owner_id
            activity.team_id = client.team_id
    _full_clean(activity, errors, [*_SET_BY_SERVICE, "kind", "started_at", "ended_at"])
    return errors


def _when(
    activity: Activity, raw: Any, errors: Errors, *, creating: bool, zone: datetime.tzinfo
) -> None:
    """Set `started_at` (default on a new activity: now); only a meeting may lie ahead."""
    started = _moment(raw, "started_at", errors, zone)
    if started is None and "started_at" not in errors:
        if not creating:
            errors["started_at"] = [_("This field is required.")]
            return
        started = timezone.now()
    if started is None:
        return
    activity.started_at = started
    planned = activity.kind == ActivityKind.MEETING or activity.kind not in KIND_FIELDS
    if not planned and started > timezone.now() + FUTURE_SLACK:
        errors["started_at"] = [_future_message(activity.kind)]


def _future_message(kind: str) -> str:
    if kind == ActivityKind.CALL:
        return _("A call that has not happened yet cannot be logged; add a task instead.")
    if kind == ActivityKind.EMAIL:
        return _("An email that has not been written yet cannot be logged; add a task instead.")
    return _("A note cannot be dated in the future.")


@transaction.atomic
def activity_create(*, actor: User, data: dict[str, Any]) -> Activity:
    """Log an activity of `data["kind"]` with a contact and/or company the actor sees.

    Owner and team are the client's (the contact's, else the company's); `user` is who did it
    (default: the actor). Raises ValidationError naming each bad field; nothing saved.
    """
    _ensure_can_write(actor)
    activity = Activity()
    errors = _apply_activity(actor=actor, activity=activity, data=data, creating=True)
    if errors:
        raise ValidationError(errors)
    activity.save()
    audit_record(
        actor=actor,
        action="create",
        obj=activity,
        changes=audit_diff({}, activity_snapshot(activity)),
    )
    return activity


@transaction.atomic
def activity_update(
    *,
    actor: User,
    activity: Activity,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Activity:
    """Change the fields present in `data` of an activity the actor sees (Http404 otherwise).

    The kind cannot change. Refuses with EditConflict if the activity changed since
    `expected_updated_at`; a change that alters nothing keeps the version.
    """
    _ensure_can_write(actor)
    locked = _locked(actor, activity, ACTIVITY_RELATED)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this activity while you were editing it."))
    before, version = activity_snapshot(locked), locked.updated_at
    errors = _apply_activity(actor=actor, activity=locked, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    changes = audit_diff(before, activity_snapshot(locked))
    if changes:
        locked.save()
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    else:
        locked.updated_at = version
    return locked


@transaction.atomic
def activity_delete(*, actor: User, activity: Activity) -> None:
    """Move to the trash; the owner, the user who did it or an administrator can restore it."""
    _trash(actor=actor, record=activity)


@transaction.atomic
def activity_restore(*, actor: User, activity: Activity) -> None:
    _restore(actor=actor, record=activity, also=activity.user_id)
