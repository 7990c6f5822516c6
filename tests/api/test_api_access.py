"""Every endpoint for every persona: who may, who is refused (403), who sees nothing (404).

The records belong to `owner`, a manager in team Kyiv. Managers see their own records
(`teammate` sees none of the owner's), `lead` and `viewer` see the team's, `outsider` is in
another team, `admin` sees all. Viewers read and never write. Restoring from the trash is for
the owner or an administrator; a token is revoked only by the user it belongs to.
"""

import json
from typing import Any

import pytest
from api_support import api_as

from clientela.accounts.services import api_token_create
from clientela.contacts.services import company_delete, contact_delete
from conftest import make_company, make_contact

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]
SEES = dict(zip(PERSONAS, [True, False, True, False, True, True], strict=True))

#        owner teammate lead outsider admin viewer
ALL_OK = [200, 200, 200, 200, 200, 200]
READ_ONE = [200, 404, 200, 404, 200, 200]
CREATE = [201, 201, 201, 201, 201, 403]
CHANGE = [200, 404, 200, 404, 200, 403]
DELETE = [204, 404, 204, 404, 204, 403]
RESTORE = [200, 404, 404, 404, 200, 404]
BULK = [200, 200, 200, 200, 200, 403]

# (method, path, body, expected status per persona); {contact}, {company}, {trashed_contact},
# {trashed_company}, {token} (the owner's) and {me} (the caller) are filled in per test.
MATRIX: list[tuple[str, str, Any, list[int]]] = [
    ("get", "/contacts", None, ALL_OK),
    ("get", "/contacts/{contact}", None, READ_ONE),
    ("post", "/contacts", {"first_name": "Нова"}, CREATE),
    ("patch", "/contacts/{contact}", {"job_title": "CEO"}, CHANGE),
    ("delete", "/contacts/{contact}", None, DELETE),
    ("post", "/contacts/{trashed_contact}/restore", None, RESTORE),
    ("post", "/contacts/bulk/tag", {"ids": ["{contact}"], "add": ["x"]}, BULK),
    ("post", "/contacts/bulk/reassign", {"ids": ["{contact}"], "owner": "{me}"}, BULK),
    ("get", "/companies", None, ALL_OK),
    ("get", "/companies/{company}", None, READ_ONE),
    ("post", "/companies", {"name": "Нова"}, CREATE),
    ("patch", "/companies/{company}", {"industry": "IT"}, CHANGE),
    ("delete", "/companies/{company}", None, DELETE),
    ("post", "/companies/{trashed_company}/restore", None, RESTORE),
    ("post", "/companies/bulk/tag", {"ids": ["{company}"], "add": ["x"]}, BULK),
    ("post", "/companies/bulk/reassign", {"ids": ["{company}"], "owner": "{me}"}, BULK),
    ("get", "/tags", None, ALL_OK),
    ("get", "/search?q=Shevchenko", None, ALL_OK),
    ("get", "/tokens", None, ALL_OK),
    ("post", "/tokens", {"name": "script"}, [201] * 6),
    ("delete", "/tokens/{token}", None, [204, 404, 404, 404, 404, 404]),
]


@pytest.fixture
def places(owner):
    """The owner's records and token, by the names the matrix uses."""
    trashed_contact = make_contact(owner, first_name="Стара")
    contact_delete(actor=owner, contact=trashed_contact)
    trashed_company = make_company(owner, name="Стара фірма")
    company_delete(actor=owner, company=trashed_company)
    token, _raw = api_token_create(user=owner, name="owner's")
    return {
        "contact": make_contact(owner, phones=["067 123 45 67"]).pk,
        "company": make_company(owner).pk,
        "trashed_contact": trashed_contact.pk,
        "trashed_company": trashed_company.pk,
        "token": token.pk,
    }


def _fill(template: Any, values: dict[str, int]) -> Any:
    """The template with every "{name}" replaced; a whole "{name}" string becomes the number."""
    text = json.dumps(template)
    for name, value in values.items():
        text = text.replace(f'"{{{name}}}"', str(value)).replace(f"{{{name}}}", str(value))
    return json.loads(text)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(
    ("method", "path", "body", "expected"),
    MATRIX,
    ids=[f"{m} {p}" for m, p, _b, _e in MATRIX],
)
def test_access(request, places, persona, method, path, body, expected):
    # given
    user = request.getfixturevalue(persona)
    values = {**places, "me": user.pk}
    client = api_as(user)
    # when
    send = getattr(client, method)
    url = _fill(path, values)
    response = (
        send(url) if method in ("get", "delete") or body is None else send(url, _fill(body, values))
    )
    # then
    assert response.status_code == expected[PERSONAS.index(persona)], response.content
    if response.status_code >= 400:
        assert set(response.json()) == {"detail", "errors"}
    if "/bulk/" in path and response.status_code == 200:
        assert response.json() == {"count": int(SEES[persona])}


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_and_search_show_only_what_the_persona_sees(request, places, persona):
    client = api_as(request.getfixturevalue(persona))

    contacts = [c["id"] for c in client.get("/contacts").json()["items"]]
    companies = [c["id"] for c in client.get("/companies").json()["items"]]
    found = client.get("/search", {"q": "Shevchenko"}).json()["contacts"]
    by_phone = client.get("/search", {"q": "067 123 45 67"}).json()["contacts"]

    sees = SEES[persona]
    assert (places["contact"] in contacts) is sees
    assert (places["company"] in companies) is sees
    assert (places["contact"] in [c["id"] for c in found]) is sees
    assert (places["contact"] in [c["id"] for c in by_phone]) is sees
    assert places["trashed_contact"] not in contacts


@pytest.mark.parametrize("persona", ["teammate", "outsider"])
def test_filters_do_not_reveal_invisible_records(request, places, owner, persona):
    client = api_as(request.getfixturevalue(persona))

    for params in ({"owner": owner.pk}, {"company": places["company"]}, {"q": "Олена"}):
        response = client.get("/contacts", params)
        assert response.status_code == 200
        assert response.json()["items"] == []
