"""A client's dates over JSON: birthday, name day, anniversary, custom dates."""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from ninja import Status

from clientela.accounts.api import RecordId, actor
from clientela.accounts.models import User
from clientela.occasions import (
    selectors,
    selectors_api,
    services,
)
from clientela.occasions.api._common import (
    DATES,
    READ_ERRORS,
    WRITE_ERRORS,
    router,
)
from clientela.occasions.schemas import (
    ClientDatesIn,
    ClientDatesOut,
    CustomDateIn,
    CustomDateOut,
    CustomDatePatchIn,
    client_ref,
)
from clientela.occasions.selectors import Client, DateLine

# --- a client's dates ----------------------------------------------------------------------------


def _line(line: DateLine | None) -> dict[str, Any] | None:
    if line is None:
        return None
    return {
        "month": line.month,
        "day": line.day,
        "year": line.year,
        "next": line.next,
        "turns": line.turns,
    }


def _dates_out(who: User, client: Client) -> dict[str, Any]:
    # The day the client's page counts from (the firm's day, as the dates panel does).
    view = selectors.client_dates(who, client, today=timezone.localdate())
    name_day, own = view.name_day, view.dates
    return {
        "client": client_ref(client),
        "birthday": _line(view.birthday),
        "name_day": {
            "state": name_day.state,
            "tradition": name_day.tradition,
            "tradition_label": name_day.tradition_label,
            "tradition_from_firm": name_day.tradition_from_firm,
            "saint": name_day.line.label if name_day.line else "",
            **(_line(name_day.line) or {"month": None, "day": None, "next": None}),
        },
        "anniversary": _line(view.anniversary),
        "anniversary_set": view.anniversary_set,
        "client_since": view.client_since,
        "custom": view.custom,
        "settings": {
            "tradition": own.tradition if own else "",
            "name_day_month": own.name_day_month if own else None,
            "name_day_day": own.name_day_day if own else None,
            "no_name_day": own.no_name_day if own else False,
            "client_since": own.client_since if own else None,
        },
    }


def _dates_read(request: HttpRequest, kind: str, pk: int) -> dict[str, Any]:
    who = actor(request)
    return _dates_out(who, selectors.client_get(who, kind, pk))


def _dates_set(request: HttpRequest, kind: str, pk: int, payload: ClientDatesIn) -> Any:
    who = actor(request)
    client = selectors.client_get(who, kind, pk)
    with transaction.atomic():
        services.client_dates_set(
            actor=who, client=client, data=payload.model_dump(exclude_unset=True)
        )
        return _dates_out(who, client)


def _custom_date_add(request: HttpRequest, kind: str, pk: int, payload: CustomDateIn) -> Status:
    who = actor(request)
    client = selectors.client_get(who, kind, pk)
    with transaction.atomic():
        occasion = services.custom_date_add(actor=who, client=client, data=payload.model_dump())
        line = selectors_api.custom_date_line(occasion, today=timezone.localdate())
        out = CustomDateOut.from_orm(line)
    return Status(201, out)


@router.get(
    "/contacts/{contact_id}/dates",
    response={200: ClientDatesOut, **READ_ERRORS},
    tags=DATES,
    summary="A contact's dates",
)
def contact_dates(request: HttpRequest, contact_id: RecordId) -> dict[str, Any]:
    """Birthday, name day (with its saint and calendar), the anniversary of working together
    and the contact's own dates, each with the next time it comes."""
    return _dates_read(request, "contact", contact_id)


@router.patch(
    "/contacts/{contact_id}/dates",
    response={200: ClientDatesOut, **WRITE_ERRORS},
    tags=DATES,
    summary="Set a contact's calendar, name day and “client since”",
)
def contact_dates_set(request: HttpRequest, contact_id: RecordId, payload: ClientDatesIn) -> Any:
    """Change only the fields sent; the computed dates follow."""
    return _dates_set(request, "contact", contact_id, payload)


@router.post(
    "/contacts/{contact_id}/dates/custom",
    response={201: CustomDateOut, **WRITE_ERRORS},
    tags=DATES,
    summary="Add a date of a contact's own",
)
def contact_custom_date_add(
    request: HttpRequest, contact_id: RecordId, payload: CustomDateIn
) -> Status:
    return _custom_date_add(request, "contact", contact_id, payload)


@router.get(
    "/companies/{company_id}/dates",
    response={200: ClientDatesOut, **READ_ERRORS},
    tags=DATES,
    summary="A company's dates",
)
def company_dates(request: HttpRequest, company_id: RecordId) -> dict[str, Any]:
    """The anniversary of working together and the company's own dates (a company has no
    birthday or name day)."""
    return _dates_read(request, "company", company_id)


@router.patch(
    "/companies/{company_id}/dates",
    response={200: ClientDatesOut, **WRITE_ERRORS},
    tags=DATES,
    summary="Set a company's “client since”",
)
def company_dates_set(request: HttpRequest, company_id: RecordId, payload: ClientDatesIn) -> Any:
    return _dates_set(request, "company", company_id, payload)


@router.post(
    "/companies/{company_id}/dates/custom",
    response={201: CustomDateOut, **WRITE_ERRORS},
    tags=DATES,
    summary="Add a date of a company's own",
)
def company_custom_date_add(
    request: HttpRequest, company_id: RecordId, payload: CustomDateIn
) -> Status:
    return _custom_date_add(request, "company", company_id, payload)


@router.patch(
    "/occasions/custom-dates/{date_id}",
    response={200: CustomDateOut, **WRITE_ERRORS},
    tags=DATES,
    summary="Change a date entered by hand",
)
def custom_date_edit(request: HttpRequest, date_id: RecordId, payload: CustomDatePatchIn) -> Any:
    """Change only the fields sent (`year: null` forgets the year). Computed dates (birthday,
    name day, anniversary) follow the client's record and answer 404 here."""
    who = actor(request)
    with transaction.atomic():
        occasion = selectors.occasion_get(who, date_id)
        data = payload.model_dump(exclude_unset=True)
        found = services.custom_date_edit(actor=who, occasion=occasion, data=data)
        return CustomDateOut.from_orm(
            selectors_api.custom_date_line(found, today=timezone.localdate())
        )


@router.delete(
    "/occasions/custom-dates/{date_id}",
    response={204: None, **WRITE_ERRORS},
    tags=DATES,
    summary="Remove a date entered by hand",
)
def custom_date_remove(request: HttpRequest, date_id: RecordId) -> Status:
    who = actor(request)
    with transaction.atomic():
        occasion = selectors.occasion_get(who, date_id)
        services.custom_date_remove(actor=who, occasion=occasion)
    return Status(204, None)
