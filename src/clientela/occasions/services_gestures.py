"""Services that record, change and delete gestures: what was done for a client, at what cost.

A gesture follows its client: its owner and team are the client's (copied when it is written,
moved along by contacts.client_copies), so whoever sees the client sees what was done for it.
`user` is who did it. A gesture that did not happen is marked "cancelled" and kept; deleting
is for a gesture recorded by mistake: the row goes, the audit log keeps what it was.
"""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.money import DEFAULT_CURRENCY, clean_amount, clean_currency
from clientela.occasions.models import Gesture, GestureKind, Occasion

Errors = dict[str, list[str]]

FIELDS = (
    "contact",
    "company",
    "occasion",
    "user",
    "kind",
    "date",
    "cost",
    "currency",
    "status",
    "response",
    "notes",
)


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _pk(value: Any) -> int | None:
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def gesture_snapshot(gesture: Gesture) -> dict[str, Any]:
    return {
        "contact": str(gesture.contact) if gesture.contact_id else None,
        "company": str(gesture.company) if gesture.company_id else None,
        "occasion": str(gesture.occasion) if gesture.occasion_id else None,
        "user": str(gesture.user) if gesture.user_id else None,
        "kind": gesture.kind or None,
        "date": gesture.date.isoformat() if gesture.date else None,
        "cost": str(gesture.cost) if gesture.cost is not None else None,
        "currency": gesture.currency,
        "status": gesture.status,
        "response": gesture.response or None,
        "notes": gesture.notes or None,
    }


def _set_client(actor: User, gesture: Gesture, data: dict[str, Any], errors: Errors) -> None:
    for field, model in (("contact", Contact), ("company", Company)):
        if field not in data:
            continue
        raw = data[field]
        if raw in (None, ""):
            setattr(gesture, field, None)
            continue
        pk = _pk(raw)
        found = model.objects.visible_to(actor).filter(pk=pk).first() if pk else None
        if found is None:
            errors[field] = [
                _("There is no such contact.")
                if model is Contact
                else _("There is no such company.")
            ]
        else:
            setattr(gesture, field, found)


def _set_occasion(actor: User, gesture: Gesture, data: dict[str, Any], errors: Errors) -> None:
    """The occasion, visible to the actor; the gesture's client is the occasion's client."""
    if "occasion" not in data:
        return
    raw = data["occasion"]
    if raw in (None, ""):
        gesture.occasion = None
        gesture.occasion_kind = ""
        return
    pk = _pk(raw)
    occasion = (
        Occasion.objects.visible_to(actor)
        .select_related("contact", "company")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if occasion is None:
        errors["occasion"] = [_("There is no such occasion.")]
        return
    if gesture.contact_id is None and gesture.company_id is None:
        gesture.contact = occasion.contact
        gesture.company = occasion.company
    elif (occasion.contact_id and occasion.contact_id != gesture.contact_id) or (
        occasion.company_id and occasion.company_id != gesture.company_id
    ):
        errors["occasion"] = [_("This occasion is another client's.")]
        return
    gesture.occasion = occasion
    gesture.occasion_kind = occasion.kind


def _choice(data: dict[str, Any], field: str, choices: Any, errors: Errors) -> str | None:
    value = str(data.get(field) or "").strip()
    if value not in {str(v) for v in choices.values}:
        errors[field] = [
            _("“%(value)s” is not one of the choices.") % {"value": value}
            if value
            else _("This field is required.")
        ]
        return None
    return value


def _apply(*, actor: User, gesture: Gesture, data: dict[str, Any], creating: bool) -> Errors:
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown gesture fields: {sorted(unknown)}")
    errors: Errors = {}
    client_before = (gesture.contact_id, gesture.company_id)
    _set_client(actor, gesture, data, errors)
    _set_occasion(actor, gesture, data, errors)
    if (
        gesture.contact_id is None
        and gesture.company_id is None
        and not ({"contact", "company", "occasion"} & errors.keys())
    ):
        errors["contact"] = [_("Give a contact, a company or an occasion.")]
    if creating or (gesture.contact_id, gesture.company_id) != client_before:
        client = gesture.contact if gesture.contact_id else gesture.company
        if client is not None:
            gesture.owner_id = client.owner_id
            gesture.team_id = client.team_id
    if "user" in data and data["user"] not in (None, ""):
        doer_pk = _pk(data["user"])
        doer = assignable_users(actor).filter(pk=doer_pk).first() if doer_pk is not None else None
        if doer is None and doer_pk is not None and doer_pk == gesture.user_id:
            doer = gesture.user  # kept as it was, even if the actor could not choose them
        if doer is None:
            errors["user"] = [_("Choose someone you work with.")]
        else:
            gesture.user = doer
    elif creating:
        gesture.user = actor
    if "kind" in data or creating:
        kind = _choice(data, "kind", GestureKind, errors)
        if kind is not None:
            gesture.kind = kind
    if "status" in data:
        status = _choice(data, "status", Gesture.Status, errors)
        if status is not None:
            gesture.status = status
    if "response" in data:
        response = str(data["response"] or "").strip()
        if response not in {str(v) for v in Gesture.Response.values}:
            errors["response"] = [_("“%(value)s” is not one of the choices.") % {"value": response}]
        else:
            gesture.response = response
    if "date" in data or creating:
        raw = data.get("date")
        if raw in (None, ""):
            gesture.date = timezone.localdate()
        elif isinstance(raw, datetime.date):
            gesture.date = raw
        else:
            try:
                gesture.date = datetime.date.fromisoformat(str(raw))
            except ValueError:
                errors["date"] = [_("Enter a date as YYYY-MM-DD.")]
    if "cost" in data:
        raw = data["cost"]
        try:
            gesture.cost = clean_amount(0 if raw in (None, "") else raw)
        except ValidationError as exc:
            errors["cost"] = exc.messages
    if "currency" in data:
        try:
            gesture.currency = clean_currency(data["currency"])
        except ValidationError as exc:
            errors["currency"] = exc.messages
    if "notes" in data:
        notes = str(data["notes"] or "").strip()
        if "\x00" in notes:
            errors["notes"] = [_("Null characters are not allowed.")]
        else:
            gesture.notes = notes
    if gesture.status == Gesture.Status.PLANNED and gesture.response and "response" not in errors:
        errors["response"] = [_("A planned gesture has no response yet.")]
    return errors


@transaction.atomic
def gesture_create(*, actor: User, data: dict[str, Any]) -> Gesture:
    """Record a gesture for a contact and/or company (or the client of `data["occasion"]`).

    Owner and team are copied from the client (its contact, else its company); `user`, who did
    it, is the actor unless another user the actor works with is named. Raises ValidationError
    naming each bad field (negative cost, unknown currency, kind, status or response, no
    client, an occasion of another client); nothing is saved then.
    """
    _ensure_can_write(actor)
    gesture = Gesture(currency=DEFAULT_CURRENCY, status=Gesture.Status.DONE)
    errors = _apply(actor=actor, gesture=gesture, data=data, creating=True)
    if errors:
        raise ValidationError(errors)
    gesture.save()
    audit_record(
        actor=actor,
        action="create",
        obj=gesture,
        changes=audit_diff({}, gesture_snapshot(gesture)),
    )
    return gesture


def _locked(actor: User, gesture: Gesture) -> Gesture:
    visible = Gesture.objects.visible_to(actor).filter(pk=gesture.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    locked = visible.select_related("contact", "company", "occasion", "user").first()
    if locked is None:
        raise Http404
    return locked


@transaction.atomic
def gesture_update(
    *,
    actor: User,
    gesture: Gesture,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Gesture:
    """Change the fields present in `data`; refuses with EditConflict if the record moved on."""
    _ensure_can_write(actor)
    locked = _locked(actor, gesture)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this gesture while you were editing it."))
    before = gesture_snapshot(locked)
    errors = _apply(actor=actor, gesture=locked, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    locked.save()
    changes = audit_diff(before, gesture_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def gesture_delete(*, actor: User, gesture: Gesture) -> None:
    """Delete a gesture recorded by mistake; the audit log keeps what it was."""
    _ensure_can_write(actor)
    locked = _locked(actor, gesture)
    audit_record(
        actor=actor,
        action="delete",
        obj=locked,
        changes=audit_diff(gesture_snapshot(locked), {}),
    )
    locked.delete()
