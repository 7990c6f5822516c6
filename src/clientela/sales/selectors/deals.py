"""Reads of deals: filters, list pages, counts, single deals, trash and search."""

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.search import ranked_ids
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, capped_count, keyset_page
from clientela.sales.models import Deal, DealSearchTerm, StageKind
from clientela.sales.search import deals_matching
from clientela.sales.selectors._common import _sort

# What a list may be sorted by, and the keyset order behind each (the last field is unique).
# "board" is the order of the cards in a column: the latest arrival on top.
DEAL_SORTS = {
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "-updated": ["-updated_at", "-id"],
    "title": ["sort_title", "id"],
    "-title": ["-sort_title", "-id"],
    "-value": ["-value", "-id"],
    "value": ["value", "id"],
    "board": ["-stage_changed_at", "-id"],
}

DEAL_LIST_COLUMNS = [
    "id", "title", "sort_title", "value", "currency", "expected_close", "source", "probability",
    "stage_changed_at", "closed_at", "created_at", "updated_at", "owner_id", "team_id",
    "contact_id", "company_id", "pipeline_id", "stage_id", "lost_reason_id",
    "owner__id", "owner__first_name", "owner__last_name", "owner__username",
    "contact__id", "contact__first_name", "contact__middle_name", "contact__last_name",
    "company__id", "company__name",
    "stage__id", "stage__name", "stage__kind", "stage__pipeline_id", "stage__position",
    "stage__probability", "stage__active",
    "lost_reason__id", "lost_reason__name",
]  # fmt: skip
DEAL_RELATED = ["owner", "contact", "company", "stage", "lost_reason"]


@dataclass(frozen=True)
class DealFilters:
    pipeline: int | None = None
    stage: int | None = None
    owner: int | None = None
    team: int | None = None
    contact: int | None = None
    company: int | None = None
    status: str | None = None  # the kind of the deal's stage: open, won or lost
    q: str = ""
    sort: str = "-created"


def deal_filters_clean(user: User, params: dict[str, Any]) -> DealFilters:
    """Parse deal filters from a query string; unknown values are a ValidationError (HTTP 400)."""
    owner_raw = params.get("owner")
    team_raw = params.get("team")
    status = params.get("status") or None
    if status is not None and status not in StageKind.values:
        allowed = ", ".join(StageKind.values)
        raise ValidationError({"status": [_("Use one of: %(allowed)s.") % {"allowed": allowed}]})
    return DealFilters(
        pipeline=_int_or_error("pipeline", params.get("pipeline")),
        stage=_int_or_error("stage", params.get("stage")),
        owner=user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw),
        team=user.team_id if team_raw == "mine" else _int_or_error("team", team_raw),
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        status=status,
        q=(params.get("q") or "").strip(),
        sort=_sort(params, DEAL_SORTS, "-created"),
    )


def deals_filtered(user: User, filters: DealFilters) -> QuerySet[Deal]:
    queryset: QuerySet[Deal] = Deal.objects.visible_to(user)
    for name in ("pipeline", "stage", "owner", "team", "contact", "company"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.status:
        queryset = queryset.filter(stage__kind=filters.status)
    if filters.q:
        queryset = deals_matching(queryset, filters.q)
    return queryset


def _deal_rows(queryset: QuerySet[Deal]) -> QuerySet[Deal]:
    return queryset.select_related(*DEAL_RELATED).only(*DEAL_LIST_COLUMNS)


def deal_list(
    user: User, filters: DealFilters, *, cursor: str | None = None, size: int | None = None
) -> Page:
    """One page of deals: one query, client, owner and stage joined."""
    return keyset_page(
        _deal_rows(deals_filtered(user, filters)),
        order=DEAL_SORTS[filters.sort],
        cursor=cursor,
        size=size or settings.LIST_PAGE_SIZE,
        gather=bool(filters.q),
    )


def deal_count(user: User, filters: DealFilters) -> tuple[int, bool]:
    return capped_count(deals_filtered(user, filters), settings.LIST_COUNT_CAP)


def deal_get(user: User, pk: Any) -> Deal:
    """A deal the user may see, with its client, owner, pipeline and stage; Http404 otherwise."""
    deal = (
        Deal.objects.visible_to(user)
        .select_related(*DEAL_RELATED, "pipeline")
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if deal is None:
        raise Http404
    return deal


def trashed_deal_get(user: User, pk: Any) -> Deal:
    """A deal in the trash that the user may restore: its own, or any for an administrator."""
    deal = Deal.all_objects.trashed().select_related(*DEAL_RELATED).filter(pk=_int_or_404(pk))
    found = deal.first()
    if found is None or not (user.is_admin or found.owner_id == user.pk):
        raise Http404
    return found


def trash_deals(user: User, limit: int = 200) -> list[Deal]:
    queryset = Deal.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(owner=user)
    return list(queryset.order_by("-deleted_at", "-id")[:limit])


def deals_search(user: User, text: str, *, limit: int = 20) -> list[Deal]:
    """Deals the user may see whose title matches `text`, closest matches first (two queries).

    For the global search box (contacts.selectors.search_everything finds contacts and
    companies; the page that shows all three calls this beside it).
    """
    ids = ranked_ids(DealSearchTerm, "deal_id", Deal.objects.visible_to(user), text, limit)
    if not ids:
        return []
    by_id = {deal.pk: deal for deal in _deal_rows(Deal.objects.filter(pk__in=ids))}
    return [by_id[pk] for pk in ids if pk in by_id]
