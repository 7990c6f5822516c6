"""Every read of pipelines, deals and purchases, already narrowed to what the user may see."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Max, Min, Prefetch, QuerySet, Sum, Window
from django.db.models.functions import Lead, RowNumber
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.contacts.search import ranked_ids
from clientela.core.pagination import Page, _encode, _key, capped_count, keyset_page
from clientela.sales.models import (
    Deal,
    DealSearchTerm,
    DealStageChange,
    LostReason,
    Pipeline,
    Purchase,
    Stage,
    StageKind,
)
from clientela.sales.search import deals_matching

# What a list may be sorted by, and the keyset order behind each (the last field is unique).
# "board" is the order of the cards in a column: the latest arrival on top.
DEAL_SORTS = {
    "-created": ["-created_at", "-id"],
    "created": ["created_at", "id"],
    "-updated": ["-updated_at", "-id"],
    "title": ["sort_title", "id"],
    "-title": ["-sort_title", "-id"],
    "board": ["-stage_changed_at", "-id"],
}
PURCHASE_SORTS = {
    "-date": ["-date", "-id"],
    "date": ["date", "id"],
    "-created": ["-created_at", "-id"],
}

DEAL_LIST_COLUMNS = [
    "id", "title", "sort_title", "value", "currency", "expected_close", "source", "probability",
    "stage_changed_at", "closed_at", "created_at", "updated_at", "owner_id", "team_id",
    "contact_id", "company_id", "pipeline_id", "stage_id", "lost_reason_id",
    "owner__id", "owner__first_name", "owner__last_name", "owner__username",
    "contact__id", "contact__first_name", "contact__middle_name", "contact__last_name",
    "company__id", "company__name",
    "stage__id", "stage__name", "stage__kind", "stage__pipeline_id", "stage__position",
    "stage__probability",
    "lost_reason__id", "lost_reason__name",
]  # fmt: skip
DEAL_RELATED = ["owner", "contact", "company", "stage", "lost_reason"]
PURCHASE_RELATED = ["owner", "contact", "company", "deal"]

# The board shows at most this many cards per column; the rest are behind "more".
BOARD_CARDS = 20

# Repeat purchases: a client with at least RHYTHM_MIN_DATES purchase days has a rhythm, and is
# overdue when the days since the last purchase exceed RHYTHM_TOLERANCE × its average interval.
RHYTHM_MIN_DATES = 3
RHYTHM_TOLERANCE = Decimal("1.5")

_MAX_ID = 2**63 - 1


def _int_or_error(name: str, raw: Any) -> int | None:
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= _MAX_ID:
        raise ValidationError({name: [_("“%(value)s” is not a valid id.") % {"value": raw}]})
    return value


def _int_or_404(pk: Any) -> int:
    try:
        value = int(pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    if not 1 <= value <= _MAX_ID:
        raise Http404
    return value


def _cents(value: Any) -> Decimal:
    # SQLite sums decimals without their scale (30 for 30.00): give every sum two places.
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _sort(params: dict[str, Any], sorts: dict[str, list[str]], default: str) -> str:
    sort = params.get("sort") or default
    if sort not in sorts:
        raise ValidationError(
            {"sort": [_("Sort by one of: %(allowed)s.") % {"allowed": ", ".join(sorts)}]}
        )
    return str(sort)


# --- pipelines --------------------------------------------------------------------------------


def pipelines_all() -> QuerySet[Pipeline]:
    """Every pipeline with its stages in order (two queries); pipelines are seen by everyone."""
    return Pipeline.objects.order_by("position", "id").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position", "id"))
    )


def pipeline_get(pk: Any) -> Pipeline:
    pipeline = pipelines_all().filter(pk=_int_or_404(pk)).first()
    if pipeline is None:
        raise Http404
    return pipeline


def lost_reasons_active() -> QuerySet[LostReason]:
    return LostReason.objects.filter(active=True).order_by("position", "name")


# --- deals ------------------------------------------------------------------------------------


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


# --- the board --------------------------------------------------------------------------------


@dataclass(frozen=True)
class BoardColumn:
    stage: Stage
    count: int
    totals: dict[str, Decimal]  # the sum of the deals' values per currency
    cards: list[Deal]
    next_cursor: str | None  # for "more": GET deals?stage=…&sort=board&cursor=…

    @property
    def more(self) -> bool:
        return self.count > len(self.cards)


@dataclass(frozen=True)
class Board:
    pipeline: Pipeline
    columns: list[BoardColumn]


def board(
    user: User, pipeline: Pipeline, filters: DealFilters | None = None, *, cards: int = BOARD_CARDS
) -> Board:
    """The kanban of `pipeline`: per stage the count, the sum per currency and the first cards.

    Two queries whatever the number of stages and deals (the pipeline's stages come with the
    pipeline from `pipeline_get`): one aggregate grouped by stage and currency, and one for the
    cards, numbered per stage by a window function and cut at `cards` per column.
    `filters` narrow the deals (owner, team, client, text); their pipeline and stage are ignored.
    """
    cards = max(1, min(cards, 100))
    base = deals_filtered(user, replace(filters or DealFilters(), pipeline=pipeline.pk, stage=None))
    counts: dict[int, int] = defaultdict(int)
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    grouped = (
        base.order_by()
        .values("stage_id", "currency")
        .annotate(deals=Count("id"), total=Sum("value"))
    )
    for row in grouped:
        counts[row["stage_id"]] += row["deals"]
        totals[row["stage_id"]][row["currency"]] = _cents(row["total"])
    order = DEAL_SORTS["board"]
    ranked = _deal_rows(base).annotate(
        place=Window(
            RowNumber(),
            partition_by=[F("stage_id")],
            order_by=[F("stage_changed_at").desc(), F("id").desc()],
        )
    )
    by_stage: dict[int, list[Deal]] = defaultdict(list)
    for deal in ranked.filter(place__lte=cards).order_by("stage_id", "place"):
        by_stage[deal.stage_id].append(deal)
    columns = []
    for stage in pipeline.stages.all():
        shown = by_stage.get(stage.pk, [])
        more = counts[stage.pk] > len(shown)
        columns.append(
            BoardColumn(
                stage=stage,
                count=counts[stage.pk],
                totals=dict(sorted(totals[stage.pk].items())),
                cards=shown,
                next_cursor=_encode(_key(shown[-1], order), False, order) if more else None,
            )
        )
    return Board(pipeline=pipeline, columns=columns)


# --- time in stage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StageSpan:
    stage: Stage
    entered_at: datetime.datetime
    left_at: datetime.datetime | None  # None: the deal is still there
    actor: User | None
    duration: datetime.timedelta  # up to now for the current stage


def deal_stage_history(deal: Deal, *, now: datetime.datetime | None = None) -> list[StageSpan]:
    """The stages `deal` went through, oldest first, with the time spent in each (one query).

    `deal` comes from `deal_get`, so the caller has already been allowed to see it.
    """
    now = now or timezone.now()
    changes = (
        DealStageChange.objects.filter(deal=deal)
        .select_related("to_stage", "actor")
        .annotate(left_at=Window(Lead("at"), order_by=[F("at").asc(), F("id").asc()]))
        .order_by("at", "id")
    )
    return [
        StageSpan(
            stage=change.to_stage,
            entered_at=change.at,
            left_at=change.left_at,
            actor=change.actor,
            duration=(change.left_at or now) - change.at,
        )
        for change in changes
    ]


@dataclass(frozen=True)
class StageTime:
    stage_id: int
    deals: int  # how many stays in the stage have ended
    average: datetime.timedelta | None


def pipeline_stage_times(user: User, pipeline: Pipeline) -> dict[int, StageTime]:
    """The average time the deals the user sees spent in each stage of `pipeline` (one query).

    Only finished stays count (the deal has moved on): a deal still in a stage would pull the
    average down the younger it is.
    """
    visible = Deal.objects.visible_to(user).filter(pipeline=pipeline).values("pk")
    rows = (
        DealStageChange.objects.filter(deal__in=visible)
        .annotate(
            left_at=Window(
                Lead("at"), partition_by=[F("deal_id")], order_by=[F("at").asc(), F("id").asc()]
            )
        )
        .values_list("to_stage_id", "at", "left_at")
    )
    spent: dict[int, list[datetime.timedelta]] = defaultdict(list)
    for stage_id, entered, left in rows:
        if left is not None:
            spent[stage_id].append(left - entered)
    return {
        stage.pk: StageTime(
            stage_id=stage.pk,
            deals=len(spent[stage.pk]),
            average=(
                sum(spent[stage.pk], datetime.timedelta()) / len(spent[stage.pk])
                if spent[stage.pk]
                else None
            ),
        )
        for stage in pipeline.stages.all()
    }


# --- purchases --------------------------------------------------------------------------------


@dataclass(frozen=True)
class PurchaseFilters:
    contact: int | None = None
    company: int | None = None
    deal: int | None = None
    owner: int | None = None
    sort: str = "-date"


def purchase_filters_clean(user: User, params: dict[str, Any]) -> PurchaseFilters:
    owner_raw = params.get("owner")
    return PurchaseFilters(
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        deal=_int_or_error("deal", params.get("deal")),
        owner=user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw),
        sort=_sort(params, PURCHASE_SORTS, "-date"),
    )


def purchases_filtered(user: User, filters: PurchaseFilters) -> QuerySet[Purchase]:
    queryset: QuerySet[Purchase] = Purchase.objects.visible_to(user)
    for name in ("contact", "company", "deal", "owner"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
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
