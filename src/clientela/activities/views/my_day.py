"""My day: the signed-in user's late, today's and coming tasks, what got done, today's calls."""

import datetime
from dataclasses import dataclass
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clientela.activities import selectors, services
from clientela.activities.forms import QuickTaskForm
from clientela.activities.views.pages_common import duration_display
from clientela.activities.views.tasks import TaskRow, task_row
from clientela.contacts.views.common import current_user, require_writer
from clientela.core.extensions import panels_for


@dataclass(frozen=True)
class UpcomingDay:
    day: datetime.date
    rows: list[TaskRow]


def _page(request: HttpRequest, form: QuickTaskForm, status: int = 200) -> HttpResponse:
    user = current_user(request)
    day = selectors.my_day(user)
    now = timezone.localtime()
    now_time = now.time().replace(tzinfo=None)

    def rows(tasks: list) -> list[TaskRow]:
        return [task_row(t, day.today, now_time) for t in tasks]

    talk = sum(
        (call.duration for call in day.calls_today if call.duration is not None),
        datetime.timedelta(0),
    )
    upcoming = [
        UpcomingDay(due, rows(list(tasks)))
        for due, tasks in groupby(day.upcoming, key=lambda t: t.due_date)
    ]
    context = {
        "day": day,
        "overdue": rows(day.overdue),
        "due_today": rows(day.due_today),
        "upcoming": upcoming,
        "done_today": rows(day.done_today),
        "calls_count": len(day.calls_today),
        "talk_time": duration_display(talk) if day.calls_today else "",
        "quick_form": form,
        "panels": panels_for("my_day", request, user),
        # Where Done and Edit lead back to (also when the quick task's errors show this page).
        "here": reverse("activities:my_day"),
    }
    return render(request, "activities/my_day.html", context, status=status)


@login_required
@require_GET
def my_day(request: HttpRequest) -> HttpResponse:
    form = QuickTaskForm(initial={"due_date": timezone.localdate()})
    return _page(request, form)


@login_required
@require_POST
def task_quick_add(request: HttpRequest) -> HttpResponse:
    """The "Add a task" line of My day: a task for oneself; errors show on My day."""
    user = current_user(request)
    require_writer(user)
    form = QuickTaskForm(request.POST)
    if form.is_valid():
        try:
            task = services.task_create(actor=user, data=form.service_data())
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, _("Task “%(title)s” added.") % {"title": task.title})
            return redirect("activities:my_day")
    return _page(request, form)
