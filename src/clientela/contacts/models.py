from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from clientela.accounts.visibility import owner_visibility_q
from clientela.core.models import LiveQuerySet, SoftDeleteModel

ALIVE = Q(deleted_at__isnull=True)


class Lifecycle(models.TextChoices):
    LEAD = "lead", _("Lead")
    PROSPECT = "prospect", _("Prospect")
    CUSTOMER = "customer", _("Customer")
    FORMER = "former", _("Former client")


class ContactLanguage(models.TextChoices):
    UK = "uk", _("Ukrainian")
    RU = "ru", _("Russian")
    EN = "en", _("English")


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def tag_named(name: str) -> Tag | None:
    """The tag called `name` in any letter case: "ВАЖЛИВИЙ" is the tag "важливий".

    `iexact` folds only ASCII on SQLite (and on PostgreSQL under the C locale), so a Cyrillic
    name that it misses is compared in Python among the tags of the same length.
    """
    tag = Tag.objects.filter(name__iexact=name).first()
    if tag is not None or name.isascii():
        return tag
    wanted = name.casefold()
    same_length = Tag.objects.alias(length=Length("name")).filter(length=len(name)).order_by("pk")
    return next((t for t in same_length if t.name.casefold() == wanted), None)


class CustomFieldDefinition(models.Model):
    class Entity(models.TextChoices):
        CONTACT = "contact", _("Contact")
        COMPANY = "company", _("Company")

    class FieldType(models.TextChoices):
        TEXT = "text", _("Text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice")

    entity = models.CharField(_("for"), max_length=10, choices=Entity.choices)
    key = models.SlugField(_("key"), max_length=40, help_text=_("Used in the API and imports."))
    label = models.CharField(_("label"), max_length=100)
    field_type = models.CharField(_("type"), max_length=10, choices=FieldType.choices)
    choices: models.JSONField[Any] = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_("For a choice field: the allowed values."),
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("custom field")
        verbose_name_plural = _("custom fields")
        ordering = ["entity", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "key"], name="custom_field_key_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class OwnedQuerySet(LiveQuerySet):
    def visible_to(self, user: Any) -> "OwnedQuerySet":
        return self.filter(owner_visibility_q(user, team_field="team"))


class AliveManager(models.Manager):
    """The default manager: records in the trash are not there for everyday work."""

    def get_queryset(self) -> OwnedQuerySet:
        return OwnedQuerySet(self.model, using=self._db).filter(deleted_at__isnull=True)

    def visible_to(self, user: Any) -> OwnedQuerySet:
        return self.get_queryset().visible_to(user)


class OwnedRecord(SoftDeleteModel):
    """A record someone owns: seen by its owner, the owner's team or everyone, by role.

    The owner's team is copied onto the record by the services (and moved along when a user
    changes team, see accounts.team_copies) so that a team's list is one range of a
    (team, sort key) index; see accounts.visibility.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    team = models.ForeignKey(
        "accounts.Team",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        db_index=False,
    )

    objects = AliveManager()
    all_objects = OwnedQuerySet.as_manager()

    class Meta:
        abstract = True


class Company(OwnedRecord):
    name = models.CharField(_("name"), max_length=200)
    legal_id = models.CharField(
        _("legal ID"), max_length=40, blank=True, help_text=_("EDRPOU, VAT or registry number")
    )
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    tags = models.ManyToManyField(
        Tag, through="CompanyTag", blank=True, related_name="+", verbose_name=_("tags")
    )
    custom: models.JSONField[Any] = models.JSONField(_("custom fields"), default=dict, blank=True)
    primary_phone = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    primary_email = models.CharField(_("email"), max_length=254, blank=True, editable=False)
    sort_name = models.CharField(max_length=200, editable=False, db_index=False)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        indexes = [
            models.Index(fields=["sort_name", "id"], condition=ALIVE, name="company_name"),
            models.Index(
                fields=["owner", "sort_name", "id"], condition=ALIVE, name="company_owner_name"
            ),
            models.Index(
                fields=["team", "sort_name", "id"], condition=ALIVE, name="company_team_name"
            ),
            models.Index(fields=["created_at", "id"], condition=ALIVE, name="company_created"),
            models.Index(fields=["updated_at", "id"], condition=ALIVE, name="company_updated"),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="company_trash"),
        ]

    def __str__(self) -> str:
        return self.name


class Contact(OwnedRecord):
    first_name = models.CharField(_("first name"), max_length=100)
    middle_name = models.CharField(_("patronymic"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # The year of birth is often unknown while the day is: three columns, the year optional.
    birth_day = models.PositiveSmallIntegerField(_("birth day"), null=True, blank=True)
    birth_month = models.PositiveSmallIntegerField(_("birth month"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("birth year"), null=True, blank=True)
    language = models.CharField(
        _("language"), max_length=5, choices=ContactLanguage.choices, blank=True
    )
    company = models.ForeignKey(
        Company,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
        verbose_name=_("company"),
    )
    job_title = models.CharField(_("role in the company"), max_length=100, blank=True)
    address = models.TextField(_("address"), blank=True)
    tags = models.ManyToManyField(
        Tag, through="ContactTag", blank=True, related_name="+", verbose_name=_("tags")
    )
    lifecycle = models.CharField(
        _("stage"), max_length=10, choices=Lifecycle.choices, default=Lifecycle.LEAD
    )
    source = models.CharField(_("source"), max_length=100, blank=True)
    marketing_consent = models.BooleanField(_("agrees to marketing"), default=False)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    custom: models.JSONField[Any] = models.JSONField(_("custom fields"), default=dict, blank=True)
    primary_phone = models.CharField(_("phone"), max_length=20, blank=True, editable=False)
    primary_email = models.CharField(_("email"), max_length=254, blank=True, editable=False)
    sort_name = models.CharField(max_length=310, editable=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [
            models.Index(fields=["sort_name", "id"], condition=ALIVE, name="contact_name"),
            models.Index(
                fields=["owner", "sort_name", "id"], condition=ALIVE, name="contact_owner_name"
            ),
            models.Index(
                fields=["owner", "created_at", "id"], condition=ALIVE, name="contact_owner_created"
            ),
            models.Index(
                fields=["lifecycle", "sort_name", "id"], condition=ALIVE, name="contact_stage_name"
            ),
            models.Index(
                fields=["company", "sort_name", "id"], condition=ALIVE, name="contact_company_name"
            ),
            models.Index(
                fields=["team", "sort_name", "id"], condition=ALIVE, name="contact_team_name"
            ),
            models.Index(
                fields=["team", "created_at", "id"], condition=ALIVE, name="contact_team_created"
            ),
            models.Index(fields=["created_at", "id"], condition=ALIVE, name="contact_created"),
            models.Index(fields=["updated_at", "id"], condition=ALIVE, name="contact_updated"),
            models.Index(
                fields=["birth_month", "birth_day"], condition=ALIVE, name="contact_birthday"
            ),
            models.Index(fields=["deleted_at"], condition=~ALIVE, name="contact_trash"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(birth_month__isnull=True) | Q(birth_month__gte=1, birth_month__lte=12),
                name="contact_birth_month_range",
            ),
            models.CheckConstraint(
                condition=Q(birth_day__isnull=True) | Q(birth_day__gte=1, birth_day__lte=31),
                name="contact_birth_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        """Last, first and patronymic, the way a Ukrainian or Russian list is read."""
        return " ".join(
            part for part in (self.last_name, self.first_name, self.middle_name) if part
        )

    @property
    def formal_name(self) -> str:
        """First name with patronymic: "Олена Петрівна", for a polite address."""
        return " ".join(part for part in (self.first_name, self.middle_name) if part)


class ContactTag(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["contact", "tag"], name="contact_tag_unique")
        ]
        indexes = [models.Index(fields=["tag", "contact"], name="contact_tag_by_tag")]

    def __str__(self) -> str:
        return f"{self.contact_id}: {self.tag_id}"


class CompanyTag(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "tag"], name="company_tag_unique")
        ]
        indexes = [models.Index(fields=["tag", "company"], name="company_tag_by_tag")]

    def __str__(self) -> str:
        return f"{self.company_id}: {self.tag_id}"


class Channel(models.Model):
    """A phone number (E.164) or an email address of a contact or a company."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")

    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    company = models.ForeignKey(
        Company, null=True, blank=True, on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("kind"), max_length=5, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    label = models.CharField(_("label"), max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("phone or email")
        verbose_name_plural = _("phones and emails")
        ordering = ["kind", "position", "id"]
        indexes = [models.Index(fields=["kind", "value"], name="channel_value")]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, company__isnull=True)
                | Q(contact__isnull=True, company__isnull=False),
                name="channel_has_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return self.value


class ContactSearchTerm(models.Model):
    """Folded words of a contact's name, its phones and emails (see core.text)."""

    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["term", "contact"], name="contact_term")]

    def __str__(self) -> str:
        return self.term


class CompanySearchTerm(models.Model):
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="+")
    term = models.CharField(max_length=60)

    class Meta:
        indexes = [models.Index(fields=["term", "company"], name="company_term")]

    def __str__(self) -> str:
        return self.term
