"""A contact's company is named on its list row and page, and linked only for those who may
open the company (a company handed to another team would only answer "not found")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from clientela.accounts.models import Team, User
from clientela.contacts.models import Company
from conftest import client_for, make_company, make_contact


@pytest.fixture
def linked(owner: User) -> tuple[int, int]:
    company = make_company(owner, name="ТОВ Ромашка")
    contact = make_contact(owner, first_name="Олена", last_name="Шевченко", company=company.pk)
    return contact.pk, company.pk


def _hand_to(company_id: int, user: User, team: Team) -> None:
    Company.objects.filter(pk=company_id).update(owner=user, team=team)


def test_a_company_the_user_sees_is_linked(owner: User, linked: tuple[int, int]) -> None:
    contact_id, company_id = linked
    link = f'href="/companies/{company_id}/"'

    listed = client_for(owner).get("/contacts/").content.decode()
    page = client_for(owner).get(f"/contacts/{contact_id}/").content.decode()

    assert "ТОВ Ромашка" in listed
    assert link in listed
    assert "ТОВ Ромашка" in page
    assert link in page


def test_a_company_of_another_team_is_named_but_not_linked(
    owner: User, outsider: User, team_b: Team, linked: tuple[int, int]
) -> None:
    contact_id, company_id = linked
    _hand_to(company_id, outsider, team_b)
    link = f'href="/companies/{company_id}/"'

    listed = client_for(owner).get("/contacts/").content.decode()
    page = client_for(owner).get(f"/contacts/{contact_id}/").content.decode()

    assert "ТОВ Ромашка" in listed
    assert link not in listed
    assert "ТОВ Ромашка" in page
    assert link not in page
    assert client_for(owner).get(f"/companies/{company_id}/").status_code == 404


def test_the_list_still_costs_one_query_for_its_rows(owner: User) -> None:
    company = make_company(owner, name="ТОВ Ромашка")
    for n in range(12):
        make_contact(owner, first_name=f"К{n}", company=company.pk)
    client = client_for(owner)
    client.get("/contacts/")
    with CaptureQueriesContext(connection) as few:
        client.get("/contacts/")
    for n in range(12, 30):
        make_contact(owner, first_name=f"К{n}", company=company.pk)
    with CaptureQueriesContext(connection) as many:
        client.get("/contacts/")

    assert len(many) == len(few)
