"""Services of a client's dates: the computed occasions and what a person sets by hand.

`occasions_refresh` keeps the computed Occasion rows (birthday, name day, anniversary) of one
client in step with its record; it is called by the receivers whenever a contact, a company,
its ClientDates or one of its purchases is saved. Custom dates are entered by hand and never
touched by it.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Min
from django.http import Http404
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.core.audit import audit_diff, audit_record
from clientela.core.dates import day_and_month
from clientela.core.models import FirmSettings
from clientela.occasions.models import ClientDates, Occasion, OccasionKind, Tradition
from clientela.occasions.selectors import contact_name_day

Client = Contact | Company
Errors = dict[str, list[str]]
COMPUTED = (OccasionKind.BIRTHDAY, OccasionKind.NAME_DAY, OccasionKind.ANNIVERSARY)
# A year stands only for "turns N": no date of the agenda is before this one.
LEAP_YEAR = 2000


def _client_filter(client: Client) -> dict[str, Any]:
    if isinstance(client, Contact):
        return {"contact_id": client.pk}
    return {"company_id": client.pk, "contact__isnull": True}


def _client_fields(client: Client) -> dict[str, Any]:
    if isinstance(client, Contact):
        return {"contact_id": client.pk, "company_id": None}
    return {"contact_id": None, "company_id": client.pk}


def _dates_of(client: Client) -> ClientDates | None:
    return ClientDates.objects.filter(**_client_fields(client)).first()


def firm_tradition() -> str:
    return FirmSettings.current().calendar_tradition


def first_purchase_date(client: Client) -> datetime.date | None:
    """The date of the client's first purchase that is not in the trash.

    Purchases live in the sales app, above this one; they are read by model name so that
    occasions works (with no purchase anniversaries) where sales is not installed.
    """
    try:
        purchase = apps.get_model("sales", "Purchase")
    except LookupError:
        return None
    rows = purchase.objects.filter(**_purchase_filter(client))
    return rows.aggregate(first=Min("date"))["first"]


def _purchase_filter(client: Client) -> dict[str, Any]:
    if isinstance(client, Contact):
        return {"contact_id": client.pk}
    return {"company_id": client.pk}


# (month, day, year, label, leap_shift) of a computed occasion.
Wanted = tuple[int, int, int | None, str, int]
REFRESHED_FIELDS = ("month", "day", "mmdd", "year", "label", "leap_shift", "owner", "team")


def _wanted(client: Client, dates: ClientDates | None, kinds: Iterable[str]) -> dict[str, Wanted]:
    """kind -> (month, day, year, label, leap_shift) of the computed occasions the client should
    have; only a Julian name day of 16–28 February (church calendar) has a shift."""
    wanted: dict[str, Wanted] = {}
    contact = client if isinstance(client, Contact) else None
    birth = (contact.birth_month, contact.birth_day) if contact is not None else (None, None)
    if contact is not None and birth[0] and birth[1] and OccasionKind.BIRTHDAY in kinds:
        wanted[OccasionKind.BIRTHDAY] = (birth[0], birth[1], contact.birth_year, "", 0)
    if contact is not None and OccasionKind.NAME_DAY in kinds:
        # The firm's calendar is read only when the contact has none of its own.
        own = dates.tradition if dates is not None else ""
        by_hand = dates is not None and (dates.no_name_day or bool(dates.name_day_month))
        tradition = own or ("new" if by_hand else firm_tradition())
        _state, found, _tradition = contact_name_day(contact, dates, tradition)
        if found is not None:
            wanted[OccasionKind.NAME_DAY] = (
                found.month,
                found.day,
                None,
                found.saint[:200],
                found.leap_shift,
            )
    if OccasionKind.ANNIVERSARY in kinds:
        since = dates.client_since if dates is not None else None
        if since is None:
            since = first_purchase_date(client)
        if since is not None:
            wanted[OccasionKind.ANNIVERSARY] = (since.month, since.day, since.year, "", 0)
    return wanted


def occasions_refresh(client: Client, *, kinds: Iterable[str] = COMPUTED) -> None:
    """Make the client's computed occasions of `kinds` match its record (and its ClientDates):
    rows no longer wanted are deleted, changed ones updated, missing ones created, all with the
    client's owner and team. Rows entered by hand are left alone. A client in the trash keeps
    no computed occasions (they come back when it is restored and saved)."""
    kinds = [kind for kind in kinds if kind in COMPUTED]
    existing = list(
        Occasion.all_objects.filter(**_client_filter(client), kind__in=kinds, manual=False)
    )
    if client.deleted_at is not None:
        wanted = {}
    else:
        dates = _dates_of(client) if kinds != [OccasionKind.BIRTHDAY] else None
        wanted = _wanted(client, dates, kinds)
    with transaction.atomic():
        for row in existing:
            target = wanted.pop(row.kind, None)
            if target is None:
                row.delete()
                continue
            month, day, year, label, shift = target
            current = (row.month, row.day, row.year, row.label, row.leap_shift)
            copies = (row.owner_id, row.team_id)
            if current != target or copies != (client.owner_id, client.team_id):
                row.month, row.day, row.year, row.label = month, day, year, label
                row.leap_shift = shift
                row.owner_id, row.team_id = client.owner_id, client.team_id
                row.save(update_fields=REFRESHED_FIELDS)
        Occasion.objects.bulk_create(
            [
                Occasion(
                    **_client_fields(client),
                    owner_id=client.owner_id,
                    team_id=client.team_id,
                    kind=kind,
                    month=month,
                    day=day,
                    mmdd=month * 100 + day,
                    year=year,
                    label=label,
                    leap_shift=shift,
                )
                for kind, (month, day, year, label, shift) in wanted.items()
            ]
        )


# --- what a person sets ---------------------------------------------------------------------------


def _ensure_can_write(actor: User) -> None:
    if not actor.can_write:
        raise PermissionDenied(_("Your role can read but not change records."))


def _locked_client(actor: User, client: Client) -> Client:
    """The live client, locked, if the actor may see it; 404 otherwise."""
    model = type(client)
    found = model.objects.visible_to(actor).select_for_update().filter(pk=client.pk).first()
    if found is None:
        raise Http404
    return found


def _whole(value: Any, field: str, errors: Errors) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        errors[field] = [_("Enter a whole number.")]
        return None
    try:
        return int(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a whole number.")]
        return None


def _month_day(
    month_raw: Any, day_raw: Any, month_field: str, day_field: str, errors: Errors
) -> tuple[int | None, int | None]:
    """A day of the year (29 February included) or neither, every bad part named."""
    month = _whole(month_raw, month_field, errors)
    day = _whole(day_raw, day_field, errors)
    if month_field in errors or day_field in errors:
        return None, None
    if (month is None) != (day is None):
        missing = month_field if month is None else day_field
        errors[missing] = [_("Give both the day and the month, or neither.")]
        return None, None
    if month is None or day is None:
        return None, None
    if not 1 <= month <= 12:
        errors[month_field] = [_("Enter a month from 1 to 12.")]
        return None, None
    try:
        datetime.date(LEAP_YEAR, month, day)
    except ValueError:
        errors[day_field] = [
            _("%(month)s has no day %(day)s.") % {"month": MONTHS[month], "day": day}
        ]
        return None, None
    return month, day


def _date_or_none(value: Any, field: str, errors: Errors) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        errors[field] = [_("Enter a date as YYYY-MM-DD.")]
        return None


def _dates_snapshot(dates: ClientDates | None) -> dict[str, Any]:
    if dates is None:
        return {}
    # Codes and ISO-like dates: the history page says them in its reader's language.
    name_day = None
    if dates.name_day_month and dates.name_day_day:
        name_day = f"{dates.name_day_month:02d}-{dates.name_day_day:02d}"
    return {
        "tradition": dates.tradition or None,
        "name_day": name_day,
        "no_name_day": dates.no_name_day or None,
        "client_since": dates.client_since.isoformat() if dates.client_since else None,
    }


@transaction.atomic
def client_dates_set(*, actor: User, client: Client, data: dict[str, Any]) -> ClientDates:
    """Set the client's calendar tradition ("" = the firm's), a name day by hand (or that the
    contact does not celebrate one) and the "client since" date; the occasions follow.

    Keys absent from `data` keep their value. Every bad field is named; nothing is saved then.
    Saving the row recomputes the occasions (receivers.dates_saved).
    """
    _ensure_can_write(actor)
    client = _locked_client(actor, client)
    dates = _dates_of(client)
    before = _dates_snapshot(dates)
    row = dates or ClientDates(**_client_fields(client))
    errors: Errors = {}
    if "tradition" in data:
        tradition = str(data["tradition"] or "")
        if tradition not in ("", *Tradition.values):
            errors["tradition"] = [_("Choose the firm's calendar, the new or the Julian one.")]
        else:
            row.tradition = tradition
    if "name_day_month" in data or "name_day_day" in data:
        month, day = _month_day(
            data.get("name_day_month", row.name_day_month),
            data.get("name_day_day", row.name_day_day),
            "name_day_month",
            "name_day_day",
            errors,
        )
        row.name_day_month, row.name_day_day = month, day
    if "no_name_day" in data:
        row.no_name_day = bool(data["no_name_day"])
    if row.no_name_day and row.name_day_month and not errors:
        errors["no_name_day"] = [
            _("A client who does not celebrate a name day has none to set; clear the date.")
        ]
    if row.no_name_day and isinstance(client, Company):
        errors["no_name_day"] = [_("Companies have no name day.")]
    if row.name_day_month and isinstance(client, Company):
        errors["name_day_day"] = [_("Companies have no name day.")]
    if "client_since" in data:
        since = _date_or_none(data["client_since"], "client_since", errors)
        if since is not None and since > timezone.localdate():
            errors["client_since"] = [_("This date is in the future.")]
        elif "client_since" not in errors:
            row.client_since = since
    if errors:
        raise ValidationError(errors)
    row.save()
    changes = audit_diff(before, _dates_snapshot(row))
    if changes:
        audit_record(actor=actor, action="update", obj=client, changes=changes)
    return row


def _custom_date(data: dict[str, Any]) -> tuple[str, int, int, int | None]:
    """The label, month, day and year of a custom date, or a ValidationError naming every bad
    field."""
    errors: Errors = {}
    label = str(data.get("label") or "").strip()
    if not label:
        errors["label"] = [_("Say what the date is, such as “wedding” or “founding day”.")]
    elif len(label) > 200:
        errors["label"] = [_("Use at most 200 characters.")]
    elif "\x00" in label:
        errors["label"] = [_("Null characters are not allowed.")]
    month, day = _month_day(data.get("month"), data.get("day"), "month", "day", errors)
    if month is None and "month" not in errors and "day" not in errors:
        errors["day"] = [_("Give the day and the month.")]
    year = _whole(data.get("year"), "year", errors)
    if year is not None and "year" not in errors:
        this_year = timezone.localdate().year
        if not 1800 <= year <= this_year:
            errors["year"] = [_("Enter a year between 1800 and %(year)s.") % {"year": this_year}]
        elif month is not None and day is not None:
            try:
                datetime.date(year, month, day)
            except ValueError:
                errors["day"] = [_("There is no such date in that year.")]
    if errors:
        raise ValidationError(errors)
    assert month is not None
    assert day is not None
    return label, month, day, year


def _ensure_new_custom_date(
    client: Client, label: str, month: int, day: int, *, other_than: int | None = None
) -> None:
    """Refuse a second date of the same name on the same day for one client."""
    labels = Occasion.objects.filter(**_client_filter(client), manual=True, month=month, day=day)
    if other_than is not None:
        labels = labels.exclude(pk=other_than)
    # Compared in Python: SQLite folds the case of ASCII letters only.
    if any(
        other.casefold() == label.casefold() for other in labels.values_list("label", flat=True)
    ):
        raise ValidationError(
            {
                "label": [
                    _("This client already has “%(label)s” on %(date)s.")
                    % {"label": label, "date": day_and_month(month, day)}
                ]
            }
        )


def _custom_date_text(occasion: Occasion) -> dict[str, Any]:
    """The date for the history, which says it in its reader's language ("Wedding: 12 June
    2004"): the label, the day as MM-DD and the year."""
    return {
        "label": occasion.label,
        "date": f"{occasion.month:02d}-{occasion.day:02d}",
        "year": occasion.year,
    }


@transaction.atomic
def custom_date_add(*, actor: User, client: Client, data: dict[str, Any]) -> Occasion:
    """A date of the client's own, by hand: a label, a day and a month, a year if known."""
    _ensure_can_write(actor)
    client = _locked_client(actor, client)
    label, month, day, year = _custom_date(data)
    _ensure_new_custom_date(client, label, month, day)
    occasion = Occasion(
        **_client_fields(client),
        owner_id=client.owner_id,
        team_id=client.team_id,
        kind=OccasionKind.CUSTOM,
        month=month,
        day=day,
        year=year,
        label=label,
        manual=True,
    )
    occasion.save()
    audit_record(
        actor=actor,
        action="update",
        obj=client,
        changes={"custom_date": [None, _custom_date_text(occasion)]},
    )
    return occasion


def _custom_date_of(actor: User, occasion: Occasion) -> tuple[Occasion, Client]:
    """The live date entered by hand and its client, both locked, if the actor may see them;
    404 otherwise (computed dates follow the record and cannot be changed here)."""
    found = (
        Occasion.objects.visible_to(actor)
        .filter(pk=occasion.pk, manual=True)
        .select_related("contact", "company")
        .first()
    )
    client = (found.contact or found.company) if found is not None else None
    if found is None or client is None or client.deleted_at is not None:
        raise Http404
    client = _locked_client(actor, client)
    locked = Occasion.objects.select_for_update().filter(pk=found.pk).first()
    if locked is None:
        raise Http404
    return locked, client


@transaction.atomic
def custom_date_edit(*, actor: User, occasion: Occasion, data: dict[str, Any]) -> Occasion:
    """Change what a date entered by hand is called, its day, month or year; keys absent from
    `data` keep their value (read under the row's lock). Reminders already made for the old day
    stay; the reminder job reminds of the new day."""
    _ensure_can_write(actor)
    found, client = _custom_date_of(actor, occasion)
    current = {"label": found.label, "month": found.month, "day": found.day, "year": found.year}
    label, month, day, year = _custom_date(current | data)
    _ensure_new_custom_date(client, label, month, day, other_than=found.pk)
    before = _custom_date_text(found)
    found.label, found.month, found.day, found.year = label, month, day, year
    after = _custom_date_text(found)
    if after != before:
        found.save()
        audit_record(
            actor=actor, action="update", obj=client, changes={"custom_date": [before, after]}
        )
    return found


@transaction.atomic
def custom_date_remove(*, actor: User, occasion: Occasion) -> None:
    """Remove a date entered by hand (computed dates follow the record and cannot be removed)."""
    _ensure_can_write(actor)
    found, client = _custom_date_of(actor, occasion)
    text = _custom_date_text(found)
    found.delete()
    audit_record(actor=actor, action="update", obj=client, changes={"custom_date": [text, None]})
