"""Every complaint page and endpoint for the six personas: who may, who is refused (403), who
sees nothing (404). The complaint is of the owner's contact (a manager in team Kyiv)."""

import json
from typing import Any

import pytest
from django.test import Client

from clientela.retention.complaints.services import complaint_delete, complaint_start
from conftest import client_for
from retention.complaints.conftest import make_complaint
from sales.support import api_as

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]

#          owner teammate lead outsider admin viewer
PAGES = [
    ("get", "/complaints/", [200, 200, 200, 200, 200, 200]),
    ("get", "/complaints/?status=all&overdue=1&owner=me", [200] * 6),
    ("get", "/complaints/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/complaints/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/complaints/new/?company={company}", [200, 404, 200, 404, 200, 403]),
    ("get", "/complaints/new/?deal={deal}", [200, 404, 200, 404, 200, 403]),
    ("get", "/complaints/new/?purchase={purchase}", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("get", "/complaints/{complaint}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/complaints/{complaint}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/start/", [302, 404, 302, 404, 302, 403]),
    ("get", "/complaints/{complaint}/start/", [405] * 6),
    ("post", "/complaints/{complaint}/resolve/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/close/", [302, 404, 302, 404, 302, 403]),
    ("post", "/complaints/{complaint}/reopen/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/compensation/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/compensation/link/", [302, 404, 302, 404, 302, 403]),
    ("get", "/complaints/{complaint}/delete/", [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/delete/", [302, 404, 302, 404, 302, 403]),
    ("post", "/complaints/{complaint}/restore/", [404] * 6),
    ("post", "/complaints/{trashed}/restore/", [302, 404, 404, 404, 302, 404]),
    ("get", "/complaints/{trashed}/", [404] * 6),
    ("get", "/complaints/deadlines/", [403, 403, 403, 403, 200, 403]),
    ("post", "/complaints/deadlines/", [403, 403, 403, 403, 200, 403]),
    ("get", "/complaints/999999/", [404] * 6),
]

API = [
    ("get", "/complaints", None, [200] * 6),
    ("get", "/complaints/{complaint}", None, [200, 404, 200, 404, 200, 200]),
    (
        "post",
        "/complaints",
        {"contact": "{contact}", "channel": "email", "category": "product", "description": "Х"},
        [201, 422, 201, 422, 201, 403],
    ),
    ("patch", "/complaints/{complaint}", {"severity": "low"}, [200, 404, 200, 404, 200, 403]),
    ("post", "/complaints/{complaint}/start", None, [200, 404, 200, 404, 200, 403]),
    (
        "post",
        "/complaints/{started}/resolve",
        {"resolution": "Так"},
        [200, 404, 200, 404, 200, 403],
    ),
    ("post", "/complaints/{complaint}/close", None, [422, 404, 422, 404, 422, 403]),
    ("post", "/complaints/{complaint}/reopen", {"reason": "Ні"}, [422, 404, 422, 404, 422, 403]),
    (
        "post",
        "/complaints/{complaint}/compensation",
        {"cost": "100"},
        [200, 404, 200, 404, 200, 403],
    ),
    ("delete", "/complaints/{complaint}", None, [204, 404, 204, 404, 204, 403]),
    ("post", "/complaints/{trashed}/restore", None, [200, 404, 404, 404, 200, 404]),
    ("get", "/complaints/deadlines", None, [200] * 6),
    ("patch", "/complaints/deadlines", {"low_hours": 100}, [403, 403, 403, 403, 200, 403]),
]


@pytest.fixture
def places(owner, contact, company, deal, purchase) -> dict[str, int]:
    trashed = make_complaint(owner, contact)
    complaint_delete(actor=owner, complaint=trashed)
    started = make_complaint(owner, contact)
    complaint_start(actor=owner, complaint=started)
    return {
        "contact": contact.pk,
        "company": company.pk,
        "deal": deal.pk,
        "purchase": purchase.pk,
        "complaint": make_complaint(owner, contact).pk,
        "started": started.pk,
        "trashed": trashed.pk,
    }


def _cases(table: list[tuple[Any, ...]]) -> list[Any]:
    return [
        pytest.param(*row[:-1], persona, row[-1][i], id=f"{persona}-{row[0]}-{row[1]}")
        for row in table
        for i, persona in enumerate(PERSONAS)
    ]


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(PAGES))
def test_pages(request, places, method, url, persona, expected):
    client = client_for(request.getfixturevalue(persona))
    url = url.format(**places)
    response = client.post(url) if method == "post" else client.get(url)
    assert response.status_code == expected


def _fill(template: Any, values: dict[str, int]) -> Any:
    text = json.dumps(template)
    for name, value in values.items():
        text = text.replace(f'"{{{name}}}"', str(value)).replace(f"{{{name}}}", str(value))
    return json.loads(text)


@pytest.mark.parametrize(("method", "path", "body", "persona", "expected"), _cases(API))
def test_api(request, places, method, path, body, persona, expected):
    client = api_as(request.getfixturevalue(persona))
    send = getattr(client, method)
    url = _fill(path, places)
    response = send(url) if body is None else send(url, _fill(body, places))
    assert response.status_code == expected, response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "errors"}


def test_refused_transition_names_status_in_the_api(owner, places):
    response = api_as(owner).post(f"/complaints/{places['complaint']}/close")
    body = response.json()
    assert body["errors"][0]["field"] == "status"
    assert "resolved" in body["errors"][0]["messages"][0]


def test_api_list_filters_and_pages(owner, contact, places):
    for _ in range(3):
        make_complaint(owner, contact, severity="critical")
    client = api_as(owner)
    first = client.get("/complaints", {"severity": "critical", "limit": 2}).json()
    assert len(first["items"]) == 2
    assert first["next_cursor"]
    rest = client.get(
        "/complaints", {"severity": "critical", "limit": 2, "cursor": first["next_cursor"]}
    )
    assert len(rest.json()["items"]) == 1
    assert client.get("/complaints", {"status": "bogus"}).status_code == 400


def test_anonymous_is_sent_to_login(places):
    response = Client().get("/complaints/")
    assert response.status_code == 302
    assert Client().get("/api/v1/complaints").status_code == 401
