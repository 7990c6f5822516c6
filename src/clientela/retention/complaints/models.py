"""Complaints handled against a deadline, and the policy that sets the deadline per severity.

A complaint is owned like a purchase: its owner (the person handling it) and team are its
client's by default, copied when it is written and moved along when the client changes hands
(contacts.client_copies, accounts.team_copies), so whoever sees the client sees its
complaints. The deadline is `received_at` (or the last reopening) plus the hours the policy
gives its severity; the services keep it in step.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import ALIVE, OwnedRecord
from clientela.core.models import SingletonModel

HAS_CLIENT = Q(contact__isnull=False) | Q(company__isnull=False)


class ComplaintStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ComplaintStatus.NEW, ComplaintStatus.IN_PROGRESS)
IS_OPEN = Q(status__in=OPEN_STATUSES)


class ComplaintChannel(models.TextChoices):
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    MEETING = "meeting", _("Meeting")
    MESSENGER = "messenger", _("Messenger")
    WEBSITE = "website", _("Website")
    SOCIAL = "social", _("Social media")
    OTHER = "other", _("Other")


class ComplaintCategory(models.TextChoices):
    PRODUCT = "product", _("Product")
    DELIVERY = "delivery", _("Delivery")
    SERVICE = "service", _("Service")
    BILLING = "billing", _("Billing")
    STAFF = "staff", _("Staff")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    CRITICAL = "critical", _("Critical")


# Hours to resolve a complaint of each severity, until an administrator sets others.
DEFAULT_HOURS = {
    Severity.CRITICAL: 4,
    Severity.HIGH: 24,
    Severity.NORMAL: 72,
    Severity.LOW: 168,
}
MAX_HOURS = 24 * 365


def _hours_field(label: Any, severity: Severity) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        label,
        default=DEFAULT_HOURS[severity],
        validators=[MinValueValidator(1), MaxValueValidator(MAX_HOURS)],
    )


class ComplaintPolicy(SingletonModel):
    """How many hours a complaint of each severity may take: one row, edited by an administrator
    (Complaints → Deadlines). `ComplaintPolicy.current()` reads it, creating the defaults."""

    critical_hours = _hours_field(_("critical, hours"), Severity.CRITICAL)
    high_hours = _hours_field(_("high, hours"), Severity.HIGH)
    normal_hours = _hours_field(_("normal, hours"), Severity.NORMAL)
    low_hours = _hours_field(_("low, hours"), Severity.LOW)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("complaint deadlines")
        verbose_name_plural = _("complaint deadlines")

    def __str__(self) -> str:
        return str(_("Complaint deadlines"))

    def hours_for(self, severity: str) -> int:
        return int(getattr(self, f"{severity}_hours"))

    def time_for(self, severity: str) -> datetime.timedelta:
        return datetime.timedelta(hours=self.hours_for(severity))


class Complaint(OwnedRecord):
    """A client's complaint: who, about what, how bad, by when it must be resolved, and how it
    was resolved (with the compensation given, a gesture with its cost)."""

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="complaints",
        verbose_name=_("company"),
    )
    deal = models.ForeignKey(
        "sales.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("deal"),
    )
    purchase = models.ForeignKey(
        "sales.Purchase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("purchase"),
    )
    channel = models.CharField(
        _("received through"), max_length=10, choices=ComplaintChannel.choices
    )
    category = models.CharField(_("category"), max_length=10, choices=ComplaintCategory.choices)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.NORMAL
    )
    description = models.TextField(_("description"))
    status = models.CharField(
        _("status"), max_length=12, choices=ComplaintStatus.choices, default=ComplaintStatus.NEW
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"))
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    reopened_at = models.DateTimeField(_("reopened"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason to reopen"), blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    # The deadline that was escalated: a new deadline (reopened, severity changed) may be
    # escalated again, the same one never twice.
    escalated_deadline = models.DateTimeField(null=True, blank=True, editable=False)
    escalated_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("escalated to")
    )
    compensation = models.ForeignKey(
        "occasions.Gesture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="complaints",
        verbose_name=_("compensation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["deadline", "id"], condition=ALIVE, name="complaint_deadline"),
            models.Index(
                fields=["owner", "deadline", "id"], condition=ALIVE, name="complaint_owner"
            ),
            models.Index(fields=["team", "deadline", "id"], condition=ALIVE, name="complaint_team"),
            models.Index(fields=["contact", "status"], condition=ALIVE, name="complaint_contact"),
            models.Index(fields=["company", "status"], condition=ALIVE, name="complaint_company"),
            # The escalation job: open complaints by deadline.
            models.Index(
                fields=["deadline"],
                condition=ALIVE & Q(status__in=["new", "in_progress"]),
                name="complaint_open_deadline",
            ),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="complaint_trash"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="complaint_has_client"),
        ]

    def __str__(self) -> str:
        summary = " ".join(self.description.split())
        if len(summary) > 60:
            summary = summary[:59] + "…"
        return f"#{self.pk} {summary}" if self.pk else summary

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, now: datetime.datetime | None = None) -> bool:
        return self.is_open and self.deadline < (now or timezone.now())

    @property
    def overdue(self) -> bool:
        return self.is_overdue()

    @property
    def deadline_base(self) -> datetime.datetime:
        """The moment the deadline counts from: the last reopening, else the receipt."""
        return self.reopened_at or self.received_at

    @property
    def client(self) -> object:
        return self.contact if self.contact_id else self.company
