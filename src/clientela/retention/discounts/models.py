"""The discount policy: limits by role and client segment, a margin floor, and approvals.

Limits. The most a user may give is the smaller of two limits: the limit of the user's role
(manager, lead, administrator; empty = no limit) and the limit of the client's segment (the
smallest of the segment rules the client matches, by contact stage and/or tag; no rule
matched = no segment limit). A deal or purchase may record its cost; then its margin,
(price − cost) / price with the price after the discount, must not fall below the floor.

Until an administrator saves the policy (Discount policy settings), nothing is limited: the
firm works as it did before the policy existed.

Above the limit or below the floor, a save is refused unless a lead (of the requester's team,
not the requester) or an administrator approved a `DiscountRequest` for that deal or
purchase; the approval lets it be saved once, with up to the approved discount.
"""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clientela.accounts.models import Role
from clientela.accounts.visibility import owner_visibility_q
from clientela.contacts.models import Lifecycle
from clientela.core.money import DECIMAL_PLACES, DEFAULT_CURRENCY, MAX_DIGITS

PERCENT = [MinValueValidator(0), MaxValueValidator(100)]


def _percent_field(verbose_name: Any, **kwargs: Any) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=5, decimal_places=2, validators=PERCENT, **kwargs
    )


class DiscountPolicy(models.Model):
    """The firm's policy: one row (pk 1). No row yet: no limits (see the module docstring)."""

    manager_max_percent = _percent_field(
        _("largest discount of a manager, %"),
        null=True,
        blank=True,
        default=Decimal("5"),
        help_text=_("Empty: no limit."),
    )
    lead_max_percent = _percent_field(
        _("largest discount of a team lead, %"),
        null=True,
        blank=True,
        default=Decimal("15"),
        help_text=_("Empty: no limit."),
    )
    admin_max_percent = _percent_field(
        _("largest discount of an administrator, %"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Empty: no limit."),
    )
    margin_floor_percent = _percent_field(
        _("margin floor, %"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "When a deal or purchase records its cost: the least margin, "
            "(price − cost) / price, the price after the discount. Empty: no floor."
        ),
    )
    approval_days = models.PositiveSmallIntegerField(
        _("an approval is valid for, days"),
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    updated_at = models.DateTimeField(_("changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("discount policy")
        verbose_name_plural = _("discount policy")

    def __str__(self) -> str:
        return str(_("Discount policy"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # one row, whoever saves it
        super().save(*args, **kwargs)


class SegmentRule(models.Model):
    """ "Clients tagged VIP: up to 15 %", "leads: 0 %". A client matches when it has the
    stage (contacts only) and the tag, of those the rule names."""

    lifecycle = models.CharField(
        _("contact stage"), max_length=10, choices=Lifecycle.choices, blank=True
    )
    tag = models.ForeignKey(
        "contacts.Tag",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("tag"),
    )
    max_percent = _percent_field(_("largest discount, %"))

    class Meta:
        verbose_name = _("segment rule")
        verbose_name_plural = _("segment rules")
        ordering = ["lifecycle", "tag__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(lifecycle="") | Q(tag__isnull=False),
                name="discount_rule_names_a_segment",
            ),
            models.CheckConstraint(
                condition=Q(max_percent__gte=0, max_percent__lte=100),
                name="discount_rule_percent_range",
            ),
        ]

    def __str__(self) -> str:
        parts = []
        if self.lifecycle:
            parts.append(str(self.get_lifecycle_display()))
        if self.tag_id is not None:
            parts.append(f"#{self.tag}")
        return f"{' + '.join(parts)}: {self.max_percent.normalize():f} %"


class RequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for a decision")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    USED = "used", _("Used")


class RequestSubject(models.TextChoices):
    DEAL = "deal", _("Deal")
    PURCHASE = "purchase", _("Purchase")


class DiscountRequestQuerySet(models.QuerySet["DiscountRequest"]):
    def visible_to(self, user: Any) -> "DiscountRequestQuerySet":
        """Like an owned record with the requester as its owner: the requester, their team's
        lead and viewers (by scope) and administrators."""
        seen = owner_visibility_q(user, owner_field="requested_by", team_field="team")
        if user.is_authenticated and user.is_active and user.role == Role.LEAD and user.team_id:
            # A lead decides the team's requests whatever records their scope shows.
            seen |= Q(team_id=user.team_id)
        return self.filter(seen)


class DiscountRequest(models.Model):
    """A request to give more than the limit (or less than the margin floor) on one deal or
    purchase of a client. `amount` is the price after the discount, like a purchase's."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # The requester's team when it was filed: whose lead decides, and who sees it.
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("team"),
    )
    subject = models.CharField(_("for a"), max_length=10, choices=RequestSubject.choices)
    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("company"),
    )
    deal = models.ForeignKey(
        "sales.Deal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("deal"),
    )
    purchase = models.ForeignKey(
        "sales.Purchase",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("purchase"),
    )
    discount_percent = _percent_field(_("discount, %"))
    amount = models.DecimalField(
        _("price after the discount"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES
    )
    cost = models.DecimalField(
        _("cost to the firm"),
        max_digits=MAX_DIGITS,
        decimal_places=DECIMAL_PLACES,
        null=True,
        blank=True,
    )
    currency = models.CharField(_("currency"), max_length=3, default=DEFAULT_CURRENCY)
    # The requester's limit for this client when the request was filed (empty: none).
    limit_percent = _percent_field(_("limit, %"), null=True, blank=True)
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=10, choices=RequestStatus.choices, default=RequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = DiscountRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("discount request")
        verbose_name_plural = _("discount requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["team", "status", "-created_at"], name="discount_req_team"),
            models.Index(
                fields=["requested_by", "status", "-created_at"], name="discount_req_requester"
            ),
            models.Index(fields=["status", "-created_at"], name="discount_req_status"),
            models.Index(fields=["purchase", "status"], name="discount_req_purchase"),
            models.Index(fields=["deal", "status"], name="discount_req_deal"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | Q(company__isnull=False),
                name="discount_req_has_client",
            ),
            models.CheckConstraint(
                condition=Q(discount_percent__gte=0, discount_percent__lte=100),
                name="discount_req_percent_range",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & (Q(cost__isnull=True) | Q(cost__gte=0)),
                name="discount_req_money_not_negative",
            ),
        ]

    def __str__(self) -> str:
        client = self.contact or self.company
        return f"{self.discount_percent.normalize():f} % · {client}"

    @property
    def is_open(self) -> bool:
        return self.status == RequestStatus.PENDING
