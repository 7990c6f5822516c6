"""Every read of complaints, already narrowed to what the reader may see."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.zones import user_zone
from clientela.contacts.models import Company, Contact
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, keyset_page
from clientela.occasions.models import Gesture
from clientela.retention.complaints.models import (
    IS_OPEN,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    Severity,
)
from clientela.retention.complaints.services._common import RELATED
from clientela.sales.models import Deal, Purchase

ORDER = ["deadline", "id"]
STATUS_FILTERS = ["open", "all", *ComplaintStatus.values]
PANEL_ROWS = 5


def _choice(name: str, raw: Any, allowed: list[str], default: str) -> str:
    value = str(raw or default)
    if value not in allowed:
        raise ValidationError(
            {name: [_("Use one of: %(allowed)s.") % {"allowed": ", ".join(allowed)}]}
        )
    return value


@dataclass(frozen=True)
class ComplaintFilters:
    status: str = "open"  # "open" (new or in progress), "all", or one status
    severity: str = ""
    category: str = ""
    overdue: bool = False
    owner: int | None = None
    contact: int | None = None
    company: int | None = None
    deal: int | None = None
    purchase: int | None = None

    @property
    def active(self) -> bool:
        return self != ComplaintFilters()


def complaint_filters_clean(user: User, params: Any) -> ComplaintFilters:
    """Filters from a query string; a bad value is a ValidationError naming the parameter."""
    owner_raw = params.get("owner")
    overdue_raw = str(params.get("overdue") or "").lower()
    if overdue_raw not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ValidationError({"overdue": [_("Enter true or false.")]})
    return ComplaintFilters(
        status=_choice("status", params.get("status"), STATUS_FILTERS, "open"),
        severity=_choice("severity", params.get("severity"), ["", *Severity.values], ""),
        category=_choice("category", params.get("category"), ["", *ComplaintCategory.values], ""),
        overdue=overdue_raw in ("1", "true", "yes"),
        owner=user.pk if owner_raw in ("me", "mine") else _int_or_error("owner", owner_raw),
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        deal=_int_or_error("deal", params.get("deal")),
        purchase=_int_or_error("purchase", params.get("purchase")),
    )


def complaints_filtered(
    user: User, filters: ComplaintFilters, now: datetime.datetime | None = None
) -> QuerySet[Complaint]:
    queryset: QuerySet[Complaint] = Complaint.objects.visible_to(user)
    if filters.status == "open":
        queryset = queryset.filter(IS_OPEN)
    elif filters.status != "all":
        queryset = queryset.filter(status=filters.status)
    if filters.overdue:
        queryset = queryset.filter(IS_OPEN, deadline__lt=now or timezone.now())
    for name in ("severity", "category"):
        if getattr(filters, name):
            queryset = queryset.filter(**{name: getattr(filters, name)})
    for name in ("owner", "contact", "company", "deal", "purchase"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    return queryset


def complaint_list(
    user: User, filters: ComplaintFilters, *, cursor: str | None = None, limit: int | None = None
) -> Page:
    """One page of complaints, soonest deadline first: one query, owner and client joined."""
    return keyset_page(
        complaints_filtered(user, filters).select_related("owner", "contact", "company"),
        order=ORDER,
        cursor=cursor,
        size=limit or settings.LIST_PAGE_SIZE,
    )


def complaint_get(user: User, pk: Any) -> Complaint:
    """A complaint the user may see, not in the trash, with what it links to; else 404."""
    found = (
        Complaint.objects.visible_to(user)
        .select_related(*RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if found is None:
        raise Http404
    return found


def trashed_complaint_get(user: User, pk: Any) -> Complaint:
    """A complaint in the trash that the user may restore: its owner's, or any for an admin."""
    found = (
        Complaint.all_objects.trashed().select_related(*RELATED).filter(pk=_int_or_404(pk)).first()
    )
    if found is None or not (user.is_admin or found.owner_id == user.pk):
        raise Http404
    return found


def trash_complaints(user: User, limit: int = 200) -> list[Complaint]:
    """Trashed complaints the user may restore (see `trashed_complaint_get`), newest first."""
    queryset = Complaint.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(owner=user)
    return list(queryset.order_by("-deleted_at", "-id")[:limit])


@dataclass(frozen=True)
class ClientComplaints:
    open: list[Complaint]
    open_count: int
    overdue_count: int
    total: int


def client_complaints(
    user: User,
    *,
    contact: Contact | None = None,
    company: Company | None = None,
    limit: int = PANEL_ROWS,
) -> ClientComplaints:
    """The client's open complaints the user sees, soonest deadline first, with the counts of
    open, overdue and all its complaints: two queries."""
    queryset = Complaint.objects.visible_to(user)
    queryset = (
        queryset.filter(contact=contact)
        if contact is not None
        else queryset.filter(company=company)
    )
    now = timezone.now()
    counts = queryset.aggregate(
        open=Count("pk", filter=IS_OPEN),
        overdue=Count("pk", filter=IS_OPEN & Q(deadline__lt=now)),
        total=Count("pk"),
    )
    rows = list(queryset.filter(IS_OPEN).select_related("owner").order_by(*ORDER)[:limit])
    return ClientComplaints(
        open=rows,
        open_count=counts["open"],
        overdue_count=counts["overdue"],
        total=counts["total"],
    )


def open_complaint_counts(contact_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """Contact id → (open complaints, overdue ones) for the contacts given: one query.

    Not narrowed by a reader: the caller passes contacts it already shows (rows of a visible
    list); contacts without an open complaint are left out.
    """
    ids = sorted({int(pk) for pk in contact_ids})
    if not ids:
        return {}
    rows = (
        Complaint.objects.filter(IS_OPEN, contact_id__in=ids)
        .values("contact_id")
        .annotate(
            open=Count("pk"),
            late=Count("pk", filter=Q(deadline__lt=timezone.now())),
        )
        .order_by()
    )
    return {
        row["contact_id"]: (row["open"], row["late"])
        for row in rows.values("contact_id", "open", "late")
    }


def complaint_summary(user: User) -> dict[str, int]:
    """What the home page tells of the complaints the user sees: `open`, `overdue` (open and
    past the deadline) and `new_today` (received since the start of the user's day); one query.
    """
    now = timezone.now()
    local = timezone.localtime(now, user_zone(user))
    day_start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    counts = Complaint.objects.visible_to(user).aggregate(
        open=Count("pk", filter=IS_OPEN),
        overdue=Count("pk", filter=IS_OPEN & Q(deadline__lt=now)),
        new_today=Count("pk", filter=Q(received_at__gte=day_start)),
    )
    return {key: int(counts[key] or 0) for key in ("open", "overdue", "new_today")}


def client_deals_for_complaint(user: User, complaint_client: Contact | Company) -> list[Deal]:
    """The client's deals the user sees, newest first (the choices of a complaint's form)."""
    field = "contact" if isinstance(complaint_client, Contact) else "company"
    return list(
        Deal.objects.visible_to(user)
        .filter(**{field: complaint_client})
        .order_by("-created_at", "-id")[:50]
    )


def client_purchases_for_complaint(
    user: User, complaint_client: Contact | Company
) -> list[Purchase]:
    field = "contact" if isinstance(complaint_client, Contact) else "company"
    return list(
        Purchase.objects.visible_to(user)
        .filter(**{field: complaint_client})
        .order_by("-date", "-id")[:50]
    )


def client_gestures_for_complaint(user: User, complaint: Complaint) -> list[Gesture]:
    """Gestures of the complaint's client the user sees, the ones a compensation may link."""
    condition = Q()
    if complaint.contact_id:
        condition |= Q(contact_id=complaint.contact_id)
    if complaint.company_id:
        condition |= Q(company_id=complaint.company_id)
    return list(Gesture.objects.visible_to(user).filter(condition).order_by("-date", "-id")[:50])
