"""Firm dates on a weekday of a month, names in other languages, Ukraine's professional days."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from clientela.accounts.models import User
from clientela.core.models import AuditEvent
from clientela.occasions.agenda import holidays_between
from clientela.occasions.models import FirmDate, nth_weekday
from clientela.occasions.professional_days import PROFESSIONAL_DAYS
from clientela.occasions.services_campaigns import holiday_names
from clientela.occasions.services_firm_dates import (
    firm_date_create,
    firm_date_update,
    professional_days_add,
)
from conftest import client_for

pytestmark = pytest.mark.django_db
LIST = "/occasions/firm-dates/"


@pytest.mark.parametrize(
    ("year", "month", "weekday", "week", "expected"),
    [
        (2026, 8, 6, 2, datetime.date(2026, 8, 9)),  # second Sunday of August
        (2027, 8, 6, 2, datetime.date(2027, 8, 8)),
        (2026, 7, 6, -1, datetime.date(2026, 7, 26)),  # last Sunday of July
        (2026, 5, 4, -1, datetime.date(2026, 5, 29)),  # last Friday: May ends on a Sunday
        (2026, 2, 6, 4, datetime.date(2026, 2, 22)),
        (2026, 11, 6, 1, datetime.date(2026, 11, 1)),  # the 1st is a Sunday
        (2026, 8, 0, 1, datetime.date(2026, 8, 3)),
    ],
)
def test_the_nth_weekday_of_a_month(
    year: int, month: int, weekday: int, week: int, expected: datetime.date
) -> None:
    assert nth_weekday(year, month, weekday, week) == expected


def test_a_weekday_rule_falls_on_its_day_each_year_on_the_agenda(admin: User) -> None:
    firm_date_create(actor=admin, name="Builders' Day", month=8, weekday=6, week=2)

    items = holidays_between(datetime.date(2026, 8, 1), datetime.date(2027, 9, 1), language="en")

    builders = [item.date for item in items if item.name == "Builders' Day"]
    assert builders == [datetime.date(2026, 8, 9), datetime.date(2027, 8, 8)]


@pytest.mark.parametrize(
    ("language", "text"),
    [
        ("en", "the second Sunday of August"),
        ("uk", "друга неділя серпня"),
        ("ru", "второе воскресенье августа"),
    ],
)
def test_a_weekday_rule_is_said_in_words(admin: User, language: str, text: str) -> None:
    firm_date = firm_date_create(actor=admin, name="Builders' Day", month=8, weekday=6, week=2)
    with translation.override(language):
        assert firm_date.when == text


def test_a_bad_rule_names_every_field_and_saves_nothing(admin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        firm_date_create(actor=admin, name="X", month=8, day=3, weekday=9, week=5)
    assert set(caught.value.message_dict) == {"day", "weekday", "week"}
    with pytest.raises(ValidationError) as caught:
        firm_date_create(actor=admin, name="X", month=8, week=2)
    assert set(caught.value.message_dict) == {"weekday"}
    assert not FirmDate.objects.exists()


def test_names_in_other_languages_are_shown_to_their_readers(admin: User) -> None:
    firm_date_create(
        actor=admin,
        name="День будівельника",
        names={"ru": "День строителя", "en": "Builders' Day", "uk": ""},
        month=8,
        weekday=6,
        week=2,
    )
    day = datetime.date(2026, 8, 9)

    names = holiday_names(day)
    ru = holidays_between(day, day + datetime.timedelta(days=1), language="ru")

    assert names == {"uk": "День будівельника", "ru": "День строителя", "en": "Builders' Day"}
    assert [item.name for item in ru] == ["День строителя"]
    assert FirmDate.objects.get().names == {"ru": "День строителя", "en": "Builders' Day"}


def test_the_page_adds_a_weekday_rule_and_changes_it_to_a_fixed_day(admin: User) -> None:
    client = client_for(admin)
    response = client.post(
        LIST,
        {
            "name": "Trade workers' day",
            "name_uk": "День працівників торгівлі",
            "rule": "weekday",
            "week": -1,
            "weekday": 6,
            "month": 7,
        },
    )
    assert response.status_code == 302
    firm_date = FirmDate.objects.get()
    assert (firm_date.day, firm_date.week, firm_date.weekday, firm_date.month) == (None, -1, 6, 7)
    assert firm_date.names == {"uk": "День працівників торгівлі"}
    page = client.get(LIST).content.decode()
    assert "the last Sunday of July" in page

    response = client.post(
        f"{LIST}{firm_date.pk}/",
        {"name": "Trade workers' day", "rule": "fixed", "day": 25, "week": -1, "month": 7,
         "active": "on"},
    )  # fmt: skip

    assert response.status_code == 302
    firm_date.refresh_from_db()
    assert (firm_date.day, firm_date.week, firm_date.weekday) == (25, None, None)
    assert firm_date.names == {}
    event = AuditEvent.objects.filter(object_id=firm_date.pk, action="update").get()
    assert event.changes["date"] == ["the last Sunday of July", "25 July"]


def test_the_page_names_a_missing_weekday(admin: User) -> None:
    response = client_for(admin).post(LIST, {"name": "X", "rule": "weekday", "week": 2, "month": 8})
    assert response.status_code == 400
    assert response.context["form"].errors["weekday"] == ["Choose the weekday."]
    assert not FirmDate.objects.exists()


# --- professional days -----------------------------------------------------------------------


def test_every_professional_day_has_three_names_a_rule_and_an_act() -> None:
    assert len(PROFESSIONAL_DAYS) >= 20
    for key, day in PROFESSIONAL_DAYS.items():
        names = dict(day.names)
        assert all(names[language].strip() for language in ("uk", "ru", "en")), key
        assert day.act.strip(), key
        assert day.date_in(2026).month == day.month, key
        if day.day is not None:
            datetime.date(2024, day.month, day.day)
            assert day.weekday is None, key
        else:
            assert day.weekday in range(7), key
            assert day.week in (1, 2, 3, 4, -1), key


@pytest.mark.parametrize(
    ("key", "on"),
    [
        ("builders", datetime.date(2026, 8, 9)),  # the second Sunday of August
        ("trade", datetime.date(2026, 7, 26)),  # the last Sunday of July
        ("medical", datetime.date(2026, 7, 27)),  # a fixed day since 2023
        ("bankers", datetime.date(2026, 5, 20)),
        ("education", datetime.date(2026, 10, 4)),  # the first Sunday of October
    ],
)
def test_professional_days_fall_where_the_law_sets_them(key: str, on: datetime.date) -> None:
    assert PROFESSIONAL_DAYS[key].date_in(2026) == on


def test_professional_days_are_added_once_in_the_admins_language(admin: User) -> None:
    keys = list(PROFESSIONAL_DAYS)[:3]

    added = professional_days_add(actor=admin, keys=keys, language="ru")
    again = professional_days_add(actor=admin, keys=keys, language="ru")

    assert len(added) == 3
    assert again == []
    for firm_date in added:
        day = PROFESSIONAL_DAYS[firm_date.preset]
        assert firm_date.name == dict(day.names)["ru"]
        assert firm_date.names == dict(day.names)
        assert (firm_date.month, firm_date.day, firm_date.weekday, firm_date.week) == (
            day.month,
            day.day,
            day.weekday,
            day.week,
        )
    assert (
        AuditEvent.objects.filter(action="create", object_id__in=[f.pk for f in added]).count() == 3
    )
    with pytest.raises(ValidationError):
        professional_days_add(actor=admin, keys=["no-such-day"], language="uk")


def test_the_page_offers_only_the_days_not_added_yet(admin: User) -> None:
    client = client_for(admin)
    first, second = list(PROFESSIONAL_DAYS)[:2]

    response = client.post(LIST, {"keys": [first]})
    page = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert response.status_code == 302
    assert FirmDate.objects.get().preset == first
    assert f'value="{first}"' not in page
    assert f'value="{second}"' in page


def test_only_an_admin_adds_professional_days(owner: User) -> None:
    response = client_for(owner).post(LIST, {"keys": [next(iter(PROFESSIONAL_DAYS))]})
    assert response.status_code == 403
    assert not FirmDate.objects.exists()


def test_changing_a_firm_date_replaces_its_names(admin: User) -> None:
    firm_date = firm_date_create(actor=admin, name="A", names={"ru": "Б"}, month=1, day=2)
    firm_date_update(
        actor=admin, firm_date=firm_date, active=True, name="A", names={"ru": "В"}, month=1, day=3
    )
    firm_date.refresh_from_db()
    assert (firm_date.names, firm_date.day) == ({"ru": "В"}, 3)


def test_the_page_lists_the_dates_in_the_order_they_come(admin: User) -> None:
    firm_date_create(actor=admin, name="Late in August", month=8, day=20)
    firm_date_create(actor=admin, name="Early in August", month=8, weekday=6, week=2)

    page = client_for(admin).get(LIST).content.decode()

    assert page.index("Early in August") < page.index("Late in August")


def test_a_day_of_the_month_left_empty_is_asked_for(admin: User) -> None:
    response = client_for(admin).post(LIST, {"name": "X", "rule": "fixed", "month": 5})

    assert response.status_code == 400
    assert response.context["form"].errors["day"] == [
        "Enter the day of the month, or choose a weekday of the month."
    ]


def test_a_day_added_meanwhile_in_another_tab_is_skipped_not_refused(admin: User) -> None:
    client = client_for(admin)
    key = next(iter(PROFESSIONAL_DAYS))
    client.post(LIST, {"keys": [key]})

    again = client.post(LIST, {"keys": [key]}, follow=True)

    assert again.status_code == 200
    assert "The chosen days are already among the firm dates." in again.content.decode()
    assert FirmDate.objects.filter(preset=key).count() == 1
