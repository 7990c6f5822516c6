"""The morning digest: once per user and day, at their hour, in their language, never empty."""

import datetime
import logging
from typing import Any

import pytest

from clientela.activities.digest import digests_send
from clientela.activities.models import Task
from clientela.core.models import FirmSettings, JobRun, OutgoingEmail
from clientela.occasions.models import Occasion
from conftest import make_contact

pytestmark = pytest.mark.django_db


def utc(*parts: int) -> datetime.datetime:
    return datetime.datetime(*parts, tzinfo=datetime.UTC)


@pytest.fixture
def manager(owner: Any) -> Any:
    owner.email = "owner@example.com"
    owner.language = "uk"
    owner.time_zone = "Asia/Tokyo"  # UTC+9: 08:00 there is 23:00 UTC the day before
    owner.save(update_fields=["email", "language", "time_zone"])
    return owner


def give_work(user: Any, day: datetime.date, *, author: Any = None) -> None:
    client = make_contact(author or user, first_name="Олена", last_name="Шевченко")
    Occasion.objects.create(
        contact=client, owner=user, team=user.team, kind="birthday", month=day.month, day=day.day
    )
    Task.objects.create(
        title="Подзвонити", due_date=day - datetime.timedelta(days=2), owner=user, team=user.team
    )
    Task.objects.create(title="Зустріч", due_date=day, owner=user, team=user.team)


def test_one_digest_per_user_at_their_hour_in_their_language(manager):
    day = datetime.date(2026, 6, 3)
    give_work(manager, day)

    # 07:59 in Tokyo: not yet
    assert digests_send(utc(2026, 6, 2, 22, 59)) == "none due"
    assert not OutgoingEmail.objects.exists()

    # 08:00 in Tokyo (the firm's default hour): the digest
    digests_send(utc(2026, 6, 2, 23, 0))
    (email,) = OutgoingEmail.objects.all()
    assert email.to == "owner@example.com"
    assert email.language == "uk"
    assert email.purpose == "digest"
    assert email.headers["Auto-Submitted"] == "auto-generated"
    assert "3 червня" in email.subject
    assert "Шевченко Олена" in email.body
    assert "Подзвонити" in email.body
    assert "Зустріч" in email.body
    assert JobRun.objects.get(name=f"digest:{manager.pk}").day == day

    # later the same day, and by a second worker: nothing more
    digests_send(utc(2026, 6, 3, 5, 0))
    digests_send(utc(2026, 6, 3, 14, 59))
    assert OutgoingEmail.objects.count() == 1

    # the next morning: the next one
    digests_send(utc(2026, 6, 3, 23, 0))
    assert OutgoingEmail.objects.count() == 2


def test_digest_hour_from_the_firm_settings(manager):
    firm = FirmSettings.current()
    firm.digest_hour = 10
    firm.save()
    give_work(manager, datetime.date(2026, 6, 3))
    digests_send(utc(2026, 6, 3, 0, 30))  # 09:30 in Tokyo
    assert not OutgoingEmail.objects.exists()
    digests_send(utc(2026, 6, 3, 1, 0))  # 10:00
    assert OutgoingEmail.objects.count() == 1


def test_english_digest_for_an_english_speaker(manager):
    manager.language = "en"
    manager.save(update_fields=["language"])
    give_work(manager, datetime.date(2026, 6, 3))
    digests_send(utc(2026, 6, 2, 23, 0))
    email = OutgoingEmail.objects.get()
    assert email.language == "en"
    assert email.subject == "Your day, 3 June"
    assert "Overdue tasks" in email.body


def test_nothing_to_say_sends_nothing_and_says_so(manager, caplog):
    caplog.set_level(logging.INFO, logger="clientela.activities.digest")
    digests_send(utc(2026, 6, 2, 23, 0))
    digests_send(utc(2026, 6, 2, 23, 1))
    assert not OutgoingEmail.objects.exists()
    assert JobRun.objects.get(name=f"digest:{manager.pk}").result == "nothing to say"
    assert caplog.text.count("nothing to say") == 1


def test_occasions_of_the_next_days_across_the_year_end(manager):
    client = make_contact(manager, first_name="Іван", last_name="Франко")
    Occasion.objects.create(
        contact=client, owner=manager, team=manager.team, kind="name_day", month=1, day=2
    )
    digests_send(utc(2026, 12, 30, 23, 0))  # 31 December, 08:00 in Tokyo
    assert "Франко Іван" in OutgoingEmail.objects.get().body


def test_viewers_and_users_without_email_get_no_digest(viewer, teammate):
    for user in (viewer, teammate):
        give_work(user, datetime.date(2026, 6, 3), author=teammate)
    viewer.email = "viewer@example.com"
    viewer.save(update_fields=["email"])
    teammate.email = ""
    teammate.save(update_fields=["email"])
    digests_send(utc(2026, 6, 3, 12, 0))
    assert not OutgoingEmail.objects.exists()


def test_others_clients_and_done_tasks_are_not_in_the_digest(manager, teammate):
    give_work(teammate, datetime.date(2026, 6, 3))
    Task.objects.create(
        title="Зроблено",
        due_date=datetime.date(2026, 6, 3),
        owner=manager,
        team=manager.team,
        done_at=utc(2026, 6, 1, 10, 0),
    )
    digests_send(utc(2026, 6, 2, 23, 0))
    assert not OutgoingEmail.objects.filter(to=manager.email).exists()


def test_the_digest_links_each_client_and_task_on_the_site_address(manager, settings):
    settings.SITE_URL = "https://crm.example.com"
    day = datetime.date(2026, 6, 3)
    give_work(manager, day)
    digests_send(utc(2026, 6, 2, 23, 0))
    body = OutgoingEmail.objects.get().body
    client = Occasion.objects.filter(kind="birthday").get().contact_id
    tasks = Task.objects.order_by("due_date").values_list("pk", flat=True)
    assert f"https://crm.example.com/contacts/{client}/" in body
    for task in tasks:
        assert f"https://crm.example.com/tasks/{task}/" in body
    assert "https://crm.example.com/my-day/" in body


@pytest.mark.parametrize(
    ("language", "saint"),
    [
        ("uk", "вмч. Георгій Переможець"),
        ("ru", "вмч. Георгий Победоносец"),
        ("en", "Great-martyr George the Victory-bearer"),
    ],
)
def test_a_name_days_saint_is_named_in_the_readers_language(manager, language, saint):
    manager.language = language
    manager.save(update_fields=["language"])
    make_contact(manager, first_name="Юрій", last_name="Франко")  # the name day: 23 April

    digests_send(utc(2027, 4, 21, 23, 0))  # 22 April, 08:00 in Tokyo

    assert f"({saint})" in OutgoingEmail.objects.get().body
