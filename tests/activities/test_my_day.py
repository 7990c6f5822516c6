"""My day: overdue, today's, upcoming and done tasks and today's calls, in the user's time zone."""

import datetime
import zoneinfo

import pytest
from django.utils import timezone

from activities.support import make_activity, make_call, make_task
from clientela.activities.models import Task
from clientela.activities.selectors import my_day
from clientela.activities.services import task_complete, task_delete

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")
LOS_ANGELES = zoneinfo.ZoneInfo("America/Los_Angeles")


@pytest.fixture
def today():
    # A month ago, so that today's calls are in the past whatever the real clock says.
    return timezone.localdate() - datetime.timedelta(days=30)


@pytest.fixture
def noon(today):
    return datetime.datetime.combine(today, datetime.time(12, 0), tzinfo=KYIV)


def _day(today, days):
    return today + datetime.timedelta(days=days)


def _titles(tasks):
    return [task.title for task in tasks]


def test_boundaries_of_the_day(owner, teammate, contact, today, noon):
    make_task(owner, title="yesterday", due_date=_day(today, -1), due_time="18:00")
    make_task(owner, title="a week late", due_date=_day(today, -7))
    make_task(owner, title="this morning", due_date=today, due_time="09:00")
    make_task(owner, title="right now", due_date=today, due_time="12:00")
    make_task(owner, title="this afternoon", due_date=today, due_time="15:00")
    make_task(owner, title="some time today", due_date=today)
    make_task(owner, title="tomorrow", due_date=_day(today, 1))
    make_task(owner, title="in a week", due_date=_day(today, 7))
    make_task(owner, title="in eight days", due_date=_day(today, 8))
    make_task(teammate, title="not mine", due_date=today)
    task_delete(actor=owner, task=make_task(owner, title="trashed", due_date=today))

    day = my_day(owner, now=noon)

    assert day.today == today
    assert _titles(day.overdue) == ["a week late", "yesterday", "this morning"]
    assert _titles(day.due_today) == ["right now", "this afternoon", "some time today"]
    assert _titles(day.upcoming) == ["tomorrow", "in a week"]
    assert _titles(my_day(owner, now=noon, upcoming_days=1).upcoming) == ["tomorrow"]


def test_done_tasks_leave_the_lists_and_count_for_the_day_they_were_done(owner, today, noon):
    done_now = make_task(owner, title="done this morning", due_date=_day(today, -2))
    done_before = make_task(owner, title="done yesterday", due_date=today)
    for task, when in [
        (done_now, noon.replace(hour=8)),
        (done_before, noon - datetime.timedelta(days=1)),
    ]:
        task_complete(actor=owner, task=task)
        Task.objects.filter(pk=task.pk).update(done_at=when)

    day = my_day(owner, now=noon)

    assert _titles(day.done_today) == ["done this morning"]
    assert day.overdue == day.due_today == []


def test_calls_made_today_by_the_user(owner, lead, contact, today, noon):
    make_call(owner, contact, subject="early", started_at=noon.replace(hour=0, minute=5))
    make_call(
        owner,
        contact,
        subject="late last night",
        started_at=noon.replace(hour=0) - datetime.timedelta(minutes=1),
    )
    make_call(lead, contact, subject="the lead's")
    make_call(lead, contact, subject="for me", user=owner.pk, started_at=noon.replace(hour=10))
    make_activity(owner, contact, "note", started_at=noon.replace(hour=9))

    day = my_day(owner, now=noon)

    assert [call.subject for call in day.calls_today] == ["early", "for me"]


def test_today_is_the_users_own_day(owner, lead, contact):
    owner.time_zone = "America/Los_Angeles"
    owner.save(update_fields=["time_zone"])
    lead.time_zone = "Europe/Kyiv"
    lead.save(update_fields=["time_zone"])
    # 05:00 UTC: still yesterday evening in Los Angeles, already morning in Kyiv.
    utc_day = timezone.localdate() - datetime.timedelta(days=30)
    now = datetime.datetime.combine(utc_day, datetime.time(5, 0), tzinfo=datetime.UTC)
    make_task(owner, title="LA: due on the UTC date", due_date=utc_day)
    make_task(owner, title="LA: due the day before", due_date=_day(utc_day, -1), due_time="23:00")
    make_task(lead, title="Kyiv: due on the UTC date", due_date=utc_day, due_time="08:00")
    make_call(
        owner, contact, subject="LA evening call", started_at=now - datetime.timedelta(hours=1)
    )

    in_la = my_day(owner, now=now)
    in_kyiv = my_day(lead, now=now)

    assert in_la.today == _day(utc_day, -1)
    assert _titles(in_la.upcoming) == ["LA: due on the UTC date"]
    assert _titles(in_la.due_today) == ["LA: due the day before"]  # 23:00 has not come yet
    assert [c.subject for c in in_la.calls_today] == ["LA evening call"]
    assert in_kyiv.today == utc_day
    assert _titles(in_kyiv.due_today) == ["Kyiv: due on the UTC date"]  # 08:00 Kyiv is 06:00 UTC


def test_the_default_is_now(owner):
    make_task(owner, title="today", due_date=timezone.localdate())

    day = my_day(owner)

    assert day.today == timezone.localdate()
    assert _titles(day.overdue + day.due_today) == ["today"]


def test_each_list_is_limited(owner, today, noon):
    for i in range(5):
        make_task(owner, title=f"late {i}", due_date=_day(today, -1 - i))

    assert len(my_day(owner, now=noon, limit=3).overdue) == 3


@pytest.mark.parametrize("n", [1, 20])
def test_constant_queries(owner, contact, deal, today, noon, n, django_assert_num_queries):
    for i in range(n):
        for offset in (-1, 0, 2):
            make_task(owner, title=f"t{i}", due_date=_day(today, offset), deal=deal)
        task_complete(actor=owner, task=make_task(owner, title=f"done {i}", contact=contact))
        make_call(owner, contact, started_at=noon - datetime.timedelta(minutes=i + 1))
    Task.objects.filter(done_at__isnull=False).update(done_at=noon - datetime.timedelta(hours=1))

    # overdue, today's, upcoming, done today, calls today
    with django_assert_num_queries(5):
        day = my_day(owner, now=noon)
        shown = [
            (t.title, str(t.contact), str(t.deal), str(t.owner))
            for t in day.overdue + day.due_today + day.upcoming + day.done_today
        ]
        calls = [(str(c.contact), str(c.user), str(c.owner)) for c in day.calls_today]

    assert len(shown) == 4 * n
    assert len(calls) == n
