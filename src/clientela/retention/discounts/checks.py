"""The discount check the sales services call (registered in sales.policy by apps.py).

A new or changed discount of a deal or purchase is refused when it is above the saver's limit
for the client, or when its margin is below the floor — unless an approved, unexpired request
for that deal or purchase (or, for one being created, for that client and deal) covers it:
a discount up to the approved one and, below the floor, a margin at least the approved one.
That request is then "used" (audited) and linked to the saved record; it covers no other save.
"""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.core.audit import audit_diff, audit_record
from clientela.retention.discounts.limits import (
    below_floor,
    limit_for,
    margin_percent,
    policy_current,
    show,
)
from clientela.retention.discounts.models import DiscountRequest, RequestStatus, RequestSubject
from clientela.sales.models import Deal
from clientela.sales.policy import NEEDS_APPROVAL, DiscountValues


def _covering(
    record: Any, values: DiscountValues, percent: Decimal, floor_broken: bool
) -> DiscountRequest | None:
    subject = RequestSubject.DEAL if isinstance(record, Deal) else RequestSubject.PURCHASE
    found = DiscountRequest.objects.filter(
        subject=subject,
        status=RequestStatus.APPROVED,
        valid_until__gte=timezone.localdate(),
        discount_percent__gte=percent,
    )
    if record.contact_id:
        found = found.filter(contact_id=record.contact_id)
    else:
        found = found.filter(contact__isnull=True, company_id=record.company_id)
    if record.pk is not None:
        found = found.filter(**{f"{subject}_id": record.pk})
    else:
        found = found.filter(**{f"{subject}__isnull": True})
        if subject == RequestSubject.PURCHASE:
            found = found.filter(Q(deal__isnull=True) | Q(deal_id=record.deal_id))
    margin = margin_percent(values.amount, values.cost)
    for request in found.select_for_update().order_by("discount_percent", "id"):
        if floor_broken:
            approved = margin_percent(request.amount, request.cost)
            if approved is None or margin is None or margin < approved:
                continue
        return request
    return None


def _use(actor: User, request: DiscountRequest, record: Any) -> Callable[[], None]:
    before = {"status": request.get_status_display()}
    request.status = RequestStatus.USED
    request.used_at = timezone.now()

    def link() -> None:
        field = "deal" if isinstance(record, Deal) else "purchase"
        setattr(request, field, record)
        request.save(update_fields=["status", "used_at", field, "updated_at"])
        audit_record(
            actor=actor,
            action="update",
            obj=request,
            changes=audit_diff(
                {**before, field: None},
                {"status": request.get_status_display(), field: str(record)},
            ),
        )

    return link


def discount_check(
    *, actor: User, record: Any, values: DiscountValues, prefix: str
) -> Callable[[], None] | None:
    policy = policy_current()
    if policy is None:
        return None
    percent = values.discount_percent or Decimal(0)
    floor_broken = below_floor(policy.margin_floor_percent, values.amount, values.cost)
    limit = None
    if percent > 0:
        contact = record.contact if record.contact_id else None
        limit = limit_for(
            policy,
            actor,
            record.contact_id,
            record.company_id,
            contact.lifecycle if contact is not None else "",
        ).applies
    over = limit is not None and percent > limit
    if not over and not floor_broken:
        return None
    request = _covering(record, values, percent, floor_broken)
    if request is not None:
        return _use(actor, request, record)
    errors: dict[str, list[ValidationError]] = {}
    if over:
        assert limit is not None
        errors[prefix + "discount_percent"] = [
            ValidationError(
                _(
                    "%(discount)s %% is above your limit of %(limit)s %% for this client; "
                    "ask a lead to approve it."
                ),
                code=NEEDS_APPROVAL,
                params={"discount": show(percent), "limit": show(limit)},
            )
        ]
    if floor_broken:
        assert policy.margin_floor_percent is not None
        margin = margin_percent(values.amount, values.cost)
        errors[prefix + "cost"] = [
            ValidationError(
                _(
                    "The margin would be %(margin)s %%, below the floor of %(floor)s %%; "
                    "ask a lead to approve it."
                ),
                code=NEEDS_APPROVAL,
                params={
                    "margin": show(margin) if margin is not None else "—",
                    "floor": show(policy.margin_floor_percent),
                },
            )
        ]
    raise ValidationError(errors)
