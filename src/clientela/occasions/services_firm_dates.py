"""Services that add, change and retire the firm's own dates (an administrator's work)."""

import calendar
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.core.audit import audit_diff, audit_record
from clientela.occasions.models import FirmDate

Errors = dict[str, list[str]]


def _ensure_admin(actor: Any) -> None:
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied(_("Only an administrator can change the firm's dates."))


def firm_date_snapshot(firm_date: FirmDate) -> dict[str, Any]:
    return {
        "name": firm_date.name,
        "date": f"{firm_date.day:02d}.{firm_date.month:02d}",
        "active": firm_date.active,
    }


def _clean(name: Any, month: Any, day: Any) -> tuple[str, int, int]:
    errors: Errors = {}
    name = str(name or "").strip()
    if not name:
        errors["name"] = [_("Give the date a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    try:
        month = int(month)
    except (TypeError, ValueError):
        month = 0
    if not 1 <= month <= 12:
        errors["month"] = [_("Choose a month from 1 to 12.")]
    try:
        day = int(day)
    except (TypeError, ValueError):
        day = 0
    # 29 February is allowed: in other years it is celebrated as the firm settings say.
    longest = calendar.monthrange(2024, month)[1] if 1 <= month <= 12 else 31
    if not 1 <= day <= longest:
        errors["day"] = [
            _("This month has no day %(day)s (it has %(days)s days).")
            % {"day": day, "days": longest}
        ]
    if errors:
        raise ValidationError(errors)
    return name, month, day


@transaction.atomic
def firm_date_create(*, actor: Any, name: str, month: int, day: int) -> FirmDate:
    """A new firm date, in use. Raises ValidationError naming every bad field; saves nothing
    then."""
    _ensure_admin(actor)
    name, month, day = _clean(name, month, day)
    firm_date = FirmDate.objects.create(name=name, month=month, day=day)
    audit_record(
        actor=actor,
        action="create",
        obj=firm_date,
        changes=audit_diff({}, firm_date_snapshot(firm_date)),
    )
    return firm_date


@transaction.atomic
def firm_date_update(
    *, actor: Any, firm_date: FirmDate, name: str, month: int, day: int, active: bool
) -> FirmDate:
    """Change a firm date; `active=False` retires it (it stays, out of the agenda)."""
    _ensure_admin(actor)
    name, month, day = _clean(name, month, day)
    firm_date = FirmDate.objects.select_for_update().get(pk=firm_date.pk)
    before = firm_date_snapshot(firm_date)
    firm_date.name, firm_date.month, firm_date.day, firm_date.active = name, month, day, active
    firm_date.save(update_fields=["name", "month", "day", "active"])
    changes = audit_diff(before, firm_date_snapshot(firm_date))
    if changes:
        audit_record(actor=actor, action="update", obj=firm_date, changes=changes)
    return firm_date
