"""Who sees what: every selector × every persona.

A contact and a company owned by `owner` (a manager in team Kyiv). Managers see their own
records, the lead and the viewer of Kyiv see the team's, the admin sees all, and a manager of
another team sees none. What a user may not see is a 404 and is absent from every list, search
and count. The trash shows only what the user may restore: its own records, or all to an admin.
"""

import pytest
from django.http import Http404

from clientela.accounts.models import Role, Scope, User
from clientela.contacts.models import Company, Contact
from clientela.contacts.selectors import (
    CONTACT_SORTS,
    company_contacts,
    company_count,
    company_get,
    company_list,
    contact_count,
    contact_get,
    contact_list,
    list_filters_clean,
    search_everything,
    trash_companies,
    trash_contacts,
    trashed_company_get,
    trashed_contact_get,
)
from clientela.contacts.services import company_delete, contact_delete
from clientela.web.selectors import dashboard_counts
from conftest import make_company, make_contact

PERSONAS = ["owner", "teammate", "lead", "outsider", "admin", "viewer"]
SEES = {
    "owner": True,
    "teammate": False,
    "lead": True,
    "outsider": False,
    "admin": True,
    "viewer": True,
}
RESTORES = {"owner": True, "admin": True}

MATRIX = [(persona, SEES[persona]) for persona in PERSONAS]
TRASH_MATRIX = [(persona, RESTORES.get(persona, False)) for persona in PERSONAS]


@pytest.fixture
def records(owner: User, contact: Contact, company: Company) -> tuple[Contact, Company]:
    contact.company = company
    contact.save(update_fields=["company"])
    return contact, company


def _user(request: pytest.FixtureRequest, persona: str) -> User:
    user: User = request.getfixturevalue(persona)
    return user


def _filters(user: User, **params: str):  # type: ignore[no-untyped-def]
    return list_filters_clean(user, params, sorts=CONTACT_SORTS)


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_contact_get(request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool):
    contact, _company = records
    user = _user(request, persona)

    if sees:
        assert contact_get(user, contact.pk) == contact
    else:
        with pytest.raises(Http404):
            contact_get(user, contact.pk)


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_company_get(request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool):
    _contact, company = records
    user = _user(request, persona)

    if sees:
        assert company_get(user, company.pk) == company
    else:
        with pytest.raises(Http404):
            company_get(user, company.pk)


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_contact_list(request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool):
    contact, _company = records
    user = _user(request, persona)

    items = contact_list(user, _filters(user)).items

    assert [c.pk for c in items] == ([contact.pk] if sees else [])


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_company_list(request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool):
    _contact, company = records
    user = _user(request, persona)

    items = company_list(user, _filters(user)).items

    assert [c.pk for c in items] == ([company.pk] if sees else [])


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_contact_list_filtered_by_the_hidden_owner_or_company_stays_empty(
    request: pytest.FixtureRequest, records: tuple, owner: User, persona: str, sees: bool
) -> None:
    contact, company = records
    user = _user(request, persona)

    by_owner = contact_list(user, _filters(user, owner=str(owner.pk))).items
    by_company = contact_list(user, _filters(user, company=str(company.pk))).items

    assert [c.pk for c in by_owner] == ([contact.pk] if sees else [])
    assert [c.pk for c in by_company] == ([contact.pk] if sees else [])


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_search_everything(
    request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool
) -> None:
    contact, company = records
    user = _user(request, persona)

    by_name = search_everything(user, "Shevchenko")
    by_phone = search_everything(user, "067 123 45 67")
    by_company = search_everything(user, "Romashka")

    assert [c.pk for c in by_name.contacts] == ([contact.pk] if sees else [])
    assert [c.pk for c in by_phone.contacts] == ([contact.pk] if sees else [])
    assert [c.pk for c in by_company.companies] == ([company.pk] if sees else [])
    assert by_name.total == (1 if sees else 0)


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_counts(request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool):
    user = _user(request, persona)

    assert contact_count(user, _filters(user)) == ((1, False) if sees else (0, False))
    assert company_count(user, _filters(user)) == ((1, False) if sees else (0, False))
    assert contact_count(user, _filters(user, q="olena")) == ((1, False) if sees else (0, False))
    home = dashboard_counts(user)
    assert home["contacts"] == home["companies"] == home["leads"] == (int(sees), False)


@pytest.mark.parametrize(("persona", "sees"), MATRIX)
def test_company_contacts(
    request: pytest.FixtureRequest, records: tuple, persona: str, sees: bool
) -> None:
    contact, company = records
    user = _user(request, persona)

    assert [c.pk for c in company_contacts(user, company)] == ([contact.pk] if sees else [])


@pytest.mark.parametrize(("persona", "restores"), TRASH_MATRIX)
def test_trash(
    request: pytest.FixtureRequest, records: tuple, owner: User, persona: str, restores: bool
) -> None:
    # given
    contact, company = records
    contact_delete(actor=owner, contact=contact)
    company_delete(actor=owner, company=company)
    user = _user(request, persona)

    # then
    assert [c.pk for c in trash_contacts(user)] == ([contact.pk] if restores else [])
    assert [c.pk for c in trash_companies(user)] == ([company.pk] if restores else [])
    if restores:
        assert trashed_contact_get(user, contact.pk) == contact
        assert trashed_company_get(user, company.pk) == company
    else:
        with pytest.raises(Http404):
            trashed_contact_get(user, contact.pk)
        with pytest.raises(Http404):
            trashed_company_get(user, company.pk)


@pytest.mark.parametrize("persona", PERSONAS)
def test_trashed_records_are_gone_from_every_read(
    request: pytest.FixtureRequest, records: tuple, owner: User, persona: str
) -> None:
    # given
    contact, company = records
    contact_delete(actor=owner, contact=contact)
    company_delete(actor=owner, company=company)
    user = _user(request, persona)

    # then
    with pytest.raises(Http404):
        contact_get(user, contact.pk)
    with pytest.raises(Http404):
        company_get(user, company.pk)
    assert contact_list(user, _filters(user)).items == []
    assert company_list(user, _filters(user)).items == []
    assert contact_count(user, _filters(user)) == (0, False)
    assert search_everything(user, "Shevchenko").total == 0


@pytest.mark.parametrize("pk", ["abc", "", None, "1.5", "99999999999999999999999"])
def test_a_malformed_or_missing_id_is_a_404(owner: User, pk: object) -> None:
    with pytest.raises(Http404):
        contact_get(owner, pk)
    with pytest.raises(Http404):
        company_get(owner, pk)
    with pytest.raises(Http404):
        trashed_contact_get(owner, pk)


def test_a_live_record_is_not_in_the_trash(owner: User, contact: Contact) -> None:
    with pytest.raises(Http404):
        trashed_contact_get(owner, contact.pk)


def test_inactive_user_sees_nothing(admin: User, contact: Contact) -> None:
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    assert contact_list(admin, _filters(admin)).items == []
    assert search_everything(admin, "Shevchenko").total == 0
    with pytest.raises(Http404):
        contact_get(admin, contact.pk)


def test_a_manager_given_team_scope_sees_the_team(teammate: User, contact: Contact) -> None:
    teammate.scope = Scope.TEAM
    teammate.save(update_fields=["scope"])

    assert contact_get(teammate, contact.pk) == contact


def test_a_lead_given_own_scope_sees_only_its_own(lead: User, contact: Contact) -> None:
    lead.scope = Scope.OWN
    lead.save(update_fields=["scope"])

    with pytest.raises(Http404):
        contact_get(lead, contact.pk)
    assert contact_list(lead, _filters(lead)).items == []


def test_a_lead_without_a_team_sees_only_its_own(lead: User, contact: Contact) -> None:
    lead.team = None
    lead.save(update_fields=["team"])
    own = make_contact(lead)

    assert [c.pk for c in contact_list(lead, _filters(lead)).items] == [own.pk]


def test_moving_to_another_team_moves_what_a_lead_sees(
    lead: User, team_b: object, outsider: User, contact: Contact
) -> None:
    theirs = make_contact(outsider)
    lead.team = team_b  # type: ignore[assignment]
    lead.save(update_fields=["team"])

    assert [c.pk for c in contact_list(lead, _filters(lead)).items] == [theirs.pk]


def test_admin_role_sees_records_of_every_team(admin: User, owner: User, outsider: User):
    mine, theirs = make_contact(owner), make_contact(outsider)
    companies = {make_company(owner).pk, make_company(outsider).pk}

    assert {c.pk for c in contact_list(admin, _filters(admin)).items} == {mine.pk, theirs.pk}
    assert {c.pk for c in company_list(admin, _filters(admin)).items} == companies
    assert admin.role == Role.ADMIN
