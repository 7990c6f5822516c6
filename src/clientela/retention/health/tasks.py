"""Background entry points of client health: the nightly refit and rescoring."""

import datetime

from django.tasks import task
from django.utils import timezone

from clientela.core import jobs
from clientela.retention.health.services import health_recompute

JOB_NAME = "health_recompute"


def health_nightly(day: datetime.date, now: datetime.datetime) -> str:
    """What the scheduler runs once per day: refit on all purchases and rescore every client.

    After downtime the scheduler owes every missed day; the refit is of *now*, so only the
    latest owed day does it (the earlier ones would compute the same thing again).
    """
    if day < timezone.localdate(now):
        return "skipped: a later day refits"
    result = health_recompute(now=now)
    return f"{result.clients} clients, {result.at_risk} at risk, {result.tasks} tasks"


@task
def health_recompute_task() -> str:
    """The same refit on demand, through the task queue."""
    return health_nightly(timezone.localdate(), timezone.now())


def register_jobs() -> None:
    jobs.register_daily(JOB_NAME, health_nightly)
