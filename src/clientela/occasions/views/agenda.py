"""The occasions page (the agenda of the next days) and the firm dates (administrators only)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.contacts.views.common import current_user
from clientela.core.extensions import ActionLink, actions_for
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import (
    AgendaItem,
    agenda,
    agenda_scopes,
    agenda_window,
    holiday_country_problem,
    holidays_between,
)
from clientela.occasions.forms_firm_dates import FirmDateForm
from clientela.occasions.models import FirmDate
from clientela.occasions.services_firm_dates import firm_date_create, firm_date_update

DAY_CHOICES = (7, 30)
DASHBOARD_ROWS = 8
PAGE_ROWS = 300  # a team's month can hold thousands: the page shows the first whole days


@dataclass(frozen=True)
class AgendaRow:
    item: AgendaItem
    actions: list[ActionLink]


@dataclass(frozen=True)
class AgendaDay:
    date: datetime.date
    is_today: bool
    is_tomorrow: bool
    rows: list[AgendaRow]


def agenda_days(user: User, items: list[AgendaItem], today: datetime.date) -> list[AgendaDay]:
    """The items grouped by day, each row with the actions other modules offer on it."""
    days: list[AgendaDay] = []
    for item in items:
        row = AgendaRow(item, actions_for("occasion_row", user, item.occasion))
        if days and days[-1].date == item.date:
            days[-1].rows.append(row)
        else:
            days.append(
                AgendaDay(
                    date=item.date,
                    is_today=item.date == today,
                    is_tomorrow=item.date == today + datetime.timedelta(days=1),
                    rows=[row],
                )
            )
    return days


def upcoming_block(user: User) -> dict[str, Any]:
    """The dashboard's block: the next 7 days of the user's own clients, the first few rows."""
    today = user_today(user)
    items = agenda(user, days=7, scope="mine", today=today)
    return {
        "days": agenda_days(user, items[:DASHBOARD_ROWS], today),
        "more": max(0, len(items) - DASHBOARD_ROWS),
        "total": len(items),
    }


@login_required
def agenda_page(request: HttpRequest) -> HttpResponse:
    user = current_user(request)
    try:
        days = int(request.GET.get("days", 7))
    except ValueError:
        days = 7
    if days not in DAY_CHOICES:
        days = 7
    scopes = agenda_scopes(user)
    scope = request.GET.get("scope", "mine")
    if scope not in scopes or scope == "all":
        scope = "mine"
    today = user_today(user)
    window = agenda_window(user, days=days, scope=scope, today=today, limit=PAGE_ROWS)
    items = window.items
    end = window.end
    return render(
        request,
        "occasions/agenda.html",
        {
            "days": agenda_days(user, items, today),
            "count": len(items),
            "complete": window.complete,
            "shown_until": items[-1].date if items else today,
            "day_choices": DAY_CHOICES,
            "chosen_days": days,
            "scope": scope,
            "can_team": "team" in scopes,
            "holidays": holidays_between(today, end),
            "holiday_problem": holiday_country_problem(),
            "holiday_country": FirmSettings.current().holiday_country.upper(),
            "today": today,
            "last_day": end - datetime.timedelta(days=1),
        },
    )


# --- firm dates ---------------------------------------------------------------------------


def _admin(request: HttpRequest) -> User:
    user = current_user(request)
    if not user.is_admin:
        raise PermissionDenied(_("Only an administrator manages the firm's dates."))
    return user


@login_required
def firm_date_list(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    form = FirmDateForm(request.POST or None, initial={"active": True})
    if request.method == "POST" and form.is_valid():
        try:
            firm_date = firm_date_create(
                actor=user,
                name=form.cleaned_data["name"],
                month=form.cleaned_data["month"],
                day=form.cleaned_data["day"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": firm_date.name})
            return redirect("occasions:firm_dates")
    return render(
        request,
        "occasions/firm_date_list.html",
        {"firm_dates": list(FirmDate.objects.all()), "form": form},
    )


@login_required
def firm_date_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    firm_date = get_object_or_404(FirmDate, pk=pk)
    initial = {
        "name": firm_date.name,
        "month": firm_date.month,
        "day": firm_date.day,
        "active": firm_date.active,
    }
    form = FirmDateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            firm_date_update(
                actor=user,
                firm_date=firm_date,
                name=form.cleaned_data["name"],
                month=form.cleaned_data["month"],
                day=form.cleaned_data["day"],
                active=form.cleaned_data["active"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("occasions:firm_dates")
    return render(request, "occasions/firm_date_form.html", {"firm_date": firm_date, "form": form})
