"""Every page for every persona: who gets the page, who is refused (403), who sees nothing (404).

The records belong to `owner` (a manager in team Kyiv). `teammate` is a manager of the same team
(managers see their own records only), `lead` leads the team, `outsider` is in another team,
`admin` sees everything and `viewer` reads the team's records without changing them.
"""

from typing import Any

import pytest
from django.test import Client

from clientela.contacts.services import company_delete, contact_delete
from conftest import client_for, make_company, make_contact

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]


def _status(client: Client, method: str, url: str) -> int:
    response = client.post(url) if method == "post" else client.get(url)
    return response.status_code


# (method, url template, expected status per persona in PERSONAS order)
OPEN_PAGES = [
    ("get", "/contacts/", [200, 200, 200, 200, 200, 200]),
    ("get", "/companies/", [200, 200, 200, 200, 200, 200]),
    ("get", "/search/?q=Шевченко", [200, 200, 200, 200, 200, 200]),
    ("get", "/trash/", [200, 200, 200, 200, 200, 200]),
    ("get", "/settings/", [200, 200, 200, 200, 200, 200]),
    ("get", "/contacts/new/", [200, 200, 200, 200, 200, 403]),
    ("get", "/companies/new/", [200, 200, 200, 200, 200, 403]),
    ("post", "/contacts/bulk/", [302, 302, 302, 302, 302, 403]),
    ("post", "/companies/bulk/", [302, 302, 302, 302, 302, 403]),
    ("get", "/companies/suggest/?company=Ромашка", [200, 200, 200, 200, 200, 200]),
]

RECORD_PAGES = [
    ("get", "/contacts/{contact}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/contacts/{contact}/history/", [200, 404, 200, 404, 200, 200]),
    ("get", "/contacts/{contact}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/contacts/{contact}/edit/", [200, 404, 200, 404, 200, 403]),
    ("get", "/contacts/{contact}/delete/", [200, 404, 200, 404, 200, 403]),
    ("get", "/companies/{company}/", [200, 404, 200, 404, 200, 200]),
    ("get", "/companies/{company}/history/", [200, 404, 200, 404, 200, 200]),
    ("get", "/companies/{company}/edit/", [200, 404, 200, 404, 200, 403]),
    ("post", "/companies/{company}/edit/", [200, 404, 200, 404, 200, 403]),
    ("get", "/companies/{company}/delete/", [200, 404, 200, 404, 200, 403]),
    # A live record is not in the trash: restoring it is "not found" for everyone.
    ("post", "/contacts/{contact}/restore/", [404, 404, 404, 404, 404, 404]),
]


def _cases(table: list[tuple[str, str, list[int]]]) -> list[Any]:
    return [
        pytest.param(method, url, persona, expected[i], id=f"{persona}-{method}-{url}")
        for method, url, expected in table
        for i, persona in enumerate(PERSONAS)
    ]


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(OPEN_PAGES))
def test_open_pages(
    request: pytest.FixtureRequest, contact, company, method, url, persona, expected
):
    user = request.getfixturevalue(persona)
    assert _status(client_for(user), method, url) == expected


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(RECORD_PAGES))
def test_record_pages(
    request: pytest.FixtureRequest, contact, company, method, url, persona, expected
):
    user = request.getfixturevalue(persona)
    address = url.format(contact=contact.pk, company=company.pk)
    assert _status(client_for(user), method, address) == expected


TRASHED_PAGES = [
    ("post", "/contacts/{contact}/restore/", [302, 404, 404, 404, 302, 404]),
    ("post", "/companies/{company}/restore/", [302, 404, 404, 404, 302, 404]),
    # In the trash a record is gone from every everyday page, even for its owner.
    ("get", "/contacts/{contact}/", [404, 404, 404, 404, 404, 404]),
    ("get", "/contacts/{contact}/history/", [404, 404, 404, 404, 404, 404]),
    ("get", "/contacts/{contact}/edit/", [404, 404, 404, 404, 404, 404]),
    ("post", "/contacts/{contact}/delete/", [404, 404, 404, 404, 404, 404]),
    ("get", "/companies/{company}/", [404, 404, 404, 404, 404, 404]),
]


@pytest.mark.parametrize(("method", "url", "persona", "expected"), _cases(TRASHED_PAGES))
def test_trashed_record_pages(
    request: pytest.FixtureRequest, owner, method, url, persona, expected
):
    contact = make_contact(owner)
    company = make_company(owner)
    contact_delete(actor=owner, contact=contact)
    company_delete(actor=owner, company=company)
    user = request.getfixturevalue(persona)
    address = url.format(contact=contact.pk, company=company.pk)
    assert _status(client_for(user), method, address) == expected


@pytest.mark.parametrize(
    "url",
    [
        "/contacts/",
        "/contacts/new/",
        "/contacts/1/",
        "/contacts/1/history/",
        "/companies/",
        "/companies/1/",
        "/search/?q=olena",
        "/trash/",
        "/settings/",
    ],
)
def test_anonymous_is_sent_to_login(db, url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_viewer_sees_no_change_buttons(viewer, contact, company):
    client = client_for(viewer)
    pages = [
        "/contacts/",
        f"/contacts/{contact.pk}/",
        "/companies/",
        f"/companies/{company.pk}/",
    ]
    for page in pages:
        html = client.get(page).content.decode()
        assert "/new/" not in html, page
        assert "/edit/" not in html, page
        assert "/delete/" not in html, page
        assert 'name="ids"' not in html, page


def test_writer_sees_change_buttons(owner, contact):
    html = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    assert f"/contacts/{contact.pk}/edit/" in html
    assert f"/contacts/{contact.pk}/delete/" in html


def test_viewer_cannot_delete_by_posting(viewer, contact):
    response = client_for(viewer).post(f"/contacts/{contact.pk}/delete/")
    assert response.status_code == 403
    contact.refresh_from_db()
    assert contact.deleted_at is None


def test_outsider_search_finds_nothing_of_others(outsider, contact):
    html = client_for(outsider).get("/search/", {"q": "Shevchenko"}).content.decode()
    assert f"/contacts/{contact.pk}/" not in html


def test_outsider_list_does_not_show_others(outsider, contact):
    html = client_for(outsider).get("/contacts/").content.decode()
    assert "Шевченко" not in html
