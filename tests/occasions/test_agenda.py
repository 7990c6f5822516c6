"""The agenda selector: which occasions fall in the next days, for whom, on which date."""

import datetime
import re
import zoneinfo
from datetime import date
from typing import Any

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.core.models import FirmSettings
from clientela.occasions.agenda import (
    agenda,
    agenda_window,
    celebrated_on,
    holiday_country_problem,
    holidays_between,
    next_celebration,
    public_holidays_between,
    user_today,
)
from clientela.occasions.models import FirmDate, Occasion
from conftest import make_company

from .agenda_support import bare_contact, make_occasion

pytestmark = pytest.mark.django_db


def _dates(items: list[Any]) -> list[tuple[date, str]]:
    return [(item.date, item.client_name) for item in items]


def _set_leap_day(on: str) -> None:
    firm = FirmSettings.current()
    firm.leap_day_on = on
    firm.save()


def test_a_window_across_the_year_end_reaches_january(owner: User) -> None:
    # given birthdays on 27 Dec (yesterday), 28 Dec, 31 Dec, 2 Jan and 3 Jan
    for name, month, day in [
        ("Before", 12, 27),
        ("Today", 12, 28),
        ("Eve", 12, 31),
        ("January", 1, 2),
        ("After", 1, 4),
    ]:
        make_occasion(bare_contact(owner, last_name=name), month=month, day=day)
    # when the agenda covers 28 Dec + 7 days (up to 3 Jan)
    items = agenda(owner, days=7, today=date(2026, 12, 28))
    # then December comes first, then January of the next year
    assert [(i.date, i.client.last_name) for i in items] == [
        (date(2026, 12, 28), "Today"),
        (date(2026, 12, 31), "Eve"),
        (date(2027, 1, 2), "January"),
    ]


def test_year_end_window_costs_two_ranges(owner: User, django_assert_num_queries: Any) -> None:
    make_occasion(bare_contact(owner), month=1, day=2)
    FirmSettings.current()
    with django_assert_num_queries(3):  # firm settings + one query per calendar year
        assert len(agenda(owner, days=7, today=date(2026, 12, 28))) == 1
    with django_assert_num_queries(2):
        assert len(agenda(owner, days=7, today=date(2026, 1, 1))) == 1


@pytest.mark.parametrize(
    ("setting", "today", "expected"),
    [
        ("02-28", date(2027, 2, 25), date(2027, 2, 28)),  # non-leap: 28 February
        ("03-01", date(2027, 2, 25), date(2027, 3, 1)),  # non-leap: 1 March
        ("02-28", date(2028, 2, 25), date(2028, 2, 29)),  # leap: its own day
        ("03-01", date(2028, 2, 25), date(2028, 2, 29)),
    ],
)
def test_29_february(owner: User, setting: str, today: date, expected: date) -> None:
    _set_leap_day(setting)
    make_occasion(bare_contact(owner), month=2, day=29, year=1996)
    items = agenda(owner, days=7, today=today)
    assert [item.date for item in items] == [expected]
    assert items[0].turns == expected.year - 1996


def test_29_february_on_1_march_is_not_in_a_window_ending_28_february(owner: User) -> None:
    _set_leap_day("03-01")
    make_occasion(bare_contact(owner), month=2, day=29)
    assert agenda(owner, days=4, today=date(2027, 2, 25)) == []  # 25–28 Feb
    assert len(agenda(owner, days=1, today=date(2027, 3, 1))) == 1


def test_29_february_on_28_february_is_in_a_window_ending_that_day(owner: User) -> None:
    _set_leap_day("02-28")
    make_occasion(bare_contact(owner), month=2, day=29)
    assert len(agenda(owner, days=4, today=date(2027, 2, 25))) == 1
    assert agenda(owner, days=7, today=date(2027, 3, 1)) == []


def test_today_is_the_users_own_day(owner: User, settings: Any) -> None:
    # given a birthday on 31 May and one on 1 June; 00:30 on 1 June in Kyiv is 21:30 in UTC
    settings.TIME_ZONE = "UTC"
    make_occasion(bare_contact(owner, last_name="May"), month=5, day=31)
    make_occasion(bare_contact(owner, last_name="June"), month=6, day=1)
    now = datetime.datetime(2026, 5, 31, 21, 30, tzinfo=datetime.UTC)

    def todays(user: User) -> list[str]:
        items = agenda(user, days=1, today=user_today(user, now))
        return [item.client.last_name for item in items]

    # then a user in Kyiv is already on 1 June, a user on UTC still on 31 May
    owner.time_zone = "Europe/Kyiv"
    assert todays(owner) == ["June"]
    owner.time_zone = ""
    assert todays(owner) == ["May"]


def test_default_today_is_today_in_the_users_time_zone(owner: User) -> None:
    owner.time_zone = "Pacific/Kiritimati"  # UTC+14: a day ahead of most of the world
    day = timezone.localtime(timezone.now(), zoneinfo.ZoneInfo("Pacific/Kiritimati")).date()
    if (day.month, day.day) == (2, 29):
        pytest.skip("the celebration date of 29 February depends on the setting")
    make_occasion(bare_contact(owner), month=day.month, day=day.day)
    assert [item.date for item in agenda(owner, days=1)] == [day]


def test_scopes_and_visibility(
    owner: User, teammate: User, lead: User, outsider: User, admin: User
) -> None:
    mine = make_occasion(bare_contact(owner, last_name="Mine"), month=3, day=10)
    theirs = make_occasion(bare_contact(teammate, last_name="Team"), month=3, day=11)
    foreign = make_occasion(bare_contact(outsider, last_name="Foreign"), month=3, day=12)
    today = date(2026, 3, 9)

    def seen(user: User, scope: str) -> set[int]:
        return {item.occasion.pk for item in agenda(user, days=7, scope=scope, today=today)}

    assert seen(owner, "mine") == {mine.pk}
    assert seen(owner, "team") == {mine.pk}  # a manager may not choose the team: own clients
    assert seen(owner, "all") == {mine.pk}
    assert seen(lead, "mine") == set()
    assert seen(lead, "team") == {mine.pk, theirs.pk}
    assert seen(lead, "all") == set()  # not a lead's choice: its own clients (none)
    assert seen(outsider, "team") == {foreign.pk}
    assert seen(admin, "all") == {mine.pk, theirs.pk, foreign.pk}
    assert foreign.pk not in seen(teammate, "all")


def test_trashed_clients_leave_the_agenda(owner: User) -> None:
    client = bare_contact(owner)
    make_occasion(client, month=3, day=10)
    client.deleted_at = timezone.now()
    client.save(update_fields=["deleted_at"])
    assert agenda(owner, days=7, today=date(2026, 3, 9)) == []


def test_turns_for_every_date_with_a_year(owner: User, company: Any) -> None:
    person = bare_contact(owner, last_name="Aaa")
    make_occasion(person, month=4, day=2, year=1986)
    make_occasion(person, month=4, day=3, kind="name_day", label="св. Олена")
    make_occasion(company, month=4, day=4, kind="anniversary", year=2021)
    make_occasion(person, month=4, day=5, kind="custom", label="Wedding", year=2010)
    make_occasion(person, month=4, day=6)  # year unknown
    items = agenda(owner, days=7, today=date(2026, 4, 1))
    assert [(i.kind, i.turns, i.label) for i in items] == [
        ("birthday", 40, ""),
        ("name_day", None, "св. Олена"),
        ("anniversary", 5, ""),
        ("custom", 16, "Wedding"),  # years since the date, as for the others
        ("birthday", None, ""),
    ]
    assert items[2].client == company


def test_sorted_by_date_then_client_name(owner: User) -> None:
    for last in ("Яковенко", "Бондар", "Андрієнко"):
        make_occasion(bare_contact(owner, last_name=last), month=7, day=2)
    make_occasion(bare_contact(owner, last_name="Шевченко"), month=7, day=1)
    items = agenda(owner, days=7, today=date(2026, 7, 1))
    assert [i.client.last_name for i in items] == ["Шевченко", "Андрієнко", "Бондар", "Яковенко"]


@pytest.mark.parametrize("count", [1, 50])
def test_queries_do_not_grow_with_the_occasions(
    owner: User, count: int, django_assert_num_queries: Any
) -> None:
    company = make_company(owner)
    for i in range(count):
        person = bare_contact(owner, last_name=f"N{i:03d}", company=company.pk)
        make_occasion(person, month=5, day=1 + i % 7, kind="birthday", year=1980)
        make_occasion(company, month=5, day=1 + i % 7, kind="anniversary", year=2020)
    FirmSettings.current()
    with django_assert_num_queries(2):
        items = agenda(owner, days=7, today=date(2026, 5, 1))
        names = [
            (i.client_name, str(i.occasion.owner), i.client.sort_name, i.label, i.turns)
            for i in items
        ]
    assert len(names) == 2 * count


def test_days_are_bounded(owner: User) -> None:
    make_occasion(bare_contact(owner), month=5, day=1)
    assert len(agenda(owner, days=0, today=date(2026, 5, 1))) == 1  # at least today
    # a whole year's window shows each client's day once
    assert len(agenda(owner, days=1000, today=date(2026, 5, 1))) == 1


# --- holidays -------------------------------------------------------------------------------


def test_ukrainian_holidays_include_christmas_and_orthodox_easter(db: Any) -> None:
    items = holidays_between(date(2026, 1, 1), date(2027, 1, 1), language="en")
    named = {item.date: item.name for item in items}
    assert named[date(2026, 12, 25)] == "Christmas Day"
    assert named[date(2026, 4, 12)] == "Easter Sunday (Pascha)"  # Orthodox Easter 2026
    # since 2024 the library no longer lists 7 January for Ukraine (the 2023 law)
    assert date(2026, 1, 7) not in named
    old = {i.date: i.name for i in holidays_between(date(2023, 1, 1), date(2024, 1, 1))}
    assert date(2023, 1, 7) in old
    assert date(2023, 12, 25) in old


def test_holiday_names_in_the_users_language(db: Any) -> None:
    uk = holidays_between(date(2026, 12, 25), date(2026, 12, 26), language="uk")
    assert [item.name for item in uk] == ["Різдво Христове"]
    # the library has no Russian names for Ukraine: Clientela's own (holiday_names)
    ru = holidays_between(date(2026, 12, 25), date(2026, 12, 26), language="ru")
    assert [item.name for item in ru] == ["Рождество Христово"]
    # another country without Russian names: the country's own language
    firm = FirmSettings.current()
    firm.holiday_country = "PL"
    firm.save()
    pl = holidays_between(date(2026, 1, 1), date(2026, 1, 2), language="ru")
    assert [item.name for item in pl] == ["Nowy Rok"]


def test_every_holiday_of_ukraine_has_a_russian_name(db: Any) -> None:
    """Every name the library gives Ukraine from 2015 to 2035, days off moved included, is
    named in Russian: no Ukrainian letter is left."""
    items = public_holidays_between(date(2015, 1, 1), date(2036, 1, 1), country="UA", language="ru")
    assert len(items) > 200
    untranslated = {item.name for item in items if re.search("[іїєґʼІЇЄҐ]", item.name)}
    assert untranslated == set()
    named = {item.date: item.name for item in items}
    assert named[date(2016, 6, 20)] == "Троица (выходной)"
    assert named[date(2016, 6, 27)] == "Выходной день (перенесён с 02.07.2016)"


def test_firm_dates_join_the_holidays(db: Any) -> None:
    FirmDate.objects.create(name="Founding day", month=12, day=30)
    FirmDate.objects.create(name="Retired", month=12, day=29, active=False)
    items = holidays_between(date(2026, 12, 28), date(2027, 1, 4), language="en")
    assert [(i.date, i.name, i.is_firm_date) for i in items] == [
        (date(2026, 12, 30), "Founding day", True),
        (date(2027, 1, 1), "New Year's Day", False),
    ]


def test_an_unknown_country_gives_a_message_not_an_error(db: Any) -> None:
    firm = FirmSettings.current()
    firm.holiday_country = "XX"
    firm.save()
    FirmDate.objects.create(name="Founding day", month=12, day=30)
    items = holidays_between(date(2026, 12, 1), date(2027, 1, 1))
    assert [item.name for item in items] == ["Founding day"]
    assert "XX" in holiday_country_problem()
    firm.holiday_country = "PL"
    firm.save()
    assert holiday_country_problem() == ""
    assert any(
        i.date == date(2026, 12, 25) for i in holidays_between(date(2026, 12, 1), date(2027, 1, 1))
    )


def test_a_limited_window_shows_whole_days(owner: User) -> None:
    for i in range(3):
        make_occasion(bare_contact(owner, last_name=f"A{i}"), month=5, day=1)
        make_occasion(bare_contact(owner, last_name=f"B{i}"), month=5, day=2)
    make_occasion(bare_contact(owner, last_name="C"), month=5, day=3)
    cut = agenda_window(owner, days=7, today=date(2026, 5, 1), limit=4)
    assert not cut.complete
    assert [i.client.last_name for i in cut.items] == ["A0", "A1", "A2"]  # 2 May cut: left out
    whole = agenda_window(owner, days=7, today=date(2026, 5, 1), limit=7)
    assert whole.complete
    assert len(whole.items) == 7
    crowded = agenda_window(owner, days=7, today=date(2026, 5, 1), limit=2)
    assert [i.client.last_name for i in crowded.items] == ["A0", "A1"]  # one day, cut


def test_a_limited_window_across_the_year_end(owner: User) -> None:
    make_occasion(bare_contact(owner, last_name="Dec"), month=12, day=30)
    make_occasion(bare_contact(owner, last_name="Jan"), month=1, day=1)
    make_occasion(bare_contact(owner, last_name="Jan2"), month=1, day=2)
    window = agenda_window(owner, days=7, today=date(2026, 12, 28), limit=2)
    assert [i.client.last_name for i in window.items] == ["Dec", "Jan"]
    assert not window.complete


def test_a_date_is_first_celebrated_the_year_after_it(owner: User) -> None:
    """A client who first bought on 3 April 2026 has no anniversary that day, only from 2027
    on; the same for a wedding or a birth entered with its year."""
    person = bare_contact(owner)
    make_occasion(person, month=4, day=3, kind="anniversary", year=2026)
    make_occasion(person, month=4, day=5, kind="custom", label="Wedding", year=2026)
    make_occasion(person, month=4, day=6, kind="anniversary", year=2025)

    this_year = agenda(owner, days=7, today=date(2026, 4, 1))
    next_year = agenda(owner, days=7, today=date(2027, 4, 1))

    assert [(i.date, i.turns) for i in this_year] == [(date(2026, 4, 6), 1)]
    assert [(i.date, i.turns) for i in next_year] == [
        (date(2027, 4, 3), 1),
        (date(2027, 4, 5), 1),
        (date(2027, 4, 6), 2),
    ]
    assert next_celebration(4, 3, date(2026, 4, 1), "02-28", since=2026) == date(2027, 4, 3)
    assert next_celebration(4, 3, date(2026, 4, 1), "02-28") == date(2026, 4, 3)
    day = Occasion.objects.filter(celebrated_on(date(2026, 4, 3), "02-28"))
    assert not day.exists()
    assert Occasion.objects.filter(celebrated_on(date(2027, 4, 3), "02-28")).count() == 1
