"""The occasions page (the agenda of the next days) and the firm dates (administrators only)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, ngettext
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
from clientela.occasions.forms_firm_dates import FirmDateForm, ProfessionalDaysForm
from clientela.occasions.models import FirmDate
from clientela.occasions.services_firm_dates import (
    firm_date_create,
    firm_date_update,
    professional_days_add,
)

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


def _day_or_none(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


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
    end = today + datetime.timedelta(days=days)
    # A crowded period comes in parts (AgendaWindow.next_part): from the day after the last
    # one shown, or more of the same day when one day holds more than a part.
    start = _day_or_none(request.GET.get("from"))
    if start is None or not today <= start < end:
        start = today
    try:
        skip = max(0, int(request.GET.get("skip", 0)))
    except ValueError:
        skip = 0
    window = agenda_window(
        user, days=(end - start).days, scope=scope, today=start, limit=PAGE_ROWS, skip=skip
    )
    items = window.items
    shown_until = items[-1].date if items else start
    return render(
        request,
        "occasions/agenda.html",
        {
            "days": agenda_days(user, items, today),
            "count": len(items),
            "complete": window.complete,
            "start": start,
            "shown_until": shown_until,
            "first_part": start == today and not skip,
            "next_part": window.next_part,
            "day_choices": DAY_CHOICES,
            "chosen_days": days,
            "scope": scope,
            "can_team": "team" in scopes,
            "holidays": holidays_between(start, end),
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
    """The firm dates, a form to add one, and Ukraine's professional days to add from a list."""
    user = _admin(request)
    language = get_language() or ""
    taken = set(FirmDate.objects.exclude(preset="").values_list("preset", flat=True))
    adding_days = request.method == "POST" and "keys" in request.POST
    form = FirmDateForm(
        request.POST if request.method == "POST" and not adding_days else None,
        initial={"active": True, "rule": "fixed"},
    )
    days_form = ProfessionalDaysForm(
        request.POST if adding_days else None, language=language, taken=taken
    )
    if adding_days and days_form.is_valid():
        added = professional_days_add(
            actor=user, keys=days_form.cleaned_data["keys"], language=language
        )
        if added:
            messages.success(
                request,
                ngettext("%(count)s day added.", "%(count)s days added.", len(added))
                % {"count": len(added)},
            )
        else:
            messages.info(request, _("The chosen days are already among the firm dates."))
        return redirect("occasions:firm_dates")
    if form.is_bound and form.is_valid():
        try:
            firm_date = firm_date_create(actor=user, **form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("“%(name)s” added.") % {"name": firm_date.name})
            return redirect("occasions:firm_dates")
    # In the order they come in this year (a weekday rule has no day of its own to sort by).
    year, leap_day_on = user_today(user).year, FirmSettings.current().leap_day_on
    firm_dates = sorted(
        FirmDate.objects.all(),
        key=lambda f: (f.date_in(year, leap_day_on) or datetime.date(year, 12, 31), f.name),
    )
    return render(
        request,
        "occasions/firm_date_list.html",
        {
            "firm_dates": [(firm_date, firm_date.name_in(language)) for firm_date in firm_dates],
            "form": form,
            "days_form": days_form,
        },
        status=400 if form.errors or days_form.errors else 200,
    )


@login_required
def firm_date_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = _admin(request)
    firm_date = get_object_or_404(FirmDate, pk=pk)
    form = FirmDateForm(request.POST or None, initial=FirmDateForm.initial_of(firm_date))
    if request.method == "POST" and form.is_valid():
        try:
            firm_date_update(
                actor=user,
                firm_date=firm_date,
                active=form.cleaned_data["active"],
                **form.service_data(),
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("occasions:firm_dates")
    return render(request, "occasions/firm_date_form.html", {"firm_date": firm_date, "form": form})
