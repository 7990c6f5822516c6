"""The shared mechanics of the sales services: permission checks, field cleaning, trash."""

import datetime
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_record
from clientela.core.ids import id_or_none as _id_or_none
from clientela.core.money import clean_amount, clean_currency
from clientela.sales import policy
from clientela.sales.models import Deal, Purchase

Errors = dict[str, list[str]]


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _ensure_admin(actor: User) -> None:
    if not actor.is_admin:
        raise PermissionDenied(_("Only an administrator configures pipelines."))


def _text(value: Any, field: str, errors: Errors) -> str:
    text = str(value or "").strip()
    if "\x00" in text:
        # PostgreSQL refuses NUL in text; say so instead of failing with a 500.
        errors[field] = [_("Null characters are not allowed.")]
    return text


def _date(value: Any, field: str, errors: Errors) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _percent(value: Any, field: str, errors: Errors, *, whole: bool) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        if isinstance(value, bool) or (whole and Decimal(str(value)) % 1):
            raise InvalidOperation
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        errors[field] = [_("Enter a whole number.") if whole else _("Enter a number.")]
        return None
    if not 0 <= number <= 100:
        errors[field] = [_("Enter a percentage from 0 to 100.")]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[field] = [_("Use at most two decimal places.")]
        return None
    return number


def _money(data: dict[str, Any], errors: Errors, amount_field: str, prefix: str = "") -> None:
    """Replace the amount and currency in `data` by their clean values, or note the errors."""
    if amount_field in data:
        try:
            data[amount_field] = clean_amount(data[amount_field])
        except ValidationError as exc:
            errors[prefix + amount_field] = exc.messages
    if "currency" in data:
        try:
            data["currency"] = clean_currency(data["currency"])
        except ValidationError as exc:
            errors[prefix + "currency"] = exc.messages


def _cost(data: dict[str, Any], record: Deal | Purchase, errors: Errors, prefix: str = "") -> None:
    """Set `record.cost` from `data["cost"]` (empty: not recorded), or note the error."""
    if "cost" not in data:
        return
    if data["cost"] in (None, ""):
        record.cost = None
        return
    try:
        record.cost = clean_amount(data["cost"])
    except ValidationError as exc:
        errors[prefix + "cost"] = exc.messages


def _discount_checks(
    *,
    actor: User,
    record: Deal | Purchase,
    amount: Decimal,
    before: tuple[Any, ...] | None,
    prefix: str = "",
) -> list[Callable[[], None]]:
    """Ask the discount policy (if one is installed) about a new or changed discount.

    Runs when the record is new (`before` is None) or its discount, price, cost, currency or
    client changed; a refusal is a ValidationError naming the field, nothing saved.
    """
    amount_field = "value" if isinstance(record, Deal) else "amount"
    if before is not None and before == policy.discount_fields(record, amount_field):
        return []
    values = policy.DiscountValues(
        discount_percent=record.discount_percent,
        amount=amount,
        cost=record.cost,
        currency=record.currency,
    )
    return policy.run_discount_checks(actor=actor, record=record, values=values, prefix=prefix)


def _client(
    actor: User, record: Deal | Purchase, data: dict[str, Any], errors: Errors, prefix: str = ""
) -> None:
    """Set the contact and company of `record` from `data`: visible to the actor, one at least."""
    for field, model in (("contact", Contact), ("company", Company)):
        if field not in data:
            continue
        raw = data[field]
        if raw in (None, ""):
            setattr(record, field, None)
            continue
        pk = _id_or_none(raw)
        found = model.objects.visible_to(actor).filter(pk=pk).first() if pk else None
        if found is None:
            errors[prefix + field] = [
                _("There is no such contact.")
                if model is Contact
                else _("There is no such company.")
            ]
        else:
            setattr(record, field, found)
    named = {prefix + "contact", prefix + "company"} & errors.keys()
    if record.contact_id is None and record.company_id is None and not named:
        errors[prefix + "contact"] = [_("Give a contact, a company or both.")]


def _full_clean(record: Deal | Purchase, errors: Errors, exclude: list[str]) -> None:
    try:
        record.full_clean(exclude=[*exclude, *errors.keys()], validate_constraints=False)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)


def _trash(*, actor: User, record: Deal | Purchase) -> None:
    _ensure_can_write(actor)
    if record.deleted_at is None:
        if not type(record).objects.visible_to(actor).filter(pk=record.pk).exists():
            raise Http404
        record.deleted_at = timezone.now()
        record.deleted_by = actor
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="delete", obj=record)


def _restore(*, actor: User, record: Deal | Purchase) -> None:
    if not (actor.is_admin or (record.owner_id == actor.pk and actor.can_write)):
        raise PermissionDenied(_("Only the owner or an administrator can restore this record."))
    if record.deleted_at is not None:
        record.deleted_at = None
        record.deleted_by = None
        record.save(update_fields=["deleted_at", "deleted_by", "updated_at"])
        audit_record(actor=actor, action="restore", obj=record)


def _lock(queryset: Any) -> None:
    """Lock the rows of `queryset` until the transaction ends (waiting for other writers).

    The lock is taken without joins: PostgreSQL re-checks a row updated by the writer it
    waited for against the joined rows it had read before, so a deal just moved to another
    stage would no longer match its old stage's row and vanish from the answer.
    """
    list(queryset.select_for_update().values_list("pk", flat=True))
