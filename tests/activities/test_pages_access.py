"""Every My day, task and activity page for every persona: who gets it, who is refused (403),
who sees nothing (404).

The contact, its task and its call belong to `owner` (a manager in team Kyiv). `teammate` is a
manager of the same team (managers see their own records only), `lead` leads the team,
`outsider` is in another team, `admin` sees everything and `viewer` reads the team's records
without changing them.
"""

from typing import Any

import pytest
from django.test import Client

from activities.page_support import PERSONAS, english_pages  # noqa: F401
from activities.support import make_call, make_task
from clientela.activities.models import Activity, Task
from clientela.activities.services import activity_delete, task_delete
from conftest import client_for


def _status(client: Client, method: str, url: str) -> int:
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code


def _cases(table: list[tuple[str, str, list[int]]]) -> list[Any]:
    return [
        pytest.param(method, url, persona, expected[i], id=f"{persona}-{method}-{url}")
        for method, url, expected in table
        for i, persona in enumerate(PERSONAS)
    ]


# (method, url template, expected status per persona in PERSONAS order)
OPEN_PAGES = [
    ("get", "/my-day/", [200, 200, 200, 200, 200, 200]),
    ("post", "/my-day/", [405, 405, 405, 405, 405, 405]),
    ("get", "/tasks/", [200, 200, 200, 200, 200, 200]),
    ("get", "/tasks/?status=done&sort=-due", [200, 200, 200, 200, 200, 200]),
    ("get", "/activities/", [200, 200, 200, 200, 200, 200]),
    ("get", "/activities/?kind=call&user=me", [200, 200, 200, 200, 200, 200]),
    ("get", "/activities/clients/?client=Шев", [200, 200, 200, 200, 200, 200]),
    ("get", "/tasks/new/", [200, 200, 200, 200, 200, 403]),
    # An empty form is answered with the form and its errors; a viewer is refused.
    ("post", "/tasks/new/", [200, 200, 200, 200, 200, 403]),
    ("post", "/tasks/quick/", [200, 200, 200, 200, 200, 403]),
    ("get", "/tasks/quick/", [405, 405, 405, 405, 405, 405]),
    ("get", "/activities/call/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/activities/meeting/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/activities/email/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/activities/note/new/", [200, 200, 200, 200, 200, 403]),
    ("post", "/activities/call/new/", [200, 200, 200, 200, 200, 403]),
    ("post", "/activities/note/new/", [200, 200, 200, 200, 200, 403]),
]

RECORD_PAGES = [
    ("get", "/activities/call/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("post", "/activities/call/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/activities/meeting/new/?company={company}", [200, 404, 200, 404, 200, 403]),
    ("get", "/activities/email/new/?deal={deal}", [200, 404, 200, 404, 200, 403]),
    ("get", "/activities/note/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/tasks/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/tasks/new/?deal={deal}", [200, 404, 200, 404, 200, 403]),
    ("get", "/tasks/?contact={contact}", [200, 200, 200, 200, 200, 200]),
    ("get", "/activities/?contact={contact}", [200, 200, 200, 200, 200, 200]),
    ("get", "/tasks/{task}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/tasks/{task}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/tasks/{task}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/tasks/{task}/done/", [302, 404, 302, 404, 302, 403]),
    ("get", "/tasks/{task}/done/", [405, 405, 405, 405, 405, 405]),
    ("post", "/tasks/{task}/reopen/", [302, 404, 302, 404, 302, 403]),
    ("get", "/tasks/{task}/delete/", [200, 404, 200, 404, 200, 403]),
    ("post", "/tasks/{task}/delete/", [302, 404, 302, 404, 302, 403]),
    # A live record is not in the trash: restoring it is "not found" for everyone.
    ("post", "/tasks/{task}/restore/", [404, 404, 404, 404, 404, 404]),
    ("get", "/activities/{call}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/activities/{call}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/activities/{call}/edit/", [200, 404, 200, 404, 200, 403]),
    ("get", "/activities/{call}/delete/", [200, 404, 200, 404, 200, 403]),
    ("post", "/activities/{call}/delete/", [302, 404, 302, 404, 302, 403]),
    ("post", "/activities/{call}/restore/", [404, 404, 404, 404, 404, 404]),
    ("get", "/tasks/999999/", [404, 404, 404, 404, 404, 404]),
    ("get", "/activities/999999/", [404, 404, 404, 404, 404, 404]),
]

# Once in the trash: the assignee (a task) or the client's owner and the caller (a call) and
# an administrator see it and may restore it; nobody else learns it exists.
TRASHED_PAGES = [
    ("get", "/tasks/{task}/", [200, 404, 404, 404, 200, 404]),
    ("post", "/tasks/{task}/restore/", [302, 404, 404, 404, 302, 404]),
    ("get", "/tasks/{task}/edit/", [404, 404, 404, 404, 404, 404]),
    ("post", "/tasks/{task}/done/", [404, 404, 404, 404, 404, 404]),
    ("get", "/activities/{call}/", [200, 404, 404, 404, 200, 404]),
    ("post", "/activities/{call}/restore/", [302, 404, 404, 404, 302, 404]),
    ("get", "/activities/{call}/edit/", [404, 404, 404, 404, 404, 404]),
]


@pytest.fixture
def records(owner, contact, company, deal) -> dict[str, int]:
    task = make_task(owner, contact=contact, deal=deal)
    call = make_call(owner, contact)
    return {
        "contact": contact.pk,
        "company": company.pk,
        "deal": deal.pk,
        "task": task.pk,
        "call": call.pk,
    }


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(OPEN_PAGES))
def test_open_pages(request: pytest.FixtureRequest, records, method, url, persona, expected):
    user = request.getfixturevalue(persona)
    assert _status(client_for(user), method, url) == expected


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(RECORD_PAGES))
def test_record_pages(request: pytest.FixtureRequest, records, method, url, persona, expected):
    user = request.getfixturevalue(persona)
    assert _status(client_for(user), method, url.format(**records)) == expected


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(TRASHED_PAGES))
def test_trashed_pages(
    request: pytest.FixtureRequest, owner, records, method, url, persona, expected
):
    task_delete(actor=owner, task=Task.objects.get(pk=records["task"]))
    activity_delete(actor=owner, activity=Activity.objects.get(pk=records["call"]))
    user = request.getfixturevalue(persona)
    assert _status(client_for(user), method, url.format(**records)) == expected


def test_anonymous_is_sent_to_login(records):
    for url in ("/my-day/", "/tasks/", "/activities/", "/activities/call/new/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_viewer_sees_no_write_buttons(viewer, owner, contact, records):
    client = client_for(viewer)
    for url in ("/my-day/", "/tasks/", f"/tasks/{records['task']}/", "/activities/"):
        page = client.get(url).content.decode()
        assert "/done/" not in page
        assert "/edit/" not in page
        assert "Add a task" not in page
        assert "/activities/call/new/" not in page
    detail = client.get(f"/activities/{records['call']}/").content.decode()
    assert "/delete/" not in detail
    assert "/edit/" not in detail
    contact_page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert "Log a call" not in contact_page
