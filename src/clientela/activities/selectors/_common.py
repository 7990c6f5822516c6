"""Shared helpers of the activities selectors: ids and dates from a request, sorts, day bounds."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

_MAX_ID = 2**63 - 1


def _int_or_error(name: str, raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= _MAX_ID:
        raise ValidationError({name: [_("“%(value)s” is not a valid id.") % {"value": raw}]})
    return value


def _int_or_404(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 1 <= value <= _MAX_ID:
        raise Http404
    return value


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
