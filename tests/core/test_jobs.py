"""The daily scheduler: once per day whatever the number of workers, missed days caught up."""

import datetime
from collections.abc import Iterator

import pytest

from clientela.core import jobs
from clientela.core.models import JobRun

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)
TODAY = datetime.date(2026, 6, 10)


@pytest.fixture
def ran() -> Iterator[list[datetime.date]]:
    """Only a recording job is registered while the test runs."""
    saved_daily, saved_periodic = dict(jobs._daily), dict(jobs._periodic)
    jobs._daily.clear()
    jobs._periodic.clear()
    days: list[datetime.date] = []
    jobs.register_daily("probe", lambda day, now: days.append(day))
    yield days
    jobs._daily.clear()
    jobs._daily.update(saved_daily)
    jobs._periodic.clear()
    jobs._periodic.update(saved_periodic)


def test_first_run_runs_today_only(ran):
    jobs.run_due_jobs(NOW)
    assert ran == [TODAY]
    assert JobRun.objects.get(name="probe").finished_at is not None


def test_a_day_runs_once_however_often_the_scheduler_ticks(ran):
    jobs.run_due_jobs(NOW)
    jobs.run_due_jobs(NOW)
    assert ran == [TODAY]


def test_a_second_worker_cannot_claim_the_same_day(ran):
    assert jobs.claim("probe", TODAY, NOW) is True
    assert jobs.claim("probe", TODAY, NOW) is False
    assert jobs.run_daily_job("probe", TODAY, NOW) == "taken"
    assert ran == []


def test_missed_days_are_caught_up_in_order(ran):
    JobRun.objects.create(name="probe", day=TODAY - datetime.timedelta(days=4), finished_at=NOW)
    jobs.run_due_jobs(NOW)
    assert ran == [TODAY - datetime.timedelta(days=n) for n in (3, 2, 1, 0)]


def test_a_failing_day_runs_again_and_later_days_wait(ran):
    calls: list[datetime.date] = []

    def flaky(day: datetime.date, now: datetime.datetime) -> None:
        calls.append(day)
        if len(calls) == 1:
            raise RuntimeError("database went away")

    jobs.register_daily("probe", flaky)
    JobRun.objects.create(name="probe", day=TODAY - datetime.timedelta(days=2), finished_at=NOW)
    report = jobs.run_due_jobs(NOW)
    assert report == {"probe 2026-06-09": "error"}
    assert not JobRun.objects.filter(name="probe", day__gt=TODAY - datetime.timedelta(days=2))
    jobs.run_due_jobs(NOW)
    assert calls == [TODAY - datetime.timedelta(days=1)] * 2 + [TODAY]


def test_a_claim_left_by_a_dead_worker_is_taken_over(ran):
    JobRun.objects.create(name="probe", day=TODAY, started_at=NOW - datetime.timedelta(hours=1))
    jobs.run_due_jobs(NOW)
    assert ran == [TODAY]
    fresh = JobRun.objects.get(name="probe", day=TODAY)
    assert fresh.finished_at is not None


def test_a_fresh_claim_of_another_worker_is_left_alone(ran):
    JobRun.objects.create(name="probe", day=TODAY, started_at=NOW - datetime.timedelta(minutes=1))
    jobs.run_due_jobs(NOW)
    assert ran == []


def test_the_day_begins_with_the_earliest_user_time_zone(ran, owner):
    # 12:00 UTC on 10 June is already 11 June on Kiritimati (UTC+14)
    owner.time_zone = "Pacific/Kiritimati"
    owner.save(update_fields=["time_zone"])
    assert jobs.day_reached(NOW) == TODAY + datetime.timedelta(days=1)
    owner.time_zone = "America/Los_Angeles"
    owner.save(update_fields=["time_zone"])
    assert jobs.day_reached(NOW) == TODAY  # the firm's Kyiv is the latest now
