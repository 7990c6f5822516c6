"""The activities and tasks API for every persona: who may, who is refused (403), who sees
nothing (404). The records are the owner's (a manager in team Kyiv); see tests/api."""

import json
from typing import Any

import pytest

from activities.support import make_call, make_task
from clientela.activities.services import activity_delete, task_delete
from sales.support import api_as

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]
SEES = dict(zip(PERSONAS, [True, False, True, False, True, True], strict=True))

#        owner teammate lead outsider admin viewer
ALL_OK = [200, 200, 200, 200, 200, 200]
READ_ONE = [200, 404, 200, 404, 200, 200]
LOG = [201, 422, 201, 422, 201, 403]  # the client must be visible to whoever logs
ADD_TASK = [201, 201, 201, 201, 201, 403]
CHANGE = [200, 404, 200, 404, 200, 403]
DELETE = [204, 404, 204, 404, 204, 403]
RESTORE = [200, 404, 404, 404, 200, 404]

MATRIX: list[tuple[str, str, Any, list[int]]] = [
    ("get", "/activities", None, ALL_OK),
    ("get", "/activities/{call}", None, READ_ONE),
    ("post", "/activities", {"kind": "note", "contact": "{contact}"}, LOG),
    ("patch", "/activities/{call}", {"subject": "Про знижку"}, CHANGE),
    ("delete", "/activities/{call}", None, DELETE),
    ("post", "/activities/{trashed_call}/restore", None, RESTORE),
    ("get", "/tasks", None, ALL_OK),
    ("get", "/tasks/my-day", None, ALL_OK),
    ("get", "/tasks/{task}", None, READ_ONE),
    ("post", "/tasks", {"title": "Подзвонити", "due_date": "2026-01-10"}, ADD_TASK),
    ("patch", "/tasks/{task}", {"urgent": True}, CHANGE),
    ("post", "/tasks/{task}/complete", None, CHANGE),
    ("post", "/tasks/{task}/reopen", None, CHANGE),
    ("delete", "/tasks/{task}", None, DELETE),
    ("post", "/tasks/{trashed_task}/restore", None, RESTORE),
]


@pytest.fixture
def places(owner, contact):
    trashed_call = make_call(owner, contact, subject="Стара")
    activity_delete(actor=owner, activity=trashed_call)
    trashed_task = make_task(owner, title="Стара")
    task_delete(actor=owner, task=trashed_task)
    return {
        "contact": contact.pk,
        "call": make_call(owner, contact).pk,
        "trashed_call": trashed_call.pk,
        "task": make_task(owner, contact=contact).pk,
        "trashed_task": trashed_task.pk,
    }


def _fill(template: Any, values: dict[str, int]) -> Any:
    text = json.dumps(template)
    for name, value in values.items():
        text = text.replace(f'"{{{name}}}"', str(value)).replace(f"{{{name}}}", str(value))
    return json.loads(text)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"), MATRIX, ids=[f"{m} {p}" for m, p, _b, _e in MATRIX]
)
def test_access(request, places, persona, method, path, body, expected):
    client = api_as(request.getfixturevalue(persona))

    send = getattr(client, method)
    url = _fill(path, places)
    response = send(url) if body is None else send(url, _fill(body, places))

    assert response.status_code == expected[PERSONAS.index(persona)], response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "errors"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_show_only_what_the_persona_sees(request, places, persona):
    client = api_as(request.getfixturevalue(persona))

    activities = [a["id"] for a in client.get("/activities").json()["items"]]
    tasks = [t["id"] for t in client.get("/tasks").json()["items"]]

    assert (places["call"] in activities) is SEES[persona]
    assert (places["task"] in tasks) is SEES[persona]
    assert places["trashed_call"] not in activities
    assert places["trashed_task"] not in tasks


def test_my_day_is_the_callers_own(owner, lead, places):
    mine = api_as(owner).get("/tasks/my-day").json()
    leads = api_as(lead).get("/tasks/my-day").json()

    assert [t["id"] for t in mine["due_today"]] == [places["task"]]
    assert [c["id"] for c in mine["calls_today"]] == [places["call"]]
    assert leads["due_today"] == leads["calls_today"] == []


def test_no_token_answers_401(client):
    assert client.get("/api/v1/activities").status_code == 401
    assert client.get("/api/v1/tasks/my-day").status_code == 401
