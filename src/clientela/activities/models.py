"""What managers do with clients: calls, meetings, emails and notes (activities), and tasks.

An activity belongs to a contact and/or a company (and optionally a deal). Its `owner` and
`team` are the client's, copied when it is written and moved along when the client changes
hands (contacts.client_copies), so whoever sees the client sees its whole story, the calls of
a manager who has left included. Who actually made the call is `user`: the workload counts
that.

A task's `owner` is its assignee; tasks are seen like every owned record (own / team / all).
"""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import OwnedRecord

ALIVE = Q(deleted_at__isnull=True)
OPEN = Q(deleted_at__isnull=True, done_at__isnull=True)
HAS_CLIENT = Q(contact__isnull=False) | Q(company__isnull=False)
ONE_TO_FIVE = [MinValueValidator(1), MaxValueValidator(5)]


class ActivityKind(models.TextChoices):
    CALL = "call", _("Call")
    MEETING = "meeting", _("Meeting")
    EMAIL = "email", _("Email")
    NOTE = "note", _("Note")


class Direction(models.TextChoices):
    OUTBOUND = "out", _("Outgoing")
    INBOUND = "in", _("Incoming")


class CallOutcome(models.TextChoices):
    TALKED = "talked", _("Talked")
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    VOICEMAIL = "voicemail", _("Left a voicemail")
    CALL_BACK = "call_back", _("Asked to call back")
    WRONG_NUMBER = "wrong_number", _("Wrong number")


class Mood(models.IntegerChoices):
    ANGRY = 1, _("Angry")
    UNHAPPY = 2, _("Unhappy")
    NEUTRAL = 3, _("Neutral")
    PLEASED = 4, _("Pleased")
    DELIGHTED = 5, _("Delighted")


class Draining(models.IntegerChoices):
    EASY = 1, _("1 — easy")
    LIGHT = 2, _("2 — light")
    USUAL = 3, _("3 — usual")
    HEAVY = 4, _("4 — heavy")
    EXHAUSTING = 5, _("5 — exhausting")


class Activity(OwnedRecord):
    kind = models.CharField(_("kind"), max_length=7, choices=ActivityKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
        verbose_name=_("company"),
    )
    deal = models.ForeignKey(
        "sales.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
        verbose_name=_("deal"),
    )
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    # A call's or meeting's start, an email's sending, a note's writing.
    started_at = models.DateTimeField(_("when"), default=timezone.now)
    # Calls.
    direction = models.CharField(
        _("direction"), max_length=3, choices=Direction.choices, blank=True
    )
    duration = models.DurationField(_("duration"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=CallOutcome.choices, blank=True)
    mood = models.PositiveSmallIntegerField(
        _("client's mood"), choices=Mood.choices, null=True, blank=True, validators=ONE_TO_FIVE
    )
    draining = models.PositiveSmallIntegerField(
        _("how draining"),
        choices=Draining.choices,
        null=True,
        blank=True,
        validators=ONE_TO_FIVE,
    )
    # Meetings.
    ended_at = models.DateTimeField(_("ends"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    attendees = models.CharField(_("attendees"), max_length=500, blank=True)
    # Emails (logged by hand): the address written to or from.
    email_address = models.CharField(_("email address"), max_length=254, blank=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        indexes = [
            # Timelines.
            models.Index(
                fields=["contact", "-started_at", "-id"], condition=ALIVE, name="activity_contact"
            ),
            models.Index(
                fields=["company", "-started_at", "-id"], condition=ALIVE, name="activity_company"
            ),
            models.Index(
                fields=["deal", "-started_at", "-id"], condition=ALIVE, name="activity_deal"
            ),
            # Lists and the workload: a user's day, a team's weeks.
            models.Index(fields=["user", "started_at"], condition=ALIVE, name="activity_user"),
            models.Index(
                fields=["owner", "-started_at", "-id"], condition=ALIVE, name="activity_owner"
            ),
            models.Index(
                fields=["team", "-started_at", "-id"], condition=ALIVE, name="activity_team"
            ),
            models.Index(fields=["-started_at", "-id"], condition=ALIVE, name="activity_started"),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="activity_trash"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="activity_has_client"),
            models.CheckConstraint(
                condition=Q(duration__isnull=True) | Q(duration__gte=datetime.timedelta(0)),
                name="activity_duration_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=models.F("started_at")),
                name="activity_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(mood__isnull=True) | Q(mood__gte=1, mood__lte=5),
                name="activity_mood_range",
            ),
            models.CheckConstraint(
                condition=Q(draining__isnull=True) | Q(draining__gte=1, draining__lte=5),
                name="activity_draining_range",
            ),
        ]

    def __str__(self) -> str:
        return self.subject or f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class TaskOrigin(models.TextChoices):
    MANUAL = "manual", _("Added by hand")
    FOLLOW_UP = "follow_up", _("Follow-up after a won deal")
    HANDOVER = "handover", _("Handover")
    REMINDER = "reminder", _("Reminder")
    # Made by the retention apps, which sit above this one: named here so that every task
    # tells where it came from.
    COMPLAINT = "complaint", _("Overdue complaint")
    SURVEY = "survey", _("Unhappy survey answer")
    PLAYBOOK = "playbook", _("Retention playbook")
    EXPERIMENT = "experiment", _("Retention experiment")


class Task(OwnedRecord):
    """Something to do by a due date (and optionally a time, in the assignee's time zone).

    `owner` is the assignee. `origin_key` makes a task created by the system unique: the
    follow-up of deal 42 is "deal_won:42", so it is never created twice.
    """

    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    due_date = models.DateField(_("due date"))
    due_time = models.TimeField(_("time"), null=True, blank=True)
    urgent = models.BooleanField(
        _("urgent"), default=False, help_text=_("Never suggested for moving on a heavy day.")
    )
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tasks",
        verbose_name=_("company"),
    )
    deal = models.ForeignKey(
        "sales.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("deal"),
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("done by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=TaskOrigin.choices, default=TaskOrigin.MANUAL
    )
    origin_key = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            # "My day": the assignee's open tasks by due date.
            models.Index(
                fields=["owner", "due_date", "due_time", "id"], condition=OPEN, name="task_my_day"
            ),
            models.Index(
                fields=["team", "due_date", "due_time", "id"], condition=OPEN, name="task_team_open"
            ),
            models.Index(
                fields=["due_date", "due_time", "id"], condition=OPEN, name="task_open_due"
            ),
            # Timelines.
            models.Index(
                fields=["contact", "-created_at", "-id"], condition=ALIVE, name="task_contact"
            ),
            models.Index(
                fields=["company", "-created_at", "-id"], condition=ALIVE, name="task_company"
            ),
            models.Index(fields=["deal", "-created_at", "-id"], condition=ALIVE, name="task_deal"),
            models.Index(
                fields=["owner", "-created_at", "-id"], condition=ALIVE, name="task_owner"
            ),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="task_trash"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["origin_key"], condition=~Q(origin_key=""), name="task_origin_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None
