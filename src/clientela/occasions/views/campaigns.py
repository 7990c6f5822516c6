"""A holiday greeting to a segment of clients.

    /occasions/campaigns/new/?holiday=2026-12-25&name=Christmas    choose the segment and templates
    ... &review=1                                                   who receives it, who is skipped
    POST                                                            "Send to N clients"

Choosing and reviewing are GET requests and write nothing; only the confirmation's button
(a POST with the same choices and the number confirmed) creates the greetings.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.accounts.zones import user_zone
from clientela.contacts.selectors import tags_all
from clientela.contacts.views.common import current_user, require_writer
from clientela.occasions import services_campaigns as services
from clientela.occasions.forms_campaigns import CampaignForm, template_field_name
from clientela.occasions.greetings import greeting_values, render_greeting

# How many recipients and skipped clients the confirmation names (the counts cover all).
SHOWN_ROWS = 50


def _form(request: HttpRequest, user: User, data: Any = None) -> CampaignForm:
    templates = services.holiday_templates()
    initial: dict[str, Any] = {
        name: request.GET.get(name)
        for name in ("holiday", "name", "tag", "owner", "lifecycle", "q")
        if request.GET.get(name)
    }
    for language, template in services.default_templates(templates).items():
        name = template_field_name(language)
        initial[name] = request.GET.get(name, template.pk if template else "")
    if request.GET.get("time"):
        initial["time"] = request.GET["time"]
    return CampaignForm(
        data,
        initial=initial,
        tags=list(tags_all()),
        owners=list(assignable_users(user).only("id", "username", "first_name", "last_name")),
        templates=templates,
        user=user,
    )


def _samples(
    user: User, plan: services.CampaignPlan, names: dict[str, str]
) -> list[dict[str, Any]]:
    """The greeting as the first recipient of each language receives it, {occasion} naming the
    holiday as the sent greetings will (`names`: services.holiday_names)."""
    samples: dict[str, dict[str, Any]] = {}
    for contact, template in plan.recipients:
        if template.language in samples:
            continue
        values = greeting_values(
            contact,
            sender=user,
            language=template.language,
            occasion_kind="holiday",
            occasion_label=names.get(template.language, ""),
        )
        samples[template.language] = {
            "language": dict(settings.LANGUAGES).get(template.language, template.language),
            "contact": contact,
            "text": render_greeting(template.subject, template.body, values),
        }
    return list(samples.values())


def _review(request: HttpRequest, user: User, form: CampaignForm) -> HttpResponse:
    try:
        filters = form.filters()
    except ValidationError as error:
        form.add_service_errors(error)
        return _render(request, form)
    plan = services.campaign_plan(
        actor=user, filters=filters, templates=form.chosen_templates(), day=form.day
    )
    moment = services.campaign_moment(user, form.day, form.cleaned_data["time"])
    query = {name: form.data[name] for name in form.fields if form.data.get(name)}
    return render(
        request,
        "occasions/campaign_confirm.html",
        {
            "form": form,
            "plan": plan,
            "recipients": plan.recipients[:SHOWN_ROWS],
            "skipped": plan.skipped[:SHOWN_ROWS],
            "shown_rows": SHOWN_ROWS,
            "skipped_counts": plan.skipped_counts(),
            "samples": _samples(
                user, plan, services.holiday_names(form.day, form.cleaned_data.get("name") or "")
            ),
            "limit": services.CAMPAIGN_LIMIT,
            "moment": moment,
            "zone": str(user_zone(user)),
            "edit_url": f"{reverse('occasions:campaign_new')}?{urlencode(query)}",
            "hidden": list(query.items()),
        },
    )


def _render(request: HttpRequest, form: CampaignForm) -> HttpResponse:
    return render(request, "occasions/campaign_form.html", {"form": form})


@login_required
def campaign_new(request: HttpRequest) -> HttpResponse:
    """Choose, review, then send a holiday greeting to a segment of clients."""
    user = current_user(request)
    require_writer(user)
    if request.method != "POST":
        if not request.GET.get("review"):
            return _render(request, _form(request, user))
        form = _form(request, user, request.GET)
        if not form.is_valid():
            return _render(request, form)
        return _review(request, user, form)

    form = _form(request, user, request.POST)
    if not form.is_valid():
        return _render(request, form)
    try:
        expected = int(request.POST.get("expected") or "")
    except ValueError:
        expected = -1
    try:
        greetings = services.campaign_send(
            actor=user,
            filters=form.filters(),
            templates=form.chosen_templates(),
            day=form.day,
            time=form.cleaned_data["time"],
            expected=expected,
            holiday_name=form.cleaned_data.get("name") or "",
        )
    except ValidationError as error:
        for problem in error.messages:
            messages.error(request, problem)
        return _review(request, user, form)
    messages.success(
        request,
        ngettext(
            "The holiday greeting is on its way to %(count)s client.",
            "The holiday greeting is on its way to %(count)s clients.",
            len(greetings),
        )
        % {"count": len(greetings)}
        if services.campaign_moment(user, form.day, form.cleaned_data["time"]) is None
        else ngettext(
            "The holiday greeting to %(count)s client is scheduled.",
            "The holiday greeting to %(count)s clients is scheduled.",
            len(greetings),
        )
        % {"count": len(greetings)},
    )
    return redirect(reverse("occasions:agenda"))
