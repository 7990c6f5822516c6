"""Page forms for contacts and companies.

The forms only parse what a person typed into the shapes the services take; every rule about
the values (phone and email formats, dates, custom fields, who may own a record) lives in the
services, whose field-keyed errors are put back next to the field they name.
"""

from collections.abc import Iterable
from typing import Any

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Model
from django.urls import reverse_lazy
from django.utils.dates import MONTHS
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clientela.accounts.models import User
from clientela.contacts.channels import format_phone
from clientela.contacts.models import (
    Channel,
    Company,
    Contact,
    ContactLanguage,
    CustomFieldDefinition,
    Lifecycle,
)

NO_CHOICE = ("", "—")


def _label(model: type[Model], name: str) -> Any:
    """The model field's verbose name, capitalised (lazily: it is translated per request)."""
    return capfirst(model._meta.get_field(name).verbose_name)  # type: ignore[union-attr]


def split_lines(text: str) -> list[str]:
    """Phones or emails typed one per line (commas and semicolons also separate them)."""
    for separator in (",", ";"):
        text = text.replace(separator, "\n")
    return [line.strip() for line in text.splitlines() if line.strip()]


def split_tags(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def custom_form_field(definition: CustomFieldDefinition) -> forms.Field:
    """An input suited to the field's type; the service decides what a valid value is."""
    common: dict[str, Any] = {"label": definition.label, "required": definition.required}
    kind = definition.field_type
    if kind == CustomFieldDefinition.FieldType.CHOICE:
        choices = [NO_CHOICE, *((str(c), str(c)) for c in definition.choices)]
        return forms.ChoiceField(choices=choices, **common)
    if kind == CustomFieldDefinition.FieldType.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind == CustomFieldDefinition.FieldType.NUMBER:
        return forms.CharField(widget=forms.TextInput(attrs={"inputmode": "decimal"}), **common)
    return forms.CharField(max_length=1000, **common)


def custom_field_name(key: str) -> str:
    return f"custom_{key}"


class RecordForm(forms.Form):
    """What contacts and companies share: channels, tags, owner, custom fields."""

    model: type[Contact] | type[Company]
    # The model fields the form edits as they are, and how the page groups its inputs.
    plain_fields: list[str] = []
    layout_spec: list[tuple[Any, list[list[str]]]] = []

    phones = forms.CharField(
        label=gettext_lazy("Phones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "tel"}),
        help_text=gettext_lazy("One per line, in any usual format, e.g. 067 123 45 67."),
    )
    emails = forms.CharField(
        label=gettext_lazy("Emails"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "inputmode": "email"}),
        help_text=gettext_lazy("One per line."),
    )
    tags = forms.CharField(
        label=gettext_lazy("Tags"),
        required=False,
        help_text=gettext_lazy("Separated by commas."),
    )
    owner = forms.TypedChoiceField(
        label=gettext_lazy("Owner"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        owners: Iterable[User],
        definitions: list[CustomFieldDefinition],
        record: Contact | Company | None = None,
        **kwargs: Any,
    ) -> None:
        self.user = user
        self.record = record
        self.definitions = definitions
        if record is not None and record.pk is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(record)
        super().__init__(*args, **kwargs)
        owner_choices = [(u.pk, str(u)) for u in owners]
        current_owner = getattr(record, "owner", None) if record is not None else None
        if current_owner is not None and current_owner.pk not in {
            pk for pk, _name in owner_choices
        }:
            # Keep the present owner selectable even when this user could not assign to them.
            owner_choices.insert(0, (current_owner.pk, str(current_owner)))
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.TypedChoiceField)
        owner_field.choices = owner_choices
        if not self.initial.get("owner"):
            self.initial["owner"] = current_owner.pk if current_owner is not None else user.pk
        for definition in definitions:
            self.fields[custom_field_name(definition.key)] = custom_form_field(definition)

    def initial_from(self, record: Contact | Company) -> dict[str, Any]:
        channels = list(record.channels.all())
        initial: dict[str, Any] = {
            "phones": "\n".join(
                format_phone(c.value) for c in channels if c.kind == Channel.Kind.PHONE
            ),
            "emails": "\n".join(c.value for c in channels if c.kind == Channel.Kind.EMAIL),
            "tags": ", ".join(t.name for t in record.tags.all()),
            "owner": record.owner_id,
        }
        for key, value in (record.custom or {}).items():
            initial[custom_field_name(key)] = value
        return initial

    @property
    def custom_fields(self) -> list[forms.BoundField]:
        return [self[custom_field_name(d.key)] for d in self.definitions]

    @property
    def layout(self) -> list[tuple[Any, list[list[forms.BoundField]]]]:
        """Sections of rows of fields, for the template; a row of several fields sits on a line."""
        sections = [
            (title, [[self[name] for name in row] for row in rows])
            for title, rows in self.layout_spec
        ]
        if self.definitions:
            sections.append((_("Custom fields"), [[field] for field in self.custom_fields]))
        return sections

    def service_data(self) -> dict[str, Any]:
        """The cleaned input in the shape the services take."""
        cleaned = self.cleaned_data
        data: dict[str, Any] = {
            "phones": split_lines(cleaned["phones"]),
            "emails": split_lines(cleaned["emails"]),
            "tags": split_tags(cleaned["tags"]),
            "custom": {
                d.key: cleaned.get(custom_field_name(d.key)) or "" for d in self.definitions
            },
        }
        if cleaned.get("owner") is not None:
            # Left out, a new record goes to its author and an edited one keeps its owner.
            data["owner"] = cleaned["owner"]
        for name in self.plain_fields:
            data[name] = cleaned[name]
        return data

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's field-keyed errors next to the inputs they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            name = (
                custom_field_name(key.removeprefix("custom.")) if key.startswith("custom.") else key
            )
            if name not in self.fields:
                label = self.label_for_key(key)
                self.add_error(None, [f"{label}: {message}" for message in messages])
            else:
                self.add_error(name, messages)

    def label_for_key(self, key: str) -> str:
        if key.startswith("custom."):
            custom_key = key.removeprefix("custom.")
            labels = {d.key: d.label for d in self.definitions}
            return labels.get(custom_key, custom_key)
        try:
            return str(_label(self.model, key))
        except FieldDoesNotExist:
            return key


class ContactForm(RecordForm):
    model = Contact
    plain_fields = [
        "first_name", "middle_name", "last_name", "birth_day", "birth_month", "birth_year",
        "language", "job_title", "address", "lifecycle", "source", "marketing_consent", "notes",
    ]  # fmt: skip
    layout_spec = [
        (
            gettext_lazy("Person"),
            [
                ["last_name", "first_name", "middle_name"],
                ["birth_day", "birth_month", "birth_year"],
                ["language"],
            ],
        ),
        (gettext_lazy("Work"), [["company", "job_title"], ["lifecycle", "source"], ["owner"]]),
        (gettext_lazy("How to reach"), [["phones", "emails"], ["address"]]),
        (gettext_lazy("Other"), [["tags"], ["marketing_consent"], ["notes"]]),
    ]

    first_name = forms.CharField(label=_label(Contact, "first_name"), max_length=100)
    middle_name = forms.CharField(
        label=_label(Contact, "middle_name"), max_length=100, required=False
    )
    last_name = forms.CharField(label=_label(Contact, "last_name"), max_length=100, required=False)
    birth_day = forms.IntegerField(
        label=gettext_lazy("Day of birth"),
        required=False,
        min_value=1,
        max_value=31,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 2}),
    )
    birth_month = forms.TypedChoiceField(
        label=gettext_lazy("Month"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[NO_CHOICE, *MONTHS.items()],
    )
    birth_year = forms.IntegerField(
        label=gettext_lazy("Year (if known)"),
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
    )
    language = forms.ChoiceField(
        label=_label(Contact, "language"),
        required=False,
        choices=[NO_CHOICE, *ContactLanguage.choices],
    )
    company = forms.CharField(
        label=_label(Contact, "company"),
        required=False,
        max_length=200,
        help_text=gettext_lazy("Start typing the company's name."),
        widget=forms.TextInput(
            attrs={
                "list": "company-suggestions",
                "autocomplete": "off",
                "hx-get": reverse_lazy("contacts:company_suggest"),
                "hx-trigger": "input changed delay:250ms",
                "hx-target": "#company-suggestions",
            }
        ),
    )
    job_title = forms.CharField(label=_label(Contact, "job_title"), max_length=100, required=False)
    lifecycle = forms.ChoiceField(label=_label(Contact, "lifecycle"), choices=Lifecycle.choices)
    source = forms.CharField(label=_label(Contact, "source"), max_length=100, required=False)
    address = forms.CharField(
        label=_label(Contact, "address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    marketing_consent = forms.BooleanField(
        label=_label(Contact, "marketing_consent"), required=False
    )
    notes = forms.CharField(
        label=_label(Contact, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def initial_from(self, record: Contact | Company) -> dict[str, Any]:
        assert isinstance(record, Contact)
        initial = super().initial_from(record)
        for name in self.plain_fields:
            initial[name] = getattr(record, name)
        initial["company"] = record.company.name if record.company_id and record.company else ""
        return initial

    def clean_company(self) -> int | None:
        """The id of the visible company the typed name means ("Name #12" when names repeat)."""
        text = " ".join(self.cleaned_data.get("company", "").split())
        if not text:
            return None
        current = (
            self.record.company
            if isinstance(self.record, Contact) and self.record.company_id
            else None
        )
        if current is not None and text.lower() == current.name.lower():
            return current.pk
        visible = Company.objects.visible_to(self.user)
        name, _sep, number = text.rpartition(" #")
        if name and number.isdigit():
            found = visible.filter(pk=int(number)).values_list("pk", flat=True).first()
            if found is not None:
                return found
        matches = list(visible.filter(sort_name=text.lower()).values_list("pk", flat=True)[:2])
        if not matches:
            raise ValidationError(
                _("There is no company “%(name)s” that you can see.") % {"name": text}
            )
        if len(matches) > 1:
            raise ValidationError(
                _(
                    "Several companies are called “%(name)s”: add its number, e.g. “%(name)s #%(id)s”."
                )
                % {"name": text, "id": matches[0]}
            )
        return matches[0]

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        company = self.cleaned_data.get("company")
        unchanged = (
            isinstance(self.record, Contact)
            and self.record.pk
            and company == self.record.company_id
        )
        if not unchanged:
            # Sent only when changed: the editor may not see the company someone else linked.
            data["company"] = company
        return data


class CompanyForm(RecordForm):
    model = Company
    plain_fields = ["name", "legal_id", "industry", "website", "address", "notes"]
    layout_spec = [
        (gettext_lazy("Company"), [["name", "legal_id"], ["industry", "website"], ["owner"]]),
        (gettext_lazy("How to reach"), [["phones", "emails"], ["address"]]),
        (gettext_lazy("Other"), [["tags"], ["notes"]]),
    ]

    name = forms.CharField(label=_label(Company, "name"), max_length=200)
    legal_id = forms.CharField(label=_label(Company, "legal_id"), max_length=40, required=False)
    industry = forms.CharField(label=_label(Company, "industry"), max_length=100, required=False)
    website = forms.URLField(
        label=_label(Company, "website"), required=False, assume_scheme="https"
    )
    address = forms.CharField(
        label=_label(Company, "address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    notes = forms.CharField(
        label=_label(Company, "notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def initial_from(self, record: Contact | Company) -> dict[str, Any]:
        initial = super().initial_from(record)
        for name in self.plain_fields:
            initial[name] = getattr(record, name)
        return initial


class BulkForm(forms.Form):
    """A change applied to the records ticked in a list."""

    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"
    REASSIGN = "reassign"

    action = forms.ChoiceField(
        label=gettext_lazy("With the selected"),
        choices=[
            (ADD_TAG, gettext_lazy("Add a tag")),
            (REMOVE_TAG, gettext_lazy("Remove a tag")),
            (REASSIGN, gettext_lazy("Give to another owner")),
        ],
    )
    tag = forms.CharField(label=gettext_lazy("Tag"), required=False, max_length=50)
    owner = forms.TypedChoiceField(
        label=gettext_lazy("New owner"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args: Any, owners: Iterable[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        owner_field = self.fields["owner"]
        assert isinstance(owner_field, forms.TypedChoiceField)
        owner_field.choices = [NO_CHOICE, *((pk, str(u)) for pk, u in self.owners.items())]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        raw_ids = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        try:
            cleaned["ids"] = sorted({int(raw) for raw in raw_ids})
        except ValueError as exc:
            raise ValidationError(
                _("The selection is not valid; reload the list and try again.")
            ) from exc
        if not cleaned["ids"]:
            raise ValidationError(_("Tick at least one record first."))
        action = cleaned.get("action")
        if action in (self.ADD_TAG, self.REMOVE_TAG) and not cleaned.get("tag", "").strip():
            self.add_error("tag", _("Type the tag to add or remove."))
        if action == self.REASSIGN and not cleaned.get("owner"):
            self.add_error("owner", _("Choose the new owner."))
        return cleaned

    @property
    def new_owner(self) -> User:
        return self.owners[self.cleaned_data["owner"]]
