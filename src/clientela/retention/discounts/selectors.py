"""Every read of discount requests and the report, scoped to what the user may see."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.contacts.models import CompanyTag, ContactTag
from clientela.retention.discounts.limits import (
    ClientSegment,
    below_floor,
    discount_money,
    policy_current,
    role_limit,
    segment_limit,
    smaller,
)
from clientela.retention.discounts.models import (
    DiscountPolicy,
    DiscountRequest,
    RequestStatus,
    SegmentRule,
)
from clientela.sales.models import Purchase

LIST_SIZE = 100


def _decidable_q(user: User) -> Q | None:
    """The requests `user` may decide, as a filter; None if none."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_admin:
        return Q(status=RequestStatus.PENDING) & ~Q(requested_by_id=user.pk)
    if user.role == Role.LEAD and user.team_id is not None:
        return Q(status=RequestStatus.PENDING, team_id=user.team_id) & ~Q(requested_by_id=user.pk)
    return None


def pending_approvals(user: User) -> int:
    """How many requests wait for `user`'s decision (for the lead's dashboard); one query."""
    decidable = _decidable_q(user)
    if decidable is None:
        return 0
    return DiscountRequest.objects.filter(decidable).count()


def _rows(queryset: QuerySet[DiscountRequest]) -> QuerySet[DiscountRequest]:
    return queryset.select_related(
        "requested_by", "decided_by", "contact", "company", "deal", "purchase"
    )


STATUS_FILTERS = ("", *RequestStatus.values)


@dataclass(frozen=True)
class RequestLists:
    to_decide: list[DiscountRequest]
    others: list[DiscountRequest]


def request_list(user: User, status: str = "") -> RequestLists:
    """Pending requests the user may decide, then the others they see (newest first; the
    latest LIST_SIZE). Two queries."""
    if status not in STATUS_FILTERS:
        raise ValidationError({"status": [_("There is no such status.")]})
    visible = DiscountRequest.objects.visible_to(user)
    decidable = _decidable_q(user)
    to_decide: list[DiscountRequest] = []
    others = visible
    if decidable is not None and status in ("", RequestStatus.PENDING):
        to_decide = list(_rows(visible.filter(decidable))[:LIST_SIZE])
        others = visible.exclude(decidable)
    if status:
        others = others.filter(status=status)
    return RequestLists(to_decide=to_decide, others=list(_rows(others)[:LIST_SIZE]))


def request_get(user: User, pk: Any) -> DiscountRequest:
    try:
        number = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    found = _rows(DiscountRequest.objects.visible_to(user)).filter(pk=number).first()
    if found is None:
        raise Http404
    return found


def segment_rules() -> list[SegmentRule]:
    return list(SegmentRule.objects.select_related("tag"))


# --- the report ---------------------------------------------------------------------------


@dataclass
class ReportRow:
    """Discounted purchases of one manager or client, against the policy."""

    label: str
    key: int = 0
    purchases: int = 0
    percent_sum: Decimal = Decimal(0)
    max_percent: Decimal = Decimal(0)
    money: dict[str, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    within: int = 0
    approved: int = 0
    unapproved: int = 0
    below_floor: int = 0

    @property
    def average_percent(self) -> Decimal:
        if not self.purchases:
            return Decimal(0)
        return (self.percent_sum / self.purchases).quantize(Decimal("0.01"))

    @property
    def money_list(self) -> list[tuple[str, Decimal]]:
        return sorted(self.money.items())


@dataclass
class DiscountReport:
    date_from: datetime.date | None
    date_to: datetime.date | None
    policy: DiscountPolicy | None
    total: ReportRow
    by_manager: list[ReportRow]
    by_client: list[ReportRow]


def _segments(purchases: list[Purchase]) -> dict[int, ClientSegment]:
    """The segment of each purchase's client (two queries: the tags of contacts and companies)."""
    contact_ids = {p.contact_id for p in purchases if p.contact_id}
    company_ids = {p.company_id for p in purchases if p.company_id}
    contact_tags: dict[int, set[int]] = defaultdict(set)
    company_tags: dict[int, set[int]] = defaultdict(set)
    if contact_ids:
        for contact_id, tag_id in ContactTag.objects.filter(contact_id__in=contact_ids).values_list(
            "contact_id", "tag_id"
        ):
            contact_tags[contact_id].add(tag_id)
    if company_ids:
        for company_id, tag_id in CompanyTag.objects.filter(company_id__in=company_ids).values_list(
            "company_id", "tag_id"
        ):
            company_tags[company_id].add(tag_id)
    return {
        p.pk: ClientSegment(
            lifecycle=p.contact.lifecycle if p.contact_id and p.contact else "",
            tag_ids=frozenset(
                contact_tags.get(p.contact_id or 0, set())
                | company_tags.get(p.company_id or 0, set())
            ),
        )
        for p in purchases
    }


def discount_report(
    user: User, date_from: datetime.date | None = None, date_to: datetime.date | None = None
) -> DiscountReport:
    """Purchases the user sees in the period (by date) with a discount or a cost, counted per
    manager (the purchase's owner) and per client:

    - purchases: those with a discount above 0; their average and largest discount;
    - discount in money, per currency: Σ amount × d / (100 − d) (amount = the price paid);
    - within: at most the limit that applies to the owner (role) and the client (segment);
      approved: above it, saved with an approved request; unapproved: above it without one
      (history from before the policy, or before a limit was lowered);
    - below floor: purchases with a cost whose margin is under the floor.
    A bounded number of queries whatever the number of purchases.
    """
    if date_from and date_to and date_from > date_to:
        raise ValidationError({"date_to": [_("The end of the period is before its start.")]})
    policy = policy_current()
    rules = list(SegmentRule.objects.all()) if policy is not None else []
    purchases_qs = Purchase.objects.visible_to(user).filter(
        Q(discount_percent__gt=0) | Q(cost__isnull=False)
    )
    if date_from:
        purchases_qs = purchases_qs.filter(date__gte=date_from)
    if date_to:
        purchases_qs = purchases_qs.filter(date__lte=date_to)
    purchases = list(
        purchases_qs.select_related("owner", "contact", "company").order_by("date", "id")
    )
    segments = _segments(purchases) if policy is not None else {}
    approved_ids = set(
        DiscountRequest.objects.filter(
            status=RequestStatus.USED, purchase__in=purchases_qs.values("pk")
        ).values_list("purchase_id", flat=True)
    )
    total = ReportRow(label=_("All"))
    managers: dict[int, ReportRow] = {}
    clients: dict[tuple[str, int], ReportRow] = {}
    for purchase in purchases:
        owner = purchase.owner
        manager_row = managers.setdefault(owner.pk, ReportRow(label=str(owner), key=owner.pk))
        client = purchase.contact if purchase.contact_id else purchase.company
        client_key = ("contact" if purchase.contact_id else "company", client.pk if client else 0)
        client_row = clients.setdefault(
            client_key, ReportRow(label=str(client), key=client.pk if client else 0)
        )
        percent = purchase.discount_percent or Decimal(0)
        floor = policy.margin_floor_percent if policy is not None else None
        low = below_floor(floor, purchase.amount, purchase.cost)
        verdict = ""
        if percent > 0:
            limit = None
            if policy is not None:
                limit = smaller(
                    role_limit(policy, owner), segment_limit(rules, segments[purchase.pk])
                )
            if limit is None or percent <= limit:
                verdict = "within"
            elif purchase.pk in approved_ids:
                verdict = "approved"
            else:
                verdict = "unapproved"
        for row in (total, manager_row, client_row):
            if percent > 0:
                row.purchases += 1
                row.percent_sum += percent
                row.max_percent = max(row.max_percent, percent)
                row.money[purchase.currency] += discount_money(purchase.amount, percent)
                setattr(row, verdict, getattr(row, verdict) + 1)
            if low:
                row.below_floor += 1
    order = lambda row: (-row.purchases, -row.below_floor, row.label.casefold())  # noqa: E731
    return DiscountReport(
        date_from=date_from,
        date_to=date_to,
        policy=policy,
        total=total,
        by_manager=sorted(managers.values(), key=order),
        by_client=sorted(clients.values(), key=order),
    )
