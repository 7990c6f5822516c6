"""Greetings and gestures on the timeline: their entries, chips, order, paging, cost, sight."""

import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone, translation

from activities.support import make_call
from clientela.accounts.models import User
from clientela.activities.timeline import timeline
from clientela.activities.timeline.registry import registered_sources
from clientela.contacts.models import Company, Contact
from clientela.core.mail import email_send
from clientela.occasions.models import Gesture, Greeting
from clientela.occasions.services_greetings import greeting_send
from conftest import client_for, make_company

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, hour, tzinfo=KYIV)


def make_greeting(actor: User, contact: Contact, **data: Any) -> Greeting:
    greeting = greeting_send(
        actor=actor,
        contact=contact,
        subject=data.pop("subject", "З днем народження, {first_name}!"),
        body="{formal_name}, вітаю!",
        language="uk",
        **data,
    )
    return greeting


def make_gesture(actor: User, client: Contact | Company, **data: Any) -> Gesture:
    field = "contact" if isinstance(client, Contact) else "company"
    data.setdefault("kind", "postcard")
    data.setdefault("date", datetime.date(2025, 3, 5))
    return Gesture.objects.create(
        **{field: client},
        owner_id=client.owner_id,
        team_id=client.team_id,
        user=actor,
        **data,
    )


def test_greetings_and_gestures_take_their_place_in_the_story(
    owner: User, contact: Contact
) -> None:
    make_call(owner, contact, started_at=at(3))
    greeting = make_greeting(owner, contact)
    Greeting.objects.filter(pk=greeting.pk).update(send_at=at(4))
    make_gesture(owner, contact, cost=Decimal("150.00"), currency="UAH", response="thanked")

    entries = [e for e in timeline(owner, contact=contact).entries if e.kind != "history"]

    assert [e.kind for e in entries] == ["gesture", "greeting", "call"]
    gesture_entry, greeting_entry = entries[0], entries[1]
    assert gesture_entry.at == datetime.datetime(2025, 3, 5, tzinfo=KYIV)
    assert gesture_entry.actor == owner
    with translation.override("en"):
        assert str(gesture_entry.label) == "Gesture"
    assert greeting_entry.status == "queued"
    assert greeting_entry.actor == owner


def test_the_greetings_status_follows_its_email(
    settings: Any, owner: User, contact: Contact
) -> None:
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    later = make_greeting(owner, contact, send_at=timezone.now() + datetime.timedelta(days=2))
    sent = make_greeting(owner, contact, subject="Вітаю!")
    assert email_send(sent.email_id) == "sent"

    statuses = {
        e.obj.pk: e.status for e in timeline(owner, contact=contact, kinds=["greeting"]).entries
    }

    assert statuses == {later.pk: "scheduled", sent.pk: "sent"}


def test_the_chips_keep_greetings_or_gestures(owner: User, contact: Contact) -> None:
    make_call(owner, contact, started_at=at(3))
    make_greeting(owner, contact)
    make_gesture(owner, contact)

    assert {e.kind for e in timeline(owner, contact=contact, kinds=["greeting"]).entries} == {
        "greeting"
    }
    assert {e.kind for e in timeline(owner, contact=contact, kinds=["gesture"]).entries} == {
        "gesture"
    }


def test_paging_tells_every_greeting_and_gesture_once(owner: User, contact: Contact) -> None:
    for day in range(1, 11):
        make_call(owner, contact, started_at=at(day, 9))
        greeting = make_greeting(owner, contact)
        Greeting.objects.filter(pk=greeting.pk).update(send_at=at(day, 10))
        make_gesture(owner, contact, date=datetime.date(2025, 3, day))
    # A greeting at the very start of a day: the same moment as that day's gesture.
    tie = make_greeting(owner, contact)
    Greeting.objects.filter(pk=tie.pk).update(send_at=datetime.datetime(2025, 3, 7, tzinfo=KYIV))
    owner.time_zone = "Europe/Kyiv"
    owner.save(update_fields=["time_zone"])

    read, cursor = [], None
    while True:
        page = timeline(
            owner, contact=contact, kinds=["call", "greeting", "gesture"], cursor=cursor, limit=4
        )
        read.extend(page.entries)
        cursor = page.next_cursor
        if cursor is None:
            break

    keys = [e.key for e in read]
    assert len(keys) == len(set(keys)) == 31
    assert keys == sorted(keys, key=lambda k: (k[0], -k[1], k[2]), reverse=True)


def test_a_page_costs_one_query_per_source_however_many_greetings(
    owner: User, contact: Contact, django_assert_num_queries: Any
) -> None:
    make_greeting(owner, contact)
    make_gesture(owner, contact)
    sources = 8 + len(registered_sources())  # one query per source, built-in or registered
    with django_assert_num_queries(sources):
        timeline(owner, contact=contact)
    for day in range(1, 30):
        make_greeting(owner, contact)
        make_gesture(owner, contact, date=datetime.date(2025, 3, day))

    with django_assert_num_queries(sources):
        page = timeline(owner, contact=contact)

    assert len(page.entries) == 30


def test_a_company_shows_its_own_gestures(owner: User, contact: Contact) -> None:
    company = make_company(owner)
    make_gesture(owner, company, kind="flowers")
    make_gesture(owner, contact, kind="gift")

    kinds = [e.obj.kind for e in timeline(owner, company=company, kinds=["gesture"]).entries]

    assert kinds == ["flowers"]


def test_only_who_sees_the_client_sees_its_greetings(
    owner: User, lead: User, teammate: User, contact: Contact
) -> None:
    make_greeting(owner, contact)
    make_gesture(owner, contact)

    assert len(timeline(lead, contact=contact, kinds=["greeting", "gesture"]).entries) == 2
    # The story of a client a user cannot see is not there at all.
    assert timeline(teammate, contact=contact, kinds=["greeting", "gesture"]).entries == []
    assert client_for(teammate).get("/timeline/page/", {"contact": contact.pk}).status_code == 404


@pytest.mark.parametrize("language", ["en"])
def test_the_entries_read_well(owner: User, contact: Contact, language: str) -> None:
    owner.language = language
    owner.save(update_fields=["language"])
    make_greeting(owner, contact)
    make_gesture(owner, contact, cost=Decimal("150.00"), currency="UAH", response="thanked")

    response = client_for(owner).get("/timeline/page/", {"contact": contact.pk})
    content = " ".join(response.content.decode().split())

    assert response.status_code == 200
    assert "Greeting to olena.shevchenko@example.com" in content
    assert "“З днем народження, Олена!” (personal)" in content
    assert "queued" in content
    assert "Postcard</strong>, 150.00 UAH — thanked" in content
    chips = (
        client_for(owner)
        .get("/timeline/page/", {"contact": contact.pk, "kind": "gesture"})
        .content.decode()
    )
    assert "Greeting to" not in chips
    assert "Postcard" in chips
