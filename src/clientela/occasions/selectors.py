"""Reads of a client's dates, already narrowed to what the user may see."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404
from django.utils.translation import get_language

from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import next_celebration
from clientela.occasions.models import ClientDates, Occasion, OccasionKind, Tradition
from clientela.occasions.namedays import NameDay, name_day_for, name_entry, saint_name

Client = Contact | Company
CLIENT_MODELS: dict[str, type[Contact] | type[Company]] = {"contact": Contact, "company": Company}


def client_get(user: Any, kind: str, pk: int) -> Client:
    """A live contact or company the user may see; 404 for anything else."""
    model = CLIENT_MODELS.get(kind)
    found = model.objects.visible_to(user).filter(pk=pk).first() if model else None
    if found is None:
        raise Http404
    return found


def occasion_get(user: Any, pk: int) -> Occasion:
    found = Occasion.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class DateLine:
    month: int
    day: int
    year: int | None
    next: datetime.date
    turns: int | None  # age, or years together, on `next`
    label: str = ""
    pk: int | None = None

    @property
    def sample(self) -> datetime.date:
        """The date itself in a leap year, for "21 May" formatting."""
        return datetime.date(2000, self.month, self.day)

    @property
    def full(self) -> datetime.date | None:
        """The date with its year, when the year is known."""
        return datetime.date(self.year, self.month, self.day) if self.year else None


@dataclass(frozen=True)
class NameDayLine:
    state: str  # "computed", "set", "no_saint", "not_celebrated", "none" (a company)
    tradition: str
    tradition_label: str
    tradition_from_firm: bool
    name_day: NameDay | None = None
    line: DateLine | None = None


@dataclass
class ClientDatesView:
    client: Client
    is_contact: bool
    birthday: DateLine | None
    name_day: NameDayLine
    anniversary: DateLine | None
    anniversary_set: bool  # "client since" entered by hand, not the first purchase
    client_since: datetime.date | None
    custom: list[DateLine] = field(default_factory=list)
    dates: ClientDates | None = None


def contact_name_day(
    contact: Contact, dates: ClientDates | None, firm_tradition: str
) -> tuple[str, NameDay | None, str]:
    """(state, name day, tradition) of a contact: set by hand, not celebrated, or computed."""
    tradition = (dates.tradition if dates is not None else "") or firm_tradition
    if dates is not None and dates.no_name_day:
        return "not_celebrated", None, tradition
    if dates is not None and dates.name_day_month and dates.name_day_day:
        manual = NameDay(dates.name_day_month, dates.name_day_day, "", "", tradition, False)
        return "set", manual, tradition
    birth = None
    if contact.birth_month and contact.birth_day:
        birth = datetime.date(2000, contact.birth_month, contact.birth_day)
    found = name_day_for(contact.first_name, birth=birth, tradition=tradition)
    if found is None:
        return "no_saint", None, tradition
    return "computed", found, tradition


def client_dates(user: Any, client: Client, *, today: datetime.date) -> ClientDatesView:
    """The dates of a client the user sees: three queries whatever the number of dates."""
    is_contact = isinstance(client, Contact)
    where = {"contact_id": client.pk} if is_contact else {"company_id": client.pk}
    rows = list(
        Occasion.objects.visible_to(user)
        .filter(**where, **({} if is_contact else {"contact__isnull": True}))
        .order_by("mmdd", "id")
    )
    dates = ClientDates.objects.filter(**where).first()
    firm = FirmSettings.current()

    def line(row: Occasion) -> DateLine:
        upcoming = next_celebration(
            row.month, row.day, today, firm.leap_day_on, row.leap_shift, since=row.year
        )
        turns = upcoming.year - row.year if row.year else None
        return DateLine(row.month, row.day, row.year, upcoming, turns, row.label, row.pk)

    by_kind = {row.kind: row for row in rows if not row.manual}
    birthday = None
    if is_contact:
        contact = client
        assert isinstance(contact, Contact)
        if contact.birth_month and contact.birth_day:
            upcoming = next_celebration(
                contact.birth_month,
                contact.birth_day,
                today,
                firm.leap_day_on,
                since=contact.birth_year,
            )
            birthday = DateLine(
                contact.birth_month,
                contact.birth_day,
                contact.birth_year,
                upcoming,
                upcoming.year - contact.birth_year if contact.birth_year else None,
            )
        state, found, tradition = contact_name_day(contact, dates, firm.calendar_tradition)
    else:
        state, found, tradition = "none", None, firm.calendar_tradition
    name_line = None
    if found is not None:
        upcoming = next_celebration(
            found.month, found.day, today, firm.leap_day_on, found.leap_shift
        )
        name_line = DateLine(
            found.month, found.day, None, upcoming, None, saint_name(found.saint, get_language())
        )
    anniversary_row = by_kind.get(OccasionKind.ANNIVERSARY)
    return ClientDatesView(
        client=client,
        is_contact=is_contact,
        birthday=birthday,
        name_day=NameDayLine(
            state=state,
            tradition=tradition,
            tradition_label=str(Tradition(tradition).label),
            tradition_from_firm=not (dates is not None and dates.tradition),
            name_day=found,
            line=name_line,
        ),
        anniversary=line(anniversary_row) if anniversary_row is not None else None,
        anniversary_set=bool(dates is not None and dates.client_since),
        client_since=(
            datetime.date(anniversary_row.year, anniversary_row.month, anniversary_row.day)
            if anniversary_row is not None and anniversary_row.year
            else None
        ),
        custom=[line(row) for row in rows if row.manual],
        dates=dates,
    )


def known_name(first_name: str) -> str | None:
    """The church name of a first name, or None when no saint of that name is known."""
    entry = name_entry(first_name)
    return entry.church_name if entry is not None else None
