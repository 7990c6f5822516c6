"""Background entry points of activities: the daily reminders and the morning digests.

`register_jobs` (called when the app starts) hands both to the scheduler of every worker;
the tasks run the same functions through the task queue, for a run on demand.
"""

import datetime

from django.tasks import task
from django.utils import timezone

from clientela.activities import digest, reminders
from clientela.core import jobs


@task
def create_reminders_task(day: str) -> str:
    """The reminders of one day (ISO date): what the scheduler runs once per day."""
    return reminders.reminders_create(datetime.date.fromisoformat(day), timezone.now())


@task
def send_digests_task() -> str:
    """The morning digests due now."""
    return digest.digests_send(timezone.now())


def register_jobs() -> None:
    jobs.register_daily("reminders", reminders.reminders_create)
    jobs.register_periodic("digests", digest.digests_send)
