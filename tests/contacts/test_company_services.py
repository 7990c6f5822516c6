"""Writing companies through the services."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from clientela.accounts.models import User
from clientela.contacts.models import Channel, Company, CompanySearchTerm
from clientela.contacts.services import (
    companies_bulk_reassign,
    companies_bulk_tag,
    company_create,
    company_delete,
    company_restore,
    company_update,
)
from clientela.core.errors import EditConflict
from conftest import make_company


def _channels(company: Company) -> list[tuple[str, str]]:
    return list(
        Channel.objects.filter(company=company)
        .order_by("kind", "position")
        .values_list("kind", "value")
    )


def test_create_stores_company_with_channels_tags_and_terms(owner: User) -> None:
    company = company_create(
        actor=owner,
        data={
            "name": " ТОВ «Ромашка» ",
            "legal_id": "12345678",
            "industry": "Агро",
            "website": "https://romashka.example",
            "phones": ["(044) 123-45-67"],
            "emails": ["Office@Romashka.Example"],
            "tags": ["опт"],
        },
    )

    stored = Company.objects.get(pk=company.pk)
    assert stored.name == "ТОВ «Ромашка»"
    assert stored.sort_name == "тов «ромашка»"
    assert stored.owner == owner
    assert _channels(stored) == [("email", "office@romashka.example"), ("phone", "+380441234567")]
    assert (stored.primary_phone, stored.primary_email) == (
        "+380441234567",
        "office@romashka.example",
    )
    assert list(stored.tags.values_list("name", flat=True)) == ["опт"]
    terms = set(CompanySearchTerm.objects.filter(company=stored).values_list("term", flat=True))
    assert {"tov", "romaska", "12345678", "0441234567", "office"} <= terms


@pytest.mark.parametrize(
    ("data", "field"),
    [
        pytest.param({"name": ""}, "name", id="no-name"),
        pytest.param({"website": "not a url"}, "website", id="bad-website"),
        pytest.param({"phones": ["123"]}, "phones", id="bad-phone"),
        pytest.param({"emails": ["office@"]}, "emails", id="bad-email"),
        pytest.param({"legal_id": "1" * 41}, "legal_id", id="legal-id-too-long"),
        pytest.param({"custom": {"nope": "x"}}, "custom.nope", id="unknown-custom-field"),
    ],
)
def test_bad_company_input_names_the_field_and_saves_nothing(
    owner: User, counts: Any, data: dict[str, Any], field: str
) -> None:
    before = counts()

    with pytest.raises(ValidationError) as caught:
        company_create(actor=owner, data={"name": "ТОВ Ромашка", "tags": ["new"], **data})

    assert field in caught.value.message_dict
    assert counts() == before


def test_update_changes_the_company(owner: User, company: Company) -> None:
    company_update(actor=owner, company=company, data={"name": "ТОВ Волошка", "phones": []})

    stored = Company.objects.get(pk=company.pk)
    assert stored.name == "ТОВ Волошка"
    assert stored.sort_name == "тов волошка"
    assert stored.primary_phone == ""
    assert _channels(stored) == [("email", "office@romashka.example")]


def test_stale_company_edit_is_a_conflict(owner: User, company: Company) -> None:
    loaded_at = company.updated_at
    company_update(actor=owner, company=company, data={"industry": "IT"})

    with pytest.raises(EditConflict):
        company_update(
            actor=owner, company=company, data={"industry": "Агро"}, expected_updated_at=loaded_at
        )

    assert Company.objects.get(pk=company.pk).industry == "IT"


def test_viewer_cannot_create_a_company(viewer: User, counts: Any) -> None:
    before = counts()

    with pytest.raises(PermissionDenied):
        company_create(actor=viewer, data={"name": "ТОВ Ромашка"})

    assert counts() == before


def test_outsider_cannot_update_or_delete_a_company_it_cannot_see(
    outsider: User, company: Company
) -> None:
    with pytest.raises(Http404):
        company_update(actor=outsider, company=company, data={"name": "Моя"})
    with pytest.raises(Http404):
        company_delete(actor=outsider, company=company)

    stored = Company.objects.get(pk=company.pk)
    assert stored.name == "ТОВ Ромашка"
    assert stored.deleted_at is None


def test_company_goes_to_the_trash_and_comes_back(owner: User, company: Company) -> None:
    company_delete(actor=owner, company=company)
    assert not Company.objects.filter(pk=company.pk).exists()

    company_restore(actor=owner, company=Company.all_objects.get(pk=company.pk))

    assert Company.objects.get(pk=company.pk).deleted_at is None


@pytest.mark.parametrize("persona", ["teammate", "lead", "outsider", "viewer"])
def test_only_owner_or_admin_restores_a_company(
    request: pytest.FixtureRequest, owner: User, company: Company, persona: str
) -> None:
    company_delete(actor=owner, company=company)

    with pytest.raises(PermissionDenied):
        company_restore(
            actor=request.getfixturevalue(persona), company=Company.all_objects.get(pk=company.pk)
        )

    assert Company.all_objects.get(pk=company.pk).deleted_at is not None


def test_admin_restores_a_company(owner: User, admin: User, company: Company) -> None:
    company_delete(actor=owner, company=company)

    company_restore(actor=admin, company=Company.all_objects.get(pk=company.pk))

    assert Company.objects.filter(pk=company.pk).exists()


def test_company_bulk_tag_touches_only_visible_companies(owner: User, outsider: User) -> None:
    mine = make_company(owner)
    other = make_company(outsider)

    changed = companies_bulk_tag(actor=owner, company_ids=[mine.pk, other.pk], add=["опт"])

    assert changed == 1
    assert list(mine.tags.values_list("name", flat=True)) == ["опт"]
    assert list(other.tags.values_list("name", flat=True)) == []


def test_company_bulk_reassign_by_admin(admin: User, owner: User, outsider: User) -> None:
    first = make_company(owner)
    second = make_company(owner)

    changed = companies_bulk_reassign(
        actor=admin, company_ids=[first.pk, second.pk], owner=outsider
    )

    assert changed == 2
    assert set(Company.objects.values_list("owner_id", flat=True)) == {outsider.pk}


def test_company_bulk_reassign_skips_invisible_companies(
    lead: User, owner: User, teammate: User, outsider: User
) -> None:
    team_company = make_company(owner)
    foreign = make_company(outsider)

    changed = companies_bulk_reassign(
        actor=lead, company_ids=[team_company.pk, foreign.pk], owner=teammate
    )

    assert changed == 1
    assert Company.objects.get(pk=foreign.pk).owner == outsider
    assert Company.objects.get(pk=team_company.pk).owner == teammate
