"""The activities and tasks API: round trips, errors named by field, filters, pages, conflicts
and the cost of a list."""

import datetime

import pytest
from django.utils import timezone

from activities.support import make_activity, make_call, make_task
from clientela.activities.models import Activity, Task
from conftest import make_contact
from sales.support import api_as, error_fields

# --- activities --------------------------------------------------------------------------------


def test_log_a_call_and_read_it_back(owner, contact, deal):
    client = api_as(owner)

    created = client.post(
        "/activities",
        {
            "kind": "call",
            "contact": contact.pk,
            "deal": deal.pk,
            "direction": "in",
            "duration_seconds": 185,
            "outcome": "talked",
            "mood": 5,
            "draining": 1,
            "started_at": "2026-01-15T09:30:00",  # no offset: the caller's time (Kyiv, UTC+2)
        },
    )
    read = client.get(f"/activities/{created.json()['id']}")

    assert created.status_code == 201, created.content
    body = read.json()
    assert body == created.json()
    assert body["duration_seconds"] == 185
    assert body["started_at"] == "2026-01-15T07:30:00+00:00"
    assert body["contact"] == {"id": contact.pk, "name": contact.full_name}
    assert body["deal"] == {"id": deal.pk, "name": deal.title}
    assert body["user"]["id"] == body["owner"]["id"] == owner.pk
    assert (body["kind"], body["direction"], body["outcome"]) == ("call", "in", "talked")
    assert (body["mood"], body["draining"], body["ended_at"]) == (5, 1, None)


def test_log_a_meeting_with_offsets(owner, company):
    response = api_as(owner).post(
        "/activities",
        {
            "kind": "meeting",
            "company": company.pk,
            "started_at": "2026-01-15T10:00:00+02:00",
            "ended_at": "2026-01-15T09:30:00Z",
            "place": "Офіс клієнта",
            "attendees": "Олена, Тарас",
        },
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["ended_at"] == "2026-01-15T09:30:00+00:00"
    assert (body["direction"], body["duration_seconds"], body["place"]) == (
        None,
        None,
        "Офіс клієнта",
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "call", "direction": "out", "duration_seconds": -1}, "duration_seconds"),
        ({"kind": "note", "duration_seconds": 60}, "duration_seconds"),
        ({"kind": "call", "direction": "out", "mood": 6}, "mood"),
        ({"kind": "call", "direction": "out", "draining": 0}, "draining"),
        ({"kind": "call"}, "direction"),
        ({"kind": "visit"}, "kind"),
        ({"kind": "email", "email_address": "нема"}, "email_address"),
        (
            {
                "kind": "meeting",
                "started_at": "2026-01-15T10:00:00Z",
                "ended_at": "2026-01-15T09:00:00Z",
            },
            "ended_at",
        ),
        ({"kind": "call", "direction": "out", "started_at": "2099-01-01T10:00:00Z"}, "started_at"),
        ({"kind": "note", "started_at": "вчора"}, "started_at"),
        ({"kind": "note", "colour": "red"}, "colour"),
        ({"kind": "note", "contact": None}, "contact"),
        ({"kind": "note", "contact": 987654}, "contact"),
        ({"kind": "note", "user": 987654}, "user"),
    ],
)
def test_bad_activity_answers_422_naming_the_field(owner, contact, counts, body, field):
    before = counts()

    response = api_as(owner).post("/activities", {"contact": contact.pk, **body})

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert counts() == before


def test_no_kind_answers_422(owner, contact):
    response = api_as(owner).post("/activities", {"contact": contact.pk})

    assert response.status_code == 422
    assert list(error_fields(response)) == ["kind"]


def test_patch_changes_only_what_is_sent(owner, contact):
    call = make_call(owner, contact, mood=2, subject="Перший")
    client = api_as(owner)

    response = client.patch(f"/activities/{call.pk}", {"mood": 4, "duration_seconds": None})
    refused = client.patch(f"/activities/{call.pk}", {"kind": "note"})

    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["mood"], body["duration_seconds"], body["subject"]) == (4, None, "Перший")
    assert refused.status_code == 422
    assert list(error_fields(refused)) == ["kind"]


def test_stale_patch_answers_409(owner, lead, contact):
    call = make_call(owner, contact)
    seen = api_as(owner).get(f"/activities/{call.pk}").json()["updated_at"]
    api_as(lead).patch(f"/activities/{call.pk}", {"subject": "Лідер був першим"})

    stale = api_as(owner).patch(
        f"/activities/{call.pk}", {"subject": "Мій", "expected_updated_at": seen}
    )
    fresh_version = api_as(owner).get(f"/activities/{call.pk}").json()["updated_at"]
    fresh = api_as(owner).patch(
        f"/activities/{call.pk}", {"subject": "Мій", "expected_updated_at": fresh_version}
    )

    assert stale.status_code == 409
    assert list(error_fields(stale)) == ["expected_updated_at"]
    assert fresh.status_code == 200, fresh.content


def test_delete_and_restore(owner, contact):
    call = make_call(owner, contact)
    client = api_as(owner)

    deleted = client.delete(f"/activities/{call.pk}")
    gone = client.get(f"/activities/{call.pk}")
    restored = client.post(f"/activities/{call.pk}/restore")

    assert (deleted.status_code, gone.status_code, restored.status_code) == (204, 404, 200)
    assert Activity.objects.filter(pk=call.pk).exists()


def test_activity_filters(owner, lead, contact, company, deal):
    other = make_contact(owner, first_name="Тарас")
    long_ago = timezone.now() - datetime.timedelta(days=40)
    call = make_call(owner, contact, deal=deal.pk)
    note = make_activity(owner, company, "note", started_at=long_ago)
    by_lead = make_call(lead, other)
    client = api_as(owner)

    def ids(**params):
        response = client.get("/activities", params)
        assert response.status_code == 200, response.content
        return [a["id"] for a in response.json()["items"]]

    since = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    until = (timezone.localdate() - datetime.timedelta(days=30)).isoformat()
    assert ids() == [by_lead.pk, call.pk, note.pk]
    assert ids(kind="call") == [by_lead.pk, call.pk]
    assert ids(contact=contact.pk) == [call.pk]
    assert ids(company=company.pk) == [note.pk]
    assert ids(deal=deal.pk) == [call.pk]
    assert ids(user="me") == [call.pk, note.pk]
    assert ids(user=lead.pk) == [by_lead.pk]
    assert ids(since=since) == [by_lead.pk, call.pk]
    assert ids(until=until) == [note.pk]
    assert ids(sort="started") == [note.pk, call.pk, by_lead.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "visit"}, "kind"),
        ({"contact": "abc"}, "contact"),
        ({"user": "-1"}, "user"),
        ({"since": "вчора"}, "since"),
        ({"until": "2026-13-01"}, "until"),
        ({"sort": "subject"}, "sort"),
        ({"cursor": "nonsense"}, "cursor"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_activity_filter_answers_400(owner, params, field):
    response = api_as(owner).get("/activities", params)

    assert response.status_code == 400
    assert list(error_fields(response)) == [field]


def test_activity_pages_walk_forward_and_back(owner, contact):
    start = timezone.now() - datetime.timedelta(hours=10)
    calls = [
        make_call(owner, contact, started_at=start + datetime.timedelta(minutes=i))
        for i in range(5)
    ]
    client = api_as(owner)

    first = client.get("/activities", {"limit": 2}).json()
    second = client.get("/activities", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = client.get("/activities", {"limit": 2, "cursor": second["next_cursor"]}).json()
    back = client.get("/activities", {"limit": 2, "cursor": second["previous_cursor"]}).json()

    newest_first = [c.pk for c in reversed(calls)]
    assert [a["id"] for a in first["items"] + second["items"] + third["items"]] == newest_first
    assert third["next_cursor"] is None
    assert first["previous_cursor"] is None
    assert [a["id"] for a in back["items"]] == newest_first[:2]


# --- tasks -------------------------------------------------------------------------------------


def test_add_complete_and_reopen_a_task(owner, lead, contact):
    client = api_as(lead)

    created = client.post(
        "/tasks",
        {
            "title": "Надіслати КП",
            "due_date": "2026-02-03",
            "due_time": "14:30",
            "urgent": True,
            "owner": owner.pk,
            "contact": contact.pk,
        },
    )
    task_id = created.json()["id"]
    done = client.post(f"/tasks/{task_id}/complete")
    again = client.post(f"/tasks/{task_id}/complete")
    reopened = client.post(f"/tasks/{task_id}/reopen")

    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["due_date"], body["due_time"], body["urgent"]) == ("2026-02-03", "14:30:00", True)
    assert body["owner"]["id"] == owner.pk
    assert body["created_by"]["id"] == lead.pk
    assert (body["done"], body["origin"]) == (False, "manual")
    assert done.json()["done"] is True
    assert done.json()["done_by"]["id"] == lead.pk
    assert again.json()["done_at"] == done.json()["done_at"]
    assert (reopened.json()["done"], reopened.json()["done_at"]) == (False, None)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"due_date": "2026-01-01"}, "title"),
        ({"title": "x"}, "due_date"),
        ({"title": "x", "due_date": "завтра"}, "due_date"),
        ({"title": "x", "due_date": "2026-01-01", "due_time": "25:61"}, "due_time"),
        ({"title": "", "due_date": "2026-01-01"}, "title"),
        ({"title": "x", "due_date": "2026-01-01", "owner": 987654}, "owner"),
        ({"title": "x", "due_date": "2026-01-01", "origin": "follow_up"}, "origin"),
        ({"title": "x", "due_date": "2026-01-01", "deal": 987654}, "deal"),
    ],
)
def test_bad_task_answers_422_naming_the_field(owner, counts, body, field):
    before = counts()

    response = api_as(owner).post("/tasks", body)

    assert response.status_code == 422, response.content
    assert list(error_fields(response)) == [field]
    assert counts() == before


def test_task_to_someone_not_assignable_answers_422(owner, teammate):
    response = api_as(owner).post(
        "/tasks", {"title": "x", "due_date": "2026-01-01", "owner": teammate.pk}
    )

    assert response.status_code == 422
    assert list(error_fields(response)) == ["owner"]


def test_stale_task_patch_answers_409(owner, lead):
    task = make_task(owner)
    seen = api_as(owner).get(f"/tasks/{task.pk}").json()["updated_at"]
    api_as(lead).post(f"/tasks/{task.pk}/complete")

    stale = api_as(owner).patch(f"/tasks/{task.pk}", {"title": "x", "expected_updated_at": seen})

    assert stale.status_code == 409
    assert Task.objects.get(pk=task.pk).title == "Подзвонити"


def test_task_delete_and_restore(owner):
    task = make_task(owner)
    client = api_as(owner)

    assert client.delete(f"/tasks/{task.pk}").status_code == 204
    assert client.get(f"/tasks/{task.pk}").status_code == 404
    assert client.post(f"/tasks/{task.pk}/restore").status_code == 200
    assert client.get(f"/tasks/{task.pk}").status_code == 200


def test_task_filters(owner, lead, contact, company, deal):
    today = timezone.localdate()
    late = make_task(
        owner, title="late", due_date=today - datetime.timedelta(days=2), contact=contact
    )
    timed = make_task(owner, title="timed", due_date=today, due_time="09:00", deal=deal)
    untimed = make_task(owner, title="untimed", due_date=today, company=company)
    lead_own = make_task(lead, title="lead's", due_date=today + datetime.timedelta(days=1))
    done = make_task(owner, title="done", due_date=today - datetime.timedelta(days=9))
    api_as(owner).post(f"/tasks/{done.pk}/complete")
    client = api_as(lead)

    def ids(**params):
        response = client.get("/tasks", params)
        assert response.status_code == 200, response.content
        return [t["id"] for t in response.json()["items"]]

    assert ids() == [late.pk, timed.pk, untimed.pk, lead_own.pk]
    assert ids(status="done") == [done.pk]
    assert ids(status="all") == [done.pk, late.pk, timed.pk, untimed.pk, lead_own.pk]
    assert ids(sort="-due") == [lead_own.pk, untimed.pk, timed.pk, late.pk]
    assert ids(sort="-created") == [lead_own.pk, untimed.pk, timed.pk, late.pk]
    assert ids(owner="me") == [lead_own.pk]
    assert ids(owner=owner.pk) == [late.pk, timed.pk, untimed.pk]
    assert ids(due_before=today.isoformat()) == [late.pk, timed.pk, untimed.pk]
    assert ids(due_after=today.isoformat()) == [timed.pk, untimed.pk, lead_own.pk]
    assert ids(contact=contact.pk) == [late.pk, timed.pk]  # the deal's client
    assert ids(company=company.pk) == [untimed.pk]
    assert ids(deal=deal.pk) == [timed.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "closed"}, "status"),
        ({"owner": "somebody"}, "owner"),
        ({"due_before": "вчора"}, "due_before"),
        ({"due_after": "2026-02-30"}, "due_after"),
        ({"sort": "title"}, "sort"),
        ({"cursor": "nonsense"}, "cursor"),
    ],
)
def test_bad_task_filter_answers_400(owner, params, field):
    response = api_as(owner).get("/tasks", params)

    assert response.status_code == 400
    assert list(error_fields(response)) == [field]


@pytest.mark.parametrize("sort", ["due", "-due", "-created"])
def test_task_pages_cover_every_task_once(owner, sort):
    today = timezone.localdate()
    for i in range(7):
        make_task(
            owner,
            title=f"t{i}",
            due_date=today + datetime.timedelta(days=i % 3),
            due_time=None if i % 2 else f"1{i}:00",
        )
    client = api_as(owner)
    everything = [t["id"] for t in client.get("/tasks", {"sort": sort}).json()["items"]]

    seen, cursor = [], None
    while True:
        params = {"sort": sort, "limit": 2} | ({"cursor": cursor} if cursor else {})
        page = client.get("/tasks", params).json()
        seen += [t["id"] for t in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break

    assert seen == everything
    assert len(seen) == 7


def test_my_day_over_the_api(owner, contact):
    today = timezone.localdate()
    make_task(owner, title="late", due_date=today - datetime.timedelta(days=1))
    make_task(owner, title="soon", due_date=today + datetime.timedelta(days=3))
    make_call(owner, contact)
    client = api_as(owner)

    body = client.get("/tasks/my-day").json()
    short = client.get("/tasks/my-day", {"upcoming_days": 1}).json()
    bad = client.get("/tasks/my-day", {"upcoming_days": 1000})

    assert body["today"] == today.isoformat()
    assert [t["title"] for t in body["overdue"]] == ["late"]
    assert [t["title"] for t in body["upcoming"]] == ["soon"]
    assert short["upcoming"] == []
    assert len(body["calls_today"]) == 1
    assert bad.status_code == 400
    assert list(error_fields(bad)) == ["upcoming_days"]


# --- the cost of a list --------------------------------------------------------------------------

TOKEN = 1  # the token check, its user joined


@pytest.fixture(params=[3, 30])
def many(request, owner, lead, contact, company, deal):
    today = timezone.localdate()
    for i in range(request.param):
        make_call(lead, contact, deal=deal.pk, user=owner.pk)
        make_activity(owner, company, "note")
        task = make_task(lead, owner=owner, contact=contact, deal=deal, due_date=today)
        if i % 2:
            api_as(owner).post(f"/tasks/{task.pk}/complete")
    return request.param


@pytest.mark.parametrize(
    ("path", "params", "queries"),
    [
        ("/activities", {}, TOKEN + 1),
        ("/activities", {"kind": "call", "since": "2020-01-01"}, TOKEN + 1),
        ("/tasks", {"status": "all"}, TOKEN + 1),
        ("/tasks", {"sort": "-created"}, TOKEN + 1),
        ("/tasks/my-day", {}, TOKEN + 5),
    ],
)
def test_api_lists_do_not_grow_with_rows(
    owner, many, django_assert_num_queries, path, params, queries
):
    client = api_as(owner)
    client.get("/tasks/my-day")  # the first call of a token records its use

    with django_assert_num_queries(queries):
        response = client.get(path, params | {"limit": 100} if path != "/tasks/my-day" else params)

    assert response.status_code == 200, response.content
