"""Background entry points of core: thin, they call the outbox and the scheduler."""

from django.tasks import task

from clientela.core import jobs, mail


@task
def send_email_task(email_id: int) -> str:
    """Send one outbox email (a retry enqueues this task again with its delay)."""
    return mail.email_send(email_id)


@task
def run_scheduled_jobs_task() -> dict[str, str]:
    """Run every scheduled job that is due now: the same work as one tick of the scheduler."""
    return jobs.run_due_jobs()
