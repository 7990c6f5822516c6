"""What the contacts API takes in and gives out: one input and one output shape per endpoint.

Input shapes only type-check; the services decide what is valid (phones, emails, dates,
custom fields, owners) so the API, the pages and imports answer alike. Fields a PATCH leaves
out are not in `model_dump(exclude_unset=True)` and stay unchanged; a list (phones, emails,
tags) or `custom` that is sent replaces the old one whole; an explicit null is refused for
fields that cannot be empty, and an unknown field is an error rather than silently ignored.
"""

import datetime
from typing import Annotated, Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, field_validator

from clientela.accounts.api import MAX_ID, ErrorOut, RecordId, Text, Timestamp
from clientela.contacts.models import Channel, Company, Contact

MAX_CHANNELS = 100
MAX_TAGS = 100
MAX_BULK = 1000


def _custom_value(value: Any) -> Any:
    if value is None or isinstance(value, int | float):
        return value
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError(_("Null characters are not allowed."))
        return value
    raise ValueError(_("Enter text, a number or a date."))


def _not_null(value: Any) -> Any:
    # Defaults are not validated: leaving the field out is fine, an explicit null is not.
    if value is None:
        raise ValueError(_("This field cannot be empty."))
    return value


CustomValue = Annotated[Any, AfterValidator(_custom_value)]
CustomValues = dict[Text, CustomValue]


# --- references and shared output parts --------------------------------------------------------


class OwnerOut(Schema):
    id: int
    name: str


class CompanyRefOut(Schema):
    id: int
    name: str


def _owner(obj: Contact | Company) -> dict[str, Any]:
    return {"id": obj.owner_id, "name": str(obj.owner)}


def _channel_values(obj: Contact | Company, kind: str) -> list[str]:
    # channels.all() reads the prefetched rows when the selector prefetched them.
    return [c.value for c in obj.channels.all() if c.kind == kind]


def _tag_names(obj: Contact | Company) -> list[str]:
    return [t.name for t in obj.tags.all()]


# --- list filters ------------------------------------------------------------------------------


class _ListQueryBase(Schema):
    owner: Text | None = Field(None, description="A user id, or `me`.")
    tag: Text | None = Field(None, description="A tag id or name.")
    q: Text = Field(
        "", max_length=100, description="Search text: any part of a name, a phone or an email."
    )
    sort: Text = Field(
        "name", description="One of `name`, `-name`, `created`, `-created`, `-updated`."
    )
    cursor: Text | None = Field(
        None, description="`next_cursor` or `previous_cursor` of the page before."
    )
    limit: int = Field(50, ge=1, le=200, description="Rows per page.")

    @field_validator("owner", "tag", "company", check_fields=False)
    @classmethod
    def _id_in_range(cls, value: str | None) -> str | None:
        # The selectors turn digits into an id; one past the database's range is no id at all.
        if value and value.isascii() and value.isdigit() and int(value) > MAX_ID:
            raise ValueError(_("“%(value)s” is not a valid id.") % {"value": value})
        return value


class ContactListQuery(_ListQueryBase):
    lifecycle: Text | None = Field(None, description="`lead`, `prospect`, `customer` or `former`.")
    company: Text | None = Field(None, description="A company id.")


class CompanyListQuery(_ListQueryBase):
    pass


ALLOW_DUPLICATE = "Save even if an email or phone is already in use."
ALLOW_DUPLICATE_CHANGE = (
    "Save even if an email or phone this change adds is already in use on another record."
)


class DuplicateQuery(Schema):
    """`?allow_duplicate=true`, which creating and changing a record both take."""

    allow_duplicate: bool = Field(
        False,
        description=f"{ALLOW_DUPLICATE} On a PATCH only the emails and phones it adds count.",
    )


# --- contacts ----------------------------------------------------------------------------------


class _StrictIn(Schema):
    # A misspelt field is an error naming it, not a change silently left undone.
    model_config = ConfigDict(extra="forbid")


class _RecordFields(_StrictIn):
    """What contacts and companies both have."""

    address: Text = ""
    notes: Text = ""
    phones: list[Text] = Field(
        default_factory=list, max_length=MAX_CHANNELS, description="In any usual format."
    )
    emails: list[Text] = Field(default_factory=list, max_length=MAX_CHANNELS)
    tags: list[Text] = Field(default_factory=list, max_length=MAX_TAGS, description="Tag names.")
    custom: CustomValues = Field(
        default_factory=dict,
        description="Custom field values by key; a PATCH changes only the keys it sends "
        "(an empty value clears one).",
    )
    owner: RecordId | None = Field(None, description="A user id; by default the caller.")

    _owner_not_null = field_validator("owner")(_not_null)


class _ContactFields(_RecordFields):
    middle_name: Text = Field("", description="Patronymic.")
    last_name: Text = ""
    birth_day: int | None = Field(None, ge=1, le=31)
    birth_month: int | None = Field(None, ge=1, le=12)
    birth_year: int | None = Field(
        None, ge=1, le=9999, description="Optional even with day and month."
    )
    language: Text = Field("", description="`uk`, `ru`, `en` or empty.")
    company: RecordId | None = Field(None, description="A company id; null to detach.")
    job_title: Text = ""
    lifecycle: Text = Field("lead", description="`lead`, `prospect`, `customer` or `former`.")
    source: Text = ""
    marketing_consent: bool = False


class ContactIn(_ContactFields):
    first_name: Text
    allow_duplicate: bool = Field(False, description=ALLOW_DUPLICATE)


class ContactPatchIn(_ContactFields):
    first_name: Text | None = None

    _first_name_not_null = field_validator("first_name")(_not_null)
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )
    allow_duplicate: bool = Field(False, description=ALLOW_DUPLICATE_CHANGE)


class ContactListItemOut(Schema):
    id: int
    first_name: str
    middle_name: str
    last_name: str
    full_name: str
    lifecycle: str
    job_title: str
    phone: str = Field(description="The first phone, E.164.")
    email: str = Field(description="The first email.")
    owner: OwnerOut
    company: CompanyRefOut | None
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_phone(obj: Contact) -> str:
        return obj.primary_phone

    @staticmethod
    def resolve_email(obj: Contact) -> str:
        return obj.primary_email

    @staticmethod
    def resolve_owner(obj: Contact) -> dict[str, Any]:
        return _owner(obj)

    @staticmethod
    def resolve_company(obj: Contact) -> dict[str, Any] | None:
        if obj.company_id is None:
            return None
        assert obj.company is not None
        return {"id": obj.company_id, "name": obj.company.name}


class ContactOut(ContactListItemOut):
    birth_day: int | None
    birth_month: int | None
    birth_year: int | None
    language: str
    address: str
    source: str
    marketing_consent: bool
    consent_at: Timestamp | None
    notes: str
    phones: list[str] = Field(description="E.164.")
    emails: list[str]
    tags: list[str]
    custom: dict[str, Any]

    @staticmethod
    def resolve_phones(obj: Contact) -> list[str]:
        return _channel_values(obj, Channel.Kind.PHONE)

    @staticmethod
    def resolve_emails(obj: Contact) -> list[str]:
        return _channel_values(obj, Channel.Kind.EMAIL)

    @staticmethod
    def resolve_tags(obj: Contact) -> list[str]:
        return _tag_names(obj)


class ContactPageOut(Schema):
    items: list[ContactListItemOut]
    next_cursor: str | None
    previous_cursor: str | None


# --- companies ---------------------------------------------------------------------------------


class _CompanyFields(_RecordFields):
    legal_id: Text = Field("", description="EDRPOU, VAT or registry number.")
    industry: Text = ""
    website: Text = ""


class CompanyIn(_CompanyFields):
    name: Text
    allow_duplicate: bool = Field(False, description=ALLOW_DUPLICATE)


class CompanyPatchIn(_CompanyFields):
    name: Text | None = None

    _name_not_null = field_validator("name")(_not_null)
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )
    allow_duplicate: bool = Field(False, description=ALLOW_DUPLICATE_CHANGE)


class CompanyListItemOut(Schema):
    id: int
    name: str
    industry: str
    phone: str = Field(description="The first phone, E.164.")
    email: str = Field(description="The first email.")
    owner: OwnerOut
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_phone(obj: Company) -> str:
        return obj.primary_phone

    @staticmethod
    def resolve_email(obj: Company) -> str:
        return obj.primary_email

    @staticmethod
    def resolve_owner(obj: Company) -> dict[str, Any]:
        return _owner(obj)


class CompanyOut(CompanyListItemOut):
    legal_id: str
    website: str
    address: str
    notes: str
    phones: list[str] = Field(description="E.164.")
    emails: list[str]
    tags: list[str]
    custom: dict[str, Any]

    @staticmethod
    def resolve_phones(obj: Company) -> list[str]:
        return _channel_values(obj, Channel.Kind.PHONE)

    @staticmethod
    def resolve_emails(obj: Company) -> list[str]:
        return _channel_values(obj, Channel.Kind.EMAIL)

    @staticmethod
    def resolve_tags(obj: Company) -> list[str]:
        return _tag_names(obj)


class CompanyPageOut(Schema):
    items: list[CompanyListItemOut]
    next_cursor: str | None
    previous_cursor: str | None


# --- bulk changes, tags, search, duplicates ----------------------------------------------------


class BulkTagIn(_StrictIn):
    ids: list[RecordId] = Field(max_length=MAX_BULK)
    add: list[Text] = Field(default_factory=list, max_length=MAX_TAGS)
    remove: list[Text] = Field(default_factory=list, max_length=MAX_TAGS)


class BulkReassignIn(_StrictIn):
    ids: list[RecordId] = Field(max_length=MAX_BULK)
    owner: RecordId = Field(description="The user id of the new owner.")


class BulkOut(Schema):
    count: int = Field(description="How many of the given records were visible and changed.")


class TagOut(Schema):
    id: int
    name: str


class SearchQuery(Schema):
    q: Text = Field(max_length=100, description="Any part of a name, a phone or an email.")
    limit: int = Field(
        20, ge=1, le=100, description="At most this many contacts and this many companies."
    )


class SearchOut(Schema):
    query: str
    contacts: list[ContactListItemOut]
    companies: list[CompanyListItemOut]


class DuplicateMatchOut(Schema):
    field: str = Field(description="`phones` or `emails`.")
    value: str
    id: int | None = Field(description="The existing record; null when the caller may not see it.")


class DuplicateOut(ErrorOut):
    duplicates: list[DuplicateMatchOut]


class ChangeConflictOut(ErrorOut):
    """A change refused: the record changed since `expected_updated_at`, or an email or phone
    the change adds is already in use (then `duplicates` names them)."""

    duplicates: list[DuplicateMatchOut] = Field(
        default_factory=list, description="Left out when the refusal is an edit conflict."
    )
