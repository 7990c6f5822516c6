"""Survey pages: the public answer page (no login: the token is the key), the results, asking
a contact by hand, the survey settings, and the "Surveys" panel and action on the contact page.

The public pages show no client data and are the only pages a token opens: the views below
read nothing but the request the token's hash names, and send headers that keep the token
out of referrers, caches and search engines.
"""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from clientela.accounts.visibility import assignable_users
from clientela.contacts.models import Contact
from clientela.contacts.selectors import contact_get
from clientela.contacts.views.common import bad_request, current_user, require_writer
from clientela.core.extensions import Action, Panel, register_action, register_panel
from clientela.retention.surveys import selectors, services, services_policy
from clientela.retention.surveys.forms import AnswerForm, PolicyForm, RequestForm
from clientela.retention.surveys.models import SurveyKind, SurveyPolicy, SurveyRequest

PANEL_ROWS = 5


# --- public: the client's side ------------------------------------------------------------------


def _private(response: HttpResponse) -> HttpResponse:
    # Not "no-referrer": a browser then sends "Origin: null" with the form, which CSRF
    # refuses. Same-origin keeps the token from leaving the site all the same.
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _unavailable(request: HttpRequest, reason: str) -> HttpResponse:
    """One polite page for a token that cannot be answered; forged and unknown look alike."""
    status = {"used": 200, "expired": 410}.get(reason, 404)
    response = render(
        request,
        "surveys/unavailable.html",
        {"reason": reason, "firm": services.firm_display(SurveyPolicy.current())},
        status=status,
    )
    return _private(response)


def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The survey behind a token: the question, then a thank-you; nothing else is shown."""
    found = selectors.survey_for_token(token)
    if found is None:
        return _unavailable(request, "unknown")
    with translation.override(found.language):
        if found.status == SurveyRequest.Status.ANSWERED:
            return _unavailable(request, "used")
        if found.is_expired:
            return _unavailable(request, "expired")
        policy = SurveyPolicy.current()
        form = AnswerForm(request.POST if request.method == "POST" else None, kind=found.kind)
        if request.method == "POST" and form.is_valid():
            try:
                services.survey_answer(
                    raw_token=token,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                )
            except services.SurveyUnavailable as exc:
                return _unavailable(request, exc.reason)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    for error in errors:
                        form.add_error(name if name in form.fields else None, error)
            else:
                return _private(
                    render(
                        request,
                        "surveys/thanks.html",
                        {"firm": services.firm_display(policy), "token": token},
                    )
                )
        status = 400 if request.method == "POST" else 200
        response = render(
            request,
            "surveys/answer.html",
            {
                "form": form,
                "kind": found.kind,
                "firm": services.firm_display(policy),
                "token": token,
            },
            status=status,
        )
    return _private(response)


def survey_opt_out(request: HttpRequest, token: str) -> HttpResponse:
    """The email's "do not send me surveys": asks, then records the wish."""
    found = selectors.survey_for_token(token)
    if found is None:
        return _unavailable(request, "unknown")
    with translation.override(found.language):
        firm = services.firm_display(SurveyPolicy.current())
        done = False
        if request.method == "POST":
            try:
                services.survey_opt_out_by_token(raw_token=token)
            except services.SurveyUnavailable as exc:
                return _unavailable(request, exc.reason)
            done = True
        response = render(
            request, "surveys/opt_out.html", {"firm": firm, "done": done, "token": token}
        )
    return _private(response)


# --- the firm's side ----------------------------------------------------------------------------


@login_required
def survey_results(request: HttpRequest) -> HttpResponse:
    """NPS and CSAT of a period, per manager and per month, and the latest answers."""
    user = current_user(request)
    try:
        filters = selectors.result_filters_clean(user, request.GET)
    except ValidationError as exc:
        return bad_request(request, exc)
    results = selectors.survey_results(user, filters)
    answers = selectors.answer_list(user, filters, limit=50)
    managers = list(assignable_users(user).only("id", "username", "first_name", "last_name"))
    return render(
        request,
        "surveys/results.html",
        {
            "results": results,
            "answers": answers,
            "filters": filters,
            "kind_options": [("", _("NPS and CSAT")), *SurveyKind.choices],
            "manager_options": [("", _("Anyone")), *((str(u.pk), str(u)) for u in managers)],
            "manager_selected": str(filters.manager or ""),
        },
    )


@login_required
def survey_request_new(request: HttpRequest) -> HttpResponse:
    """Ask the contact in the address (`?contact=`) by hand; errors stay on the form."""
    user = current_user(request)
    require_writer(user)
    if not request.GET.get("contact"):
        raise Http404
    contact = contact_get(user, request.GET["contact"])
    back = reverse("contacts:detail", args=[contact.pk])
    form = RequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.survey_request_create(
                actor=user, contact=contact, kind=form.cleaned_data["kind"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(
                request, _("The survey goes out to %(name)s within a minute.") % {"name": contact}
            )
            return redirect(back)
    return render(
        request,
        "surveys/request_form.html",
        {"form": form, "contact": contact, "cancel_url": back},
        status=400 if form.errors else 200,
    )


@login_required
def survey_policy_edit(request: HttpRequest) -> HttpResponse:
    """The survey settings: which survey goes out when, the cool-down, the link's life."""
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator sets the survey policy."))
    data = request.POST if request.method == "POST" else None
    form = PolicyForm(data, policy=SurveyPolicy.current())
    if request.method == "POST" and form.is_valid():
        try:
            services_policy.survey_policy_update(actor=user, data=form.cleaned_data)
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Survey settings saved."))
            return redirect("surveys:policy")
    return render(
        request, "surveys/policy_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_POST
def survey_opt_out_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    """Record or lift a contact's wish not to be surveyed, from its page."""
    user = current_user(request)
    contact = contact_get(user, pk)
    require_writer(user)
    opted_out = request.POST.get("opted_out") == "1"
    services.survey_opt_out_set(actor=user, contact=contact, opted_out=opted_out)
    if opted_out:
        messages.success(request, _("%(name)s will not be surveyed.") % {"name": contact})
    else:
        messages.success(request, _("%(name)s may be surveyed again.") % {"name": contact})
    return redirect(reverse("contacts:detail", args=[contact.pk]) + "#surveys")


# --- on the contact page ------------------------------------------------------------------------


def client_surveys_panel(request: HttpRequest, record: Any) -> dict[str, Any] | None:
    """The panel's data: the contact's latest surveys and answers (three queries)."""
    if not isinstance(record, Contact):
        return None
    user = current_user(request)
    found = selectors.client_surveys(user, record, limit=PANEL_ROWS)
    return {
        "requests": found.requests,
        "count": found.count,
        "opted_out": found.opted_out,
        "contact": record,
        "new_url": f"{reverse('surveys:request_new')}?{urlencode({'contact': record.pk})}",
        "can_write": user.can_write,
    }


ACTION_LABEL = gettext_lazy("Send a survey")


def register_extensions() -> None:
    register_panel(
        Panel(
            key="surveys",
            targets=frozenset({"contact"}),
            order=55,
            template="surveys/_client_panel.html",
            context=client_surveys_panel,
        )
    )
    register_action(
        Action(
            key="survey_new_contact",
            targets=frozenset({"contact"}),
            order=70,
            label=ACTION_LABEL,
            url_name="surveys:request_new",
            param="contact",
        )
    )
