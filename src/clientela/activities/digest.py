"""The morning digest: one email a day to each manager, in their language and time zone.

At `FirmSettings.digest_hour` in the user's own time zone (or at the first tick after it, if the
worker was down then), each active user who can write and has an email address gets the
occasions of their clients for today and the next days, their overdue tasks and today's. The
`JobRun` row ("digest:<user id>", local date) is inserted in the same transaction as the email,
so a digest is sent at most once per user and day, whichever worker gets there first. A day with
nothing to say sends nothing and says so in the log. Missed days are not sent later: yesterday's
digest is of no use today.
"""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation
from django.utils.translation import gettext as _

from clientela.accounts.models import Role, User
from clientela.accounts.zones import user_zone
from clientela.activities.models import Task
from clientela.core.mail import queue_email
from clientela.core.models import FirmSettings, JobRun
from clientela.occasions.agenda import AgendaItem, agenda_window

logger = logging.getLogger(__name__)

DIGEST_DAYS = 7  # today and the six days after it
MAX_ROWS = 50  # per section; the rest is "and N more"


def digest_job_name(user: User) -> str:
    return f"digest:{user.pk}"


@dataclasses.dataclass
class Digest:
    user: User
    day: datetime.date
    occasions: list[AgendaItem]  # whole days, at most MAX_ROWS
    overdue: list[Task]
    overdue_count: int
    today: list[Task]
    today_count: int

    @property
    def is_empty(self) -> bool:
        return not (self.occasions or self.overdue_count or self.today_count)


def digest_collect(user: User, day: datetime.date) -> Digest:
    """What the digest of `user` for `day` (the user's local date) says: the agenda of their
    own clients for the digest's days, and their open tasks."""
    window = agenda_window(user, days=DIGEST_DAYS, scope="mine", today=day, limit=MAX_ROWS)
    open_tasks = Task.objects.filter(owner=user, done_at__isnull=True).select_related(
        "contact", "company"
    )
    overdue = open_tasks.filter(due_date__lt=day).order_by("due_date", "due_time", "id")
    today = open_tasks.filter(due_date=day).order_by("due_time", "id")
    return Digest(
        user=user,
        day=day,
        occasions=window.items,
        overdue=list(overdue[:MAX_ROWS]),
        overdue_count=overdue.count(),
        today=list(today[:MAX_ROWS]),
        today_count=today.count(),
    )


def digest_send(user: User, day: datetime.date, now: datetime.datetime) -> str:
    """Queue the digest of `user` for `day` unless it was done: "queued", "empty" or "taken"."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = JobRun.objects.create(
                    name=digest_job_name(user), day=day, started_at=now, finished_at=now
                )
        except IntegrityError:
            return "taken"
        digest = digest_collect(user, day)
        if digest.is_empty:
            run.result = "nothing to say"
            run.save(update_fields=["result"])
            logger.info("No digest for %s on %s: nothing to say", user.username, day)
            return "empty"
        language = user.language or settings.LANGUAGE_CODE
        with translation.override(language):
            subject = _("Your day, %(date)s") % {"date": dateformat.format(day, "j E")}
            body = render_to_string(
                "activities/digest_email.txt", {"digest": digest, "site": settings.SITE_URL}
            )
        email = queue_email(
            to=user.email, subject=subject, body=body, language=language, purpose="digest"
        )
        run.result = f"email {email.pk}"
        run.save(update_fields=["result"])
    logger.info("Digest for %s on %s queued as email %s", user.username, day, email.pk)
    return "queued"


def digests_send(now: datetime.datetime) -> str:
    """Every digest due at `now`: users whose local hour has reached the digest hour and whose
    digest for their local date is not done yet."""
    hour = FirmSettings.current().digest_hour
    due: dict[str, tuple[User, datetime.date]] = {}
    users = (
        User.objects.filter(is_active=True).exclude(role=Role.VIEWER).exclude(email="")
    ).order_by("id")
    for user in users:
        local = timezone.localtime(now, user_zone(user))
        if local.hour >= hour:
            due[digest_job_name(user)] = (user, local.date())
    if not due:
        return "none due"
    done = set(
        JobRun.objects.filter(
            name__in=due.keys(), day__in={day for _user, day in due.values()}
        ).values_list("name", "day")
    )
    outcomes: dict[str, int] = {}
    for name, (user, day) in due.items():
        if (name, day) in done:
            continue
        outcome = digest_send(user, day, now)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items())) or "done"
