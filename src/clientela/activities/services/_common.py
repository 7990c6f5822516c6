"""The shared mechanics of the activity and task services: rights, cleaning values, the trash."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.activities.models import Activity, Task
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_record
from clientela.core.ids import id_or_none as _id_or_none
from clientela.sales.models import Deal

Errors = dict[str, list[str]]
Record = Activity | Task


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any, field: str, errors: Errors) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; say so instead of failing with a 500.
        errors[field] = [_("Null characters are not allowed.")]
    return text


def _moment(
    value: Any, field: str, errors: Errors, zone: datetime.tzinfo
) -> datetime.datetime | None:
    """An aware datetime from a datetime or an ISO-8601 string; naive ones are in `zone`."""
    if _empty(value):
        return None
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
        moment = timezone.make_aware(moment, zone)
    # In UTC, as the database gives it back: a record reads the same before and after a save.
    return moment.astimezone(datetime.UTC)


def _date(value: Any, field: str, errors: Errors) -> datetime.date | None:
    if _empty(value):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _time(value: Any, field: str, errors: Errors) -> datetime.time | None:
    if _empty(value):
        return None
    if isinstance(value, datetime.time):
        return value.replace(tzinfo=None)
    try:
        return datetime.time.fromisoformat(str(value).strip()).replace(tzinfo=None)
    except ValueError:
        errors[field] = [_("Enter a time as HH:MM.")]
        return None


def _visible(actor: User, model: type[Model], raw: Any, field: str, errors: Errors) -> Any:
    """The record `raw` names if the actor may see it; None (and an error) otherwise."""
    if _empty(raw):
        return None
    pk = _id_or_none(raw)
    found = model.objects.visible_to(actor).filter(pk=pk).first() if pk else None  # type: ignore[attr-defined]
    if found is None:
        messages = {
            Contact: _("There is no such contact."),
            Company: _("There is no such company."),
            Deal: _("There is no such deal."),
        }
        errors[field] = [messages[model]]  # type: ignore[index]
    return found


def _links(actor: User, record: Record, data: dict[str, Any], errors: Errors) -> dict[str, Any]:
    """Set the contact, company and deal of `record` from `data` (each visible to the actor).

    Returns `data`, completed with the deal's client when only the deal is given on a new
    record (a call about a deal is a call with the deal's client).
    """
    data = dict(data)
    if "deal" in data:
        deal = _visible(actor, Deal, data["deal"], "deal", errors)
        record.deal = deal
        if (
            deal is not None
            and record.pk is None
            and "contact" not in data
            and "company" not in data
        ):
            data |= {"contact": deal.contact_id, "company": deal.company_id}
    for field, model in (("contact", Contact), ("company", Company)):
        if field in data:
            setattr(record, field, _visible(actor, model, data[field], field, errors))
    return data


def _full_clean(record: Record, errors: Errors, exclude: list[str]) -> None:
    try:
        record.full_clean(exclude=[*exclude, *errors.keys()], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _locked(actor: User, record: Record, related: list[str]) -> Any:
    """`record` again, locked until the transaction ends; Http404 unless visible and alive.

    The lock is taken without joins (PostgreSQL re-checks only the locked table's rows).
    """
    visible: QuerySet[Any] = type(record).objects.visible_to(actor).filter(pk=record.pk)
    list(visible.select_for_update().values_list("pk", flat=True))
    found = visible.select_related(*related).first()
    if found is None:
        raise Http404
    return found


def _is_lead_or_admin(actor: User) -> bool:
    return actor.is_admin or actor.role == Role.LEAD


def _trash(*, actor: User, record: Record) -> None:
    _ensure_can_write(actor)
    if record.deleted_at is None:
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            raise Http404
        record.deleted_at = timezone.now()
        record.deleted_by = actor
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="delete", obj=record)


def _restore(*, actor: User, record: Record, also: int | None = None) -> None:
    """Out of the trash: by the owner (or `also`, the user who did it) or an administrator."""
    allowed = actor.is_admin or (actor.can_write and actor.pk in (record.owner_id, also))
    if not allowed:
        raise PermissionDenied(_("Only the owner or an administrator can restore this record."))
    if record.deleted_at is not None:
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="restore", obj=record)
