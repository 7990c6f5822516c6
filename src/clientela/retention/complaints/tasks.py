"""Background entry points of complaints: the escalation of overdue complaints.

`register_jobs` (called when the app starts) hands the escalation to the scheduler of every
worker, once a minute; the task runs the same function through the task queue, on demand.
"""

from django.tasks import task
from django.utils import timezone

from clientela.core import jobs
from clientela.retention.complaints.services import complaints_escalate


@task
def escalate_complaints_task() -> str:
    """Escalate the complaints overdue now."""
    return complaints_escalate(timezone.now())


def register_jobs() -> None:
    jobs.register_periodic("complaints_escalate", complaints_escalate)
