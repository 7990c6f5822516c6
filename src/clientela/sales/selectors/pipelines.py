"""Reads of pipelines with their stages, and of the lost reasons."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from clientela.accounts.models import User
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.sales.models import Deal, LostReason, Pipeline, Stage


def pipelines_all() -> QuerySet[Pipeline]:
    """Every pipeline with its stages in order (two queries); pipelines are seen by everyone.

    Inactive pipelines and stages are included: their deals are still shown. What is offered
    for new deals and moves is `pipelines_active()` and the stages whose `active` is true.
    """
    return Pipeline.objects.order_by("position", "id").prefetch_related(
        Prefetch("stages", queryset=Stage.objects.order_by("position", "id"))
    )


def pipelines_active() -> QuerySet[Pipeline]:
    """The pipelines new deals may go to, each with only its active stages (two queries)."""
    return (
        Pipeline.objects.filter(active=True)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch(
                "stages", queryset=Stage.objects.filter(active=True).order_by("position", "id")
            )
        )
    )


def pipeline_get(pk: Any) -> Pipeline:
    pipeline = pipelines_all().filter(pk=_int_or_404(pk)).first()
    if pipeline is None:
        raise Http404
    return pipeline


def stage_get(pk: Any) -> Stage:
    """A stage with its pipeline; Http404 if there is none."""
    stage = Stage.objects.select_related("pipeline").filter(pk=_int_or_404(pk)).first()
    if stage is None:
        raise Http404
    return stage


def stage_deal_counts(user: User, pipeline: Pipeline) -> dict[int, int]:
    """How many deals the user sees in each stage of `pipeline` (one query; empty stages absent)."""
    rows = (
        Deal.objects.visible_to(user)
        .filter(pipeline=pipeline)
        .order_by()
        .values("stage_id")
        .annotate(deals=Count("id"))
    )
    return {row["stage_id"]: row["deals"] for row in rows}


def lost_reasons_active() -> QuerySet[LostReason]:
    return LostReason.objects.filter(active=True).order_by("position", "name")


def lost_reasons_all() -> QuerySet[LostReason]:
    """Every lost reason, offered or not, in the order they are offered."""
    return LostReason.objects.order_by("position", "name", "id")


def lost_reason_get(pk: Any) -> LostReason:
    reason = LostReason.objects.filter(pk=_int_or_404(pk)).first()
    if reason is None:
        raise Http404
    return reason
