"""The occasions page, the dashboard block and the firm dates pages."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.accounts.zones import user_today
from clientela.core.extensions import Action, _actions, register_action
from clientela.core.models import AuditEvent, FirmSettings
from clientela.occasions.models import FirmDate
from conftest import client_for

from .agenda_support import bare_contact, make_occasion

pytestmark = pytest.mark.django_db


def _in(user: User, days: int) -> datetime.date:
    return user_today(user) + datetime.timedelta(days=days)


def _on(client: Any, day: datetime.date, **kwargs: Any) -> Any:
    return make_occasion(client, month=day.month, day=day.day, **kwargs)


@pytest.fixture
def occasion_action() -> Any:
    """An action on agenda rows, as the greetings module registers one."""
    register_action(
        Action(
            key="test_greet",
            targets=frozenset({"occasion_row"}),
            order=99,
            label="Greet them",
            url_name="occasions:agenda",
            param="occasion",
        )
    )
    yield
    _actions.pop("test_greet", None)


def test_page_groups_by_day_with_today_and_tomorrow(owner: User, occasion_action: Any) -> None:
    today = user_today(owner)
    if (today.month, today.day) in ((2, 28), (2, 29), (3, 1)):
        pytest.skip("29 February moves around these days")
    person = bare_contact(owner, last_name="Коваленко")
    birthday = _on(person, today, year=today.year - 40)
    _on(bare_contact(owner, last_name="Мельник"), _in(owner, 1), kind="name_day", label="св. Олена")
    _on(bare_contact(owner, last_name="Later"), _in(owner, 20))
    response = client_for(owner).get("/occasions/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Коваленко" in body
    assert "turns 40" in body
    assert "св. Олена" in body
    assert "agenda-today" in body
    assert "agenda-tomorrow" in body
    assert "Later" not in body  # 20 days away: only in the 30-day view
    assert f"?occasion={birthday.pk}" in body  # the registered row action
    assert f'href="/contacts/{person.pk}/"' in body
    assert "Later" in client_for(owner).get("/occasions/?days=30").content.decode()


def test_page_in_ukrainian_names_the_weekday(owner: User) -> None:
    owner.language = "uk"
    owner.save()
    _on(bare_contact(owner), user_today(owner))
    client = client_for(owner)
    client.cookies["django_language"] = "uk"
    body = client.get("/occasions/", HTTP_ACCEPT_LANGUAGE="uk").content.decode()
    weekdays = ["понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя"]
    assert any(name in body.lower() for name in [*weekdays, "п'ятниця"])


@pytest.mark.parametrize(
    ("language", "saint"),
    [("uk", "вмч. Георгій Переможець"), ("ru", "вмч. Георгий Победоносец")],
)
def test_a_name_days_saint_is_named_in_the_pages_language(
    owner: User, language: str, saint: str
) -> None:
    owner.language = language
    owner.save()
    _on(bare_contact(owner), _in(owner, 1), kind="name_day", label="вмч. Георгій Переможець")
    client = client_for(owner)
    client.cookies["django_language"] = language

    body = client.get("/occasions/", HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert saint in body


def test_team_tab_only_for_leads(owner: User, teammate: User, lead: User) -> None:
    _on(bare_contact(teammate, last_name="Teammates"), _in(owner, 2))
    assert "scope=team" not in client_for(owner).get("/occasions/").content.decode()
    assert "Teammates" not in client_for(owner).get("/occasions/?scope=team").content.decode()
    lead_page = client_for(lead).get("/occasions/?scope=team").content.decode()
    assert "scope=team" in lead_page
    assert "Teammates" in lead_page


def test_outsiders_clients_never_show(owner: User, outsider: User, admin: User) -> None:
    _on(bare_contact(outsider, last_name="Foreign"), _in(owner, 1))
    for user in (owner, admin):
        for query in ("", "?scope=team", "?scope=all", "?days=30&scope=team"):
            assert "Foreign" not in client_for(user).get(f"/occasions/{query}").content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_page_queries_do_not_grow(
    owner: User, count: int, django_assert_max_num_queries: Any
) -> None:
    for i in range(count):
        _on(bare_contact(owner, last_name=f"N{i}"), _in(owner, i % 7))
    client = client_for(owner)
    client.get("/occasions/")
    with django_assert_max_num_queries(9):
        assert client.get("/occasions/").status_code == 200


def test_holidays_in_the_side_list(owner: User) -> None:
    FirmDate.objects.create(name="Founding day", month=_in(owner, 3).month, day=_in(owner, 3).day)
    body = client_for(owner).get("/occasions/?days=30").content.decode()
    assert "Founding day" in body


def test_unknown_country_is_a_message_on_the_page(owner: User) -> None:
    firm = FirmSettings.current()
    firm.holiday_country = "QQ"
    firm.save()
    response = client_for(owner).get("/occasions/")
    assert response.status_code == 200
    assert "QQ" in response.content.decode()


def test_dashboard_shows_my_next_week(owner: User, teammate: User) -> None:
    for i in range(10):
        _on(bare_contact(owner, last_name=f"Mine{i:02d}"), _in(owner, 1))
    _on(bare_contact(owner, last_name="NextMonth"), _in(owner, 10))
    _on(bare_contact(teammate, last_name="NotMine"), _in(owner, 1))
    body = client_for(owner).get("/").content.decode()
    assert "Upcoming occasions" in body
    assert "Mine00" in body
    assert "Mine07" in body
    assert "Mine08" not in body  # eight rows, then a link to all
    assert "and 2 more this week" in body
    assert "NextMonth" not in body
    assert "NotMine" not in body
    assert 'href="/occasions/"' in body


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_queries_do_not_grow(
    owner: User, count: int, django_assert_max_num_queries: Any
) -> None:
    for i in range(count):
        _on(bare_contact(owner, last_name=f"N{i}"), _in(owner, i % 7))
    client = client_for(owner)
    client.get("/")
    with django_assert_max_num_queries(20):
        assert client.get("/").status_code == 200


# --- firm dates ---------------------------------------------------------------------------


def test_only_an_admin_manages_firm_dates(owner: User, lead: User, viewer: User) -> None:
    for user in (owner, lead, viewer):
        assert client_for(user).get("/occasions/firm-dates/").status_code == 403
        response = client_for(user).post(
            "/occasions/firm-dates/", {"name": "X", "day": 1, "month": 1}
        )
        assert response.status_code == 403
    assert not FirmDate.objects.exists()


def test_admin_adds_edits_and_retires_a_firm_date(admin: User) -> None:
    client = client_for(admin)
    response = client.post(
        "/occasions/firm-dates/", {"name": "Founding day", "day": 30, "month": 12}
    )
    assert response.status_code == 302
    firm_date = FirmDate.objects.get()
    assert (firm_date.name, firm_date.month, firm_date.day, firm_date.active) == (
        "Founding day",
        12,
        30,
        True,
    )
    assert "Founding day" in client.get("/occasions/firm-dates/").content.decode()
    response = client.post(
        f"/occasions/firm-dates/{firm_date.pk}/",
        {"name": "Founding day", "day": 29, "month": 12},  # "active" unchecked
    )
    assert response.status_code == 302
    firm_date.refresh_from_db()
    assert (firm_date.day, firm_date.active) == (29, False)
    assert AuditEvent.objects.filter(object_id=firm_date.pk, action="update").exists()


def test_31_february_is_refused_naming_the_day(admin: User) -> None:
    response = client_for(admin).post(
        "/occasions/firm-dates/", {"name": "Impossible", "day": 31, "month": 2}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["day"]
    assert not FirmDate.objects.exists()


def test_service_names_every_bad_field(admin: User, owner: User) -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    from clientela.occasions.services_firm_dates import firm_date_create

    with pytest.raises(ValidationError) as caught:
        firm_date_create(actor=admin, name=" ", month=13, day=0)
    assert set(caught.value.message_dict) == {"name", "month", "day"}
    with pytest.raises(ValidationError) as caught:
        firm_date_create(actor=admin, name="Leap", month=4, day=31)
    assert set(caught.value.message_dict) == {"day"}
    assert firm_date_create(actor=admin, name="Leap", month=2, day=29).day == 29
    with pytest.raises(PermissionDenied):
        firm_date_create(actor=owner, name="Mine", month=1, day=1)
    assert FirmDate.objects.count() == 1
    assert timezone.now()


def test_a_crowded_period_says_there_is_more(owner: User, monkeypatch: Any) -> None:
    from clientela.occasions.views import agenda as agenda_views

    monkeypatch.setattr(agenda_views, "PAGE_ROWS", 2)
    for i in range(2):
        _on(bare_contact(owner, last_name=f"First{i}"), _in(owner, 0))
    _on(bare_contact(owner, last_name="Second"), _in(owner, 1))
    body = client_for(owner).get("/occasions/").content.decode()
    assert "there are more in this period" in body
    assert "First0" in body
    assert "Second" not in body
    # the next part starts on the day after the last one shown, up to the period's end
    next_day = _in(owner, 1).isoformat()
    assert f"from={next_day}" in body
    second = client_for(owner).get(f"/occasions/?days=7&scope=mine&from={next_day}")
    part = second.content.decode()
    assert "Second" in part
    assert "First0" not in part
    assert "there are more in this period" not in part
    assert 'rel="next"' not in part  # no part after the last
    assert f"First part: from {_in(owner, 0).day}" in part
    # a start outside the period is the period's start
    outside = client_for(owner).get("/occasions/?from=1999-01-01").content.decode()
    assert "First0" in outside
    assert "First1" in body
    assert "Second" not in body


def test_a_day_with_more_occasions_than_a_part_comes_in_parts_of_its_own(
    owner: User, monkeypatch: Any
) -> None:
    from clientela.occasions.views import agenda as agenda_views

    monkeypatch.setattr(agenda_views, "PAGE_ROWS", 2)
    names = [f"Crowd{i}" for i in range(5)]
    for name in names:
        _on(bare_contact(owner, last_name=name), _in(owner, 0))
    _on(bare_contact(owner, last_name="Tomorrow"), _in(owner, 1))
    client = client_for(owner)

    seen: list[str] = []
    url = "/occasions/?days=7&scope=mine"
    for _part in range(5):
        body = client.get(url).content.decode()
        seen += [name for name in [*names, "Tomorrow"] if f">{name}" in body or f" {name}" in body]
        marker = 'rel="next" href="'
        if marker not in body:
            break
        url = "/occasions/" + body.split(marker, 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert sorted(seen) == sorted([*names, "Tomorrow"])  # each once, none left out
    assert "skip=2" in client.get("/occasions/").content.decode()
