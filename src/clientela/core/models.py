import datetime
from typing import Any, Self

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class LiveQuerySet(models.QuerySet):
    def alive(self) -> "LiveQuerySet":
        return self.filter(deleted_at__isnull=True)

    def trashed(self) -> "LiveQuerySet":
        return self.filter(deleted_at__isnull=False)


class SoftDeleteModel(TimeStampedModel):
    """A record that goes to the trash first; `objects` never shows trashed rows."""

    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        abstract = True

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


class AuditEvent(models.Model):
    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("changed")
        DELETE = "delete", _("moved to trash")
        RESTORE = "restore", _("restored")
        MERGE = "merge", _("merged")
        TRANSFER = "transfer", _("transferred")

    class Channel(models.TextChoices):
        WEB = "web", _("web")
        API = "api", _("API")
        CLI = "cli", _("command line")
        IMPORT = "import", _("import")
        SYSTEM = "system", _("system")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_events",
        verbose_name=_("who"),
    )
    channel = models.CharField(_("through"), max_length=10, choices=Channel.choices)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("kind"))
    object_id = models.BigIntegerField(_("record id"))
    object_repr = models.CharField(_("record"), max_length=200)
    # {"field": [old, new]} with values as shown to a person (labels, not keys).
    changes: models.JSONField[Any] = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("history event")
        verbose_name_plural = _("history")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="audit_object")]
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class SingletonModel(models.Model):
    """A table of one row (pk 1), such as the firm's settings of one part of Clientela:
    saving always writes that row, and `current()` reads it, created with the defaults the
    first time."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # one row, whoever saves it
        super().save(*args, **kwargs)

    @classmethod
    def current(cls) -> Self:
        found, _created = cls._default_manager.get_or_create(pk=1)
        return found


class FirmSettings(SingletonModel):
    """The firm's own choices: one row, edited by an administrator (Administration → Firm
    settings). `FirmSettings.current()` reads it, creating it with the defaults the first time."""

    follow_up_days = models.PositiveSmallIntegerField(
        _("follow-up after a won deal, days"),
        default=7,
        validators=[MaxValueValidator(365)],
        help_text=_("Winning a deal creates a follow-up task for its owner this many days later."),
    )
    draining_level = models.PositiveSmallIntegerField(
        _("a call is draining from this rating"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("Managers rate each call from 1 (easy) to 5 (exhausting)."),
    )
    draining_calls = models.PositiveSmallIntegerField(
        _("draining calls before the warning"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
    )
    morning_until = models.TimeField(
        _("morning ends at"),
        default=datetime.time(11, 0),
        help_text=_("That many draining calls before this hour mean an overloaded day."),
    )
    talk_minutes = models.PositiveSmallIntegerField(
        _("talk time before the warning, minutes"),
        default=120,
        validators=[MinValueValidator(1), MaxValueValidator(1440)],
    )

    # Occasions.
    calendar_tradition = models.CharField(
        _("church calendar for name days"),
        max_length=6,
        choices=[
            ("new", _("New calendar (Orthodox Church of Ukraine, Greek Catholics, since 2023)")),
            ("julian", _("Julian calendar (13 days later)")),
        ],
        default="new",
    )
    holiday_country = models.CharField(
        _("country of public holidays"),
        max_length=2,
        default="UA",
        help_text=_("Two-letter country code, such as UA, PL or DE."),
    )
    leap_day_on = models.CharField(
        _("29 February in other years"),
        max_length=5,
        choices=[("02-28", _("celebrated on 28 February")), ("03-01", _("celebrated on 1 March"))],
        default="02-28",
    )
    remind_birthday_days = models.PositiveSmallIntegerField(
        _("remind of birthdays, days before"), default=3, validators=[MaxValueValidator(60)]
    )
    remind_name_day_days = models.PositiveSmallIntegerField(
        _("remind of name days, days before"), default=1, validators=[MaxValueValidator(60)]
    )
    remind_anniversary_days = models.PositiveSmallIntegerField(
        _("remind of anniversaries, days before"), default=3, validators=[MaxValueValidator(60)]
    )
    remind_custom_days = models.PositiveSmallIntegerField(
        _("remind of other dates, days before"), default=3, validators=[MaxValueValidator(60)]
    )
    digest_hour = models.PositiveSmallIntegerField(
        _("morning digest at (hour, each manager's time)"),
        default=8,
        validators=[MaxValueValidator(23)],
    )

    class Meta:
        verbose_name = _("firm settings")
        verbose_name_plural = _("firm settings")

    def __str__(self) -> str:
        return str(_("Firm settings"))


class OutgoingEmail(models.Model):
    """An email Clientela sends: queued first, sent by a background job, retried on failure.

    Nothing is lost silently: a failure is recorded with its error and the next attempt's
    time; after the last attempt the email stays here as failed, for a person to see.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        SENDING = "sending", _("sending")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.CharField(_("to"), max_length=254)
    from_email = models.CharField(_("from"), max_length=254, blank=True)
    reply_to = models.CharField(_("reply to"), max_length=254, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    html = models.TextField(blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    headers: models.JSONField[Any] = models.JSONField(default=dict, blank=True)
    purpose = models.CharField(max_length=30, blank=True)  # "greeting", "digest", ...
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    send_after = models.DateTimeField(_("not before"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(
                fields=["send_after", "id"],
                condition=models.Q(status__in=["queued", "sending"]),
                name="email_due",
            ),
            models.Index(fields=["-created_at", "-id"], name="email_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.to}: {self.subject}"

    @property
    def problem(self) -> str:
        """What went wrong with the last attempt, in the reader's language (`last_error` keeps
        the mail server's own words, in English, for the operator)."""
        from clientela.core.mail import email_problem

        return email_problem(self.last_error)


class JobRun(models.Model):
    """One run of a scheduled job for one day: the row is the claim.

    Inserting (name, day) succeeds for one worker only, so two workers never run a job for
    the same day twice; a day without a row is a day still to run (catch-up after downtime).
    """

    name = models.CharField(_("job"), max_length=100)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["name", "day"], name="job_run_once")]
        indexes = [models.Index(fields=["name", "-day"], name="job_run_last")]

    def __str__(self) -> str:
        return f"{self.name} {self.day:%Y-%m-%d}"
