"""Reports of the sales process: how long deals stay in each stage."""

import datetime

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from clientela.contacts.views.common import current_user
from clientela.sales import selectors


def spent_text(spent: datetime.timedelta | None) -> str:
    """An average stay as a person says it: in days, or hours, or minutes when shorter."""
    if spent is None:
        return "—"
    if spent.days:
        return ngettext("%(count)d day", "%(count)d days", spent.days) % {"count": spent.days}
    hours, minutes = spent.seconds // 3600, spent.seconds // 60
    if hours:
        return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@login_required
@require_GET
def stage_times(request: HttpRequest) -> HttpResponse:
    """For each stage of a pipeline, how long the deals the user sees stayed in it."""
    user = current_user(request)
    pipelines = list(selectors.pipelines_all())
    wanted = request.GET.get("pipeline")
    if wanted:
        pipeline = next((p for p in pipelines if str(p.pk) == wanted), None)
        if pipeline is None:
            raise Http404
    else:
        pipeline = next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)
    rows = []
    if pipeline is not None:
        times = selectors.pipeline_stage_times(user, pipeline)
        rows = [
            (stage, times[stage.pk].deals, spent_text(times[stage.pk].average))
            for stage in pipeline.stages.all()
            if not stage.is_closed
        ]
    return render(
        request,
        "sales/stage_times.html",
        {"pipelines": pipelines, "pipeline": pipeline, "rows": rows},
    )
