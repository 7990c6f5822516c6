"""Reads of gestures: the list with its filters, one gesture, a client's panel and the report.

Every read starts from `Gesture.objects.visible_to(user)`: a manager sees the gestures for
their own clients, a lead the team's, an administrator all. The report is aggregated in the
database (GROUP BY kind, manager, client and currency) in a fixed number of queries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.pagination import Page, keyset_page
from clientela.occasions.models import Gesture, GestureKind

GESTURE_ORDER = ["-date", "-id"]
GESTURE_RELATED = ["contact", "company", "user", "occasion"]
# A response that says the gesture worked.
POSITIVE_RESPONSES = (
    Gesture.Response.THANKED,
    Gesture.Response.PLEASED,
    Gesture.Response.BOUGHT,
)
REPORT_TOP_CLIENTS = 20
CENT = Decimal("0.01")


def _cents(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(CENT)


def _int_or_error(name: str, raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except (TypeError, ValueError):
        raise ValidationError({name: [_("Enter a whole number.")]}) from None


def _date_or_error(name: str, raw: Any) -> datetime.date | None:
    if raw in (None, ""):
        return None
    if isinstance(raw, datetime.date):
        return raw
    try:
        return datetime.date.fromisoformat(str(raw))
    except ValueError:
        raise ValidationError({name: [_("Enter a date as YYYY-MM-DD.")]}) from None


@dataclass(frozen=True)
class GestureFilters:
    kind: str = ""
    status: str = ""
    owner: int | None = None
    contact: int | None = None
    company: int | None = None
    date_from: datetime.date | None = None  # both ends included
    date_to: datetime.date | None = None

    @property
    def active(self) -> bool:
        return any(
            (
                self.kind,
                self.status,
                self.owner is not None,
                self.contact is not None,
                self.company is not None,
                self.date_from,
                self.date_to,
            )
        )


def gesture_filters_clean(user: User, params: Any) -> GestureFilters:
    """Filters from a query string; a bad value is a ValidationError naming it."""
    kind = str(params.get("kind") or "")
    if kind and kind not in GestureKind.values:
        raise ValidationError(
            {"kind": [_("“%(value)s” is not one of the choices.") % {"value": kind}]}
        )
    status = str(params.get("status") or "")
    if status and status not in Gesture.Status.values:
        raise ValidationError(
            {"status": [_("“%(value)s” is not one of the choices.") % {"value": status}]}
        )
    owner_raw = params.get("owner")
    date_from = _date_or_error("date_from", params.get("date_from"))
    date_to = _date_or_error("date_to", params.get("date_to"))
    if date_from and date_to and date_to < date_from:
        raise ValidationError({"date_to": [_("The end of the period is before its start.")]})
    return GestureFilters(
        kind=kind,
        status=status,
        owner=user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw),
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        date_from=date_from,
        date_to=date_to,
    )


def gestures_filtered(user: User, filters: GestureFilters) -> QuerySet[Gesture]:
    queryset: QuerySet[Gesture] = Gesture.objects.visible_to(user)
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    for name in ("owner", "contact", "company"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.date_from is not None:
        queryset = queryset.filter(date__gte=filters.date_from)
    if filters.date_to is not None:
        queryset = queryset.filter(date__lte=filters.date_to)
    return queryset


def gesture_list(
    user: User, filters: GestureFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    """One page of gestures, newest first: one query, client, occasion and doer joined."""
    return keyset_page(
        gestures_filtered(user, filters).select_related(*GESTURE_RELATED),
        order=GESTURE_ORDER,
        cursor=cursor,
        size=size or settings.LIST_PAGE_SIZE,
    )


def gesture_get(user: User, pk: Any) -> Gesture:
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    gesture = (
        Gesture.objects.visible_to(user).select_related(*GESTURE_RELATED).filter(pk=key).first()
    )
    if gesture is None:
        raise Http404
    return gesture


@dataclass(frozen=True)
class ClientGestures:
    recent: list[Gesture]
    count: int
    spent: dict[str, Decimal] = field(default_factory=dict)  # done gestures, per currency


def client_gestures(
    user: User, *, contact: Contact | None = None, company: Company | None = None, limit: int = 5
) -> ClientGestures:
    """The client's latest gestures and what the done ones cost, per currency (two queries)."""
    if (contact is None) == (company is None):
        raise ValueError("give a contact or a company")
    client = {"contact": contact} if contact is not None else {"company": company}
    gestures = Gesture.objects.visible_to(user).filter(**client)
    per_currency = list(
        gestures.order_by()
        .values("currency")
        .annotate(n=Count("id"), spent=Sum("cost", filter=Q(status=Gesture.Status.DONE)))
        .order_by("currency")
    )
    count = sum(row["n"] for row in per_currency)
    recent = (
        list(gestures.select_related("user", "occasion").order_by("-date", "-id")[:limit])
        if count
        else []
    )
    return ClientGestures(
        recent=recent,
        count=count,
        spent={row["currency"]: _cents(row["spent"]) for row in per_currency if row["spent"]},
    )


# --- the report -----------------------------------------------------------------------------


@dataclass
class KindRow:
    kind: str
    label: str
    done: int = 0
    planned: int = 0
    cancelled: int = 0
    positive: int = 0
    spent: dict[str, Decimal] = field(default_factory=dict)

    @property
    def response_rate(self) -> Decimal | None:
        """The share of done gestures with a positive response, in per cent (None: none done)."""
        if not self.done:
            return None
        return (Decimal(self.positive * 100) / self.done).quantize(Decimal("0.1"))


@dataclass
class ManagerRow:
    user_id: int
    name: str
    done: int = 0
    spent: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True)
class ClientRow:
    contact_id: int | None
    company_id: int | None
    name: str
    currency: str
    done: int
    spent: Decimal


@dataclass(frozen=True)
class GestureReport:
    date_from: datetime.date
    date_to: datetime.date
    by_kind: list[KindRow]
    by_manager: list[ManagerRow]
    top_clients: list[ClientRow]
    spent: dict[str, Decimal]
    done: int


def report_period_clean(
    params: Any, *, today: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """The report's period from `date_from`/`date_to`; by default this calendar year."""
    today = today or timezone.localdate()
    date_from = _date_or_error("date_from", params.get("date_from")) or today.replace(
        month=1, day=1
    )
    date_to = _date_or_error("date_to", params.get("date_to")) or today.replace(month=12, day=31)
    if date_to < date_from:
        raise ValidationError({"date_to": [_("The end of the period is before its start.")]})
    return date_from, date_to


def _user_name(row: dict[str, Any]) -> str:
    name = f"{row['user__first_name']} {row['user__last_name']}".strip()
    return name or row["user__username"]


def _client_name(row: dict[str, Any]) -> str:
    if row["contact_id"]:
        name = f"{row['contact__first_name']} {row['contact__last_name']}".strip()
        return name or f"#{row['contact_id']}"
    return row["company__name"] or f"#{row['company_id']}"


def gesture_report(
    user: User, *, date_from: datetime.date, date_to: datetime.date
) -> GestureReport:
    """Gestures of the period the user sees, by kind, by manager (who did them) and by client.

    Three grouped queries, whatever the number of gestures. Costs are what the done gestures
    cost, summed per currency (never converted); the response rate of a kind is the share of
    its done gestures whose response was positive (thanked, pleased, bought again).
    """
    period = Gesture.objects.visible_to(user).filter(date__gte=date_from, date__lte=date_to)
    is_done = Q(status=Gesture.Status.DONE)

    kinds = {kind: KindRow(kind=kind, label=str(label)) for kind, label in GestureKind.choices}
    spent: dict[str, Decimal] = defaultdict(Decimal)
    done_total = 0
    for row in (
        period.order_by()
        .values("kind", "status", "currency")
        .annotate(
            n=Count("id"),
            cost=Sum("cost"),
            positive=Count("id", filter=Q(response__in=POSITIVE_RESPONSES)),
        )
    ):
        kind = row["kind"]
        kind_row = kinds.setdefault(kind, KindRow(kind=kind, label=kind))
        status = row["status"]
        if status == Gesture.Status.DONE:
            kind_row.done += row["n"]
            kind_row.positive += row["positive"]
            done_total += row["n"]
            if row["cost"]:
                kind_row.spent[row["currency"]] = _cents(
                    kind_row.spent.get(row["currency"], Decimal(0)) + row["cost"]
                )
                spent[row["currency"]] += row["cost"]
        elif status == Gesture.Status.PLANNED:
            kind_row.planned += row["n"]
        else:
            kind_row.cancelled += row["n"]
    by_kind = [row for row in kinds.values() if row.done or row.planned or row.cancelled]
    for kind_row in by_kind:
        kind_row.spent = dict(sorted(kind_row.spent.items()))

    managers: dict[int, ManagerRow] = {}
    for row in (
        period.filter(is_done)
        .order_by()
        .values("user_id", "user__first_name", "user__last_name", "user__username", "currency")
        .annotate(n=Count("id"), cost=Sum("cost"))
    ):
        manager = managers.setdefault(
            row["user_id"], ManagerRow(user_id=row["user_id"], name=_user_name(row))
        )
        manager.done += row["n"]
        if row["cost"]:
            manager.spent[row["currency"]] = _cents(row["cost"])
    by_manager = sorted(managers.values(), key=lambda m: (-m.done, m.name))
    for manager in by_manager:
        manager.spent = dict(sorted(manager.spent.items()))

    top_clients = [
        ClientRow(
            contact_id=row["contact_id"],
            company_id=row["company_id"],
            name=_client_name(row),
            currency=row["currency"],
            done=row["n"],
            spent=_cents(row["cost"]),
        )
        for row in period.filter(is_done)
        .order_by()
        .values(
            "contact_id",
            "company_id",
            "contact__first_name",
            "contact__last_name",
            "company__name",
            "currency",
        )
        .annotate(n=Count("id"), cost=Sum("cost"))
        .order_by("-cost", "-n", "contact_id", "company_id")[:REPORT_TOP_CLIENTS]
    ]
    return GestureReport(
        date_from=date_from,
        date_to=date_to,
        by_kind=by_kind,
        by_manager=by_manager,
        top_clients=top_clients,
        spent={currency: _cents(total) for currency, total in sorted(spent.items())},
        done=done_total,
    )
