"""Time in stage: the stages a deal went through, and the average stay per stage."""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import Lead
from django.utils import timezone

from clientela.accounts.models import User
from clientela.sales.models import Deal, DealStageChange, Pipeline, Stage


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
