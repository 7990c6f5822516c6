"""The daily reminders: N days ahead per kind, once, caught up, across 29 February and the year end."""

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps

from clientela.activities.models import Task, TaskOrigin
from clientela.activities.reminders import reminders_create
from clientela.core import jobs
from clientela.core.models import FirmSettings, JobRun
from clientela.occasions.models import Occasion
from conftest import make_contact

pytestmark = pytest.mark.django_db


def at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=datetime.UTC)


def occasion(owner: Any, month: int, day: int, *, kind: str = "birthday", **extra: Any) -> Occasion:
    client = make_contact(owner, first_name="Олена", last_name="Шевченко")
    return Occasion.objects.create(
        contact=client, owner=owner, team=owner.team, kind=kind, month=month, day=day, **extra
    )


def reminders() -> list[Task]:
    return list(Task.objects.filter(origin=TaskOrigin.REMINDER).order_by("due_date", "id"))


def test_a_birthday_is_reminded_n_days_before_in_the_owners_language(owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    birthday = occasion(owner, 6, 3, year=1986)
    day = datetime.date(2026, 5, 31)  # 3 days before, the firm's default for birthdays

    reminders_create(day, at(day))

    (task,) = reminders()
    assert task.title == "Birthday of Олена Шевченко on 3 June (turns 40)"
    assert task.due_date == day
    assert task.owner == owner
    assert task.contact_id == birthday.contact_id
    assert task.origin_key == f"occasion:birthday:contact:{birthday.contact_id}:2026-06-03"


def test_title_in_ukrainian_for_a_ukrainian_owner(owner):
    owner.language = "uk"
    owner.save(update_fields=["language"])
    occasion(owner, 6, 3, year=1986)
    reminders_create(datetime.date(2026, 5, 31), at(datetime.date(2026, 5, 31)))
    assert "3 червня" in reminders()[0].title


def test_running_twice_creates_nothing_twice(owner):
    occasion(owner, 6, 3)
    day = datetime.date(2026, 5, 31)
    reminders_create(day, at(day))
    reminders_create(day, at(day))
    assert len(reminders()) == 1


def test_a_done_or_trashed_reminder_is_not_created_again(owner):
    occasion(owner, 6, 3)
    day = datetime.date(2026, 5, 31)
    reminders_create(day, at(day))
    Task.objects.filter(origin=TaskOrigin.REMINDER).update(deleted_at=at(day))
    reminders_create(day, at(day))
    assert Task.all_objects.filter(origin=TaskOrigin.REMINDER).count() == 1


def test_n_days_per_kind_from_the_firm_settings(owner):
    firm = FirmSettings.current()
    firm.remind_birthday_days = 5
    firm.remind_name_day_days = 2
    firm.save()
    occasion(owner, 6, 15, kind="birthday")
    occasion(owner, 6, 12, kind="name_day")
    occasion(owner, 6, 13, kind="name_day")  # 3 days ahead: not today's job for name days
    day = datetime.date(2026, 6, 10)
    reminders_create(day, at(day))
    assert sorted(t.origin_key.rsplit(":", 1)[1] for t in reminders()) == [
        "2026-06-12",
        "2026-06-15",
    ]


def test_29_february_on_28_february_in_other_years(owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    leap = occasion(owner, 2, 29, year=2000)
    reminders_create(datetime.date(2027, 2, 24), at(datetime.date(2027, 2, 24)))
    assert reminders() == []
    reminders_create(datetime.date(2027, 2, 25), at(datetime.date(2027, 2, 25)))
    (task,) = reminders()
    assert task.origin_key == f"occasion:birthday:contact:{leap.contact_id}:2027-02-28"
    assert task.title == "Birthday of Олена Шевченко on 28 February (turns 27)"


def test_29_february_on_1_march_when_the_firm_says_so(owner):
    firm = FirmSettings.current()
    firm.leap_day_on = "03-01"
    firm.save()
    leap = occasion(owner, 2, 29)
    reminders_create(datetime.date(2027, 2, 25), at(datetime.date(2027, 2, 25)))
    assert reminders() == []
    reminders_create(datetime.date(2027, 2, 26), at(datetime.date(2027, 2, 26)))
    assert reminders()[0].origin_key == f"occasion:birthday:contact:{leap.contact_id}:2027-03-01"


def test_29_february_in_a_leap_year_is_29_february(owner):
    leap = occasion(owner, 2, 29)
    reminders_create(datetime.date(2028, 2, 26), at(datetime.date(2028, 2, 26)))
    assert reminders()[0].origin_key == f"occasion:birthday:contact:{leap.contact_id}:2028-02-29"


def test_across_the_year_end(owner):
    owner.language = "en"
    owner.save(update_fields=["language"])
    new_year = occasion(owner, 1, 2, year=1987)
    day = datetime.date(2026, 12, 30)
    reminders_create(day, at(day))
    (task,) = reminders()
    assert task.origin_key == f"occasion:birthday:contact:{new_year.contact_id}:2027-01-02"
    assert task.title.endswith("on 2 January (turns 40)")


def test_catch_up_after_three_days_down(owner):
    # given the job last ran on 6 June, and the worker was down on 7, 8 and 9 June
    JobRun.objects.create(
        name="reminders", day=datetime.date(2026, 6, 6), finished_at=at(datetime.date(2026, 6, 6))
    )
    past = occasion(owner, 6, 9)  # the 6 June job's, done before the worker stopped
    due_7 = occasion(owner, 6, 10)  # the 7 June job's: still ahead on the 10th
    due_8 = occasion(owner, 6, 11)
    due_9 = occasion(owner, 6, 12)
    due_10 = occasion(owner, 6, 13)
    gone = occasion(owner, 6, 10, kind="name_day")  # name days: 1 day, the 9 June job: passed

    # when the worker is back on 10 June
    report = jobs.run_due_jobs(at(datetime.date(2026, 6, 10)))

    # then each missed day created its reminders, due that day
    assert [k for k in report if k.startswith("reminders")] == [
        "reminders 2026-06-07",
        "reminders 2026-06-08",
        "reminders 2026-06-09",
        "reminders 2026-06-10",
    ]
    made = {t.origin_key: t.due_date for t in reminders()}
    assert made == {
        f"occasion:birthday:contact:{due_7.contact_id}:2026-06-10": datetime.date(2026, 6, 7),
        f"occasion:birthday:contact:{due_8.contact_id}:2026-06-11": datetime.date(2026, 6, 8),
        f"occasion:birthday:contact:{due_9.contact_id}:2026-06-12": datetime.date(2026, 6, 9),
        f"occasion:birthday:contact:{due_10.contact_id}:2026-06-13": datetime.date(2026, 6, 10),
        f"occasion:name_day:contact:{gone.contact_id}:2026-06-10": datetime.date(2026, 6, 9),
    }
    assert not any(f"contact:{past.contact_id}:" in key for key in made)


def test_a_catch_up_skips_occasions_already_past(owner):
    occasion(owner, 6, 8)  # its reminder belonged to the 5 June job
    reminders_create(datetime.date(2026, 6, 5), at(datetime.date(2026, 6, 10)))
    assert reminders() == []


def test_still_ahead_is_judged_in_the_owners_time_zone(owner):
    # 23:30 UTC on 9 June is already 10 June in Kyiv but still 9 June in Los Angeles
    occasion(owner, 6, 9, kind="name_day")
    late = datetime.datetime(2026, 6, 9, 23, 30, tzinfo=datetime.UTC)
    owner.time_zone = "Europe/Kyiv"
    owner.save(update_fields=["time_zone"])
    reminders_create(datetime.date(2026, 6, 8), late)
    assert reminders() == []  # 9 June is over in Kyiv
    owner.time_zone = "America/Los_Angeles"
    owner.save(update_fields=["time_zone"])
    reminders_create(datetime.date(2026, 6, 8), late)
    assert len(reminders()) == 1  # still 9 June there: the occasion is today


def test_trashed_clients_and_inactive_owners_get_no_reminder(owner, teammate):
    gone = occasion(owner, 6, 3)
    gone.contact.deleted_at = at(datetime.date(2026, 5, 1))
    gone.contact.save(update_fields=["deleted_at"])
    occasion(teammate, 6, 3)
    teammate.is_active = False
    teammate.save(update_fields=["is_active"])
    reminders_create(datetime.date(2026, 5, 31), at(datetime.date(2026, 5, 31)))
    assert reminders() == []


def test_a_name_day_removed_and_computed_again_is_reminded_of_once(owner):
    contact = make_contact(owner, first_name="Юрій")  # name day 23 April, reminded 1 day before
    day = datetime.date(2027, 4, 22)
    reminders_create(day, at(day))
    first = Occasion.objects.get(contact=contact, kind="name_day")
    first.delete()
    contact.save()  # computes the name day again: a new row
    assert Occasion.objects.get(contact=contact, kind="name_day").pk != first.pk

    reminders_create(day, at(day))

    (task,) = [t for t in reminders() if t.contact_id == contact.pk]
    assert task.origin_key == f"occasion:name_day:contact:{contact.pk}:2027-04-23"


def test_two_dates_of_one_client_entered_by_hand_are_each_reminded_of(owner):
    contact = make_contact(owner)
    for label in ("Весілля", "День заснування"):
        Occasion.objects.create(
            contact=contact,
            owner=owner,
            team=owner.team,
            kind="custom",
            month=6,
            day=10,
            label=label,
            manual=True,
        )
    day = datetime.date(2026, 6, 7)  # 3 days before, the firm's default for other dates

    reminders_create(day, at(day))

    assert len(reminders()) == 2


def test_the_migration_names_existing_reminders_by_kind_and_client(owner):
    migration = importlib.import_module(
        "clientela.activities.migrations.0003_reminder_keys_by_client"
    )
    birthday = occasion(owner, 6, 3)
    custom = occasion(owner, 6, 3, kind="custom", label="Весілля", manual=True)
    old = {
        "birthday": f"occasion:{birthday.pk}:2026-06-03",
        "gone": f"occasion:{birthday.pk + 1000}:2026-06-03",  # a row removed since
        "custom": f"occasion:{custom.pk}:2026-06-03",
        "other": "deal_won:1:x",
    }
    for title, key in old.items():
        Task.objects.create(
            title=title,
            owner=owner,
            team=owner.team,
            due_date=datetime.date(2026, 6, 1),
            origin=TaskOrigin.REMINDER,
            origin_key=key,
        )

    migration.key_by_client(apps, None)

    keys = dict(Task.objects.values_list("title", "origin_key"))
    assert keys == {
        "birthday": f"occasion:birthday:contact:{birthday.contact_id}:2026-06-03",
        "gone": old["gone"],
        "custom": old["custom"],
        "other": old["other"],
    }
