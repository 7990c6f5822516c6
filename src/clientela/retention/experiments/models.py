"""Gesture experiments: which gesture keeps clients, measured on the team's own clients.

An `Experiment` names its eligible clients (the contact list's filters, optionally narrowed to
at-risk clients), its `Arm`s (one of them the control) and its outcome: a purchase within
`window_days` days after the client was assigned. Starting it freezes the eligible clients
into `Assignment`s, dealt at random from the recorded seed. The outcome is not stored: it is
read from the purchases whenever the results are shown, so a purchase entered late counts.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.accounts.visibility import owner_visibility_q
from clientela.contacts.models import Contact
from clientela.core.money import DECIMAL_PLACES, DEFAULT_CURRENCY, MAX_DIGITS, validate_currency
from clientela.occasions.models import GestureKind

MAX_WINDOW_DAYS = 365


class ExperimentQuerySet(models.QuerySet):
    def visible_to(self, user: Any) -> "ExperimentQuerySet":
        """Experiments created by someone whose records the user sees (a lead: the team's; an
        administrator: all), and those that touch a client the user sees (a manager: the
        experiments some of whose clients are theirs)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        touched = Assignment.objects.filter(
            experiment_id=OuterRef("pk"),
            contact__in=Contact.objects.visible_to(user).values("pk"),
        )
        created = owner_visibility_q(user, owner_field="created_by")
        if not created:  # an empty filter: the user sees every experiment
            return self.all()
        return self.filter(created | Q(Exists(touched)))


class Experiment(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        RUNNING = "running", _("running")
        FINISHED = "finished", _("finished")

    name = models.CharField(_("name"), max_length=200)
    hypothesis = models.TextField(_("hypothesis"), blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.DRAFT
    )
    # The contact list's query parameters (owner, tag, lifecycle, company, q), as the list
    # takes them: parsed again for whoever starts the experiment.
    filters = models.JSONField(_("eligible clients"), default=dict, blank=True)
    at_risk_only = models.BooleanField(_("at-risk clients only"), default=False)
    window_days = models.PositiveSmallIntegerField(
        _("purchase within, days"),
        default=60,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WINDOW_DAYS)],
    )
    stratify_by_owner = models.BooleanField(_("balance the arms per owner"), default=True)
    seed = models.BigIntegerField(
        _("random seed"),
        null=True,
        blank=True,
        help_text=_("Empty: drawn at random when the experiment starts, then recorded."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("started by"),
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ExperimentQuerySet.as_manager()

    class Meta:
        verbose_name = _("experiment")
        verbose_name_plural = _("experiments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "-started_at"], name="experiment_status")]
        constraints = [
            models.CheckConstraint(
                condition=Q(seed__isnull=True) | Q(seed__gte=0), name="experiment_seed_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Arm(models.Model):
    """One way of treating the eligible clients: a gesture, a task for the owner, a greeting
    email (`greeting_template`, in each client's language where the template's occasion has
    one), any of them together, or nothing."""

    experiment = models.ForeignKey(
        Experiment, on_delete=models.CASCADE, related_name="arms", verbose_name=_("experiment")
    )
    name = models.CharField(_("name"), max_length=100)
    is_control = models.BooleanField(_("control arm"), default=False)
    gesture_kind = models.CharField(
        _("gesture"), max_length=8, choices=GestureKind.choices, blank=True
    )
    creates_task = models.BooleanField(_("a task for the client's owner"), default=False)
    greeting_template = models.ForeignKey(
        "occasions.GreetingTemplate",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("greeting email"),
    )
    cost = models.DecimalField(
        _("cost per client"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("arm")
        verbose_name_plural = _("arms")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["experiment", "name"], name="arm_name_once"),
            models.UniqueConstraint(
                fields=["experiment"], condition=Q(is_control=True), name="arm_one_control"
            ),
            models.CheckConstraint(condition=Q(cost__gte=0), name="arm_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class SendSkipped(models.TextChoices):
    """Why a client of an arm with a greeting email was not sent it (they stay assigned)."""

    NO_EMAIL = "no_email", _("no email address")
    NO_CONSENT = "no_consent", _("no marketing consent")


class Assignment(models.Model):
    """A client dealt to an arm when the experiment started. `window_ends_on` is the last day a
    purchase counts (assigned_on + window_days); purchases dated after assigned_on count.
    For an arm with a greeting email: `sent_greeting` is the greeting sent, or `send_skipped`
    says why none could be (the client still counts in the arm: intention to treat)."""

    experiment = models.ForeignKey(Experiment, on_delete=models.CASCADE, related_name="assignments")
    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="experiment_assignments"
    )
    arm = models.ForeignKey(Arm, on_delete=models.PROTECT, related_name="assignments")
    # The client's owner when dealt: the stratum, kept for the balance table.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_on = models.DateField()
    window_ends_on = models.DateField()
    task = models.ForeignKey(
        "activities.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    gesture = models.ForeignKey(
        "occasions.Gesture", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_greeting = models.ForeignKey(
        "occasions.Greeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    send_skipped = models.CharField(
        _("email not sent"), max_length=10, choices=SendSkipped.choices, blank=True
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["experiment", "contact"], name="assignment_once_per_client"
            ),
        ]
        indexes = [
            models.Index(fields=["experiment", "arm"], name="assignment_arm"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} → {self.arm_id}"
