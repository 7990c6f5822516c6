"""Every survey page and endpoint for every persona: who gets it, who is refused (403), who
sees nothing (404). The contact and its survey belong to `owner` (manager, team Kyiv)."""

from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyRequest
from clientela.retention.surveys.services import survey_answer
from conftest import client_for
from retention.surveys.support import send

pytestmark = pytest.mark.django_db

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]

# (method, url, expected per persona in PERSONAS order)
TABLE = [
    ("get", "/surveys/", [200, 200, 200, 200, 200, 200]),
    ("get", "/contacts/{contact}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/surveys/new/?contact={contact}", [200, 404, 200, 404, 200, 403]),
    ("post", "/surveys/new/?contact={contact}", [400, 404, 400, 404, 400, 403]),
    ("post", "/surveys/contacts/{contact}/opt-out/", [302, 404, 302, 404, 302, 403]),
    ("get", "/surveys/contacts/{contact}/opt-out/", [405, 405, 405, 405, 405, 405]),
    ("get", "/surveys/policy/", [403, 403, 403, 403, 200, 403]),
    ("post", "/surveys/policy/", [403, 403, 403, 403, 400, 403]),
    ("get", "/api/v1/surveys/answers", [200, 200, 200, 200, 200, 200]),
    ("get", "/api/v1/surveys/results", [200, 200, 200, 200, 200, 200]),
]


@pytest.mark.parametrize(
    ("method", "url", "persona", "expected"),
    [
        pytest.param(m, u, p, e[i], id=f"{p}-{m}-{u}")
        for m, u, e in TABLE
        for i, p in enumerate(PERSONAS)
    ],
)
def test_pages(request: Any, contact: Contact, method: str, url: str, persona: str, expected: int):
    user: User = request.getfixturevalue(persona)
    client = client_for(user)
    address = url.format(contact=contact.pk)
    # an empty POST to the form: cool-down free, but no kind chosen → the form again (400)
    response = client.post(address) if method == "post" else client.get(address)
    assert response.status_code == expected


@pytest.mark.parametrize(
    ("persona", "expected"),
    list(zip(PERSONAS, [201, 422, 201, 422, 201, 403], strict=True)),
)
def test_api_create(request: Any, contact: Contact, persona: str, expected: int):
    user: User = request.getfixturevalue(persona)
    response = client_for(user).post(
        "/api/v1/surveys/requests",
        {"contact": contact.pk, "kind": "nps"},
        content_type="application/json",
    )
    assert response.status_code == expected, response.content
    assert SurveyRequest.objects.exists() is (expected == 201)


def test_the_answers_each_persona_sees(request: Any, contact: Contact):
    _request, raw = send(contact)
    survey_answer(raw_token=raw, score=4, comment="slow")
    seen = {}
    for persona in PERSONAS:
        user: User = request.getfixturevalue(persona)
        rows = client_for(user).get("/api/v1/surveys/answers").json()
        seen[persona] = len(rows)
        page = client_for(user).get("/surveys/")
        seen[persona + "-page"] = page.content.decode().count(">slow<")
    assert seen == {
        "owner": 1,
        "teammate": 0,
        "lead": 1,
        "outsider": 0,
        "admin": 1,
        "viewer": 1,
        "owner-page": 1,
        "teammate-page": 0,
        "lead-page": 1,
        "outsider-page": 0,
        "admin-page": 1,
        "viewer-page": 1,
    }


def test_the_timeline_shows_the_survey_and_the_answer(
    owner: User, outsider: User, contact: Contact
):
    _request, raw = send(contact)
    survey_answer(raw_token=raw, score=3, comment="Не задоволена")
    page = client_for(owner).get(f"/contacts/{contact.pk}/timeline/")
    if page.status_code == 404:
        page = client_for(owner).get(f"/contacts/{contact.pk}/")
    html = page.content.decode()
    assert "tl-survey_sent" in html
    assert "tl-survey_answered" in html
    assert "Не задоволена" in html
