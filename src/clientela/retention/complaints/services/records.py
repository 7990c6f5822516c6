"""Services that record, change, trash and restore complaints, and record their compensation."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.accounts.zones import user_zone
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.ids import id_or_none
from clientela.occasions.models import Gesture, GestureKind
from clientela.occasions.services_gestures import gesture_create
from clientela.retention.complaints.models import (
    Complaint,
    ComplaintCategory,
    ComplaintChannel,
    ComplaintStatus,
    Severity,
)
from clientela.retention.complaints.services._common import (
    Errors,
    clean_text,
    deadline_for,
    empty,
    ensure_can_write,
    locked,
    snapshot,
)
from clientela.sales.models import Deal, Purchase

FIELDS = frozenset(
    {
        "contact",
        "company",
        "deal",
        "purchase",
        "channel",
        "category",
        "severity",
        "description",
        "owner",
        "received_at",
        "compensation",
    }
)
# A receipt a few minutes ahead is a clock that runs fast, not a complaint from the future.
CLOCK_SKEW = datetime.timedelta(minutes=5)
COMPENSATION_FIELDS = frozenset({"kind", "date", "cost", "currency", "status", "notes"})


def _visible(actor: User, model: Any, raw: Any, field: str, errors: Errors) -> Any:
    """The record `raw` names if the actor may see it; None (and an error naming the field)."""
    pk = id_or_none(raw)
    found = model.objects.visible_to(actor).filter(pk=pk).first() if pk else None
    if found is None:
        messages = {
            "contact": _("There is no such contact."),
            "company": _("There is no such company."),
            "deal": _("There is no such deal."),
            "purchase": _("There is no such purchase."),
            "compensation": _("There is no such gesture."),
        }
        errors[field] = [messages[field]]
    return found


def belongs_to_client(record: Any, complaint: Complaint) -> bool:
    """Whether a deal, purchase or gesture is of the complaint's client (its contact or company)."""
    return bool(
        (complaint.contact_id and record.contact_id == complaint.contact_id)
        or (complaint.company_id and record.company_id == complaint.company_id)
    )


def _set_links(
    actor: User, complaint: Complaint, data: dict[str, Any], errors: Errors, creating: bool
) -> None:
    """Client, deal, purchase and compensation from `data`, each visible to the actor and the
    last three of the complaint's client."""
    linked: dict[str, Any] = {}
    for field, model in (("deal", Deal), ("purchase", Purchase), ("compensation", Gesture)):
        if field not in data:
            continue
        if empty(data[field]):
            setattr(complaint, field, None)
        else:
            linked[field] = _visible(actor, model, data[field], field, errors)
    clients: tuple[tuple[str, Any], ...] = (("contact", Contact), ("company", Company))
    for field, model in clients:
        if field in data:
            found = (
                None if empty(data[field]) else _visible(actor, model, data[field], field, errors)
            )
            setattr(complaint, field, found)
    if creating and complaint.contact_id is None and complaint.company_id is None:
        # A complaint about a deal or a purchase is the complaint of its client.
        source = linked.get("deal") or linked.get("purchase")
        if source is not None and not ({"contact", "company"} & errors.keys()):
            complaint.contact_id = source.contact_id
            complaint.company_id = source.company_id
    if (
        creating
        and complaint.contact_id
        and not complaint.company_id
        and empty(data.get("company"))
    ):
        complaint.company_id = complaint.contact.company_id if complaint.contact else None
    if complaint.contact_id is None and complaint.company_id is None:
        if not ({"contact", "company"} & errors.keys()):
            errors["contact"] = [_("Give a contact, a company or both.")]
        return
    others = {
        "deal": _("This deal is another client's."),
        "purchase": _("This purchase is another client's."),
        "compensation": _("This gesture is another client's."),
    }
    for field, record in linked.items():
        if record is not None:
            setattr(complaint, field, record)
    for field, message in others.items():
        record = getattr(complaint, field) if getattr(complaint, f"{field}_id") else None
        if record is not None and field not in errors and not belongs_to_client(record, complaint):
            errors[field] = [message]


def _choice(data: dict[str, Any], field: str, choices: Any, errors: Errors) -> str | None:
    value = str(data.get(field) or "").strip()
    if value not in choices.values:
        errors[field] = [
            _("“%(value)s” is not one of the choices.") % {"value": value}
            if value
            else _("This field is required.")
        ]
        return None
    return value


def _moment(actor: User, value: Any, field: str, errors: Errors) -> datetime.datetime | None:
    """An aware datetime from a datetime or an ISO-8601 string; naive ones are the actor's."""
    moment: datetime.datetime | None = None
    if isinstance(value, datetime.datetime):
        moment = value
    elif isinstance(value, str):
        try:
            moment = datetime.datetime.fromisoformat(value.strip())
        except ValueError:
            moment = None
    if moment is None:
        errors[field] = [_("Enter a date and time as YYYY-MM-DDThh:mm, e.g. 2025-03-14T15:30.")]
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, user_zone(actor))
    if moment > timezone.now() + CLOCK_SKEW:
        errors[field] = [_("A complaint cannot be received in the future.")]
        return None
    return moment.astimezone(datetime.UTC)


def _set_owner(
    actor: User, complaint: Complaint, data: dict[str, Any], errors: Errors, client_moved: bool
) -> None:
    """The person handling it: named (someone the actor may give records to, or the client's
    owner), else the client's owner for a new complaint or one given another client."""
    client = complaint.contact if complaint.contact_id else complaint.company
    if not empty(data.get("owner")):
        pk = id_or_none(data["owner"])
        owner = assignable_users(actor).filter(pk=pk).first() if pk else None
        if owner is None and client is not None and pk == client.owner_id:
            owner = client.owner
        if owner is None and pk is not None and pk == complaint.owner_id:
            owner = complaint.owner  # kept as it was
        if owner is None:
            errors["owner"] = [_("You cannot give complaints to this user.")]
            return
        complaint.owner = owner
        complaint.team_id = owner.team_id
    elif client_moved and client is not None:
        complaint.owner_id = client.owner_id
        complaint.team_id = client.team_id


def _apply(*, actor: User, complaint: Complaint, data: dict[str, Any], creating: bool) -> Errors:
    errors: Errors = {}
    for field in sorted(data.keys() - FIELDS):
        errors[field] = [_("There is no such field.")]
    client_before = (complaint.contact_id, complaint.company_id)
    _set_links(actor, complaint, data, errors, creating)
    client_moved = creating or (complaint.contact_id, complaint.company_id) != client_before
    _set_owner(actor, complaint, data, errors, client_moved)
    for field, choices in (("channel", ComplaintChannel), ("category", ComplaintCategory)):
        if field in data or creating:
            value = _choice(data, field, choices, errors)
            if value is not None:
                setattr(complaint, field, value)
    if "severity" in data or (creating and not empty(data.get("severity"))):
        value = _choice(data, "severity", Severity, errors)
        if value is not None:
            complaint.severity = value
    if "description" in data or creating:
        complaint.description = clean_text(data.get("description"), "description", errors)
        if not complaint.description and "description" not in errors:
            errors["description"] = [_("Say what the client complains about.")]
    if "received_at" in data and not empty(data["received_at"]):
        moment = _moment(actor, data["received_at"], "received_at", errors)
        if moment is not None:
            complaint.received_at = moment
    elif creating:
        complaint.received_at = timezone.now()
    return errors


@transaction.atomic
def complaint_create(*, actor: User, data: dict[str, Any]) -> Complaint:
    """Record a complaint of a contact and/or company the actor sees (or of the client of the
    deal or purchase given); the company defaults to the contact's, the owner to the client's.

    The deadline is the receipt plus the policy's time for the severity. Raises
    ValidationError naming each bad field (a deal or purchase of another client names
    `deal` or `purchase`); nothing is saved then.
    """
    ensure_can_write(actor)
    complaint = Complaint(created_by=actor, status=ComplaintStatus.NEW, severity=Severity.NORMAL)
    errors = _apply(actor=actor, complaint=complaint, data=data, creating=True)
    if errors:
        raise ValidationError(errors)
    complaint.deadline = deadline_for(complaint)
    complaint.save()
    audit_record(
        actor=actor, action="create", obj=complaint, changes=audit_diff({}, snapshot(complaint))
    )
    return complaint


@transaction.atomic
def complaint_update(
    *,
    actor: User,
    complaint: Complaint,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Complaint:
    """Change the fields present in `data` of a complaint the actor sees (Http404 otherwise).

    A new severity or receipt moves the deadline (from the last reopening, if any). Refuses
    with EditConflict if the complaint changed since `expected_updated_at`.
    """
    ensure_can_write(actor)
    found = locked(actor, complaint)
    if expected_updated_at is not None and found.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this complaint while you were editing it."))
    before = snapshot(found)
    errors = _apply(actor=actor, complaint=found, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    found.deadline = deadline_for(found)
    changes = audit_diff(before, snapshot(found))
    if changes:
        found.save()
        audit_record(actor=actor, action="update", obj=found, changes=changes)
    return found


@transaction.atomic
def complaint_delete(*, actor: User, complaint: Complaint) -> None:
    """Move to the trash; its owner or an administrator can restore it."""
    ensure_can_write(actor)
    found = locked(actor, complaint)
    found.deleted_at = timezone.now()
    found.deleted_by = actor
    found.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
    audit_record(actor=actor, action="delete", obj=found)
    complaint.deleted_at = found.deleted_at


@transaction.atomic
def complaint_restore(*, actor: User, complaint: Complaint) -> None:
    """Out of the trash: by its owner or an administrator."""
    if not (actor.is_admin or (actor.can_write and complaint.owner_id == actor.pk)):
        raise PermissionDenied(_("Only the owner or an administrator can restore this record."))
    if complaint.deleted_at is not None:
        complaint.deleted_at = None
        complaint.deleted_by = None
        complaint.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="restore", obj=complaint)


@transaction.atomic
def complaint_compensation_record(
    *, actor: User, complaint: Complaint, data: dict[str, Any]
) -> Gesture:
    """Record a gesture for the complaint's client (by default a discount voucher) and link it
    as the complaint's compensation. Errors name the gesture's fields; nothing saved then."""
    ensure_can_write(actor)
    found = locked(actor, complaint)
    unknown = sorted(data.keys() - COMPENSATION_FIELDS)
    if unknown:
        raise ValidationError({field: [_("There is no such field.")] for field in unknown})
    gesture_data = {"kind": GestureKind.VOUCHER, **data}
    if empty(gesture_data.get("notes")):
        gesture_data["notes"] = _("Compensation for complaint #%(id)s") % {"id": found.pk}
    gesture_data |= {"contact": found.contact_id, "company": found.company_id}
    gesture = gesture_create(actor=actor, data=gesture_data)
    before = snapshot(found)
    found.compensation = gesture
    found.save(update_fields=["compensation", "updated_at"])
    audit_record(
        actor=actor, action="update", obj=found, changes=audit_diff(before, snapshot(found))
    )
    complaint.compensation = gesture
    return gesture


@transaction.atomic
def complaint_compensation_link(*, actor: User, complaint: Complaint, gesture: Any) -> Complaint:
    """Link an existing gesture of the same client as the compensation (None unlinks)."""
    return complaint_update(actor=actor, complaint=complaint, data={"compensation": gesture})
