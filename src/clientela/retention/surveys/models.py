"""Satisfaction surveys: NPS (0–10) and CSAT (1–5) asked by email through a tokenised link.

A `SurveyRequest` is one question to one contact: scheduled (by a purchase, a resolved
complaint or by hand), then sent by the periodic job with a link holding a random token of
which only the SHA-256 is kept, then answered once (`SurveyAnswer`, unique per request) or
left to expire. Requests and answers keep the client's owner and team (copied when written,
moved along by contacts.client_copies and accounts.team_copies), so whoever sees the client
sees its surveys, and reports need no join.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.accounts.visibility import owner_visibility_q
from clientela.core.models import SingletonModel

NPS_RANGE = (0, 10)
CSAT_RANGE = (1, 5)
# The limits of the survey policy, in days.
MAX_DELAY_DAYS = 90
MAX_COOLDOWN_DAYS = 730
MAX_LINK_VALID_DAYS = 365


class SurveyKind(models.TextChoices):
    NPS = "nps", _("NPS (0–10)")
    CSAT = "csat", _("CSAT (1–5)")


class SurveyTrigger(models.TextChoices):
    PURCHASE = "purchase", _("after a purchase")
    COMPLAINT = "complaint", _("after a resolved complaint")
    MANUAL = "manual", _("sent by hand")


def score_range(kind: str) -> tuple[int, int]:
    return NPS_RANGE if kind == SurveyKind.NPS else CSAT_RANGE


def is_detractor(kind: str, score: int) -> bool:
    """NPS 0–6, CSAT 1–2: an unhappy client whose owner must hear of it at once."""
    return score <= 6 if kind == SurveyKind.NPS else score <= 2


def hash_survey_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ClientCopyQuerySet(models.QuerySet):
    """Rows seen by whoever sees their contact (owner and team are the contact's copies)."""

    def visible_to(self, user: Any) -> "ClientCopyQuerySet":
        return self.filter(owner_visibility_q(user, team_field="team"))


ClientCopyManager = models.Manager.from_queryset(ClientCopyQuerySet)


class SurveyPolicy(SingletonModel):
    """The firm's survey rules: one row, edited by an administrator on the survey settings page."""

    firm_name = models.CharField(
        _("firm name shown to clients"),
        max_length=200,
        blank=True,
        help_text=_("Shown on the survey page and in the email."),
    )
    after_purchase = models.BooleanField(_("ask after a purchase"), default=True)
    purchase_kind = models.CharField(
        _("survey after a purchase"), max_length=4, choices=SurveyKind.choices, default="nps"
    )
    purchase_delay_days = models.PositiveSmallIntegerField(
        _("days after the purchase"), default=3, validators=[MaxValueValidator(MAX_DELAY_DAYS)]
    )
    after_complaint = models.BooleanField(_("ask after a resolved complaint"), default=True)
    complaint_kind = models.CharField(
        _("survey after a complaint"), max_length=4, choices=SurveyKind.choices, default="csat"
    )
    complaint_delay_days = models.PositiveSmallIntegerField(
        _("days after the resolution"),
        default=1,
        validators=[MaxValueValidator(MAX_DELAY_DAYS)],
    )
    cooldown_days = models.PositiveSmallIntegerField(
        _("cool-down, days"),
        default=60,
        validators=[MaxValueValidator(MAX_COOLDOWN_DAYS)],
        help_text=_("Nobody is asked again within this many days, whatever the reason."),
    )
    link_valid_days = models.PositiveSmallIntegerField(
        _("link valid, days"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_LINK_VALID_DAYS)],
    )

    class Meta:
        verbose_name = _("survey policy")
        verbose_name_plural = _("survey policy")

    def __str__(self) -> str:
        return str(_("Survey policy"))


class SurveyOptOut(models.Model):
    """A contact who asked not to be surveyed (from the email's link or by its manager)."""

    contact = models.OneToOneField(
        "contacts.Contact",
        on_delete=models.CASCADE,
        related_name="survey_opt_out",
        verbose_name=_("contact"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    by_client = models.BooleanField(_("asked by the client"), default=False)

    class Meta:
        verbose_name = _("survey opt-out")
        verbose_name_plural = _("survey opt-outs")

    def __str__(self) -> str:
        return str(self.contact_id)


class SurveyRequest(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")
        SKIPPED = "skipped", _("skipped")

    class SkipReason(models.TextChoices):
        NONE = "", _("—")
        NO_EMAIL = "no_email", _("no email address")
        OPTED_OUT = "opted_out", _("asked not to be surveyed")
        COOLDOWN = "cooldown", _("asked recently")
        GONE = "gone", _("the contact was deleted")

    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        related_name="survey_requests",
        verbose_name=_("contact"),
    )
    # Always empty: present so that contacts.client_copies can treat it like its other copies.
    company = models.ForeignKey(
        "contacts.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("survey"), max_length=4, choices=SurveyKind.choices)
    trigger = models.CharField(_("reason"), max_length=9, choices=SurveyTrigger.choices)
    purchase = models.ForeignKey(
        "sales.Purchase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("purchase"),
    )
    complaint = models.ForeignKey(
        "complaints.Complaint",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("complaint"),
    )
    language = models.CharField(_("language"), max_length=5)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.SCHEDULED
    )
    skip_reason = models.CharField(
        _("why not sent"), max_length=9, choices=SkipReason.choices, blank=True
    )
    send_at = models.DateTimeField(_("send at"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    token_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    email = models.ForeignKey(
        "core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("asked by"),
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClientCopyManager()
    all_objects = ClientCopyManager()

    class Meta:
        verbose_name = _("survey request")
        verbose_name_plural = _("survey requests")
        indexes = [
            models.Index(fields=["contact", "-created_at", "-id"], name="survey_req_contact"),
            models.Index(
                fields=["send_at", "id"], condition=Q(status="scheduled"), name="survey_req_due"
            ),
            models.Index(fields=["contact", "sent_at"], name="survey_req_contact_sent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contact_id}"

    @property
    def is_expired(self) -> bool:
        return (
            self.status == self.Status.SENT
            and self.expires_at is not None
            and self.expires_at <= timezone.now()
        )

    @property
    def state(self) -> str:
        """The status a person reads: the stored one, or "expired" once the link ran out."""
        return "expired" if self.is_expired else self.status

    @property
    def state_display(self) -> str:
        return str(_("expired")) if self.is_expired else str(self.get_status_display())


class SurveyAnswer(models.Model):
    """One answer to one request; kind, contact, owner and team copied for cheap reports."""

    request = models.OneToOneField(
        SurveyRequest, on_delete=models.CASCADE, related_name="answer", verbose_name=_("survey")
    )
    kind = models.CharField(_("survey"), max_length=4, choices=SurveyKind.choices)
    contact = models.ForeignKey(
        "contacts.Contact",
        on_delete=models.PROTECT,
        related_name="survey_answers",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(10)])
    comment = models.TextField(_("comment"), blank=True)
    is_detractor = models.BooleanField(_("detractor"), default=False)
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    task = models.ForeignKey(
        "activities.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ClientCopyManager()
    all_objects = ClientCopyManager()

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        indexes = [
            models.Index(fields=["contact", "-answered_at", "-id"], name="survey_ans_contact"),
            models.Index(fields=["owner", "answered_at"], name="survey_ans_owner"),
            models.Index(fields=["team", "answered_at"], name="survey_ans_team"),
            models.Index(fields=["answered_at"], name="survey_ans_at"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="nps", score__lte=10) | Q(kind="csat", score__gte=1, score__lte=5),
                name="survey_answer_score_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.score}"
