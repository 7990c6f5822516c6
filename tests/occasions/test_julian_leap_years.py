"""Julian name days in leap years: a feast of 16–28 February (church calendar) is kept as 1–13
March and celebrated one day earlier in a leap year, everywhere a date of the year is computed."""

import datetime
import importlib
from datetime import date
from typing import Any

import pytest
from django.apps import apps

from clientela.accounts.models import User
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.reminders import reminders_create
from clientela.contacts.models import Contact
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import (
    agenda,
    agenda_window,
    celebrated_on,
    celebration_date,
    next_celebration,
)
from clientela.occasions.models import Occasion
from clientela.occasions.namedays import civil_date, leap_shift, name_day_for
from clientela.occasions.selectors import client_dates
from clientela.occasions.selectors_greetings import next_occasion, occasion_date
from clientela.occasions.services import client_dates_set, custom_date_add, occasions_refresh
from conftest import make_contact

from .agenda_support import bare_contact

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("clientela.occasions.migrations.0003_occasion_leap_shift")


def _firm(**values: Any) -> None:
    firm = FirmSettings.current()
    for name, value in values.items():
        setattr(firm, name, value)
    firm.save()


def _julian_taras(owner: User, **data: Any) -> Contact:
    """Тарас of the Julian calendar: 25 February of the church, 10 March, 9 March in a leap year."""
    contact = make_contact(owner, first_name="Тарас", last_name=data.pop("last_name", "Шевченко"))
    client_dates_set(actor=owner, client=contact, data={"tradition": "julian"})
    return contact


def _name_day(contact: Contact) -> Occasion:
    return Occasion.objects.get(contact=contact, kind="name_day")


def _row(owner: User, last_name: str, month: int, day: int, shift: int = 0) -> Occasion:
    client = bare_contact(owner, last_name=last_name)
    return Occasion.objects.create(
        contact=client,
        owner_id=owner.pk,
        team_id=owner.team_id,
        kind="name_day",
        month=month,
        day=day,
        leap_shift=shift,
    )


def _names(items: list[Any]) -> list[tuple[date, str]]:
    return [(item.date, item.client.last_name) for item in items]


# --- the name days ---------------------------------------------------------------------------


def test_a_julian_taras_is_on_10_march_a_day_earlier_in_a_leap_year() -> None:
    found = name_day_for("Тарас", birth=None, tradition="julian")
    assert found is not None
    assert (found.month, found.day, found.leap_shift) == (3, 10, -1)


def test_the_new_calendar_has_no_leap_shift() -> None:
    found = name_day_for("Тарас", birth=None, tradition="new")
    assert found is not None
    assert (found.month, found.day, found.leap_shift) == (2, 25, 0)


def test_a_julian_feast_outside_16_28_february_has_no_leap_shift() -> None:
    found = name_day_for("Іван", birth=datetime.date(1990, 1, 15), tradition="julian")
    assert found is not None
    assert (found.month, found.day, found.leap_shift) == (1, 20, 0)  # 7 January of the church
    yurii = name_day_for("Юрій", birth=None, tradition="julian")
    assert yurii is not None
    assert (yurii.month, yurii.day, yurii.leap_shift) == (5, 6, 0)


@pytest.mark.parametrize(
    ("month", "day", "shift"),
    [(2, 15, 0), (2, 16, -1), (2, 25, -1), (2, 28, -1), (2, 29, 0), (3, 1, 0), (12, 25, 0)],
)
def test_the_leap_shift_of_the_julian_calendar(month: int, day: int, shift: int) -> None:
    assert leap_shift(month, day, "julian") == shift
    assert leap_shift(month, day, "new") == 0


@pytest.mark.parametrize("year", [2027, 2028, 2029, 2032])
def test_every_julian_feast_falls_on_its_real_civil_date(year: int) -> None:
    # The Julian date J of `year` is the civil date J + 13 days (1900–2099); both calendars
    # have 29 February in the same years, so a feast's real civil date is easy to compute.
    checked = 0
    for day in range(366):
        church = datetime.date(2024, 1, 1) + datetime.timedelta(days=day)
        if church.month == 12 and church.day >= 19:
            continue  # celebrated in January of the next year
        if church == datetime.date(2024, 2, 29) and year % 4:
            continue  # no Julian 29 February in a common year
        real = datetime.date(year, church.month, church.day) + datetime.timedelta(days=13)
        month, mday = civil_date(church.month, church.day, "julian")
        shift = leap_shift(church.month, church.day, "julian")
        assert celebration_date(month, mday, year, "02-28", shift) == real, church
        checked += 1
    assert checked >= 352


# --- the computed occasions ------------------------------------------------------------------


def test_the_name_day_row_keeps_the_shift_and_follows_the_calendar(owner: User) -> None:
    taras = _julian_taras(owner)
    row = _name_day(taras)
    assert (row.month, row.day, row.mmdd, row.leap_shift) == (3, 10, 310, -1)

    client_dates_set(actor=owner, client=taras, data={"tradition": "new"})
    row = _name_day(taras)
    assert (row.month, row.day, row.leap_shift) == (2, 25, 0)

    client_dates_set(actor=owner, client=taras, data={"tradition": "julian"})
    assert _name_day(taras).leap_shift == -1


def test_a_wrong_shift_alone_is_corrected_by_a_refresh(owner: User) -> None:
    taras = _julian_taras(owner)
    Occasion.objects.filter(contact=taras).update(leap_shift=0)

    occasions_refresh(taras)

    assert _name_day(taras).leap_shift == -1


def test_a_name_day_set_by_hand_and_a_birthday_have_no_shift(owner: User) -> None:
    taras = _julian_taras(owner)
    client_dates_set(actor=owner, client=taras, data={"name_day_day": 10, "name_day_month": 3})
    row = _name_day(taras)
    assert (row.month, row.day, row.leap_shift) == (3, 10, 0)
    born = make_contact(owner, first_name="Снежана", birth_day=10, birth_month=3)
    assert Occasion.objects.get(contact=born, kind="birthday").leap_shift == 0


def test_the_database_refuses_a_shift_outside_1_13_march(owner: User) -> None:
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        _row(owner, "Wrong", 3, 14, shift=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row(owner, "Wrong", 3, 10, shift=1)


# --- the agenda ------------------------------------------------------------------------------


def test_the_agenda_shows_a_julian_taras_a_day_earlier_in_a_leap_year(owner: User) -> None:
    _julian_taras(owner)

    assert _names(agenda(owner, days=1, today=date(2028, 3, 9))) == [(date(2028, 3, 9), "Шевченко")]
    assert agenda(owner, days=1, today=date(2028, 3, 10)) == []
    assert _names(agenda(owner, days=1, today=date(2027, 3, 10))) == [
        (date(2027, 3, 10), "Шевченко")
    ]
    assert agenda(owner, days=1, today=date(2027, 3, 9)) == []


def test_a_window_ending_on_9_march_of_a_leap_year_includes_him(owner: User) -> None:
    _julian_taras(owner)

    ending = agenda(owner, days=7, today=date(2028, 3, 3))  # 3–9 March, 10 March excluded
    assert _names(ending) == [(date(2028, 3, 9), "Шевченко")]
    assert agenda(owner, days=7, today=date(2028, 3, 10)) == []


def test_16_february_of_the_church_is_29_february_of_a_leap_year(owner: User) -> None:
    _row(owner, "Shifted", 3, 1, shift=-1)
    _row(owner, "March", 3, 1)

    assert _names(agenda(owner, days=1, today=date(2028, 2, 29))) == [
        (date(2028, 2, 29), "Shifted")
    ]
    assert agenda(owner, days=7, today=date(2028, 2, 22)) == []  # 22–28 February
    assert _names(agenda(owner, days=7, today=date(2028, 2, 23))) == [
        (date(2028, 2, 29), "Shifted")
    ]
    assert _names(agenda(owner, days=7, today=date(2027, 2, 23))) == [
        (date(2027, 3, 1), "March"),
        (date(2027, 3, 1), "Shifted"),
    ]


def test_a_shifted_occasion_costs_no_extra_query(
    owner: User, django_assert_num_queries: Any
) -> None:
    _julian_taras(owner)
    FirmSettings.current()
    with django_assert_num_queries(2):  # firm settings + one range
        assert len(agenda(owner, days=7, today=date(2028, 3, 3))) == 1


def test_a_limited_window_keeps_whole_days_with_shifted_occasions(owner: User) -> None:
    # given a name day on 9 March, one of 10 March, and a shifted one of 10 March made last
    _row(owner, "A", 3, 9)
    _row(owner, "C", 3, 10)
    _row(owner, "B", 3, 10, shift=-1)  # 9 March in 2028
    # when two rows may be shown
    window = agenda_window(owner, days=7, today=date(2028, 3, 9), limit=2)
    # then they are the whole of 9 March, not one of 9 March and one of 10 March
    assert _names(window.items) == [(date(2028, 3, 9), "A"), (date(2028, 3, 9), "B")]
    assert not window.complete


def test_a_row_of_the_day_after_the_window_does_not_make_it_incomplete(owner: User) -> None:
    _julian_taras(owner)
    _row(owner, "After", 3, 10)  # 10 March: fetched with Тарас, after the window

    window = agenda_window(owner, days=7, today=date(2028, 3, 3), limit=1)

    assert _names(window.items) == [(date(2028, 3, 9), "Шевченко")]
    assert window.complete


def test_celebrated_on_matches_the_shifted_rows_of_the_next_day(owner: User) -> None:
    plain = _row(owner, "Plain", 3, 10)
    shifted = _row(owner, "Shifted", 3, 10, shift=-1)

    def on(day: date) -> set[int]:
        return set(
            Occasion.objects.filter(celebrated_on(day, "02-28")).values_list("pk", flat=True)
        )

    assert on(date(2028, 3, 9)) == {shifted.pk}
    assert on(date(2028, 3, 10)) == {plain.pk}
    assert on(date(2027, 3, 10)) == {plain.pk, shifted.pk}
    assert on(date(2027, 3, 9)) == set()


# --- the reminders ---------------------------------------------------------------------------


def _at(day: date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 9, tzinfo=datetime.UTC)


def test_the_reminder_is_for_9_march_in_a_leap_year(owner: User) -> None:
    owner.language = "en"
    owner.save(update_fields=["language"])
    _firm(remind_name_day_days=2)
    taras = _julian_taras(owner)
    row = _name_day(taras)

    reminders_create(date(2028, 3, 8), _at(date(2028, 3, 8)))  # 2 days before 10 March
    assert not Task.objects.filter(origin=TaskOrigin.REMINDER).exists()

    reminders_create(date(2028, 3, 7), _at(date(2028, 3, 7)))  # 2 days before 9 March
    (task,) = Task.objects.filter(origin=TaskOrigin.REMINDER)
    assert task.origin_key == f"occasion:name_day:contact:{row.contact_id}:2028-03-09"
    assert task.title == "Name day of Тарас Шевченко on 9 March"
    assert task.due_date == date(2028, 3, 7)


def test_the_reminder_is_for_10_march_in_a_common_year(owner: User) -> None:
    taras = _julian_taras(owner)
    day = date(2027, 3, 10) - datetime.timedelta(days=FirmSettings.current().remind_name_day_days)

    reminders_create(day, _at(day))

    (task,) = Task.objects.filter(origin=TaskOrigin.REMINDER)
    assert task.origin_key == f"occasion:name_day:contact:{taras.pk}:2027-03-10"


# --- the client's dates and greetings ---------------------------------------------------------


def test_the_next_name_day_across_the_year_end_is_the_leap_years_date(owner: User) -> None:
    taras = _julian_taras(owner)

    view = client_dates(owner, taras, today=date(2027, 12, 31))

    assert view.name_day.line is not None
    assert view.name_day.line.next == date(2028, 3, 9)
    assert view.name_day.line.sample == date(2000, 3, 10)  # the date as the calendar says it
    assert next_celebration(3, 10, date(2027, 12, 31), "02-28", -1) == date(2028, 3, 9)
    assert next_celebration(3, 10, date(2028, 3, 10), "02-28", -1) == date(2029, 3, 10)
    assert next_celebration(3, 10, date(2028, 3, 9), "02-28", -1) == date(2028, 3, 9)


def test_a_custom_date_on_a_shifted_day_keeps_its_own_date(owner: User) -> None:
    taras = _julian_taras(owner)
    custom_date_add(actor=owner, client=taras, data={"label": "Wedding", "day": 10, "month": 3})

    view = client_dates(owner, taras, today=date(2028, 1, 1))

    assert [line.next for line in view.custom] == [date(2028, 3, 10)]


def test_the_greeting_page_dates_a_shifted_name_day(owner: User) -> None:
    taras = _julian_taras(owner)
    custom_date_add(actor=owner, client=taras, data={"label": "Wedding", "day": 11, "month": 3})

    assert occasion_date(_name_day(taras), date(2027, 12, 31)) == date(2028, 3, 9)
    # on 10 March 2028 his name day is past (it was the 9th): the wedding comes first
    found = next_occasion(taras, date(2028, 3, 10))
    assert found is not None
    assert found.label == "Wedding"


# --- the data migration ----------------------------------------------------------------------


def _shifts() -> dict[int, int]:
    return dict(Occasion.objects.values_list("pk", "leap_shift"))


def test_the_migration_sets_the_shifts_the_service_computes_firm_julian(owner: User) -> None:
    # given the firm keeps the Julian calendar and clients of every kind on 1–13 March
    _firm(calendar_tradition="julian")
    make_contact(owner, first_name="Тарас", last_name="Julian")  # 10 March, shifted
    make_contact(owner, first_name="Кіра", last_name="Julian")  # 28 Feb → 13 March, shifted
    make_contact(owner, first_name="Касіан", last_name="Julian")  # 29 Feb → 13 March, not
    new = make_contact(owner, first_name="Євдокія", last_name="New")  # 1 March
    client_dates_set(actor=owner, client=new, data={"tradition": "new"})
    by_hand = make_contact(owner, first_name="Тарас", last_name="Hand")
    client_dates_set(actor=owner, client=by_hand, data={"name_day_day": 5, "name_day_month": 3})
    born = make_contact(owner, first_name="Снежана", birth_day=10, birth_month=3)
    custom_date_add(actor=owner, client=born, data={"label": "Wedding", "day": 2, "month": 3})
    expected = _shifts()
    assert sorted(expected.values()) == [-1, -1, 0, 0, 0, 0, 0]
    Occasion.objects.update(leap_shift=0)
    # when the migration runs
    MIGRATION.set_julian_leap_shift(apps, None)
    # then every row has the shift the service gives it
    assert _shifts() == expected


def test_the_migration_sets_the_shifts_the_service_computes_firm_new(owner: User) -> None:
    _firm(calendar_tradition="new")
    _julian_taras(owner, last_name="Julian")
    make_contact(owner, first_name="Тарас", last_name="New")  # 25 February
    make_contact(owner, first_name="Євдокія", last_name="New")  # 1 March
    expected = _shifts()
    assert sorted(expected.values()) == [-1, 0, 0]
    Occasion.objects.update(leap_shift=0)

    MIGRATION.set_julian_leap_shift(apps, None)

    assert _shifts() == expected
