"""Demo data for the discount policy, called by the demo command after the sales demo:
a policy with a segment rule, costs on some purchases, and a request in each state."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from clientela.accounts.models import Role, User
from clientela.contacts.models import Lifecycle
from clientela.retention.discounts import services
from clientela.retention.discounts.models import DiscountRequest, RequestStatus
from clientela.sales.models import Purchase


@transaction.atomic
def seed_discounts(*, admin: User) -> dict[str, int]:
    """Idempotent enough for a demo: does nothing if requests exist already."""
    if DiscountRequest.objects.exists():
        return {"requests": 0}
    services.policy_save(
        actor=admin,
        data={
            "manager_max_percent": "5",
            "lead_max_percent": "15",
            "margin_floor_percent": "12",
            "approval_days": 14,
        },
    )
    services.segment_rule_create(
        actor=admin, data={"lifecycle": Lifecycle.LEAD, "max_percent": "0"}
    )
    # Costs on a share of the purchases: what each sale cost the firm (about 70–90 %).
    with_cost = 0
    for n, sold in enumerate(Purchase.objects.order_by("id")[:60]):
        if n % 3 == 0:
            share = Decimal("0.70") + Decimal(n % 5) * Decimal("0.05")
            Purchase.objects.filter(pk=sold.pk).update(
                cost=(sold.amount * share).quantize(Decimal("0.01"))
            )
            with_cost += 1
    managers = User.objects.filter(role=Role.MANAGER, is_active=True, team__isnull=False)
    made = 0
    states = [
        RequestStatus.PENDING,
        RequestStatus.APPROVED,
        RequestStatus.REJECTED,
        RequestStatus.CANCELLED,
        RequestStatus.PENDING,
    ]
    for manager, state in zip(managers, states, strict=False):
        found = Purchase.objects.visible_to(manager).filter(contact__isnull=False).first()
        if found is None:
            continue
        purchase: Purchase = found
        request = services.request_create(
            actor=manager,
            data={
                "subject": "purchase",
                "purchase": purchase.pk,
                "discount_percent": "9",
                "amount": purchase.amount,
                "reason": "Loyal client, third order this year",
            },
        )
        lead = User.objects.filter(role=Role.LEAD, team=manager.team).first() or admin
        if state == RequestStatus.APPROVED:
            services.request_approve(actor=lead, request=request, note="OK this time")
        elif state == RequestStatus.REJECTED:
            services.request_reject(actor=lead, request=request, note="Too much for this order")
        elif state == RequestStatus.CANCELLED:
            services.request_cancel(actor=manager, request=request)
        made += 1
    DiscountRequest.objects.filter(status=RequestStatus.APPROVED).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=14)
    )
    return {"requests": made, "purchases_with_cost": with_cost}
