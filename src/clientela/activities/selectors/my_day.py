"""A user's day: what is late, what is due today and soon, what got done, whom it called."""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from clientela.accounts.models import User
from clientela.accounts.zones import user_zone
from clientela.activities.models import Activity, ActivityKind, Task
from clientela.activities.selectors._common import day_start
from clientela.activities.selectors.tasks import with_due_order
from clientela.activities.services import ACTIVITY_RELATED, TASK_RELATED


@dataclass(frozen=True)
class MyDay:
    """The user's own tasks and calls around one day, in the user's time zone.

    A task is overdue when its due date has passed, or when it is due today at a time that
    has passed (a call promised for 10:00 is late at 10:05); `due_today` holds the rest of
    today's open tasks. `upcoming` are the open tasks of the next `upcoming_days` days after
    today. Each list is in due order (date, then time; untimed last in a day) and holds at
    most `limit` tasks; `done_today` is newest first, `calls_today` in the order they were
    made.
    """

    today: datetime.date
    overdue: list[Task]
    due_today: list[Task]
    upcoming: list[Task]
    done_today: list[Task]
    calls_today: list[Activity]


def _own_tasks(user: User) -> QuerySet[Task]:
    return with_due_order(Task.objects.filter(owner=user)).select_related(*TASK_RELATED)


def my_day(
    user: User,
    *,
    now: datetime.datetime | None = None,
    upcoming_days: int = 7,
    limit: int = 100,
) -> MyDay:
    """The day of `user` at `now` (default: now): five queries whatever the number of tasks."""
    zone = user_zone(user)
    local_now = timezone.localtime(now or timezone.now(), zone)
    today = local_now.date()
    start, end = day_start(today, zone), day_start(today + datetime.timedelta(days=1), zone)
    horizon = today + datetime.timedelta(days=max(upcoming_days, 0))
    now_time = local_now.time().replace(tzinfo=None)
    order = ["due_date", "due_at_time", "id"]
    open_tasks = _own_tasks(user).filter(done_at__isnull=True)
    late = list(open_tasks.filter(due_date__lt=today).order_by(*order)[:limit])
    todays = list(open_tasks.filter(due_date=today).order_by(*order)[:limit])
    passed = [task for task in todays if task.due_time is not None and task.due_time < now_time]
    coming = list(
        open_tasks.filter(due_date__gt=today, due_date__lte=horizon).order_by(*order)[:limit]
    )
    done = list(
        _own_tasks(user)
        .filter(done_at__gte=start, done_at__lt=end)
        .order_by("-done_at", "-id")[:limit]
    )
    calls = list(
        Activity.objects.visible_to(user)
        .filter(user=user, kind=ActivityKind.CALL, started_at__gte=start, started_at__lt=end)
        .select_related(*ACTIVITY_RELATED)
        .order_by("started_at", "id")[:limit]
    )
    return MyDay(
        today=today,
        overdue=(late + passed)[:limit],
        due_today=[task for task in todays if task not in passed],
        upcoming=coming,
        done_today=done,
        calls_today=calls,
    )
