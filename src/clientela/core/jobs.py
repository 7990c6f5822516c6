"""A small scheduler for the jobs that run every day or every minute, safe with many workers.

Apps register their jobs when they start (`register_daily`, `register_periodic`); every
`clientela worker` runs `run_due_jobs` once a minute beside the task worker.

A daily job runs once per day: the worker that inserts the `JobRun` row (name, day) runs it,
any other worker's insert fails on the unique constraint and it moves on. A day counts as begun
when it has begun in any user's time zone (or the firm's), so a reminder is there by the local
midnight of the earliest user. After downtime every missed day runs, oldest first, up to
`CATCH_UP_DAYS` back; a job that raised runs again at the next tick, and a claim whose
worker died (no finish after `STALE_CLAIM`) is taken over.
"""

import datetime
import logging
import threading
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone

from clientela.core.models import JobRun

logger = logging.getLogger(__name__)

DailyJob = Callable[[datetime.date, datetime.datetime], object]
PeriodicJob = Callable[[datetime.datetime], object]

CATCH_UP_DAYS = 60
STALE_CLAIM = datetime.timedelta(minutes=30)
TICK_SECONDS = 60

_daily: dict[str, DailyJob] = {}
_periodic: dict[str, PeriodicJob] = {}


def register_daily(name: str, job: DailyJob) -> None:
    """`job(day, now)` runs once for each day, in day order, catching up missed days."""
    _daily[name] = job


def register_periodic(name: str, job: PeriodicJob) -> None:
    """`job(now)` runs at every tick (once a minute); it must be idempotent by itself."""
    _periodic[name] = job


def _zones() -> set[str]:
    from django.contrib.auth import get_user_model

    names = set(
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(time_zone="")
        .values_list("time_zone", flat=True)
        .distinct()
    )
    names.add(settings.TIME_ZONE)
    return names


def day_reached(now: datetime.datetime) -> datetime.date:
    """The latest date anywhere Clientela's users live (and in the firm's time zone)."""
    days = []
    for name in _zones():
        try:
            zone = zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
        days.append(timezone.localtime(now, zone).date())
    return max(days)


def days_due(name: str, *, reached: datetime.date, now: datetime.datetime) -> list[datetime.date]:
    """The days job `name` still has to run for, oldest first (the first run: `reached` only)."""
    earliest = reached - datetime.timedelta(days=CATCH_UP_DAYS - 1)
    runs = JobRun.objects.filter(name=name, day__gte=earliest, day__lte=reached)
    last = JobRun.objects.filter(name=name).order_by("-day").values_list("day", flat=True).first()
    if last is None:
        return [reached]
    start = max(last + datetime.timedelta(days=1), earliest)
    days = {start + datetime.timedelta(days=n) for n in range((reached - start).days + 1)}
    days.update(
        runs.filter(finished_at__isnull=True, started_at__lt=now - STALE_CLAIM).values_list(
            "day", flat=True
        )
    )
    return sorted(days)


def claim(name: str, day: datetime.date, now: datetime.datetime) -> bool:
    """True if this process may run job `name` for `day`: its row was inserted here, or the
    worker that inserted it died without finishing."""
    try:
        with transaction.atomic():
            JobRun.objects.create(name=name, day=day, started_at=now)
    except IntegrityError:
        return (
            JobRun.objects.filter(
                name=name, day=day, finished_at__isnull=True, started_at__lt=now - STALE_CLAIM
            ).update(started_at=now)
            == 1
        )
    return True


def run_daily_job(name: str, day: datetime.date, now: datetime.datetime) -> str:
    """Run one daily job for one day unless another worker has; "done", "taken" or "error"."""
    if not claim(name, day, now):
        return "taken"
    try:
        result = _daily[name](day, now)
    except Exception:
        logger.exception("Job %s for %s failed; it runs again at the next tick", name, day)
        JobRun.objects.filter(name=name, day=day, finished_at__isnull=True).delete()
        return "error"
    JobRun.objects.filter(name=name, day=day).update(
        finished_at=timezone.now(), result=str(result if result is not None else "")[:300]
    )
    logger.info("Job %s for %s done: %s", name, day, result)
    return "done"


def run_due_jobs(now: datetime.datetime | None = None) -> dict[str, str]:
    """One tick: every daily job for every day it still owes, then every periodic job.

    Returns what happened, by "name" or "name day", for the logs and the tests.
    """
    now = now or timezone.now()
    report: dict[str, str] = {}
    if _daily:
        reached = day_reached(now)
        for name in list(_daily):
            for day in days_due(name, reached=reached, now=now):
                outcome = run_daily_job(name, day, now)
                report[f"{name} {day:%Y-%m-%d}"] = outcome
                if outcome == "error":
                    break  # the later days wait, so no day is skipped
    for name, job in list(_periodic.items()):
        try:
            report[name] = str(job(now))
        except Exception:
            logger.exception("Periodic job %s failed; it runs again at the next tick", name)
            report[name] = "error"
    return report


def schedule_forever(stop: threading.Event, *, interval: float = TICK_SECONDS) -> None:
    """Run `run_due_jobs` every `interval` seconds until `stop` is set (the worker's thread)."""
    while not stop.is_set():
        close_old_connections()
        try:
            run_due_jobs()
        except Exception:
            # A database that is down or locked for a moment: the next tick tries again.
            logger.exception("The scheduler's tick failed")
        finally:
            close_old_connections()
        stop.wait(interval)
