"""Small pieces every contact and company page uses."""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.dates import MONTHS
from django.utils.formats import date_format, number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.channels import format_phone
from clientela.contacts.models import Channel, Company, Contact, CustomFieldDefinition
from clientela.core.audit import audit_history
from clientela.core.dates import day_and_month

Record = Contact | Company

# The most history events one page shows; older ones stay in the database.
HISTORY_LIMIT = 200


def current_user(request: HttpRequest) -> User:
    """The signed-in user (every page here is behind login_required)."""
    return cast(User, request.user)


def require_writer(user: User) -> None:
    if not user.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def bad_request(request: HttpRequest, error: ValidationError) -> HttpResponse:
    """A 400 page that says which input was wrong, for list filters and page links."""
    if hasattr(error, "error_dict"):
        problems = [(name, messages) for name, messages in error.message_dict.items()]
    else:
        problems = [("", error.messages)]
    return render(
        request,
        "contacts/bad_request.html",
        {"problems": problems, "back": request.path},
        status=400,
    )


def safe_next(request: HttpRequest, fallback: str) -> str:
    """The page to go back to after a form, if it is one of ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def parse_expected_updated_at(raw: str | None) -> datetime.datetime | None:
    """The version of the record the form was loaded from (ISO), or None when absent."""
    if not raw:
        return None
    value = parse_datetime(raw)
    if value is None:
        raise ValidationError({"expected_updated_at": [_("The form is damaged; reload the page.")]})
    return value


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


# --- showing stored values ------------------------------------------------------------------------


def birth_date_display(day: int | None, month: int | None, year: int | None) -> str:
    """ "12 March 1985", or "12 March" when the year is not known, in the page's language."""
    if not day or not month:
        return ""
    try:
        if year:
            return date_format(datetime.date(year, month, day), "DATE_FORMAT")
        return date_format(datetime.date(2000, month, day), "MONTH_DAY_FORMAT")
    except ValueError:
        return f"{day}.{month}.{year or ''}"


def custom_value_display(definition: CustomFieldDefinition | None, value: Any) -> str:
    """A stored custom value ("1234.5", "2024-03-01") as the reader's locale writes it."""
    if value in (None, ""):
        return ""
    text = str(value)
    kind = definition.field_type if definition is not None else None
    if kind == CustomFieldDefinition.FieldType.NUMBER:
        try:
            return number_format(Decimal(text), use_l10n=True, force_grouping=True)
        except (InvalidOperation, ValueError):
            return text
    if kind == CustomFieldDefinition.FieldType.DATE:
        try:
            return date_format(datetime.date.fromisoformat(text), "DATE_FORMAT")
        except ValueError:
            return text
    return text


@dataclass(frozen=True)
class PhoneView:
    display: str  # "067 123 45 67"
    value: str  # "+380671234567", for the tel: link


def channel_views(record: Record) -> tuple[list[PhoneView], list[str]]:
    """The record's phones (as written at home, with a dialable value) and emails, in order."""
    channels = list(record.channels.all())
    phones = [
        PhoneView(format_phone(c.value), c.value) for c in channels if c.kind == Channel.Kind.PHONE
    ]
    emails = [c.value for c in channels if c.kind == Channel.Kind.EMAIL]
    return phones, emails


@dataclass(frozen=True)
class CustomValue:
    label: str
    value: str


def custom_values(
    definitions: list[CustomFieldDefinition], stored: dict[str, Any]
) -> list[CustomValue]:
    shown = []
    for definition in definitions:
        value = custom_value_display(definition, (stored or {}).get(definition.key))
        if value:
            shown.append(CustomValue(label=definition.label, value=value))
    return shown


# --- history --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime.datetime
    actor: str
    action: str
    channel: str
    changes: list[FieldChange]


def _history_label(
    model: type[Model], field: str, definitions: dict[str, CustomFieldDefinition]
) -> str:
    special = {
        "phones": _("Phones"),
        "emails": _("Emails"),
        "tags": _("Tags"),
        "owner": _("Owner"),
        "company": _("Company"),
        "birth_day": _("Day of birth"),
        "birth_month": _("Month of birth"),
        "birth_year": _("Year of birth"),
        # A client's dates, recorded on the client's own history by the occasions app.
        "tradition": capfirst(_("church calendar")),
        "name_day": _("Name day"),
        "no_name_day": _("Does not celebrate a name day"),
        "client_since": _("Client since"),
        "custom_date": _("Other date"),
    }
    if field in special:
        return special[field]
    if field.startswith("custom."):
        key = field.removeprefix("custom.")
        definition = definitions.get(key)
        return definition.label if definition is not None else key
    try:
        return str(capfirst(model._meta.get_field(field).verbose_name))  # type: ignore[union-attr]
    except FieldDoesNotExist:
        return field


def _history_value(
    model: type[Model], field: str, value: Any, definitions: dict[str, CustomFieldDefinition]
) -> str:
    if value is None or value == "":
        return "—"
    if field.startswith("custom."):
        return custom_value_display(definitions.get(field.removeprefix("custom.")), value)
    if field == "birth_month":
        try:
            return str(MONTHS[int(value)])
        except (KeyError, ValueError):
            return str(value)
    if field in ("name_day", "custom_date", "tradition"):
        return _client_date_value(field, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "consent_at":
        moment = parse_datetime(str(value))
        if moment is not None:
            return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
    try:
        model_field = model._meta.get_field(field)
    except FieldDoesNotExist:
        return str(value)
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        return str(dict(choices).get(value, value))
    return str(value)


def _month_day(value: Any) -> str | None:
    """ "05-06" as "6 May" in the active language; None for anything else."""
    match = re.fullmatch(r"(\d{2})-(\d{2})", str(value))
    if match is None or not 1 <= int(match[1]) <= 12:
        return None
    return day_and_month(int(match[1]), int(match[2]))


def _client_date_value(field: str, value: Any) -> str:
    """A client's date as the occasions app records it (codes and "MM-DD"), said in the
    active language; older entries, recorded as text, are shown as they are."""
    if field == "tradition":
        # Looked up through the app registry: the occasions app builds on this one.
        dates = apps.get_model("occasions", "ClientDates")
        return str(dict(dates._meta.get_field("tradition").flatchoices).get(value, value))
    if field == "name_day":
        return _month_day(value) or str(value)
    if isinstance(value, dict):
        date = _month_day(value.get("date")) or str(value.get("date", ""))
        year = value.get("year")
        return f"{value.get('label', '')}: {date}" + (f" {year}" if year else "")
    return str(value)


# The order in which a record's changed fields are listed: as on its page; custom fields last.
_FIELDS_IN_ORDER = [
    "last_name", "first_name", "middle_name", "name", "legal_id", "industry", "website",
    "company", "job_title", "phones", "emails", "birth_day", "birth_month", "birth_year",
    "language", "lifecycle", "source", "address", "marketing_consent", "consent_at", "tags",
    "owner", "notes",
]  # fmt: skip
_FIELD_ORDER = {name: position for position, name in enumerate(_FIELDS_IN_ORDER)}


def _field_position(field: str) -> tuple[int, str]:
    return (_FIELD_ORDER.get(field, len(_FIELD_ORDER)), field)


def field_changes(
    model: type[Model], changes: dict[str, Any], definitions: list[CustomFieldDefinition]
) -> list[FieldChange]:
    """The changes of one audit event ({"field": [old, new]}) as a person reads them."""
    by_key = {d.key: d for d in definitions}
    changed = sorted(changes.items(), key=lambda item: _field_position(item[0]))
    return [
        FieldChange(
            label=_history_label(model, field, by_key),
            old=_history_value(model, field, pair[0], by_key),
            new=_history_value(model, field, pair[1], by_key),
        )
        for field, pair in changed
        if isinstance(pair, list | tuple) and len(pair) == 2
    ]


def history_entries(record: Record, definitions: list[CustomFieldDefinition]) -> list[HistoryEntry]:
    """The record's audit trail as a person reads it: labels, not keys; newest first."""
    model = type(record)
    entries = []
    for event in audit_history(record)[:HISTORY_LIMIT]:
        entries.append(
            HistoryEntry(
                at=event.at,
                actor=str(event.actor) if event.actor else _("unknown"),
                action=event.get_action_display(),
                channel=event.get_channel_display(),
                changes=field_changes(model, event.changes, definitions),
            )
        )
    return entries
