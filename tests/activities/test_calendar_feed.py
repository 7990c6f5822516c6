"""The private iCalendar feed: a valid calendar of my clients' occasions and my open tasks,
behind a token that can be revoked; nobody else's dates in it."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from activities.support import make_task
from clientela.accounts.models import User
from clientela.activities.calendar_feed import build_calendar
from clientela.activities.services import task_complete
from clientela.core.models import FirmSettings
from clientela.occasions.models import CalendarFeed
from clientela.occasions.services_feed import calendar_feed_create, calendar_feed_revoke
from occasions.agenda_support import bare_contact, make_occasion


def feed_path(raw: str) -> str:
    return reverse("activities:calendar_feed", kwargs={"token": raw})


def fetch(raw: str) -> Any:
    return Client().get(feed_path(raw))


def parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def events(calendar: Calendar) -> dict[str, Any]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def built(user: User, today: datetime.date) -> dict[str, Any]:
    """The feed of `user` as on `today`, through the same code as the address, parsed back."""
    request = RequestFactory().get("/calendar/x.ics")
    calendar = build_calendar(request, user, today=today)
    return events(parse(calendar.to_ical()))


def test_feed_is_a_valid_calendar_with_my_occasions_and_tasks(owner: User) -> None:
    owner.time_zone = "Europe/Kyiv"
    owner.save()
    client = bare_contact(owner, last_name="Петренко")
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=10)
    birthday = make_occasion(client, month=soon.month, day=soon.day, year=soon.year - 40)
    task = make_task(owner, title="Передзвонити", due_date=soon, contact=client.pk)
    _feed, raw = calendar_feed_create(user=owner)

    answer = fetch(raw)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert b"\r\n" in answer.content
    calendar = parse(answer.content)
    assert str(calendar["VERSION"]) == "2.0"
    assert "X-WR-CALNAME" in calendar
    assert b"X-PUBLISHED-TTL:PT1H" in answer.content
    assert b"REFRESH-INTERVAL;VALUE=DURATION:PT1H" in answer.content
    found = events(calendar)
    occasion_uid = f"occasion-{birthday.pk}-{soon.isoformat()}@clientela"
    assert occasion_uid in found
    event = found[occasion_uid]
    assert event.decoded("DTSTART") == soon  # an all-day event: a date, not a time
    assert event.decoded("DTEND") == soon + datetime.timedelta(days=1)
    assert "Петренко" in str(event["SUMMARY"])
    assert "40" in str(event["SUMMARY"])
    assert f"task-{task.pk}@clientela" in found
    assert found[f"task-{task.pk}@clientela"].decoded("DTSTART") == soon
    assert "Передзвонити" in str(found[f"task-{task.pk}@clientela"]["SUMMARY"])
    assert CalendarFeed.objects.get().last_used_at is not None


def test_timed_task_is_in_the_users_time_zone(owner: User) -> None:
    owner.time_zone = "America/New_York"
    owner.save()
    day = timezone.localdate() + datetime.timedelta(days=3)
    task = make_task(owner, title="Зустріч", due_date=day, due_time=datetime.time(9, 30))
    _feed, raw = calendar_feed_create(user=owner)

    body = fetch(raw).content
    found = events(parse(body))

    start = found[f"task-{task.pk}@clientela"].decoded("DTSTART")
    assert start.tzinfo is not None
    zone = zoneinfo.ZoneInfo("America/New_York")
    assert start == datetime.datetime.combine(day, datetime.time(9, 30), tzinfo=zone)
    assert start.astimezone(zone).hour == 9
    assert b"TZID=America/New_York" in body
    assert b"BEGIN:VTIMEZONE" in body


def test_done_and_other_peoples_tasks_are_left_out(owner: User, teammate: User) -> None:
    day = timezone.localdate() + datetime.timedelta(days=2)
    done = make_task(owner, title="Done", due_date=day)
    task_complete(actor=owner, task=done)
    theirs = make_task(teammate, title="Theirs", due_date=day)
    mine = make_task(owner, title="Mine", due_date=day)
    _feed, raw = calendar_feed_create(user=owner)
    found = events(parse(fetch(raw).content))
    assert f"task-{mine.pk}@clientela" in found
    assert f"task-{done.pk}@clientela" not in found
    assert f"task-{theirs.pk}@clientela" not in found


def test_occasions_across_the_year_end(owner: User) -> None:
    client = bare_contact(owner)
    christmas_eve = make_occasion(client, month=12, day=24)
    new_year = make_occasion(client, month=1, day=5, kind="name_day")
    found = built(owner, datetime.date(2026, 12, 20))
    assert f"occasion-{christmas_eve.pk}-2026-12-24@clientela" in found
    assert f"occasion-{new_year.pk}-2027-01-05@clientela" in found
    assert found[f"occasion-{new_year.pk}-2027-01-05@clientela"].decoded("DTSTART") == (
        datetime.date(2027, 1, 5)
    )


@pytest.mark.parametrize(
    ("leap_day_on", "today", "expected"),
    [
        ("02-28", datetime.date(2027, 2, 1), datetime.date(2027, 2, 28)),
        ("03-01", datetime.date(2027, 2, 1), datetime.date(2027, 3, 1)),
        ("02-28", datetime.date(2028, 2, 1), datetime.date(2028, 2, 29)),
    ],
)
def test_29_february(
    owner: User, leap_day_on: str, today: datetime.date, expected: datetime.date
) -> None:
    firm = FirmSettings.current()
    firm.leap_day_on = leap_day_on
    firm.save()
    born = make_occasion(bare_contact(owner), month=2, day=29, year=1996)
    found = built(owner, today)
    uids = [uid for uid in found if uid.startswith(f"occasion-{born.pk}-")]
    assert uids == [f"occasion-{born.pk}-{expected.isoformat()}@clientela"]
    assert found[uids[0]].decoded("DTSTART") == expected


def test_another_users_occasions_are_never_in_my_feed(
    owner: User, lead: User, outsider: User, admin: User
) -> None:
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=5)
    mine = make_occasion(bare_contact(owner), month=soon.month, day=soon.day)
    theirs = make_occasion(bare_contact(outsider), month=soon.month, day=soon.day)
    # the lead and the administrator see owner's clients, but the feed is their own clients only
    for user, expected in ((owner, mine), (outsider, theirs), (lead, None), (admin, None)):
        _feed, raw = calendar_feed_create(user=user)
        uids = {uid for uid in events(parse(fetch(raw).content)) if uid.startswith("occasion-")}
        assert uids == (
            {f"occasion-{expected.pk}-{soon.isoformat()}@clientela"} if expected else set()
        )


def test_uids_are_stable_between_polls(owner: User) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=1)
    make_occasion(bare_contact(owner), month=soon.month, day=soon.day)
    make_task(owner, due_date=soon)
    _feed, raw = calendar_feed_create(user=owner)
    assert set(events(parse(fetch(raw).content))) == set(events(parse(fetch(raw).content)))


def test_calendar_is_named_in_the_users_language(owner: User) -> None:
    owner.language = "uk"
    owner.save()
    soon = timezone.localdate() + datetime.timedelta(days=1)
    make_occasion(bare_contact(owner), month=soon.month, day=soon.day)
    _feed, raw = calendar_feed_create(user=owner)
    response = fetch(raw)
    body = response.content.decode()
    assert "CATEGORIES:День народження" in body
    assert "X-WR-CALNAME:" in body
    assert response["Content-Language"] == "uk"
    owner.language = "ru"
    owner.save()
    assert fetch(raw)["Content-Language"] == "ru"


def test_revoked_token_is_404(owner: User) -> None:
    feed, raw = calendar_feed_create(user=owner)
    assert fetch(raw).status_code == 200
    calendar_feed_revoke(feed=feed, actor=owner)
    assert fetch(raw).status_code == 404


def test_a_new_address_closes_the_old_one(owner: User) -> None:
    _old, first = calendar_feed_create(user=owner)
    _new, second = calendar_feed_create(user=owner)
    assert fetch(first).status_code == 404
    assert fetch(second).status_code == 200


def test_forged_or_mangled_tokens_are_404(owner: User) -> None:
    _feed, raw = calendar_feed_create(user=owner)
    for forged in ("clcal_" + "A" * 43, raw[:-1] + ("B" if raw[-1] != "B" else "C"), "x", raw[6:]):
        answer = fetch(forged)
        assert answer.status_code == 404
        assert b"BEGIN:VCALENDAR" not in answer.content


def test_deactivated_users_feed_is_404(owner: User) -> None:
    _feed, raw = calendar_feed_create(user=owner)
    owner.is_active = False
    owner.save()
    assert fetch(raw).status_code == 404


def test_only_the_hash_of_the_token_is_stored(owner: User) -> None:
    feed, raw = calendar_feed_create(user=owner)
    feed.refresh_from_db()
    assert raw not in feed.token_hash
    assert len(feed.token_hash) == 64


@pytest.mark.parametrize(
    ("years", "language", "summary"),
    [
        (1, "en", "Ward Laura: 1 year together"),
        (2, "en", "Ward Laura: 2 years together"),
        (1, "uk", "Ward Laura: 1 рік разом"),
        (5, "uk", "Ward Laura: 5 років разом"),
    ],
)
def test_years_together_are_counted_in_words_of_the_language(
    years: int, language: str, summary: str
) -> None:
    from django.utils import translation

    from clientela.activities.calendar_feed import _occasion_summary
    from clientela.contacts.models import Contact
    from clientela.occasions.agenda import AgendaItem
    from clientela.occasions.models import Occasion

    client = Contact(first_name="Laura", last_name="Ward")
    occasion = Occasion(kind="anniversary", month=11, day=25)
    item = AgendaItem(datetime.date(2026, 11, 25), occasion, client, "anniversary", years)

    with translation.override(language):
        assert _occasion_summary(item) == summary
