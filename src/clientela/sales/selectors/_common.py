"""Shared helpers of the sales selectors: ids from a request, sorts, sums of money."""

from decimal import Decimal
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


def _cents(value: Any) -> Decimal:
    # SQLite sums decimals without their scale (30 for 30.00): give every sum two places.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _sort(params: dict[str, Any], sorts: dict[str, list[str]], default: str) -> str:
    sort = params.get("sort") or default
    if sort not in sorts:
        raise ValidationError(
            {"sort": [_("Sort by one of: %(allowed)s.") % {"allowed": ", ".join(sorts)}]}
        )
    return str(sort)
