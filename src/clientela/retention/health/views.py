"""Health pages: the at-risk list, the settings with playbooks, "recompute now", the panel."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clientela.accounts.models import Team, User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.models import Contact
from clientela.contacts.views.common import current_user, safe_next
from clientela.core.extensions import Panel, register_panel
from clientela.retention.health import selectors, services, services_playbooks
from clientela.retention.health.explanations import NO_PURCHASES, NOT_ENOUGH_HISTORY, explain
from clientela.retention.health.forms import HealthSettingsForm, PlaybookForm
from clientela.retention.health.models import HealthSettings

PAGE_SIZE = 100


def _admin(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator can change client health settings."))
    return user


def _int_param(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() else None


@login_required
def at_risk_list(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    owner, team = _int_param(request, "owner"), _int_param(request, "team")
    found = selectors.at_risk_filtered(user, owner=owner, team=team)
    contacts = list(found[:PAGE_SIZE])
    now = timezone.now()
    today = timezone.localdate(now)
    rows = [
        {
            "contact": contact,
            "health": contact.health,
            "reason": explain(contact.health.reasons, now=now),
            "days_since": selectors.days_since(contact.health.last_purchase, today),
        }
        for contact in contacts
    ]
    summary = selectors.at_risk_summary(user)
    return render(
        request,
        "health/at_risk.html",
        {
            "rows": rows,
            "total": found.count(),
            "summary": summary,
            "threshold": HealthSettings.current().threshold,
            "owners": list(assignable_users(user).order_by("first_name", "last_name")),
            "teams": list(Team.objects.order_by("name")) if user.is_admin else [],
            "owner_selected": owner,
            "team_selected": team,
            "not_enough": NOT_ENOUGH_HISTORY,
        },
    )


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    config = HealthSettings.current()
    form = HealthSettingsForm(
        request.POST or None,
        initial={"threshold": config.threshold, "min_repeat_buyers": config.min_repeat_buyers},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_playbooks.health_settings_update(actor=user, data=form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            messages.success(request, _("Settings saved. Scores change at the next recompute."))
            return redirect("health:settings")
    return render(
        request,
        "health/settings.html",
        {"form": form, "fits": selectors.fits(), "playbooks": selectors.playbooks()},
        status=400 if form.errors else 200,
    )


def _playbook_form(request: HttpRequest, pk: int | None) -> HttpResponse:
    user = _admin(request)
    playbook = selectors.playbook_get(pk) if pk is not None else None
    initial = PlaybookForm.initial_for(playbook) if playbook else {"active": True, "position": 0}
    form = PlaybookForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if playbook is None:
                services_playbooks.playbook_create(actor=user, data=form.service_data())
            else:
                services_playbooks.playbook_update(
                    actor=user, playbook=playbook, data=form.service_data()
                )
        except ValidationError as exc:
            form.add_service_errors(exc.message_dict)
        else:
            messages.success(request, _("Playbook saved."))
            return redirect("health:settings")
    return render(
        request,
        "health/playbook_form.html",
        {"form": form, "playbook": playbook},
        status=400 if form.errors else 200,
    )


@login_required
def playbook_new(request: HttpRequest) -> HttpResponse:
    return _playbook_form(request, None)


@login_required
def playbook_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _playbook_form(request, pk)


@login_required
@require_POST
def playbook_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    services_playbooks.playbook_delete(actor=user, playbook=selectors.playbook_get(pk))
    messages.success(request, _("Playbook deleted."))
    return redirect("health:settings")


@login_required
@require_POST
def recompute(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    result = services.health_recompute(actor=user)
    if result.enough_history:
        messages.success(
            request,
            _("Health recomputed for %(clients)s clients; %(at_risk)s at risk.")
            % {"clients": result.clients, "at_risk": result.at_risk},
        )
    else:
        messages.warning(request, str(NOT_ENOUGH_HISTORY))
    return redirect(safe_next(request, reverse("health:settings")))


# --- the panel on the contact page ------------------------------------------------------------


def health_panel(request: HttpRequest, contact: Any) -> dict[str, Any] | None:
    """The contact's health: three queries (health row, fit, settings)."""
    if not isinstance(contact, Contact):
        return None
    view = selectors.contact_health_of(contact)
    health = view.health
    return {
        "view": view,
        "health": health,
        "explanation": explain(health.reasons, now=timezone.now())
        if view.scored and health
        else "",
        "no_purchases": NO_PURCHASES,
        "not_enough": NOT_ENOUGH_HISTORY,
        "p_alive_percent": round(100 * health.p_alive)
        if health and health.p_alive is not None
        else None,
        "can_recompute": current_user(request).is_admin,
        "next": reverse("contacts:detail", args=[contact.pk]),
    }


def register_extensions() -> None:
    register_panel(
        Panel(
            key="health",
            targets=frozenset({"contact"}),
            order=15,
            template="health/_panel.html",
            context=health_panel,
        )
    )
