"""The kanban board of a pipeline: per stage the count, totals and first cards."""

from collections import defaultdict
from dataclasses import dataclass, replace
from decimal import Decimal

from django.db.models import Count, F, Sum, Window
from django.db.models.functions import RowNumber

from clientela.accounts.models import User
from clientela.core.pagination import cursor_for
from clientela.sales.models import Deal, Pipeline, Stage
from clientela.sales.selectors._common import _cents
from clientela.sales.selectors.deals import DEAL_SORTS, DealFilters, _deal_rows, deals_filtered

# The board shows at most this many cards per column; the rest are behind "more".
BOARD_CARDS = 20


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
        if not stage.active and not counts[stage.pk]:
            # A retired stage stays on the board only while deals are still in it.
            continue
        shown = by_stage.get(stage.pk, [])
        more = counts[stage.pk] > len(shown)
        columns.append(
            BoardColumn(
                stage=stage,
                count=counts[stage.pk],
                totals=dict(sorted(totals[stage.pk].items())),
                cards=shown,
                next_cursor=cursor_for(shown[-1], order) if more else None,
            )
        )
    return Board(pipeline=pipeline, columns=columns)
