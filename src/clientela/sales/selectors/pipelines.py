"""Reads of pipelines with their stages, and of the lost reasons."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from clientela.sales.models import LostReason, Pipeline, Stage
from clientela.sales.selectors._common import _int_or_404


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
