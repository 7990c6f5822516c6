"""Keyset (cursor) pagination: the cost of a page does not grow with its depth.

The cursor is the sort key of the last row shown, signed so a client cannot forge one that
the server then trusts blindly (a forged cursor would only reposition the scan, but a clear
400 beats a confusing page).
"""

import base64
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

_SALT = "clientela.cursor"


@dataclass(frozen=True)
class Page:
    items: list[Any]
    next_cursor: str | None
    previous_cursor: str | None


def _invalid() -> ValidationError:
    return ValidationError(
        {"cursor": [_("This page link is not valid; start from the first page.")]}
    )


def _encode(values: list[Any], backwards: bool, order: list[str]) -> str:
    payload = signing.dumps({"v": values, "b": backwards, "o": order}, salt=_SALT, compress=True)
    return base64.urlsafe_b64encode(payload.encode()).decode().rstrip("=")


def _decode(cursor: str, order: list[str]) -> tuple[list[Any], bool]:
    """The position and direction in `cursor`, which must have been made for this `order`.

    A cursor of another sort (a client that changed `sort` and kept `cursor`) holds values of
    other columns, e.g. a name where a date belongs: refused here with the field named.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = signing.loads(base64.urlsafe_b64decode(padded).decode(), salt=_SALT)
        values, backwards, made_for = list(data["v"]), bool(data["b"]), data.get("o")
    except (ValueError, signing.BadSignature, KeyError, TypeError, AttributeError) as exc:
        raise _invalid() from exc
    if made_for != order or len(values) != len(order):
        raise _invalid()
    return values, backwards


def _key(item: Any, fields: list[str]) -> list[Any]:
    values = []
    for field in fields:
        value = getattr(item, field.lstrip("-"))
        if hasattr(value, "isoformat"):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = str(value)  # exact; the field turns it back into a Decimal to compare
        values.append(value)
    return values


def _after(fields: list[str], values: list[Any], backwards: bool) -> Q:
    """Rows strictly after `values` in the order of `fields` (or before, going backwards)."""
    condition = Q()
    for i, field in enumerate(fields):
        name = field.lstrip("-")
        descending = field.startswith("-") != backwards
        step = Q(**{f"{name}__{'lt' if descending else 'gt'}": values[i]})
        for previous, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{previous.lstrip("-"): value})
        condition |= step
    return condition


def keyset_page(
    queryset: QuerySet, *, order: list[str], cursor: str | None, size: int, gather: bool = False
) -> Page:
    """One page of `queryset` ordered by `order` (its last field must be unique, e.g. "id").

    `gather`: the rows are a bounded set picked by a filter the planner cannot judge (a text
    search): sort them after gathering them rather than walk the sort index and test every
    row. A planner that takes the matches to be spread evenly walks the index, and when they
    cluster at its end ("olena" among surnames sorted Latin first) reads most of the table.
    """
    backwards = False
    if cursor:
        values, backwards = _decode(cursor, order)
        queryset = queryset.filter(_after(order, values, backwards))
    if backwards:
        flipped = [f[1:] if f.startswith("-") else f"-{f}" for f in order]
        rows = list(queryset.order_by(*[_order(f, gather) for f in flipped])[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size][::-1]
        next_cursor = _encode(_key(rows[-1], order), False, order) if rows else None
        previous_cursor = _encode(_key(rows[0], order), True, order) if rows and has_more else None
    else:
        rows = list(queryset.order_by(*[_order(f, gather) for f in order])[: size + 1])
        has_more = len(rows) > size
        rows = rows[:size]
        next_cursor = _encode(_key(rows[-1], order), False, order) if rows and has_more else None
        previous_cursor = _encode(_key(rows[0], order), True, order) if rows and cursor else None
    return Page(items=rows, next_cursor=next_cursor, previous_cursor=previous_cursor)


def _order(field: str, gather: bool) -> Any:
    name = field.lstrip("-")
    # COALESCE(x, x) sorts exactly as x but matches no index, so no plan can walk one.
    key = Coalesce(F(name), F(name)) if gather else F(name)
    return key.desc() if field.startswith("-") else key.asc()


def capped_count(queryset: QuerySet, cap: int) -> tuple[int, bool]:
    """The number of rows, counting at most `cap` of them; True when there are more."""
    counted = queryset.order_by().values("pk")[: cap + 1].count()
    return min(counted, cap), counted > cap


def cursor_for(item: Any, order: list[str], *, backwards: bool = False) -> str:
    """The cursor of the page that continues after `item` in `order` (before it, `backwards`).

    For a page that was not made by `keyset_page` (e.g. the first cards of a board column):
    pass the cursor with the same `order` to `keyset_page`, which goes on from there.
    """
    return _encode(_key(item, order), backwards, order)
