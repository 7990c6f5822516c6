"""Background entry points of occasions: thin, they call services.

Scheduled greetings need no task of their own to go out: `greeting_send` queues the email
with `send_after` set to the chosen moment and the outbox's periodic check sends it when due,
retrying on failure. `greetings_sync_status` only writes each greeting's status from its
email, for reports; run it periodically (every few minutes is plenty).
"""

from django.tasks import task

from clientela.occasions.services_greetings import greetings_sync_status as _sync


@task()
def greetings_sync_status() -> int:
    """Write scheduled → queued → sent / failed onto greetings from their emails."""
    return _sync()


def register_greeting_jobs() -> None:
    """Keep greetings' stored status in step with their emails, once a minute."""
    from clientela.core.jobs import register_periodic

    register_periodic("greetings_sync_status", lambda now: _sync(now))
