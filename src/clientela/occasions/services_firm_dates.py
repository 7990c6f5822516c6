"""Services that add, change and retire the firm's own dates (an administrator's work).

A firm date is a fixed day of a month, or a weekday of a month ("the second Sunday of
August"); it may carry its name in other languages. `professional_days_add` adds Ukraine's
professional days (occasions.professional_days) chosen from a list, with their names and rules.
"""

import calendar
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from clientela.core.audit import audit_diff, audit_record
from clientela.occasions.greetings import LANGUAGES
from clientela.occasions.models import FirmDate
from clientela.occasions.professional_days import PROFESSIONAL_DAYS

Errors = dict[str, list[str]]
WEEKS = {1, 2, 3, 4, -1}


def _ensure_admin(actor: Any) -> None:
    if not getattr(actor, "is_admin", False):
        raise PermissionDenied(_("Only an administrator can change the firm's dates."))


def firm_date_snapshot(firm_date: FirmDate) -> dict[str, Any]:
    return {
        "name": firm_date.name,
        "names": dict(sorted(firm_date.names.items())) or None,
        "date": firm_date.when,
        "active": firm_date.active,
    }


def _number(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0  # out of every range: named as a bad value below


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    """The fields of a firm date from `data` (name, names, month, and day or weekday and
    week), or a ValidationError naming every bad field."""
    errors: Errors = {}
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("Give the date a name.")]
    elif len(name) > 200:
        errors["name"] = [_("At most 200 characters.")]
    names: dict[str, str] = {}
    for language, text in (data.get("names") or {}).items():
        text = str(text or "").strip()
        if language not in LANGUAGES:
            errors["names"] = [_("Names are given in Ukrainian, Russian or English.")]
        elif len(text) > 200:
            errors[f"name_{language}"] = [_("At most 200 characters.")]
        elif text:
            names[language] = text
    month = _number(data.get("month"))
    if month is None or not 1 <= month <= 12:
        errors["month"] = [_("Choose a month from 1 to 12.")]
    day = _number(data.get("day"))
    weekday = _number(data.get("weekday"))
    week = _number(data.get("week"))
    if weekday is None and week is None:
        # 29 February is allowed: in other years it is celebrated as the firm settings say.
        longest = calendar.monthrange(2024, month)[1] if month and 1 <= month <= 12 else 31
        if day is None:
            errors["day"] = [_("Enter the day of the month, or choose a weekday of the month.")]
        elif not 1 <= day <= longest:
            errors["day"] = [
                _("This month has no day %(day)s (it has %(days)s days).")
                % {"day": day, "days": longest}
            ]
    else:
        if day is not None:
            errors["day"] = [_("Give a day of the month or a weekday of the month, not both.")]
        if weekday is None or not 0 <= weekday <= 6:
            errors["weekday"] = [_("Choose the weekday.")]
        if week not in WEEKS:
            errors["week"] = [_("Choose which of the month's weekdays: first to fourth, or last.")]
    if errors:
        raise ValidationError(errors)
    return {
        "name": name,
        "names": names,
        "month": month,
        "day": day if weekday is None else None,
        "weekday": weekday,
        "week": week,
    }


@transaction.atomic
def firm_date_create(*, actor: Any, **data: Any) -> FirmDate:
    """A new firm date, in use, from `name`, `names` ({language: name}), `month`, and `day` or
    `weekday` (0 is Monday) and `week` (1–4, -1 the last). Raises ValidationError naming every
    bad field; saves nothing then."""
    _ensure_admin(actor)
    firm_date = FirmDate.objects.create(**_clean(data))
    audit_record(
        actor=actor,
        action="create",
        obj=firm_date,
        changes=audit_diff({}, firm_date_snapshot(firm_date)),
    )
    return firm_date


@transaction.atomic
def firm_date_update(*, actor: Any, firm_date: FirmDate, active: bool, **data: Any) -> FirmDate:
    """Change a firm date (the fields of `firm_date_create`); `active=False` retires it (it
    stays, out of the agenda)."""
    _ensure_admin(actor)
    fields = _clean(data)
    firm_date = FirmDate.objects.select_for_update().get(pk=firm_date.pk)
    before = firm_date_snapshot(firm_date)
    for key, value in fields.items():
        setattr(firm_date, key, value)
    firm_date.active = bool(active)
    firm_date.save(update_fields=[*fields, "active"])
    changes = audit_diff(before, firm_date_snapshot(firm_date))
    if changes:
        audit_record(actor=actor, action="update", obj=firm_date, changes=changes)
    return firm_date


@transaction.atomic
def professional_days_add(*, actor: Any, keys: list[str], language: str) -> list[FirmDate]:
    """Add the professional days of `keys` as firm dates, named in `language` with their
    names in the other languages. A day already added (even retired since) is not added again;
    an unknown key is a ValidationError on "keys"."""
    _ensure_admin(actor)
    unknown = [key for key in keys if key not in PROFESSIONAL_DAYS]
    if unknown or not keys:
        raise ValidationError({"keys": [_("Choose professional days from the list.")]})
    taken = set(FirmDate.objects.filter(preset__in=keys).values_list("preset", flat=True))
    added = []
    for key in dict.fromkeys(keys):
        if key in taken:
            continue
        day = PROFESSIONAL_DAYS[key]
        names = dict(day.names)
        firm_date = FirmDate.objects.create(
            name=names.get(language) or names["uk"],
            names=names,
            month=day.month,
            day=day.day,
            weekday=day.weekday,
            week=day.week,
            preset=key,
        )
        audit_record(
            actor=actor,
            action="create",
            obj=firm_date,
            changes=audit_diff({}, firm_date_snapshot(firm_date)),
        )
        added.append(firm_date)
    return added
