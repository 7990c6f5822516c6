"""A manager's load today and over the last days, and a team's weeks: the figures and when a
day counts as overloaded, by the firm's thresholds, in the reader's time zone."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.support import make_activity, make_call, make_task
from clientela.accounts.models import Role, Team, User
from clientela.activities.services import task_complete
from clientela.contacts.models import Company, Contact
from clientela.core.models import FirmSettings
from clientela.insights.workload import (
    duration_text,
    my_days,
    my_load,
    next_working_day,
    team_load,
    teams_for,
    week_start,
)
from conftest import UserFactory, make_company, make_contact


def past_weekday(days_back: int = 3) -> datetime.date:
    """A working day a few days ago (calls cannot be logged in the future)."""
    day = timezone.localdate() - datetime.timedelta(days=days_back)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    return day


def at(user: User, day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    zone = zoneinfo.ZoneInfo(user.time_zone or "Europe/Kyiv")
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=zone)


def in_zone(user: User, name: str) -> User:
    user.time_zone = name
    user.save(update_fields=["time_zone"])
    return user


def call(who: User, client: Contact | Company, when: datetime.datetime, /, **data: object) -> None:
    make_call(who, client, started_at=when, **data)


@pytest.fixture
def day() -> datetime.date:
    return past_weekday()


# --- a day of one manager ------------------------------------------------------------------------


def test_three_draining_calls_before_eleven_overload_the_day(owner, contact, day):
    in_zone(owner, "America/New_York")
    for hour in (9, 10):
        call(owner, contact, at(owner, day, hour), draining=4)
    call(owner, contact, at(owner, day, 10, 45), draining=5)

    load = my_load(owner, now=at(owner, day, 16))

    assert load.overloaded
    assert load.reasons == ["3 draining calls before 11:00"]
    assert load.draining_times == [
        datetime.time(9, 0),
        datetime.time(10, 0),
        datetime.time(10, 45),
    ]


def test_two_draining_calls_before_eleven_do_not(owner, contact, day):
    call(owner, contact, at(owner, day, 9), draining=4)
    call(owner, contact, at(owner, day, 10, 59), draining=5)
    call(owner, contact, at(owner, day, 11, 0), draining=5)  # the morning is over
    call(owner, contact, at(owner, day, 10), draining=3)  # a usual call

    load = my_load(owner, now=at(owner, day, 16))

    assert not load.overloaded
    assert load.reasons == []
    assert load.draining_calls == 3
    assert load.morning_draining == 2


def test_the_morning_is_the_managers_own(owner, teammate, contact, day):
    # Three calls at 09:00-10:30 in New York are 16:00-17:30 in Kyiv: a Kyiv afternoon.
    in_zone(owner, "America/New_York")
    for hour, minute in ((9, 0), (10, 0), (10, 30)):
        call(owner, contact, at(owner, day, hour, minute), draining=4)
    assert my_load(owner, now=at(owner, day, 16)).overloaded
    in_zone(owner, "Europe/Kyiv")
    assert not my_load(owner, now=at(owner, day, 20)).overloaded


def test_talk_over_the_limit_overloads_the_day(owner, contact, day):
    call(owner, contact, at(owner, day, 12), duration=3600)
    call(owner, contact, at(owner, day, 14), duration=3600)
    assert not my_load(owner, now=at(owner, day, 18)).overloaded  # exactly 2 h

    call(owner, contact, at(owner, day, 15), duration=60)
    load = my_load(owner, now=at(owner, day, 18))

    assert load.overloaded
    assert load.talk == datetime.timedelta(hours=2, minutes=1)
    assert load.reasons == ["2 h 1 min of talk today, more than 2 h"]


def test_thresholds_come_from_the_firm_settings(owner, contact, day):
    call(owner, contact, at(owner, day, 9), draining=3, duration=600)
    call(owner, contact, at(owner, day, 11, 30), draining=3, duration=600)
    assert not my_load(owner, now=at(owner, day, 18)).overloaded

    firm = FirmSettings.current()
    firm.draining_level = 3
    firm.draining_calls = 2
    firm.morning_until = datetime.time(12, 0)
    firm.talk_minutes = 15
    firm.save()
    load = my_load(owner, now=at(owner, day, 18))

    assert load.overloaded
    assert load.reasons == [
        "2 draining calls before 12:00",
        "20 min of talk today, more than 15 min",
    ]


def test_the_day_counts_only_the_managers_own_calls_of_that_day(
    owner, teammate, lead, contact, day
):
    call(owner, contact, at(owner, day, 9), draining=5, duration=120)
    call(owner, contact, at(owner, day, 15), draining=2, duration=60, mood=1)
    call(owner, contact, at(owner, day, 16), duration=30)  # not rated
    # A lead logs a call its manager made: it is the manager's.
    call(lead, contact, at(owner, day, 17), draining=4, duration=30, user=owner.pk)
    # Not the owner's day: other people, other days, other kinds.
    call(teammate, make_contact(teammate), at(owner, day, 10), draining=5, duration=900)
    call(owner, contact, at(owner, day, 0) - datetime.timedelta(minutes=1), draining=5)
    make_activity(owner, contact, "meeting", started_at=at(owner, day, 11))
    make_activity(owner, contact, "note", started_at=at(owner, day, 12))

    load = my_load(owner, now=at(owner, day, 18))

    assert load.calls == 4
    assert load.talk == datetime.timedelta(seconds=240)
    assert load.draining_calls == 2
    assert load.average_draining == pytest.approx((5 + 2 + 4) / 3)
    assert load.draining_times == [datetime.time(9, 0), datetime.time(17, 0)]


def test_last_days_are_listed_today_first_with_empty_days(owner, contact, day):
    call(owner, contact, at(owner, day, 9), duration=600)
    yesterday = day - datetime.timedelta(days=1)
    for hour in (8, 9, 10):
        call(owner, contact, at(owner, yesterday, hour), draining=4)

    days = my_days(owner, now=at(owner, day, 18))

    assert [d.day for d in days] == [day - datetime.timedelta(days=n) for n in range(7)]
    assert (days[0].calls, days[0].talk, days[0].overloaded) == (
        1,
        datetime.timedelta(0, 600),
        False,
    )
    assert (days[1].calls, days[1].draining_calls, days[1].overloaded) == (3, 3, True)
    assert all(d.calls == 0 for d in days[2:])


# --- what could wait -----------------------------------------------------------------------------


def test_a_heavy_day_offers_the_tasks_that_could_wait(owner, teammate, contact, company, day):
    in_zone(owner, "America/New_York")
    for hour in (8, 9, 10):
        call(owner, contact, at(owner, day, hour), draining=5)
    movable = make_task(owner, contact=contact, due_date=day, title="Надіслати пропозицію")
    later = make_task(owner, company=company, due_date=day, due_time="17:30", title="Зустріч")
    make_task(owner, contact=contact, due_date=day, urgent=True, title="Терміново")
    make_task(owner, due_date=day, title="Без клієнта")
    make_task(owner, contact=contact, due_date=day - datetime.timedelta(days=1), title="Вчора")
    make_task(owner, contact=contact, due_date=day, due_time="11:00", title="Пропущено")
    make_task(owner, contact=contact, due_date=day + datetime.timedelta(days=1), title="Завтра")
    done = make_task(owner, contact=contact, due_date=day, title="Зроблено")
    task_complete(actor=owner, task=done)
    make_task(teammate, contact=make_contact(teammate), due_date=day, title="Не моє")

    load = my_load(owner, now=at(owner, day, 14))

    assert load.overloaded
    assert [t.pk for t in load.suggestions] == [later.pk, movable.pk]  # timed ones first
    assert load.next_day == next_working_day(day)


def test_a_light_day_offers_nothing_to_move(owner, contact, day):
    make_task(owner, contact=contact, due_date=day)
    call(owner, contact, at(owner, day, 9), draining=5)
    load = my_load(owner, now=at(owner, day, 14))
    assert not load.overloaded
    assert load.suggestions == []


@pytest.mark.parametrize(
    ("today", "tomorrow"),
    [
        ("2025-03-13", "2025-03-14"),  # Thursday → Friday
        ("2025-03-14", "2025-03-17"),  # Friday → Monday
        ("2025-03-15", "2025-03-17"),  # Saturday → Monday
        ("2025-03-16", "2025-03-17"),  # Sunday → Monday
    ],
)
def test_tomorrow_is_the_next_working_day(today, tomorrow):
    assert next_working_day(datetime.date.fromisoformat(today)) == datetime.date.fromisoformat(
        tomorrow
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0 min"), (45 * 60 + 59, "45 min"), (7200, "2 h"), (8100, "2 h 15 min")],
)
def test_talk_time_reads_as_hours_and_minutes(seconds, text):
    assert duration_text(datetime.timedelta(seconds=seconds)) == text


# --- a team's weeks ------------------------------------------------------------------------------


def test_team_weeks_are_iso_weeks_in_the_readers_time_zone(lead, owner, teammate, contact):
    # "This week" is last week, so that every call lies in the past.
    this_monday = week_start(timezone.localdate()) - datetime.timedelta(weeks=1)
    now = at(lead, this_monday + datetime.timedelta(days=3), 12)
    last_monday = this_monday - datetime.timedelta(weeks=1)
    # 00:30 on Monday in Kyiv is still Sunday in UTC: the call belongs to this week.
    call(owner, contact, at(lead, this_monday, 0, 30), draining=4, duration=600)
    call(owner, contact, at(lead, last_monday, 23) - datetime.timedelta(days=1), duration=60)
    for hour in (8, 9, 10):  # an overloaded Tuesday last week
        call(owner, contact, at(lead, last_monday + datetime.timedelta(days=1), hour), draining=5)
    call(teammate, make_contact(teammate), at(lead, last_monday, 12), duration=3 * 3600)

    load = team_load(lead, lead.team, weeks=3, now=now)

    assert load.weeks == [this_monday, last_monday, last_monday - datetime.timedelta(weeks=1)]
    rows = {m.user.username: m.weeks for m in load.managers}
    assert set(rows) == {"owner", "teammate", "lead"}
    this, last, before = rows["owner"]
    assert (this.calls, this.talk, this.draining_calls, this.overloaded_days) == (
        1,
        datetime.timedelta(minutes=10),
        1,
        0,
    )
    assert (last.calls, last.draining_calls, last.average_draining, last.overloaded_days) == (
        3,
        3,
        5,
        1,
    )
    assert (before.calls, before.talk) == (1, datetime.timedelta(minutes=1))  # Sunday before
    assert rows["teammate"][1].overloaded_days == 1  # three hours of talk
    assert rows["teammate"][1].talk == datetime.timedelta(hours=3)


def test_clients_who_drain_the_team_most_come_first(lead, owner, teammate, outsider, day):
    hard = make_contact(owner, first_name="Важкий")
    firm = make_company(teammate, name="ТОВ Складно")
    worker = make_contact(teammate, first_name="Працівник", company=firm.pk)
    easy = make_contact(owner, first_name="Легкий")
    call(owner, hard, at(lead, day, 9), draining=4)
    call(owner, hard, at(lead, day, 10), draining=4)
    # The lead logs the call its teammate took for the owner's client.
    call(lead, hard, at(lead, day, 11), draining=4, user=teammate.pk)
    call(teammate, firm, at(lead, day, 12), draining=5)
    call(teammate, firm, at(lead, day, 13), draining=5)
    # A call with a contact of the firm is the contact's, not the firm's.
    call(teammate, worker, at(lead, day, 14), draining=4)
    call(owner, easy, at(lead, day, 15), draining=2)
    # Another team's calls do not count.
    other = make_contact(outsider)
    for hour in range(8, 16):
        call(outsider, other, at(lead, day, hour), draining=5)

    load = team_load(lead, lead.team, weeks=2, now=at(lead, day, 18))

    assert [(c.kind, c.pk, c.draining_calls, c.score) for c in load.clients] == [
        ("contact", hard.pk, 3, 12),
        ("company", firm.pk, 2, 10),
        ("contact", worker.pk, 1, 4),
    ]
    first = load.clients[0]
    assert first.record == hard
    assert first.record.owner == owner
    assert [(t.user.username, t.calls) for t in first.takers] == [("owner", 2), ("teammate", 1)]


def test_who_sees_which_team(admin, lead, owner, viewer, outsider, team_a, team_b):
    assert list(teams_for(admin)) == [team_a, team_b]
    assert list(teams_for(lead)) == [team_a]
    for user in (owner, viewer, outsider):
        assert list(teams_for(user)) == []


def _team_with(size: int, calls_each: int, day: datetime.date) -> tuple[User, Team]:
    team = Team.objects.create(name=f"Team {size}")
    lead = UserFactory(username=f"lead{size}", role=Role.LEAD, team=team)
    for n in range(size):
        manager = UserFactory(username=f"m{size}-{n}", team=team)
        client = make_contact(manager)
        firm = make_company(manager)
        for k in range(calls_each):
            target = client if k % 2 else firm
            call(
                manager, target, at(lead, day, 8 + k % 10, k % 60), draining=1 + k % 5, duration=900
            )
    return lead, team


def _queries(lead: User, team: Team, day: datetime.date) -> int:
    FirmSettings.current()
    with CaptureQueriesContext(connection) as captured:
        load = team_load(lead, team, weeks=4, now=at(lead, day, 20))
        assert load.managers
        assert load.clients
    return len(captured.captured_queries)


def test_team_view_costs_the_same_for_2_or_10_managers_and_10_or_200_calls(db, day):
    small = _queries(*_team_with(2, 5, day), day)
    large = _queries(*_team_with(10, 20, day), day)
    assert small == large


def test_my_load_costs_the_same_for_1_or_30_calls(owner, contact, day):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            my_load(owner, now=at(owner, day, 20))
        return len(captured.captured_queries)

    FirmSettings.current()
    call(owner, contact, at(owner, day, 9), draining=5)
    make_task(owner, contact=contact, due_date=day)
    one = queries()
    for minute in range(29):
        call(owner, contact, at(owner, day, 10, minute), draining=5, duration=600)
        make_task(owner, contact=contact, due_date=day)
    assert my_load(owner, now=at(owner, day, 20)).overloaded
    many = queries()
    assert many == one + 1  # the tasks to move, asked for on a heavy day only
