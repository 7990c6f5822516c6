"""Experiment pages: the list, create/edit a draft, start (after seeing how many clients are
eligible), finish, and the results. Leads and administrators run experiments; managers see
those that touch their clients; viewers read."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clientela.accounts.models import User
from clientela.contacts.selectors import tags_all
from clientela.contacts.views.common import current_user, parse_expected_updated_at
from clientela.contacts.views.records import owners_for
from clientela.core.errors import EditConflict
from clientela.retention.experiments import selectors, services
from clientela.retention.experiments.forms import (
    ExperimentForm,
    add_service_errors,
    arm_formset,
    arms_data,
)
from clientela.retention.experiments.models import Experiment
from clientela.retention.experiments.results import experiment_results


def _require_runner(user: User) -> None:
    if not selectors.can_run_experiments(user):
        raise PermissionDenied(_("Only team leads and administrators run experiments."))


@login_required
def experiment_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    return render(
        request,
        "experiments/experiment_list.html",
        {
            "experiments": selectors.experiment_list(user),
            "can_run": selectors.can_run_experiments(user),
        },
    )


@login_required
def experiment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The setup and the results: per-arm rates, costs, each arm against the control."""
    user = current_user(request)
    experiment = selectors.experiment_get(user, pk)
    return render(
        request,
        "experiments/experiment_detail.html",
        {
            "experiment": experiment,
            "results": experiment_results(experiment),
            "filters": selectors.filter_labels(user, experiment),
            "can_run": selectors.can_run_experiments(user),
        },
    )


def _form_page(
    request: HttpRequest,
    user: User,
    form: ExperimentForm,
    formset: Any,
    experiment: Experiment | None,
    *,
    version: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "experiments/experiment_form.html",
        {
            "form": form,
            "formset": formset,
            "experiment": experiment,
            "version": version,
            "cancel_url": reverse("experiments:detail", args=[experiment.pk])
            if experiment
            else reverse("experiments:list"),
        },
        status=status,
    )


def _forms(request: HttpRequest, user: User, experiment: Experiment | None) -> tuple[Any, Any]:
    choices: dict[str, Any] = {"tags": list(tags_all()), "owners": owners_for(user), "user": user}
    templates = selectors.greeting_templates_in_use()
    if request.method == "POST":
        return ExperimentForm(request.POST, **choices), arm_formset(
            request.POST, templates=templates
        )
    if experiment is None:
        return ExperimentForm(**choices), arm_formset(templates=templates, new=True)
    return (
        ExperimentForm(initial=ExperimentForm.initial_of(experiment), **choices),
        arm_formset(templates=templates, arms=list(experiment.arms.all())),
    )


@login_required
@require_http_methods(["GET", "POST"])
def experiment_create(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    _require_runner(user)
    form, formset = _forms(request, user, None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows, where = arms_data(formset)
        try:
            experiment = services.experiment_create(
                actor=user, data={**form.service_data(), "arms": rows}
            )
        except ValidationError as exc:
            add_service_errors(form, formset, where, exc)
        else:
            messages.success(
                request, _("Experiment saved as a draft: %(name)s.") % {"name": experiment}
            )
            return redirect("experiments:detail", experiment.pk)
    return _form_page(request, user, form, formset, None)


@login_required
@require_http_methods(["GET", "POST"])
def experiment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a draft; a started experiment cannot change (its results depend on the setup)."""
    user = current_user(request)
    experiment = selectors.experiment_get(user, pk)
    _require_runner(user)
    if experiment.status != Experiment.Status.DRAFT:
        messages.error(request, _("Only a draft can be changed: this experiment has started."))
        return redirect("experiments:detail", experiment.pk)
    form, formset = _forms(request, user, experiment)
    version = request.POST.get("expected_updated_at") or experiment.updated_at.isoformat()
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        rows, where = arms_data(formset)
        try:
            expected = parse_expected_updated_at(request.POST.get("expected_updated_at"))
            experiment = services.experiment_update(
                actor=user,
                experiment=experiment,
                data={**form.service_data(), "arms": rows},
                expected_updated_at=expected,
            )
        except ValidationError as exc:
            add_service_errors(form, formset, where, exc)
        except EditConflict as exc:
            form.add_error(None, str(exc))
            return _form_page(
                request,
                user,
                form,
                formset,
                experiment,
                version=selectors.experiment_get(user, pk).updated_at.isoformat(),
                status=409,
            )
        else:
            messages.success(request, _("Experiment saved: %(name)s.") % {"name": experiment})
            return redirect("experiments:detail", experiment.pk)
    return _form_page(request, user, form, formset, experiment, version=version)


@login_required
@require_http_methods(["GET", "POST"])
def experiment_start(request: HttpRequest, pk: int) -> HttpResponse:
    """Show how many clients are eligible and what each arm will create; start on POST."""
    user = current_user(request)
    experiment = selectors.experiment_get(user, pk)
    _require_runner(user)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.experiment_start(actor=user, experiment=experiment)
        except ValidationError as exc:
            problems = exc.messages
        else:
            messages.success(
                request, _("Experiment started: %(name)s.") % {"name": experiment.name}
            )
            return redirect("experiments:detail", experiment.pk)
    try:
        eligible: int | None = selectors.eligible_count(user, experiment)
    except ValidationError as exc:
        eligible = None
        problems = problems or exc.messages
    return render(
        request,
        "experiments/experiment_start.html",
        {
            "experiment": experiment,
            "eligible": eligible,
            "arms": list(experiment.arms.all()),
            "problems": problems,
        },
        status=400 if problems and request.method == "POST" else 200,
    )


@login_required
@require_POST
def experiment_finish(request: HttpRequest, pk: int) -> HttpResponse:
    user = current_user(request)
    experiment = selectors.experiment_get(user, pk)
    _require_runner(user)
    try:
        services.experiment_finish(actor=user, experiment=experiment)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Experiment finished: %(name)s.") % {"name": experiment.name})
    return redirect("experiments:detail", experiment.pk)
