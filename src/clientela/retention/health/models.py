"""Client health: the fitted models, each contact's score and the retention playbooks.

`HealthFit` keeps the latest fit of each model: one BG/NBD fit over every purchase (currency
blank), one Gamma-Gamma fit per currency with enough repeat buyers. `ClientHealth` is one row
per contact with purchases, rewritten by the nightly job; its `reasons` are codes with
parameters so the explanation is written in the reader's language when shown.
"""

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from clientela.core.models import SingletonModel
from clientela.core.money import DECIMAL_PLACES, MAX_DIGITS


class HealthSettings(SingletonModel):
    """The firm's choices for client health: one row, edited by an administrator."""

    threshold = models.PositiveSmallIntegerField(
        _("at risk below this score"),
        default=40,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Clients whose health score (0–100) is below this are on the at-risk list."),
    )
    min_repeat_buyers = models.PositiveSmallIntegerField(
        _("repeat buyers needed for a fit"),
        default=20,
        validators=[MinValueValidator(2), MaxValueValidator(10000)],
        help_text=_(
            "With fewer clients who bought more than once, health says “not enough history”."
        ),
    )

    class Meta:
        verbose_name = _("client health settings")
        verbose_name_plural = _("client health settings")

    def __str__(self) -> str:
        return str(_("Client health settings"))


class FitModel(models.TextChoices):
    BGNBD = "bgnbd", _("BG/NBD (purchase rhythm and drop-out)")
    GAMMA_GAMMA = "gamma_gamma", _("Gamma-Gamma (value per purchase)")


class HealthFit(models.Model):
    """The latest maximum-likelihood fit of one model (per currency for Gamma-Gamma)."""

    model = models.CharField(_("model"), max_length=12, choices=FitModel.choices)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    params: models.JSONField[Any] = models.JSONField(_("parameters"), default=dict)
    n = models.PositiveIntegerField(_("clients"))
    repeat_buyers = models.PositiveIntegerField(_("repeat buyers"), default=0)
    log_likelihood = models.FloatField(_("log-likelihood"), null=True)
    converged = models.BooleanField(_("converged"), default=False)
    enough_history = models.BooleanField(_("enough history"), default=False)
    calibration_end = models.DateField(_("history up to"))
    fitted_at = models.DateTimeField(_("fitted"))

    class Meta:
        verbose_name = _("health model fit")
        verbose_name_plural = _("health model fits")
        constraints = [
            models.UniqueConstraint(fields=["model", "currency"], name="health_fit_once"),
        ]

    def __str__(self) -> str:
        return f"{self.model} {self.currency}".strip()


class HealthStatus(models.TextChoices):
    SCORED = "scored", _("scored")
    NOT_ENOUGH_HISTORY = "history", _("not enough history")


class HealthLevel(models.TextChoices):
    GOOD = "good", _("healthy")
    WATCH = "watch", _("watch")
    AT_RISK = "at_risk", _("at risk")


class ClientHealth(models.Model):
    """The health of one contact who has bought something, as of `computed_at`.

    With `status` "history" (the firm's history is too short to fit) every number is empty.
    """

    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="health",
        verbose_name=_("contact"),
    )
    status = models.CharField(_("status"), max_length=8, choices=HealthStatus.choices)
    purchases = models.PositiveIntegerField(_("purchase days"), default=0)
    first_purchase = models.DateField(_("first purchase"), null=True)
    last_purchase = models.DateField(_("last purchase"), null=True)
    p_alive = models.FloatField(_("probability still active"), null=True)
    expected_purchases = models.FloatField(_("expected purchases, next 90 days"), null=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    expected_value = models.DecimalField(
        _("expected value per purchase"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
    )
    value_at_stake = models.DecimalField(
        _("value at stake"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, null=True
    )
    score = models.PositiveSmallIntegerField(_("health score"), null=True)
    level = models.CharField(_("level"), max_length=8, choices=HealthLevel.choices, blank=True)
    # [{"code": "no_purchase_for", "days": 140, "usual": 45}, ...]; see explanations.py.
    reasons: models.JSONField[Any] = models.JSONField(_("reasons"), default=list)
    computed_at = models.DateTimeField(_("computed"))
    entered_risk_at = models.DateTimeField(_("on the at-risk list since"), null=True)

    class Meta:
        verbose_name = _("client health")
        verbose_name_plural = _("client health")
        indexes = [
            models.Index(fields=["score"], name="health_score"),
            models.Index(fields=["-value_at_stake", "contact"], name="health_at_stake"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.score}"


class PlaybookStepKind(models.TextChoices):
    CALL = "call", _("Call")
    VISIT = "visit", _("Visit")
    OFFER = "offer", _("Offer")


class Playbook(models.Model):
    """What to do when a client of a segment enters the at-risk list.

    A segment is a contact stage and/or a tag (blank: any). The first active playbook, by
    position, whose segment matches the client is used, else the default one.
    """

    name = models.CharField(_("name"), max_length=100)
    lifecycle = models.CharField(_("contact stage"), max_length=10, blank=True)
    tag = models.ForeignKey(
        "contacts.Tag",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("tag"),
    )
    is_default = models.BooleanField(_("default"), default=False)
    active = models.BooleanField(_("active"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("retention playbook")
        verbose_name_plural = _("retention playbooks")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=models.Q(is_default=True), name="playbook_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaybookStep(models.Model):
    playbook = models.ForeignKey(
        Playbook, on_delete=models.CASCADE, related_name="steps", verbose_name=_("playbook")
    )
    kind = models.CharField(_("kind"), max_length=5, choices=PlaybookStepKind.choices)
    title = models.CharField(_("title"), max_length=200)
    due_in_days = models.PositiveSmallIntegerField(
        _("due in, days"), default=0, validators=[MaxValueValidator(365)]
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("playbook step")
        verbose_name_plural = _("playbook steps")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class PlaybookRun(models.Model):
    """A playbook applied to one entry of a contact into the at-risk list: never twice."""

    contact = models.ForeignKey(
        "contacts.Contact", on_delete=models.CASCADE, related_name="+", verbose_name=_("contact")
    )
    entered_at = models.DateTimeField(_("entered the at-risk list"))
    playbook = models.ForeignKey(
        Playbook, null=True, on_delete=models.SET_NULL, related_name="runs"
    )
    tasks = models.PositiveSmallIntegerField(_("tasks created"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("playbook run")
        verbose_name_plural = _("playbook runs")
        constraints = [
            models.UniqueConstraint(fields=["contact", "entered_at"], name="playbook_run_once"),
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.entered_at:%Y-%m-%d}"
