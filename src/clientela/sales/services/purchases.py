"""Services that record, change, trash and restore purchases."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.core.errors import EditConflict
from clientela.core.money import DEFAULT_CURRENCY
from clientela.sales import policy
from clientela.sales.models import Deal, Purchase
from clientela.sales.services._common import (
    Errors,
    _client,
    _cost,
    _date,
    _discount_checks,
    _ensure_can_write,
    _id_or_none,
    _lock,
    _money,
    _percent,
    _restore,
    _text,
    _trash,
)
from clientela.sales.signals import purchase_recorded


def purchase_snapshot(purchase: Purchase) -> dict[str, Any]:
    return {
        "contact": str(purchase.contact) if purchase.contact_id else None,
        "company": str(purchase.company) if purchase.company_id else None,
        "deal": str(purchase.deal) if purchase.deal_id else None,
        "date": purchase.date.isoformat() if purchase.date else None,
        "amount": str(purchase.amount) if purchase.amount is not None else None,
        "currency": purchase.currency,
        "description": purchase.description or None,
        "discount_percent": (
            str(purchase.discount_percent) if purchase.discount_percent is not None else None
        ),
        "cost": str(purchase.cost) if purchase.cost is not None else None,
        "owner": str(purchase.owner) if purchase.owner_id else None,
    }


def _apply_purchase(
    *, actor: User, purchase: Purchase, data: dict[str, Any], creating: bool, prefix: str = ""
) -> Errors:
    data = dict(data)
    errors: Errors = {}
    if "deal" in data:
        pk = _id_or_none(data["deal"])
        deal = Deal.objects.visible_to(actor).filter(pk=pk).first() if pk else None
        if data["deal"] not in (None, "") and deal is None:
            errors[prefix + "deal"] = [_("There is no such deal.")]
        purchase.deal = deal
        if deal is not None and creating and "contact" not in data and "company" not in data:
            data |= {"contact": deal.contact_id, "company": deal.company_id}
    client_before = (purchase.contact_id, purchase.company_id)
    _client(actor, purchase, data, errors, prefix)
    if (purchase.contact_id, purchase.company_id) != client_before or creating:
        # The purchase is seen by whoever sees its client.
        client = purchase.contact or purchase.company
        if client is not None:
            purchase.owner_id = client.owner_id
            purchase.team_id = client.team_id
    if "date" in data or creating:
        day = _date(data.get("date"), prefix + "date", errors)
        if day is None and prefix + "date" not in errors:
            errors[prefix + "date"] = [_("This field is required.")]
        elif day is not None and day > timezone.localdate():
            errors[prefix + "date"] = [_("A purchase cannot be dated in the future.")]
        else:
            purchase.date = day  # type: ignore[assignment]
    if creating and "amount" not in data:
        errors[prefix + "amount"] = [_("This field is required.")]
    _money(data, errors, "amount", prefix)
    for field in ("amount", "currency"):
        if field in data and prefix + field not in errors:
            setattr(purchase, field, data[field])
    if "description" in data:
        purchase.description = _text(data["description"], prefix + "description", errors)
    if "discount_percent" in data:
        field = prefix + "discount_percent"
        purchase.discount_percent = _percent(data["discount_percent"], field, errors, whole=False)
    _cost(data, purchase, errors, prefix)
    try:
        purchase.full_clean(
            exclude=[
                *("owner", "contact", "company", "deal", "date", "amount", "discount_percent"),
                "cost",
            ]
            + [key.removeprefix(prefix) for key in errors],
            validate_constraints=False,
        )
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(prefix + field, []).extend(messages)
    return errors


def _purchase_create(*, actor: User, data: dict[str, Any], prefix: str = "") -> Purchase:
    purchase = Purchase(currency=DEFAULT_CURRENCY)
    errors = _apply_purchase(
        actor=actor, purchase=purchase, data=data, creating=True, prefix=prefix
    )
    if errors:
        raise ValidationError(errors)
    after = _discount_checks(
        actor=actor, record=purchase, amount=purchase.amount, before=None, prefix=prefix
    )
    purchase.save()
    for done in after:
        done()
    audit_record(
        actor=actor,
        action="create",
        obj=purchase,
        changes=audit_diff({}, purchase_snapshot(purchase)),
    )
    transaction.on_commit(
        lambda: purchase_recorded.send(sender=Purchase, purchase=purchase, actor=actor)
    )
    return purchase


@transaction.atomic
def purchase_create(*, actor: User, data: dict[str, Any]) -> Purchase:
    """A purchase of a contact and/or company the actor sees (or of the client of `data["deal"]`).

    Owner and team are copied from the client (its contact, else its company). Raises
    ValidationError naming each bad field (negative amount, unknown currency, a date in the
    future, no client); nothing saved.
    """
    _ensure_can_write(actor)
    return _purchase_create(actor=actor, data=data)


@transaction.atomic
def purchase_update(
    *,
    actor: User,
    purchase: Purchase,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
) -> Purchase:
    """Change the fields present in `data`; refuses with EditConflict if the record moved on."""
    _ensure_can_write(actor)
    visible = Purchase.objects.visible_to(actor).filter(pk=purchase.pk)
    _lock(visible)
    locked = visible.select_related("contact", "company", "deal", "owner").first()
    if locked is None:
        raise Http404
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EditConflict(_("Someone else changed this purchase while you were editing it."))
    before = purchase_snapshot(locked)
    checked = policy.discount_fields(locked, "amount")
    errors = _apply_purchase(actor=actor, purchase=locked, data=data, creating=False)
    if errors:
        raise ValidationError(errors)
    after = _discount_checks(actor=actor, record=locked, amount=locked.amount, before=checked)
    locked.save()
    for done in after:
        done()
    changes = audit_diff(before, purchase_snapshot(locked))
    if changes:
        audit_record(actor=actor, action="update", obj=locked, changes=changes)
    return locked


@transaction.atomic
def purchase_delete(*, actor: User, purchase: Purchase) -> None:
    _trash(actor=actor, record=purchase)


@transaction.atomic
def purchase_restore(*, actor: User, purchase: Purchase) -> None:
    _restore(actor=actor, record=purchase)
