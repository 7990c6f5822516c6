"""Personal dates of clients, name days, firm-wide dates, greetings and gestures.

`Occasion` rows are the yearly dates of each client, kept ready for the agenda: birthdays and
name days and anniversaries recomputed from the client's record whenever it changes, custom
dates entered by hand. Each row carries `mmdd` (month × 100 + day) and the client's owner and
team (copied, like purchases, and moved along by contacts.client_copies), so "the next 30 days
of my clients" is one or two ranges of an (owner, mmdd) index, at any number of clients.
"""

import calendar
import datetime
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from clientela.accounts.visibility import owner_visibility_q
from clientela.core.money import DECIMAL_PLACES, DEFAULT_CURRENCY, MAX_DIGITS, validate_currency
from clientela.occasions.firm_date_rules import firm_date_text
from clientela.occasions.namedays import saint_name

HAS_CLIENT = Q(contact__isnull=False) | Q(company__isnull=False)
MONTH = [MinValueValidator(1), MaxValueValidator(12)]
DAY = [MinValueValidator(1), MaxValueValidator(31)]


class ClientCopyQuerySet(models.QuerySet):
    """Rows seen by whoever sees their client (owner and team are the client's copies)."""

    def visible_to(self, user: Any) -> "ClientCopyQuerySet":
        return self.filter(owner_visibility_q(user, team_field="team"))


ClientCopyManager = models.Manager.from_queryset(ClientCopyQuerySet)


class Tradition(models.TextChoices):
    NEW = "new", _("New calendar (Orthodox Church of Ukraine, Greek Catholics, since 2023)")
    JULIAN = "julian", _("Julian calendar (13 days later)")


class OccasionKind(models.TextChoices):
    BIRTHDAY = "birthday", pgettext_lazy("occasion", "Birthday")
    NAME_DAY = "name_day", _("Name day")
    ANNIVERSARY = "anniversary", _("Client anniversary")
    CUSTOM = "custom", _("Other date")


class ClientDates(models.Model):
    """A client's own choices about its dates: one row per contact or company, when set."""

    contact = models.OneToOneField(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dates",
    )
    company = models.OneToOneField(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="dates",
    )
    tradition = models.CharField(
        _("church calendar"),
        max_length=6,
        choices=Tradition.choices,
        blank=True,
        help_text=_("Empty: the firm's choice."),
    )
    # A name day set by hand wins over the one computed from the first name.
    name_day_month = models.PositiveSmallIntegerField(
        _("name day month"), null=True, blank=True, validators=MONTH
    )
    name_day_day = models.PositiveSmallIntegerField(
        _("name day"), null=True, blank=True, validators=DAY
    )
    no_name_day = models.BooleanField(_("does not celebrate a name day"), default=False)
    client_since = models.DateField(
        _("client since"),
        null=True,
        blank=True,
        help_text=_("Empty: the date of the first purchase."),
    )

    class Meta:
        verbose_name = _("client's dates")
        verbose_name_plural = _("clients' dates")
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="client_dates_has_client"),
            models.CheckConstraint(
                condition=Q(name_day_month__isnull=True, name_day_day__isnull=True)
                | Q(name_day_month__isnull=False, name_day_day__isnull=False),
                name="client_dates_name_day_whole",
            ),
        ]

    def __str__(self) -> str:
        return str(self.contact or self.company)


class Occasion(models.Model):
    """One yearly date of a client, ready for the agenda."""

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occasions",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="occasions",
        verbose_name=_("company"),
    )
    # The client's owner and team, copied (contacts.client_copies keeps them in step).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "accounts.Team", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=OccasionKind.choices)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    day = models.PositiveSmallIntegerField(_("day"), validators=DAY)
    mmdd = models.PositiveSmallIntegerField(editable=False)  # month * 100 + day: 229 is 29 Feb
    # Days to add in a leap year: -1 for a Julian name day of 16–28 February, kept as 1–13 March
    # (a common year's date) and celebrated on 29 February–12 March in a leap year.
    leap_shift = models.SmallIntegerField(default=0, editable=False)
    year = models.PositiveSmallIntegerField(
        _("year"), null=True, blank=True, help_text=_("For “turns 40” or “10 years together”.")
    )
    label = models.CharField(_("what"), max_length=200, blank=True)
    manual = models.BooleanField(default=False, editable=False)  # entered by hand, not computed
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClientCopyManager()
    all_objects = ClientCopyManager()  # the name the owner- and team-copy registries use

    class Meta:
        verbose_name = _("occasion")
        verbose_name_plural = _("occasions")
        indexes = [
            models.Index(fields=["owner", "mmdd", "id"], name="occasion_owner_day"),
            models.Index(fields=["team", "mmdd", "id"], name="occasion_team_day"),
            models.Index(fields=["mmdd", "id"], name="occasion_day"),
            models.Index(fields=["contact", "kind"], name="occasion_contact"),
            models.Index(fields=["company", "kind"], name="occasion_company"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="occasion_has_client"),
            models.CheckConstraint(
                condition=Q(mmdd__gte=101, mmdd__lte=1231), name="occasion_mmdd_range"
            ),
            # The agenda and the reminders count on a shift only for 1–13 March.
            models.CheckConstraint(
                condition=Q(leap_shift=0) | Q(leap_shift=-1, mmdd__gte=301, mmdd__lte=313),
                name="occasion_leap_shift",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.day:02d}.{self.month:02d}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.mmdd = self.month * 100 + self.day
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def label_shown(self) -> str:
        """The label in the active language: a name day's saint is kept in Ukrainian and named
        in Russian or English as the reader reads; other labels are the words people typed."""
        if self.kind == OccasionKind.NAME_DAY:
            return saint_name(self.label, get_language() or settings.LANGUAGE_CODE)
        return self.label


class FirmDate(models.Model):
    """A firm-wide date to greet clients on: the firm's founding day, a professional holiday
    the firm's clients celebrate, … (public holidays come from the `holidays` library).

    A date is a fixed day of a month (`day`), or a weekday of a month (`weekday` and `week`:
    "the second Sunday of August", "the last Friday of July"), as Ukraine's professional days
    are set. `names` holds the name in other languages ({"ru": …}), shown to whoever reads
    that language; `name` is shown otherwise. `preset` names the professional day it was added
    from (occasions.professional_days), so it is not offered twice.
    """

    class Week(models.IntegerChoices):
        FIRST = 1, _("first")
        SECOND = 2, _("second")
        THIRD = 3, _("third")
        FOURTH = 4, _("fourth")
        LAST = -1, _("last")

    name = models.CharField(_("name"), max_length=200)
    names = models.JSONField(_("name in other languages"), default=dict, blank=True)
    month = models.PositiveSmallIntegerField(_("month"), validators=MONTH)
    day = models.PositiveSmallIntegerField(_("day"), validators=DAY, null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), choices=list(WEEKDAYS.items()), null=True, blank=True
    )
    week = models.SmallIntegerField(_("week"), choices=Week.choices, null=True, blank=True)
    preset = models.CharField(max_length=40, blank=True, editable=False)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("firm date")
        verbose_name_plural = _("firm dates")
        ordering = ["month", "day", "week", "weekday", "name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(day__isnull=False, weekday__isnull=True, week__isnull=True)
                    | Q(
                        day__isnull=True,
                        weekday__gte=0,
                        weekday__lte=6,
                        week__in=[1, 2, 3, 4, -1],
                    )
                ),
                name="firm_date_day_or_weekday",
            ),
            models.UniqueConstraint(
                fields=["preset"], condition=~Q(preset=""), name="firm_date_preset_once"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def when(self) -> str:
        """ "16 July" or "the second Sunday of August", in the active language."""
        return firm_date_text(self.month, self.day, self.weekday, self.week)

    def name_in(self, language: str) -> str:
        """The name in `language` ("ru", "en-us", …) where given, else `name`."""
        return str(self.names.get((language or "")[:2]) or self.name)

    def date_in(self, year: int, leap_day_on: str) -> datetime.date | None:
        """The day it falls on in `year`: 29 February as the firm's setting says (see
        agenda.celebration_date), a weekday rule as the calendar of that year has it."""
        from clientela.occasions.agenda import celebration_date

        if self.day is not None:
            return celebration_date(self.month, self.day, year, leap_day_on)
        assert self.weekday is not None
        assert self.week is not None
        return nth_weekday(year, self.month, self.weekday, self.week)


def nth_weekday(year: int, month: int, weekday: int, week: int) -> datetime.date:
    """The `week`-th (1–4, or -1 for the last) `weekday` (0 is Monday) of a month."""
    days = calendar.monthrange(year, month)[1]
    if week == -1:
        last = datetime.date(year, month, days)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))


class GreetingTemplate(models.Model):
    """The text of a greeting for one kind of occasion in one language, with placeholders
    such as {first_name}, {formal_name}, {company} and {manager_name}."""

    name = models.CharField(_("name"), max_length=100)
    occasion_kind = models.CharField(
        _("for"),
        max_length=12,
        choices=[*OccasionKind.choices, ("holiday", _("Holiday"))],
    )
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("greeting template")
        verbose_name_plural = _("greeting templates")
        ordering = ["occasion_kind", "language", "name"]

    def __str__(self) -> str:
        return self.name


class Greeting(models.Model):
    """A greeting sent (or to be sent) to a client, kept for the timeline and the report."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("scheduled")
        QUEUED = "queued", _("queued")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="greetings",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="greetings",
        verbose_name=_("company"),
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
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("from")
    )
    occasion = models.ForeignKey(
        Occasion, null=True, blank=True, on_delete=models.SET_NULL, related_name="greetings"
    )
    occasion_kind = models.CharField(_("occasion"), max_length=12, blank=True)
    template = models.ForeignKey(
        GreetingTemplate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(_("language"), max_length=2)
    to_email = models.CharField(_("to"), max_length=254)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    # A personal greeting from the manager needs no marketing consent; it is marked as such.
    personal = models.BooleanField(_("personal, from the manager"), default=True)
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.QUEUED
    )
    send_at = models.DateTimeField(_("send at"), default=timezone.now)
    # The day a holiday campaign greeted for: a second campaign of that day skips the client.
    holiday = models.DateField(_("holiday"), null=True, blank=True)
    email = models.ForeignKey(
        "core.OutgoingEmail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ClientCopyManager()
    all_objects = ClientCopyManager()

    class Meta:
        verbose_name = _("greeting")
        verbose_name_plural = _("greetings")
        indexes = [
            models.Index(fields=["contact", "-created_at", "-id"], name="greeting_contact"),
            models.Index(fields=["company", "-created_at", "-id"], name="greeting_company"),
            models.Index(
                fields=["send_at", "id"], condition=Q(status="scheduled"), name="greeting_due"
            ),
            models.Index(
                fields=["holiday", "contact"],
                condition=Q(holiday__isnull=False),
                name="greeting_holiday",
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="greeting_has_client"),
        ]

    def __str__(self) -> str:
        return self.subject


class GestureKind(models.TextChoices):
    POSTCARD = "postcard", _("Postcard")
    FLOWERS = "flowers", _("Flowers")
    GIFT = "gift", _("Gift")
    VOUCHER = "voucher", _("Discount voucher")
    CALL = "call", _("Call")
    GREETING_EMAIL = "email", _("Greeting email")
    MESSAGE = "message", _("Message")


class Gesture(models.Model):
    """Something done for a client, for an occasion or not, with what it cost."""

    class Status(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("gesture", "planned")
        DONE = "done", pgettext_lazy("gesture", "done")
        CANCELLED = "cancelled", pgettext_lazy("gesture", "cancelled")

    class Response(models.TextChoices):
        NONE = "", _("no response yet")
        THANKED = "thanked", _("thanked")
        PLEASED = "pleased", _("pleased")
        BOUGHT = "bought", _("bought again")
        NEUTRAL = "neutral", _("neutral")
        NEGATIVE = "negative", _("negative")

    contact = models.ForeignKey(
        "contacts.Contact",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gestures",
        verbose_name=_("contact"),
    )
    company = models.ForeignKey(
        "contacts.Company",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="gestures",
        verbose_name=_("company"),
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
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    occasion = models.ForeignKey(
        Occasion,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gestures",
        verbose_name=_("occasion"),
    )
    occasion_kind = models.CharField(_("occasion"), max_length=12, blank=True)
    kind = models.CharField(_("gesture"), max_length=8, choices=GestureKind.choices)
    date = models.DateField(_("date"), default=timezone.localdate)
    cost = models.DecimalField(
        _("cost"), max_digits=MAX_DIGITS, decimal_places=DECIMAL_PLACES, default=0
    )
    currency = models.CharField(
        _("currency"), max_length=3, default=DEFAULT_CURRENCY, validators=[validate_currency]
    )
    status = models.CharField(
        _("status"), max_length=9, choices=Status.choices, default=Status.DONE
    )
    response = models.CharField(
        _("client's response"), max_length=8, choices=Response.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    greeting = models.ForeignKey(
        Greeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ClientCopyManager()
    all_objects = ClientCopyManager()

    class Meta:
        verbose_name = _("gesture")
        verbose_name_plural = _("gestures")
        indexes = [
            models.Index(fields=["contact", "-date", "-id"], name="gesture_contact"),
            models.Index(fields=["company", "-date", "-id"], name="gesture_company"),
            models.Index(fields=["owner", "-date", "-id"], name="gesture_owner"),
            models.Index(fields=["team", "-date", "-id"], name="gesture_team"),
            models.Index(fields=["-date", "-id"], name="gesture_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=HAS_CLIENT, name="gesture_has_client"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="gesture_cost_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"


class CalendarFeed(models.Model):
    """A user's private iCalendar address: the token is shown once, only its hash is kept."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}: {self.created_at:%Y-%m-%d}"
