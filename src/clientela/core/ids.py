"""Record ids from a request: a query parameter that names a record, or a path's pk.

Both accept what a database key can hold (1 … 2⁶³ − 1), so an id too large for a bigint is
refused here instead of failing inside the database.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1


def id_or_none(value: Any) -> int | None:
    """A primary key from an id, a numeric string or a model instance; None if it names none
    (a bigger number than a key can hold names nothing, and would overflow the database)."""
    value = getattr(value, "pk", value)
    if isinstance(value, bool):
        return None
    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    return pk if 1 <= pk <= MAX_ID else None


def id_or_error(name: str, raw: Any) -> int | None:
    """The id in `raw` (None when blank); a ValidationError on `name` for anything else."""
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= MAX_ID:
        raise ValidationError({name: [_("“%(value)s” is not a valid id.") % {"value": raw}]})
    return value


def id_or_404(pk: Any) -> int:
    """The id in `pk`, or Http404: a record that cannot exist is simply not there."""
    try:
        value = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 1 <= value <= MAX_ID:
        raise Http404
    return value
