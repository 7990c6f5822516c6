"""Pipelines and their stages, deals moving through them, and purchases of clients.

Deals and purchases carry their owner and the owner's team like contacts do (kept in step by
the services and by `accounts.team_copies`), so `visible_to` is one index range.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from clientela.contacts.models import OwnedRecord
from clientela.core.money import DECIMAL_PLACES, DEFAULT_CURRENCY, MAX_DIGITS, validate_currency

ALIVE = Q(deleted_at__isnull=True)
HAS_CLIENT = Q(contact__isnull=False) | Q(company__isnull=False)
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


class StageKind(models.TextChoices):
    OPEN = "open", _("Open")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class Pipeline(models.Model):
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("default"), default=False)
    # An inactive pipeline keeps its deals but is not offered for new ones.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("pipeline")
        verbose_name_plural = _("pipelines")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="pipeline_one_default"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Stage(models.Model):
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.CASCADE, related_name="stages", verbose_name=_("pipeline")
    )
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(
        _("kind"), max_length=4, choices=StageKind.choices, default=StageKind.OPEN
    )
    probability = models.PositiveSmallIntegerField(
        _("default probability, %"), default=0, validators=PERCENT
    )
    # An inactive stage keeps its deals but is not offered for moves, nor shown when empty.
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("stage")
        verbose_name_plural = _("stages")
        ordering = ["pipeline", "position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(probability__lte=100), name="stage_probability"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.kind != StageKind.OPEN


class LostReason(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    active = models.BooleanField(_("offered"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("lost reason")
        verbose_name_plural = _("lost reasons")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Deal(OwnedRecord):
    title = models.CharField(_("title"), max_length=200)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deals",
        verbose_name=_("company"),
    )
    value = models.DecimalField(
        _("value"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    expected_close = models.DateField(_("expected close"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=100, blank=True)
    pipeline = models.ForeignKey(
        Pipeline, on_delete=models.PROTECT, related_name="deals", verbose_name=_("pipeline")
    )
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, related_name="deals", verbose_name=_("stage")
    )
    lost_reason = models.ForeignKey(
        LostReason,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lost reason"),
    )
    probability = models.PositiveSmallIntegerField(
        _("probability, %"), default=0, validators=PERCENT
    )
    # `value` is the price the client pays, after this discount (see Purchase).
    discount_percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    cost = models.DecimalField(
        _("cost to the firm"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_("What the deal costs the firm, in the deal's currency."),
    )
    stage_changed_at = models.DateTimeField(_("in this stage since"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    sort_title = models.CharField(max_length=200, editable=False)

    class Meta:
        verbose_name = _("deal")
        verbose_name_plural = _("deals")
        indexes = [
            # The board: one column is one range of (stage, card order).
            models.Index(
                fields=["stage", "-stage_changed_at", "-id"], condition=ALIVE, name="deal_board"
            ),
            models.Index(
                fields=["team", "stage", "-stage_changed_at", "-id"],
                condition=ALIVE,
                name="deal_team_board",
            ),
            models.Index(
                fields=["owner", "stage", "-stage_changed_at", "-id"],
                condition=ALIVE,
                name="deal_owner_board",
            ),
            # Lists.
            models.Index(
                fields=["pipeline", "created_at", "id"], condition=ALIVE, name="deal_pipeline"
            ),
            models.Index(fields=["created_at", "id"], condition=ALIVE, name="deal_created"),
            models.Index(fields=["updated_at", "id"], condition=ALIVE, name="deal_updated"),
            models.Index(fields=["sort_title", "id"], condition=ALIVE, name="deal_title"),
            models.Index(fields=["value", "id"], condition=ALIVE, name="deal_value"),
            models.Index(
                fields=["owner", "created_at", "id"], condition=ALIVE, name="deal_owner_created"
            ),
            models.Index(
                fields=["team", "created_at", "id"], condition=ALIVE, name="deal_team_created"
            ),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="deal_trash"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="deal_has_client"),
            models.CheckConstraint(condition=Q(value__gte=0), name="deal_value_not_negative"),
            models.CheckConstraint(condition=Q(probability__lte=100), name="deal_probability"),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=0, discount_percent__lte=100),
                name="deal_discount_range",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="deal_cost_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class DealStageChange(models.Model):
    """A deal entered `to_stage` at `at`; the time in a stage is the gap to the next change."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )

    class Meta:
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")
        indexes = [
            models.Index(fields=["deal", "at", "id"], name="deal_stage_change"),
            models.Index(fields=["to_stage", "at"], name="stage_change_report"),
        ]

    def __str__(self) -> str:
        return f"{self.deal_id}: {self.from_stage_id} → {self.to_stage_id}"


class Purchase(OwnedRecord):
    """What a client bought. Owner and team are the client's, copied when it is written, so a
    purchase is seen by whoever sees its client.

    `amount` is the price the client pays, after the discount: the list price was
    amount / (1 − discount_percent / 100). `cost` (optional, same currency) is what the sale
    costs the firm; the margin is (amount − cost) / amount.
    """

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="purchases",
        verbose_name=_("company"),
    )
    deal = models.ForeignKey(
        Deal,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="purchases",
        verbose_name=_("deal"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(_("amount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES)
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    description = models.CharField(_("what was bought"), max_length=500, blank=True)
    discount_percent = models.DecimalField(
        _("discount, %"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT,
    )
    cost = models.DecimalField(
        _("cost to the firm"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
        help_text=_("What the purchase costs the firm, in its currency."),
    )

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        indexes = [
            models.Index(
                fields=["contact", "-date", "-id"], condition=ALIVE, name="purchase_contact_date"
            ),
            models.Index(
                fields=["company", "-date", "-id"], condition=ALIVE, name="purchase_company_date"
            ),
            models.Index(fields=["-date", "-id"], condition=ALIVE, name="purchase_date"),
            models.Index(
                fields=["owner", "-date", "-id"], condition=ALIVE, name="purchase_owner_date"
            ),
            models.Index(
                fields=["team", "-date", "-id"], condition=ALIVE, name="purchase_team_date"
            ),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="purchase_trash"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="purchase_has_client"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="purchase_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(discount_percent__isnull=True)
                | Q(discount_percent__gte=0, discount_percent__lte=100),
                name="purchase_discount_range",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="purchase_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.amount} {self.currency}"


class DealSearchTerm(models.Model):
    """Folded words of a deal's title (see core.text), like contacts.ContactSearchTerm."""

    deal = models.ForeignKey(Deal, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["term", "deal"], name="deal_term")]

    def __str__(self) -> str:
        return self.term
