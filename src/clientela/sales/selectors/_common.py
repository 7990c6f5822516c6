"""Shared helpers of the sales selectors: ids from a request, sorts, sums of money."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


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
