"""Shared helpers of the activities selectors: ids and dates from a request, sorts, day bounds."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def _date_or_error(name: str, raw: Any) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date) and not isinstance(raw, datetime.datetime):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw).strip())
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def _choice_or_error(name: str, raw: Any, allowed: list[str], default: str | None) -> str | None:
    value = raw or default
    if value is not None and value not in allowed:
        raise ValidationError(
            {name: [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(allowed)}]}
        )
    return value


def _sort(params: dict[str, Any], sorts: dict[str, list[str]], default: str) -> str:
    sort = params.get("sort") or default
    if sort not in sorts:
        raise ValidationError(
            {"sort": [_("Sort by one of: %(allowed)s.") % {"allowed": ", ".join(sorts)}]}
        )
    return str(sort)


def day_start(day: datetime.date, zone: datetime.tzinfo) -> datetime.datetime:
    """The first moment of `day` in `zone` (an aware datetime)."""
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=zone)
