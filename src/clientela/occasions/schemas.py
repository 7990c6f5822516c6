"""What the occasions API takes in and gives out: one input and one output shape per endpoint.

Input shapes only type-check; the services decide what is valid (a day of the year, a
calendar, a cost, a placeholder) so the API and the pages answer alike. Days are YYYY-MM-DD;
times are ISO-8601 with their offset, and a time sent without one is the caller's local time.
A PATCH changes only the fields sent.
"""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import RecordId, Text, Timestamp
from clientela.contacts.models import Contact
from clientela.occasions.agenda import AgendaItem, HolidayItem
from clientela.occasions.models import Gesture, Greeting
from clientela.occasions.selectors import DateLine


class _StrictIn(Schema):
    # A misspelt field is an error naming it, not a change silently left undone.
    model_config = ConfigDict(extra="forbid")


class RefOut(Schema):
    id: int
    name: str


class ClientOut(Schema):
    type: str = Field(description="`contact` or `company`.")
    id: int
    name: str


def client_ref(client: Any) -> dict[str, Any] | None:
    if client is None:
        return None
    kind = "contact" if isinstance(client, Contact) else "company"
    return {"type": kind, "id": client.pk, "name": str(client)}


def _ref(obj: Any, name: str) -> dict[str, Any] | None:
    related = getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None
    return None if related is None else {"id": related.pk, "name": str(related)}


_CURSOR = Field(None, description="`next_cursor` or `previous_cursor` of the page before.")
_LIMIT = Field(50, ge=1, le=200, description="Rows per page.")
_DAY = "A day as YYYY-MM-DD."


# --- the agenda ---------------------------------------------------------------------------------


class UpcomingQuery(Schema):
    days: int = Field(7, description="How many days from today: 7 or 30.")
    scope: Text = Field(
        "mine",
        description="`mine` (your clients) or `team` (your team's; leads and administrators "
        "of a team). A scope you may not choose gives `mine`, as on the occasions page.",
    )
    start: Text | None = Field(
        None,
        alias="from",
        description="A crowded period comes in parts: the `next_from` of the part before "
        "(YYYY-MM-DD, from today to the window's last day).",
    )
    skip: int = Field(
        0,
        ge=0,
        description="The `next_skip` of the part before: how many occasions of the day `from` "
        "it showed already (a day with more than one part holds).",
    )


class AgendaItemOut(Schema):
    occasion: int = Field(description="The occasion's id, for a gesture or a greeting.")
    date: datetime.date = Field(description="When it is celebrated in the window.")
    kind: str = Field(description="`birthday`, `name_day`, `anniversary` or `custom`.")
    label: str = Field(
        description="The occasion's own words (a name day's saint, “Wedding”), in your "
        "language; may be empty."
    )
    turns: int | None = Field(
        description="The age turned on a birthday, the years together on an anniversary."
    )
    client: ClientOut
    owner: RefOut = Field(description="The client's owner.")

    @staticmethod
    def resolve_occasion(obj: AgendaItem) -> int:
        return obj.occasion.pk

    @staticmethod
    def resolve_label(obj: AgendaItem) -> str:
        return obj.label

    @staticmethod
    def resolve_client(obj: AgendaItem) -> dict[str, Any] | None:
        return client_ref(obj.client)

    @staticmethod
    def resolve_owner(obj: AgendaItem) -> dict[str, Any] | None:
        return _ref(obj.occasion, "owner")


class UpcomingOut(Schema):
    start: datetime.date = Field(description="The first day of this part.")
    last_day: datetime.date = Field(description="The last day of the whole window.")
    scope: str = Field(description="The scope shown: `mine` or `team`.")
    complete: bool = Field(
        description="False: more occasions than one answer holds; this part ends with a "
        "whole day and `next_from` asks for the rest."
    )
    next_from: datetime.date | None
    next_skip: int = Field(
        0, description="Pass as `skip` with `from`: the occasions of that day already shown."
    )
    items: list[AgendaItemOut]


class HolidaysQuery(Schema):
    start: Text | None = Field(None, description=f"{_DAY} By default today.")
    end: Text | None = Field(
        None,
        description=f"{_DAY} Included; by default 29 days after `start`. At most 366 days in all.",
    )


class HolidayOut(Schema):
    date: datetime.date
    name: str = Field(description="In your language where the holidays library has it.")
    firm_date: bool = Field(description="True: one of the firm's own dates, not a public holiday.")

    @staticmethod
    def resolve_firm_date(obj: HolidayItem) -> bool:
        return obj.is_firm_date


class HolidaysOut(Schema):
    start: datetime.date
    end: datetime.date
    country: str = Field(description="The firm's country of public holidays.")
    country_problem: str | None = Field(
        description="Why no public holidays are given (a country code the library does not know)."
    )
    items: list[HolidayOut]


# --- a client's dates ---------------------------------------------------------------------------


class DateOut(Schema):
    month: int
    day: int
    year: int | None
    next: datetime.date = Field(description="The next time it is celebrated.")
    turns: int | None = Field(description="The age, or the years together, on `next`.")


class CustomDateOut(DateOut):
    id: int
    label: str

    @staticmethod
    def resolve_id(obj: DateLine) -> int | None:
        return obj.pk


class NameDayOut(Schema):
    state: str = Field(
        description="`computed` (from the first name), `set` (by hand), `no_saint` (no saint "
        "of that name is known), `not_celebrated`, or `none` (a company)."
    )
    tradition: str = Field(description="The church calendar used: `new` or `julian`.")
    tradition_label: str
    tradition_from_firm: bool = Field(
        description="True: the firm's calendar, not the client's own."
    )
    saint: str = Field(description="The saint of a computed name day, in your language.")
    month: int | None
    day: int | None
    next: datetime.date | None


class ClientDatesSettingsOut(Schema):
    tradition: str = Field(description="`new`, `julian`, or empty: the firm's calendar.")
    name_day_month: int | None
    name_day_day: int | None
    no_name_day: bool
    client_since: datetime.date | None = Field(description="Empty: the first purchase.")


class ClientDatesOut(Schema):
    client: ClientOut
    birthday: DateOut | None
    name_day: NameDayOut
    anniversary: DateOut | None = Field(description="Of working together.")
    anniversary_set: bool = Field(description="True: “client since” set by hand.")
    client_since: datetime.date | None
    custom: list[CustomDateOut]
    settings: ClientDatesSettingsOut = Field(description="What PATCH sets.")


class ClientDatesIn(_StrictIn):
    tradition: Text | None = Field(
        None, description="`new`, `julian`, or empty (null) for the firm's calendar."
    )
    name_day_day: int | None = Field(None, description="A name day by hand: with the month.")
    name_day_month: int | None = None
    no_name_day: bool | None = Field(None, description="The contact celebrates no name day.")
    client_since: Text | None = Field(
        None, description=f"{_DAY} Empty (null): the date of the first purchase."
    )


class CustomDateIn(_StrictIn):
    label: Text = Field(description="What the date is, such as “wedding” or “founding day”.")
    month: int
    day: int
    year: int | None = Field(None, description="If known, for “turns 40” or “10 years together”.")


class CustomDatePatchIn(_StrictIn):
    label: Text | None = None
    month: int | None = None
    day: int | None = None
    year: int | None = None


# --- gestures -----------------------------------------------------------------------------------


class GestureListQuery(Schema):
    kind: Text | None = Field(
        None, description="`postcard`, `flowers`, `gift`, `voucher`, `call`, `email`, `message`."
    )
    status: Text | None = Field(None, description="`planned`, `done` or `cancelled`.")
    owner: Text | None = Field(None, description="The client's owner: a user id, or `me`.")
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    date_from: Text | None = Field(None, description=f"{_DAY} Included.")
    date_to: Text | None = Field(None, description=f"{_DAY} Included.")
    cursor: Text | None = _CURSOR
    limit: int = _LIMIT


class _GestureFields(_StrictIn):
    contact: RecordId | None = Field(None, description="A contact id; a contact or a company.")
    company: RecordId | None = Field(None, description="A company id.")
    occasion: RecordId | None = Field(
        None, description="An occasion id; alone, the occasion's client is taken."
    )
    user: RecordId | None = Field(None, description="Who did it; by default the caller.")
    date: Text | None = Field(None, description=f"{_DAY} By default today.")
    cost: Decimal | None = Field(None, description="What it cost; not negative.")
    currency: Text | None = Field(None, description="ISO 4217, e.g. `UAH`.")
    status: Text | None = Field(None, description="`planned`, `done` (default) or `cancelled`.")
    response: Text | None = Field(
        None,
        description="The client's: `thanked`, `pleased`, `bought`, `neutral`, `negative`, or "
        "empty.",
    )
    notes: Text | None = None


class GestureIn(_GestureFields):
    kind: Text = Field(
        description="`postcard`, `flowers`, `gift`, `voucher`, `call`, `email` or `message`."
    )


class GesturePatchIn(_GestureFields):
    kind: Text | None = None
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )


class OccasionRefOut(Schema):
    id: int
    kind: str
    label: str


class GestureOut(Schema):
    id: int
    kind: str
    contact: RefOut | None
    company: RefOut | None
    occasion: OccasionRefOut | None
    occasion_kind: str
    user: RefOut = Field(description="Who did it.")
    owner: RefOut = Field(description="The client's owner.")
    date: datetime.date
    cost: Decimal
    currency: str
    status: str
    response: str | None
    notes: str
    greeting: int | None = Field(description="The greeting it was sent with, if any.")
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Gesture) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Gesture) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_occasion(obj: Gesture) -> dict[str, Any] | None:
        occasion = obj.occasion if obj.occasion_id is not None else None
        if occasion is None:
            return None
        return {"id": occasion.pk, "kind": occasion.kind, "label": occasion.label_shown}

    @staticmethod
    def resolve_user(obj: Gesture) -> dict[str, Any] | None:
        return _ref(obj, "user")

    @staticmethod
    def resolve_owner(obj: Gesture) -> dict[str, Any] | None:
        return _ref(obj, "owner")

    @staticmethod
    def resolve_response(obj: Gesture) -> str | None:
        return obj.response or None

    @staticmethod
    def resolve_greeting(obj: Gesture) -> int | None:
        return obj.greeting_id


class GesturePageOut(Schema):
    items: list[GestureOut]
    next_cursor: str | None
    previous_cursor: str | None


# --- greetings ----------------------------------------------------------------------------------


class GreetingIn(_StrictIn):
    contact: RecordId | None = Field(None, description="A contact id; a contact or a company.")
    company: RecordId | None = Field(None, description="A company id (its own address).")
    occasion: RecordId | None = Field(
        None, description="An occasion id of the client; alone, the occasion's client is taken."
    )
    template: RecordId | None = Field(
        None,
        description="A template in use; its subject, text and language are taken for those "
        "not sent.",
    )
    subject: Text | None = Field(None, description="May hold placeholders such as {first_name}.")
    body: Text | None = None
    language: Text | None = Field(
        None, description="`uk`, `ru` or `en`; by default the template's, else the client's."
    )
    personal: bool = Field(
        True,
        description="From the manager (needs no marketing consent); false: a marketing email.",
    )
    send_at: datetime.datetime | None = Field(None, description="Later; by default now.")


class GreetingOut(Schema):
    id: int
    contact: RefOut | None
    company: RefOut | None
    sender: RefOut
    occasion: int | None
    occasion_kind: str
    template: int | None
    language: str
    to_email: str
    subject: str
    body: str
    personal: bool
    status: str = Field(description="`scheduled`, `queued`, `sent`, `failed` or `cancelled`.")
    send_at: Timestamp
    created_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Greeting) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Greeting) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_sender(obj: Greeting) -> dict[str, Any] | None:
        return _ref(obj, "sender")

    @staticmethod
    def resolve_occasion(obj: Greeting) -> int | None:
        return obj.occasion_id

    @staticmethod
    def resolve_template(obj: Greeting) -> int | None:
        return obj.template_id
