"""Settings pages of the sales pipelines, their stages and the lost reasons (administrators only).

Every page answers 403 to anyone but an administrator. Changes that are refused (the last open
stage, a stage that still holds open deals, …) come back as a message on the page they were
made from, saying why.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.accounts.models import User
from clientela.contacts.views.common import current_user, is_htmx
from clientela.sales import selectors, services
from clientela.sales.forms_pipelines import LostReasonForm, PipelineForm, StageForm
from clientela.sales.models import Pipeline, StageKind


def _admin(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator configures pipelines."))
    return user


def _refused(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _direction(request: HttpRequest) -> Any:
    return request.POST.get("direction", "")


def _active(request: HttpRequest) -> bool:
    return request.POST.get("active") == "1"


# --- pipelines ----------------------------------------------------------------------------


def _list_page(request: HttpRequest, form: PipelineForm | None = None) -> HttpResponse:
    pipelines = list(selectors.pipelines_all())
    return render(
        request,
        "sales/pipeline_list.html",
        {"pipelines": pipelines, "form": form or PipelineForm(), "last": len(pipelines) - 1},
    )


@login_required
def pipeline_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _list_page(request)


@login_required
@require_POST
def pipeline_create(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = PipelineForm(request.POST)
    if form.is_valid():
        try:
            pipeline = services.pipeline_create(actor=user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Pipeline “%(name)s” created; add its stages now.") % {"name": pipeline},
            )
            return redirect("sales:pipeline_detail", pk=pipeline.pk)
    return _list_page(request, form)


def _detail_page(
    request: HttpRequest,
    pipeline: Pipeline,
    *,
    rename_form: PipelineForm | None = None,
    stage_form: StageForm | None = None,
) -> HttpResponse:
    user = current_user(request)
    stages = list(pipeline.stages.all())
    deals = selectors.stage_deal_counts(user, pipeline)
    kinds = {stage.kind for stage in stages if stage.active}
    return render(
        request,
        "sales/pipeline_detail.html",
        {
            "pipeline": pipeline,
            "needs_open": StageKind.OPEN not in kinds,
            "needs_won": StageKind.WON not in kinds,
            "rows": [(stage, deals.get(stage.pk, 0)) for stage in stages],
            "last": len(stages) - 1,
            "rename_form": rename_form or PipelineForm(initial={"name": pipeline.name}),
            "stage_form": stage_form or StageForm(),
        },
    )


@login_required
def pipeline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _admin(request)
    return _detail_page(request, selectors.pipeline_get(pk))


@login_required
@require_POST
def pipeline_rename(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    form = PipelineForm(request.POST)
    if form.is_valid():
        try:
            services.pipeline_update(actor=user, pipeline=pipeline, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Pipeline renamed."))
            return redirect("sales:pipeline_detail", pk=pipeline.pk)
    return _detail_page(request, pipeline, rename_form=form)


@login_required
@require_POST
def pipeline_default(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    try:
        services.pipeline_make_default(actor=user, pipeline=pipeline)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request, _("New deals now go to the pipeline “%(name)s”.") % {"name": pipeline}
        )
    return redirect("sales:pipeline_detail", pk=pipeline.pk)


@login_required
@require_POST
def pipeline_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    active = _active(request)
    try:
        services.pipeline_set_active(actor=user, pipeline=pipeline, active=active)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Pipeline “%(name)s” is in use again.") % {"name": pipeline}
            if active
            else _("Pipeline “%(name)s” is retired: it is not offered for new deals.")
            % {"name": pipeline},
        )
    return redirect("sales:pipeline_detail", pk=pipeline.pk)


@login_required
@require_POST
def pipeline_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    try:
        services.pipeline_move(actor=user, pipeline=pipeline, direction=_direction(request))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("sales:pipeline_list")


# --- stages -------------------------------------------------------------------------------


@login_required
@require_POST
def stage_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    form = StageForm(request.POST)
    if form.is_valid():
        try:
            stage = services.stage_create(actor=user, pipeline=pipeline, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Stage “%(name)s” added.") % {"name": stage})
            return redirect(reverse("sales:pipeline_detail", args=[pipeline.pk]) + "#stages")
    return _detail_page(request, pipeline, stage_form=form)


@login_required
@require_POST
def stages_reorder(request: HttpRequest, pk: int) -> HttpResponse:
    """Put the stages in the order of the posted `stage` ids (the drag-and-drop of the page)."""
    user = _admin(request)
    pipeline = selectors.pipeline_get(pk)
    try:
        ids = [int(value) for value in request.POST.getlist("stage")]
        services.stages_reorder(actor=user, pipeline=pipeline, ids=ids)
    except ValueError:
        messages.error(request, _("Give every stage of the pipeline once, in the new order."))
    except ValidationError as exc:
        _refused(request, exc)
    if is_htmx(request):
        return HttpResponse(status=204)
    return redirect(reverse("sales:pipeline_detail", args=[pipeline.pk]) + "#stages")


@login_required
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    stage = selectors.stage_get(pk)
    if request.method != "POST":
        form = StageForm(stage=stage)
    else:
        form = StageForm(request.POST, stage=stage)
        if form.is_valid():
            try:
                services.stage_update(actor=user, stage=stage, data=form.service_data())
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Stage saved."))
                return redirect(
                    reverse("sales:pipeline_detail", args=[stage.pipeline_id]) + "#stages"
                )
    return render(request, "sales/pipeline_stage_form.html", {"stage": stage, "form": form})


@login_required
@require_POST
def stage_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    stage = selectors.stage_get(pk)
    active = _active(request)
    try:
        services.stage_set_active(actor=user, stage=stage, active=active)
    except ValidationError as exc:
        _refused(request, exc)
    else:
        messages.success(
            request,
            _("Stage “%(name)s” is in use again.") % {"name": stage}
            if active
            else _("Stage “%(name)s” is retired: it is no longer offered for moves.")
            % {"name": stage},
        )
    return redirect(reverse("sales:pipeline_detail", args=[stage.pipeline_id]) + "#stages")


@login_required
@require_POST
def stage_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    stage = selectors.stage_get(pk)
    try:
        services.stage_move(actor=user, stage=stage, direction=_direction(request))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect(reverse("sales:pipeline_detail", args=[stage.pipeline_id]) + "#stages")


# --- lost reasons -------------------------------------------------------------------------


def _reasons_page(request: HttpRequest, form: LostReasonForm | None = None) -> HttpResponse:
    reasons = list(selectors.lost_reasons_all())
    return render(
        request,
        "sales/lost_reason_list.html",
        {"reasons": reasons, "form": form or LostReasonForm(), "last": len(reasons) - 1},
    )


@login_required
def lost_reason_list(request: HttpRequest) -> HttpResponse:
    _admin(request)
    return _reasons_page(request)


@login_required
@require_POST
def lost_reason_create(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = LostReasonForm(request.POST)
    if form.is_valid():
        try:
            reason = services.lost_reason_create(actor=user, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Lost reason “%(name)s” added.") % {"name": reason})
            return redirect("sales:lost_reason_list")
    return _reasons_page(request, form)


@login_required
def lost_reason_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    reason = selectors.lost_reason_get(pk)
    if request.method != "POST":
        form = LostReasonForm(initial={"name": reason.name})
    else:
        form = LostReasonForm(request.POST)
        if form.is_valid():
            try:
                services.lost_reason_update(
                    actor=user, reason=reason, name=form.cleaned_data["name"]
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Lost reason saved."))
                return redirect("sales:lost_reason_list")
    return render(request, "sales/lost_reason_form.html", {"reason": reason, "form": form})


@login_required
@require_POST
def lost_reason_active(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    reason = selectors.lost_reason_get(pk)
    active = _active(request)
    services.lost_reason_set_active(actor=user, reason=reason, active=active)
    messages.success(
        request,
        _("“%(name)s” is offered again for lost deals.") % {"name": reason}
        if active
        else _("“%(name)s” is no longer offered; deals lost for it keep it.") % {"name": reason},
    )
    return redirect("sales:lost_reason_list")


@login_required
@require_POST
def lost_reason_move(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    reason = selectors.lost_reason_get(pk)
    try:
        services.lost_reason_move(actor=user, reason=reason, direction=_direction(request))
    except ValidationError as exc:
        _refused(request, exc)
    return redirect("sales:lost_reason_list")
