"""Background entry points of surveys: thin, they call services."""

import datetime

from clientela.retention.surveys.services import surveys_send_due


def send_due_surveys(now: datetime.datetime) -> str:
    counts = surveys_send_due(now)
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items())) or "none due"


def register_survey_jobs() -> None:
    """Send the surveys that are due, once a minute (each request is claimed under a lock)."""
    from clientela.core.jobs import register_periodic

    register_periodic("surveys_send_due", send_due_surveys)
