"""Background entry points of core: thin, they call the outbox and the scheduler."""

from django.tasks import task

from clientela.core import jobs, mail


@task
def send_email_task(email_id: int) -> str:
    """Send one outbox email (a retry enqueues this task again with its delay)."""
    return mail.email_send(email_id)


@task
def send_emails_task(email_ids: list[int]) -> dict[str, int]:
    """Send outbox emails queued together (a campaign), one after another: how many ended how."""
    counts: dict[str, int] = {}
    for email_id in email_ids:
        outcome = mail.email_send(email_id)
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


@task
def run_scheduled_jobs_task() -> dict[str, str]:
    """Run every scheduled job that is due now: the same work as one tick of the scheduler."""
    return jobs.run_due_jobs()
