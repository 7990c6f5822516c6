"""The timeline of a contact, company or deal: order, paging, filters, visibility, cost, pages."""

import base64
import datetime
import zoneinfo
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from activities.support import make_activity, make_call, make_task
from clientela.accounts.models import User
from clientela.activities.models import Activity, Task
from clientela.activities.services import task_complete
from clientela.activities.timeline import MAX_LIMIT, Entry, timeline, timeline_for
from clientela.activities.timeline.registry import registered_sources
from clientela.activities.views.timeline import timeline_panel_context
from clientela.contacts.models import Company, Contact
from clientela.contacts.services import contact_update
from clientela.core.audit import audit_record
from clientela.core.extensions import panels_for
from clientela.core.models import AuditEvent
from clientela.sales.models import Deal, DealStageChange, Purchase
from clientela.sales.services import deal_move_stage, deal_update
from conftest import client_for, make_contact
from sales.conftest import Stages
from sales.support import make_deal, make_purchase

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def at(day: int, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """A moment of March 2025 in Kyiv."""
    return datetime.datetime(2025, 3, day, hour, minute, tzinfo=KYIV)


def midnight(day: int, zone: datetime.tzinfo = KYIV) -> datetime.datetime:
    return datetime.datetime(2025, 3, day, tzinfo=zone)


def history_of(record: Contact | Company | Deal) -> Any:
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    )


def places(entries: list[Entry]) -> list[tuple[str, int]]:
    return [(e.kind, e.obj.pk) for e in entries]


def every_entry(user: User, record: Contact | Company | Deal, **kwargs: Any) -> list[Entry]:
    page = timeline_for(user, record, limit=MAX_LIMIT, **kwargs)
    assert page.next_cursor is None, "more than one page: the test needs a smaller story"
    return page.entries


def in_english(user: User) -> User:
    user.language = "en"
    user.save(update_fields=["language"])
    return user


# --- order -------------------------------------------------------------------------------------


def test_every_source_in_one_story_newest_first(
    owner: User, contact: Contact, sales: Stages
) -> None:
    # given one entry of each kind, each on its own day
    history_of(contact).update(at=at(1))
    call = make_call(owner, contact, started_at=at(2))
    task = make_task(owner, contact=contact, title="Надіслати договір")
    Task.objects.filter(pk=task.pk).update(created_at=at(3))
    deal = make_deal(owner, contact, title="Ремонт офісу")
    DealStageChange.objects.filter(deal=deal).update(at=at(4))
    task_complete(actor=owner, task=task)
    Task.objects.filter(pk=task.pk).update(done_at=at(5))
    note = make_activity(owner, contact, "note", body="Просила передзвонити", started_at=at(6))
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    move = DealStageChange.objects.get(deal=deal, from_stage__isnull=False)
    DealStageChange.objects.filter(pk=move.pk).update(at=at(7))
    purchase = make_purchase(owner, contact, datetime.date(2025, 3, 8))
    opening = DealStageChange.objects.get(deal=deal, from_stage__isnull=True)
    created = history_of(contact).get()

    # when
    entries = every_entry(owner, contact)

    # then
    assert places(entries) == [
        ("purchase", purchase.pk),
        ("stage", move.pk),
        ("note", note.pk),
        ("task_done", task.pk),
        ("deal", opening.pk),
        ("task", task.pk),
        ("call", call.pk),
        ("history", created.pk),
    ]
    assert entries[0].at == midnight(8)
    assert [e.actor for e in entries[1:4]] == [owner, owner, owner]


def test_ties_go_by_source_then_newest_row(owner: User, contact: Contact, sales: Stages) -> None:
    # given at one moment: two calls, a task created and done, a deal opened, a history event
    moment = at(10, 15)
    first_call = make_call(owner, contact, started_at=moment)
    second_call = make_call(owner, contact, started_at=moment)
    task = make_task(owner, contact=contact)
    task_complete(actor=owner, task=task)
    Task.objects.filter(pk=task.pk).update(created_at=moment, done_at=moment)
    deal = make_deal(owner, contact)
    DealStageChange.objects.filter(deal=deal).update(at=moment)
    history_of(contact).update(at=moment)
    # and at the start of another day a meeting and a purchase of that day
    meeting = make_activity(owner, contact, "meeting", started_at=midnight(9))
    purchase = make_purchase(owner, contact, datetime.date(2025, 3, 9))

    entries = every_entry(owner, contact)

    opening = DealStageChange.objects.get(deal=deal)
    assert places(entries) == [
        ("call", second_call.pk),
        ("call", first_call.pk),
        ("task_done", task.pk),
        ("task", task.pk),
        ("deal", opening.pk),
        ("history", history_of(contact).get().pk),
        ("meeting", meeting.pk),
        ("purchase", purchase.pk),
    ]


def test_purchases_fall_at_the_start_of_their_day_in_the_readers_time_zone(
    owner: User, contact: Contact
) -> None:
    # 03:00 UTC on 7 March: 05:00 in Kyiv, still 22:00 of 6 March in New York
    call = make_call(
        owner, contact, started_at=datetime.datetime(2025, 3, 7, 3, tzinfo=datetime.UTC)
    )
    purchase = make_purchase(owner, contact, datetime.date(2025, 3, 7))
    kinds = {"call", "purchase"}

    assert places(every_entry(owner, contact, kinds=kinds)) == [
        ("call", call.pk),
        ("purchase", purchase.pk),
    ]
    owner.time_zone = "America/New_York"
    owner.save(update_fields=["time_zone"])
    entries = every_entry(owner, contact, kinds=kinds)
    assert places(entries) == [("purchase", purchase.pk), ("call", call.pk)]
    assert entries[0].at == midnight(7, zoneinfo.ZoneInfo("America/New_York"))


# --- pages -------------------------------------------------------------------------------------


def _mixed_story(owner: User, contact: Contact, sales: Stages) -> None:
    """About seventy entries of every kind, many of them at the same moments."""
    moments = [at(day, hour) for day in (3, 4, 5) for hour in (9, 12)] + [midnight(6)]
    kinds = ["call", "meeting", "email", "note"]
    for i in range(28):
        make_activity(owner, contact, kinds[i % 4], started_at=moments[i % len(moments)])
    for i in range(10):
        task = make_task(owner, contact=contact, title=f"Задача {i}")
        Task.objects.filter(pk=task.pk).update(created_at=moments[i % 3])
        if i % 2:
            task_complete(actor=owner, task=task)
            Task.objects.filter(pk=task.pk).update(done_at=moments[(i + 2) % len(moments)])
    for i in range(3):
        deal = make_deal(owner, contact, title=f"Угода {i}")
        deal = deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
        deal_move_stage(deal=deal, stage=sales.new, actor=owner)
        for n, change in enumerate(DealStageChange.objects.filter(deal=deal).order_by("id")):
            DealStageChange.objects.filter(pk=change.pk).update(at=moments[(i + n) % 4])
    for i in range(10):
        make_purchase(owner, contact, datetime.date(2025, 3, 3 + i % 4))
    for i in range(6):
        contact_update(actor=owner, contact=contact, data={"job_title": f"Посада {i}"})
    for n, event in enumerate(history_of(contact).order_by("id")):
        history_of(contact).filter(pk=event.pk).update(at=moments[n % len(moments)])


def test_paging_a_mixed_story_loses_and_repeats_nothing(
    owner: User, contact: Contact, sales: Stages
) -> None:
    # given
    _mixed_story(owner, contact, sales)
    stored = (
        Activity.objects.filter(contact=contact).count()
        + Task.objects.filter(contact=contact).count()
        + Task.objects.filter(contact=contact, done_at__isnull=False).count()
        + DealStageChange.objects.filter(deal__contact=contact).count()
        + Purchase.objects.filter(contact=contact).count()
        + history_of(contact).count()
    )
    assert 65 <= stored <= MAX_LIMIT

    # when read seven at a time
    read: list[Entry] = []
    cursor = None
    for _page in range(stored):
        page = timeline(owner, contact=contact, cursor=cursor, limit=7)
        assert len(page.entries) == 7 or page.next_cursor is None
        read.extend(page.entries)
        cursor = page.next_cursor
        if cursor is None:
            break

    # then every entry comes once, in the order of the whole story
    keys = [e.key for e in read]
    assert len(keys) == len(set(keys)) == stored
    assert keys == sorted(keys, key=lambda k: (k[0], -k[1], k[2]), reverse=True)
    assert keys == [e.key for e in every_entry(owner, contact)]


def test_a_forged_cursor_is_refused(owner: User, contact: Contact) -> None:
    make_call(owner, contact)
    forged_rank = signing.dumps(
        {"a": at(1).isoformat(), "r": 99, "i": 1}, salt="clientela.timeline"
    )
    for cursor in (
        "nonsense",
        base64.urlsafe_b64encode(forged_rank.encode()).decode(),
        base64.urlsafe_b64encode(b'{"a": "2025-03-01T12:00:00+00:00", "r": 0, "i": 1}').decode(),
    ):
        with pytest.raises(ValidationError) as error:
            timeline(owner, contact=contact, cursor=cursor)
        assert "cursor" in error.value.message_dict

        response = client_for(owner).get(
            "/timeline/page/", {"contact": contact.pk, "cursor": cursor}
        )
        assert response.status_code == 400
        assert f'href="/timeline/page/?contact={contact.pk}"' in response.content.decode()
        response = client_for(owner).get(
            "/timeline/", {"contact": contact.pk, "cursor": cursor}, headers={"HX-Request": "true"}
        )
        assert response.status_code == 400


# --- filters -----------------------------------------------------------------------------------


def test_kind_filter_keeps_only_that_kind(owner: User, contact: Contact, deal: Deal) -> None:
    call = make_call(owner, contact)
    make_activity(owner, contact, "note", body="Нотатка")
    task = make_task(owner, contact=contact)
    task_complete(actor=owner, task=task)

    assert places(every_entry(owner, contact, kinds={"call"})) == [("call", call.pk)]
    assert {e.kind for e in every_entry(owner, contact, kinds={"task"})} == {"task", "task_done"}
    assert {e.kind for e in every_entry(owner, contact, kinds={"deal"})} == {"deal"}
    assert {e.kind for e in every_entry(owner, contact, kinds={"note", "history"})} == {
        "note",
        "history",
    }


def test_a_filter_that_matches_nothing_gives_an_empty_page(owner: User, contact: Contact) -> None:
    make_call(owner, contact)

    page = timeline(owner, contact=contact, kinds={"purchase"})

    assert page.entries == []
    assert page.next_cursor is None
    response = client_for(owner).get("/timeline/page/", {"contact": contact.pk, "kind": "email"})
    assert response.status_code == 200


def test_an_unknown_kind_is_refused_naming_kind(owner: User, contact: Contact) -> None:
    with pytest.raises(ValidationError) as error:
        timeline(owner, contact=contact, kinds={"call", "gossip"})
    assert list(error.value.message_dict) == ["kind"]

    response = client_for(owner).get("/timeline/page/", {"contact": contact.pk, "kind": "gossip"})
    assert response.status_code == 400
    assert b"kind" in response.content


# --- visibility --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/timeline/", "/timeline/panel/", "/timeline/page/"])
def test_an_outsider_gets_404(outsider: User, contact: Contact, path: str) -> None:
    make_call(contact.owner, contact, subject="Таємниця")

    response = client_for(outsider).get(path, {"contact": contact.pk})

    assert response.status_code == 404
    assert "Таємниця" not in response.content.decode()


def test_a_record_that_does_not_exist_gets_404(owner: User) -> None:
    for params in ({"contact": 999999}, {"company": "x"}, {"deal": -1}):
        assert client_for(owner).get("/timeline/page/", params).status_code == 404
    assert client_for(owner).get("/timeline/page/").status_code == 400


def test_deals_the_reader_cannot_see_are_left_out(
    owner: User, admin: User, outsider: User, contact: Contact, sales: Stages
) -> None:
    # given a deal of the owner's contact that belongs to a manager of another team
    seen = make_deal(owner, contact, title="Видима угода")
    hidden = make_deal(admin, contact, title="Чужа угода", owner=outsider.pk)
    deal_move_stage(deal=hidden, stage=sales.offer, actor=admin)
    call = make_call(admin, contact, deal=hidden.pk, subject="Дзвінок про чужу угоду")

    # when
    entries = every_entry(owner, contact)

    # then the owner sees the call, not the deal nor its moves
    deals = {e.obj.deal_id for e in entries if e.kind in {"deal", "stage"}}
    assert deals == {seen.pk}
    shown_call = next(e for e in entries if e.obj.pk == call.pk and e.kind == "call")
    assert shown_call.url == ""
    page = client_for(owner).get("/timeline/page/", {"contact": contact.pk}).content.decode()
    assert "Дзвінок про чужу угоду" in page
    assert "Чужа угода" not in page
    # and the administrator sees it all
    admin_deals = {e.obj.deal_id for e in every_entry(admin, contact) if e.kind == "stage"}
    assert admin_deals == {hidden.pk}


def test_after_a_handover_the_new_owner_sees_the_old_owners_calls(
    owner: User, teammate: User, lead: User, contact: Contact
) -> None:
    # given calls by the owner
    calls = [make_call(owner, contact, subject=f"Дзвінок {i}") for i in range(3)]
    assert client_for(teammate).get("/timeline/page/", {"contact": contact.pk}).status_code == 404

    # when the lead gives the contact to the teammate
    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})
    contact.refresh_from_db()

    # then
    entries = every_entry(teammate, contact, kinds={"call"})
    assert {e.obj.pk for e in entries} == {c.pk for c in calls}
    assert {e.actor for e in entries} == {owner}
    assert client_for(owner).get("/timeline/page/", {"contact": contact.pk}).status_code == 404
    transfer = every_entry(teammate, contact, kinds={"history"})[0]
    assert transfer.transfer == (str(owner), str(teammate))


def test_a_handover_appears_once(owner: User, teammate: User, lead: User, contact: Contact) -> None:
    # A handover changes the owner through the contact's service and records the transfer.
    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})
    audit_record(
        actor=lead,
        action="transfer",
        obj=contact,
        changes={"owner": [str(owner), str(teammate)]},
    )

    entries = every_entry(lead, contact, kinds={"history"})

    assert [(e.obj.action, e.transfer) for e in entries] == [
        ("transfer", (str(owner), str(teammate))),
        ("create", None),
    ]


# --- subjects ----------------------------------------------------------------------------------


def test_a_company_tells_what_is_linked_to_it(owner: User, company: Company) -> None:
    person = make_contact(owner, first_name="Ігор", company=company.pk)
    with_company = make_call(owner, person, company=company.pk, subject="Про всіх")
    make_call(owner, person, subject="Особисте")
    own = make_activity(owner, company, "email", email_address="office@romashka.example")
    purchase = make_purchase(owner, company, datetime.date(2025, 3, 1))

    entries = every_entry(owner, company)

    assert {(e.kind, e.obj.pk) for e in entries if e.kind != "history"} == {
        ("call", with_company.pk),
        ("email", own.pk),
        ("purchase", purchase.pk),
    }


def test_a_deal_tells_its_moves_once(owner: User, deal: Deal, sales: Stages) -> None:
    call = make_call(owner, deal, subject="Про угоду")
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    deal_update(actor=owner, deal=deal, data={"value": Decimal("2000.00")})

    entries = every_entry(owner, deal)

    assert sorted(e.kind for e in entries) == ["call", "deal", "history", "stage"]
    changed = next(e for e in entries if e.kind == "history")
    assert [c.new for c in changed.changes] == ["2000.00"]
    assert next(e for e in entries if e.kind == "call").obj.pk == call.pk


def test_a_move_says_how_long_the_deal_stayed(owner: User, deal: Deal, sales: Stages) -> None:
    DealStageChange.objects.filter(deal=deal).update(at=at(1, 10))
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    DealStageChange.objects.filter(deal=deal, to_stage=sales.offer).update(at=at(13, 11))

    with translation.override("en"):
        move = every_entry(owner, deal, kinds={"stage"})[0]

    assert move.stay == "12 days"
    assert move.obj.from_stage == sales.new


# --- cost --------------------------------------------------------------------------------------


def _story_of(owner: User, per_source: int, stages: Stages) -> Contact:
    """A contact with `per_source` entries of every source, written straight to the tables."""
    contact = make_contact(owner, first_name=f"Клієнт {per_source}")
    copies = {"owner": owner, "team": owner.team, "contact": contact}
    kinds = ["call", "meeting", "email", "note"]
    Activity.objects.bulk_create(
        Activity(kind=kinds[i % 4], user=owner, started_at=at(1 + i % 28, 9), **copies)
        for i in range(per_source)
    )
    Task.objects.bulk_create(
        Task(
            title=f"Задача {i}",
            due_date=datetime.date(2025, 3, 1),
            created_at=at(1 + i % 28, 10),
            done_at=at(1 + i % 28, 11),
            done_by=owner,
            created_by=owner,
            **copies,
        )
        for i in range(per_source)
    )
    deal = make_deal(owner, contact)
    DealStageChange.objects.bulk_create(
        DealStageChange(
            deal=deal,
            from_stage=stages.new if i % 2 else stages.offer,
            to_stage=stages.offer if i % 2 else stages.new,
            at=at(1 + i % 28, 13),
            actor=owner,
        )
        for i in range(per_source - 1)
    )
    Purchase.objects.bulk_create(
        Purchase(date=datetime.date(2025, 3, 1 + i % 28), amount=Decimal("10.00"), **copies)
        for i in range(per_source)
    )
    for i in range(per_source - 1):
        audit_record(actor=owner, action="update", obj=contact, changes={"notes": [str(i), "x"]})
    return contact


def test_a_page_costs_the_same_queries_however_long_the_story(
    owner: User, sales: Stages, django_assert_num_queries: Any
) -> None:
    short, long = _story_of(owner, 5, sales), _story_of(owner, 60, sales)

    # one query per source: the eight built-in ones and those the apps above registered
    sources = 8 + len(registered_sources())
    for contact in (short, long):
        with django_assert_num_queries(sources):
            page = timeline(owner, contact=contact)
        assert len(page.entries) == 30
    with django_assert_num_queries(sources):
        second = timeline(owner, contact=long, cursor=page.next_cursor)
    assert len(second.entries) == 30

    def page_queries(contact: Contact) -> int:
        client = client_for(owner)
        client.get("/timeline/page/", {"contact": contact.pk})  # the session is read once
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/timeline/page/", {"contact": contact.pk})
        assert response.status_code == 200
        return len(captured)

    assert page_queries(short) == page_queries(long)


# --- pages -------------------------------------------------------------------------------------


def test_the_panel_is_on_contact_company_and_deal_pages(
    owner: User, contact: Contact, company: Company, deal: Deal
) -> None:
    make_call(owner, contact, subject="Про пропозицію")
    make_call(owner, company, subject="Про офіс")
    make_call(owner, deal, subject="Про ремонт")
    client = client_for(owner)

    for url, subject in (
        (f"/contacts/{contact.pk}/", "Про пропозицію"),
        (f"/companies/{company.pk}/", "Про офіс"),
        (f"/deals/{deal.pk}/", "Про ремонт"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert 'id="timeline"' in content, url
        assert subject in content, url

    request = RequestFactory().get(f"/deals/{deal.pk}/")
    request.user = owner
    rendered = [p for p in panels_for("deal", request, deal) if p.key == "timeline"]
    assert [e.obj.subject for e in rendered[0].data["page"].entries if e.kind == "call"] == [
        "Про ремонт"
    ]


def test_the_panel_has_a_chip_per_kind(owner: User, contact: Contact) -> None:
    request = RequestFactory().get("/")
    request.user = owner

    with translation.override("en"):
        data = timeline_panel_context(request, contact)
        labels = [str(chip.label) for chip in data["chips"]]

    with translation.override("en"):
        added = [str(source.chip) for source in registered_sources()]  # complaints, surveys…
    assert labels == [
        "All", "Calls", "Meetings", "Emails", "Notes", "Tasks", "Deals", "Purchases",
        "Greetings", "Gestures", *added, "History",
    ]  # fmt: skip
    assert [chip.current for chip in data["chips"]][:2] == [True, False]
    assert data["chips"][1].panel_url == f"/timeline/panel/?contact={contact.pk}&kind=call"


def test_a_chip_reloads_the_panel_with_its_kind(owner: User, contact: Contact) -> None:
    make_call(owner, contact, subject="Дзвінок")
    make_activity(owner, contact, "note", subject="Нотатка")

    response = client_for(owner).get(
        "/timeline/panel/", {"contact": contact.pk, "kind": "note"}, headers={"HX-Request": "true"}
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section class="card timeline-panel" id="timeline"')
    assert "Нотатка" in content
    assert "Дзвінок" not in content


def test_show_more_appends_the_next_entries(owner: User, contact: Contact) -> None:
    for i in range(35):
        make_call(owner, contact, subject=f"Дзвінок №{i:02}", started_at=at(1, 8, i))
    client = client_for(owner)

    # the first page: the contact's "created" entry (the newest) and 29 calls
    first = client.get("/timeline/page/", {"contact": contact.pk}).content.decode()
    assert "Дзвінок №34" in first
    assert "Дзвінок №06" in first
    assert "Дзвінок №05" not in first
    more = first.split('class="tl-more"')[1]
    assert 'hx-get="/timeline/?contact=' in more
    assert 'href="/timeline/page/?contact=' in more
    cursor = more.split("cursor=")[1].split('"')[0]

    fragment = client.get(
        "/timeline/", {"contact": contact.pk, "cursor": cursor}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "<html" not in fragment
    assert "Дзвінок №05" in fragment
    assert "Дзвінок №00" in fragment
    assert "Дзвінок №06" not in fragment
    assert 'class="tl-more"' not in fragment
    # without JavaScript the same link is a page of its own
    page = client.get("/timeline/page/", {"contact": contact.pk, "cursor": cursor})
    assert page.status_code == 200
    assert "Дзвінок №05" in page.content.decode()


def test_entries_read_as_sentences(
    owner: User, teammate: User, lead: User, contact: Contact, sales: Stages
) -> None:
    in_english(lead)
    make_call(
        owner,
        contact,
        duration=12 * 60,
        outcome="talked",
        mood=4,
        draining=2,
        subject="discussed the offer",
    )
    make_activity(
        owner, contact, "meeting", place="the office", started_at=at(3, 10), ended_at=at(3, 11, 30)
    )
    make_activity(owner, contact, "email", email_address="olena@example.com")
    task = make_task(owner, contact=contact, title="Send the contract")
    task_complete(actor=owner, task=task)
    deal = make_deal(owner, contact, title="Office renovation")
    deal_move_stage(deal=deal, stage=sales.offer, actor=owner)
    make_purchase(
        owner,
        contact,
        datetime.date(2025, 3, 1),
        amount=Decimal("12500.00"),
        description="kitchen set",
        discount_percent=Decimal("5"),
    )
    contact_update(actor=owner, contact=contact, data={"job_title": "Director"})
    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})

    content = client_for(lead).get("/timeline/page/", {"contact": contact.pk}).content.decode()

    for text in (
        "(outgoing, 12 min) — talked; client pleased; draining 2/5",
        "“discussed the offer”",
        "Meeting</strong> · the office,",
        "Email to olena@example.com",
        "Task “Send the contract”",
        "done by",
        "Office renovation</a>:",
        "moved from Новий to Пропозиція",
        "opened in Новий",
        "12,500.00 UAH</strong> — kitchen set, 5 % discount",
        "Contact changed",
        "Role in the company: <del>—</del> → <ins>Director</ins>",
        f"Transferred from {owner} to {teammate}",
    ):
        assert text in content, text
    # each call, meeting, email, task and purchase opens its own page from its time
    for activity in Activity.objects.filter(contact=contact):
        assert f'href="/activities/{activity.pk}/"' in content
    assert f'href="/tasks/{task.pk}/"' in content
    purchase = Purchase.objects.get(contact=contact)
    assert f'href="/purchases/{purchase.pk}/"' in content
