"""Reads of purchases: filters, list pages, single purchases and a client's rhythm."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, keyset_page
from clientela.sales.models import Purchase
from clientela.sales.selectors._common import _cents, _sort

# What a purchase list may be sorted by, and the keyset order behind each (the last field is
# unique).
PURCHASE_SORTS = {
    "-date": ["-date", "-id"],
    "date": ["date", "id"],
    "-created": ["-created_at", "-id"],
}
PURCHASE_RELATED = ["owner", "contact", "company", "deal"]

# Repeat purchases: a client with at least RHYTHM_MIN_DATES purchase days has a rhythm, and is
# overdue when the days since the last purchase exceed RHYTHM_TOLERANCE × its average interval.
RHYTHM_MIN_DATES = 3
RHYTHM_TOLERANCE = Decimal("1.5")


@dataclass(frozen=True)
class PurchaseFilters:
    contact: int | None = None
    company: int | None = None
    deal: int | None = None
    owner: int | None = None
    date_from: datetime.date | None = None  # both ends included
    date_to: datetime.date | None = None
    sort: str = "-date"


def _date_or_error(name: str, raw: Any) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


def purchase_filters_clean(user: User, params: dict[str, Any]) -> PurchaseFilters:
    """Parse purchase filters from a query string; a bad value is a ValidationError naming it."""
    owner_raw = params.get("owner")
    date_from = _date_or_error("date_from", params.get("date_from"))
    date_to = _date_or_error("date_to", params.get("date_to"))
    if date_from and date_to and date_to < date_from:
        raise ValidationError({"date_to": [_("The end of the period is before its start.")]})
    return PurchaseFilters(
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        deal=_int_or_error("deal", params.get("deal")),
        owner=user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw),
        date_from=date_from,
        date_to=date_to,
        sort=_sort(params, PURCHASE_SORTS, "-date"),
    )


def purchases_filtered(user: User, filters: PurchaseFilters) -> QuerySet[Purchase]:
    queryset: QuerySet[Purchase] = Purchase.objects.visible_to(user)
    for name in ("contact", "company", "deal", "owner"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.date_from is not None:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(date__lte=filters.date_to)
    return queryset


def purchase_list(
    user: User, filters: PurchaseFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    """One page of purchases, newest first by default: one query, client and deal joined."""
    return keyset_page(
        purchases_filtered(user, filters).select_related(*PURCHASE_RELATED),
        order=PURCHASE_SORTS[filters.sort],
        cursor=cursor,
        size=size or settings.LIST_PAGE_SIZE,
    )


def purchase_get(user: User, pk: Any) -> Purchase:
    purchase = (
        Purchase.objects.visible_to(user)
        .select_related(*PURCHASE_RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if purchase is None:
        raise Http404
    return purchase


def trashed_purchase_get(user: User, pk: Any) -> Purchase:
    purchase = (
        Purchase.all_objects.trashed()
        .select_related(*PURCHASE_RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if purchase is None or not (user.is_admin or purchase.owner_id == user.pk):
        raise Http404
    return purchase


def trash_purchases(user: User, limit: int = 200) -> list[Purchase]:
    """Trashed purchases the user may restore: its own, or any for an administrator."""
    queryset = Purchase.all_objects.trashed().select_related(
        "owner", "deleted_by", "contact", "company"
    )
    if not user.is_admin:
        queryset = queryset.filter(owner=user)
    return list(queryset.order_by("-deleted_at", "-id")[:limit])


def client_purchases_recent(
    user: User,
    *,
    contact: Contact | None = None,
    company: Company | None = None,
    limit: int = 5,
) -> list[Purchase]:
    """The client's latest purchases the user sees, newest first (one query, deal joined)."""
    if (contact is None) == (company is None):
        raise ValueError("give a contact or a company")
    client = {"contact": contact} if contact is not None else {"company": company}
    purchases = Purchase.objects.visible_to(user).filter(**client).select_related("deal")
    return list(purchases.order_by("-date", "-id")[:limit])


@dataclass(frozen=True)
class PurchaseRhythm:
    """How a client buys.

    `average_interval_days` is the mean gap between consecutive purchase days, i.e. (last day
    − first day) / (number of distinct days − 1); several purchases on one day are one visit.
    It needs RHYTHM_MIN_DATES days (two gaps) or it is None: one gap is no rhythm yet.
    `overdue` is true when `days_since_last` > RHYTHM_TOLERANCE × `average_interval_days`
    (the client is half a rhythm late); `expected_next` is the last day + the average interval
    rounded to whole days.
    """

    count: int
    totals: dict[str, Decimal] = field(default_factory=dict)
    first_date: datetime.date | None = None
    last_date: datetime.date | None = None
    purchase_days: int = 0
    average_interval_days: Decimal | None = None
    days_since_last: int | None = None
    expected_next: datetime.date | None = None
    overdue: bool = False


def purchase_rhythm(
    user: User,
    *,
    contact: Contact | None = None,
    company: Company | None = None,
    today: datetime.date | None = None,
) -> PurchaseRhythm:
    """The purchase count, totals per currency and rhythm of one client (two queries).

    The client (a contact or a company) comes from `contact_get`/`company_get`, so the caller
    may see it; only purchases the user sees are counted (they follow their client's owner).
    """
    if (contact is None) == (company is None):
        raise ValueError("give a contact or a company")
    today = today or timezone.localdate()
    purchases = Purchase.objects.visible_to(user).filter(
        **({"contact": contact} if contact is not None else {"company": company})
    )
    per_currency = list(
        purchases.order_by()
        .values("currency")
        .annotate(n=Count("id"), total=Sum("amount"), first=Min("date"), last=Max("date"))
        .order_by("currency")
    )
    if not per_currency:
        return PurchaseRhythm(count=0)
    first = min(row["first"] for row in per_currency)
    last = max(row["last"] for row in per_currency)
    days = purchases.order_by().values("date").distinct().count()
    since = (today - last).days
    average = expected = None
    overdue = False
    if days >= RHYTHM_MIN_DATES:
        average = (Decimal((last - first).days) / (days - 1)).quantize(Decimal("0.1"))
        exact = Decimal((last - first).days) / (days - 1)
        expected = last + datetime.timedelta(days=int(exact.to_integral_value()))
        overdue = since > RHYTHM_TOLERANCE * exact
    return PurchaseRhythm(
        count=sum(row["n"] for row in per_currency),
        totals={row["currency"]: _cents(row["total"]) for row in per_currency},
        first_date=first,
        last_date=last,
        purchase_days=days,
        average_interval_days=average,
        days_since_last=since,
        expected_next=expected,
        overdue=overdue,
    )
