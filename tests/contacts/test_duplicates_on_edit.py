"""A change that gives a record another record's email or phone is refused unless confirmed.

Only what the change adds counts: a record that already shares a phone (saved anyway when it
was created) can still be edited.
"""

from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import Company, CompanySearchTerm, Contact, ContactSearchTerm
from clientela.contacts.services import (
    companies_bulk_reassign,
    company_update,
    contact_delete,
    contact_update,
    contacts_bulk_reassign,
)
from clientela.core.errors import DuplicateFound
from conftest import make_company, make_contact


def _channels(record: Contact | Company) -> list[tuple[str, str]]:
    return list(record.channels.order_by("kind", "position").values_list("kind", "value"))


def _terms(record: Contact | Company) -> list[str]:
    if isinstance(record, Contact):
        return sorted(
            ContactSearchTerm.objects.filter(contact=record).values_list("term", flat=True)
        )
    return sorted(CompanySearchTerm.objects.filter(company=record).values_list("term", flat=True))


@pytest.fixture
def other(owner: User) -> Contact:
    """Another client of the same owner, with a phone and an email of its own."""
    return make_contact(
        owner, first_name="Інна", last_name="Бойко", phones=["050 111 22 33"], emails=["inna@b.ua"]
    )


@pytest.mark.parametrize(
    ("data", "field", "value"),
    [
        ({"phones": ["050 111 22 33", "(067)123-4567"]}, "phones", "+380671234567"),
        ({"emails": ["inna@b.ua", "OLENA.Shevchenko@example.com"]}, "emails",
         "olena.shevchenko@example.com"),
    ],
)  # fmt: skip
def test_adding_another_clients_channel_names_it_and_saves_nothing(
    owner: User,
    contact: Contact,
    other: Contact,
    counts: Any,
    data: dict[str, Any],
    field: str,
    value: str,
) -> None:
    # given
    before, channels, terms = counts(), _channels(other), _terms(other)
    version = other.updated_at

    # when
    with pytest.raises(DuplicateFound) as caught:
        contact_update(actor=owner, contact=other, data={"last_name": "Коваль", **data})

    # then
    [match] = caught.value.matches
    assert (match.field, match.value, match.record) == (field, value, contact)
    other.refresh_from_db()
    assert other.last_name == "Бойко"
    assert other.updated_at == version
    assert (other.primary_phone, other.primary_email) == ("+380501112233", "inna@b.ua")
    assert _channels(other) == channels
    assert _terms(other) == terms
    assert counts() == before


def test_allowing_the_duplicate_saves_the_change(
    owner: User, contact: Contact, other: Contact
) -> None:
    saved = contact_update(
        actor=owner,
        contact=other,
        data={"phones": ["067 123 45 67"], "last_name": "Коваль"},
        allow_duplicate=True,
    )

    assert saved.primary_phone == "+380671234567"
    other.refresh_from_db()
    assert other.last_name == "Коваль"
    assert Contact.objects.filter(primary_phone="+380671234567").count() == 2
    assert "380671234567" in "".join(_terms(other))


def test_a_record_that_already_shares_a_phone_can_still_be_edited(
    owner: User, contact: Contact
) -> None:
    # given: a twin saved anyway when it was created
    twin = make_contact(owner, first_name="Інна", phones=["067 123 45 67"])

    # when: only the name changes, then the form sends the old phone again with a new one
    contact_update(actor=owner, contact=twin, data={"first_name": "Ірина"})
    saved = contact_update(
        actor=owner,
        contact=twin,
        data={"first_name": "Ірина", "phones": ["0671234567", "050 999 88 77"]},
    )

    # then
    assert saved.first_name == "Ірина"
    assert [value for _kind, value in _channels(saved)] == ["+380671234567", "+380509998877"]


def test_a_change_is_checked_against_other_records_only(owner: User, contact: Contact) -> None:
    saved = contact_update(
        actor=owner,
        contact=contact,
        data={"phones": ["050 123 00 00"], "emails": ["olena.shevchenko@example.com"]},
    )

    assert saved.primary_phone == "+380501230000"


def test_each_added_channel_in_use_is_reported(
    owner: User, contact: Contact, other: Contact
) -> None:
    with pytest.raises(DuplicateFound) as caught:
        contact_update(
            actor=owner,
            contact=other,
            data={
                "phones": ["050 111 22 33", "067 123 45 67"],
                "emails": ["olena.shevchenko@example.com", "new@b.ua"],
            },
        )

    assert sorted((m.field, m.value) for m in caught.value.matches) == [
        ("emails", "olena.shevchenko@example.com"),
        ("phones", "+380671234567"),
    ]


def test_the_match_of_a_record_the_actor_cannot_see_is_not_revealed(
    outsider: User, contact: Contact, counts: Any
) -> None:
    mine = make_contact(outsider, first_name="Інна", phones=["050 111 22 33"])
    before = counts()

    with pytest.raises(DuplicateFound) as caught:
        contact_update(actor=outsider, contact=mine, data={"phones": ["067 123 45 67"]})

    [match] = caught.value.matches
    assert (match.field, match.value, match.record) == ("phones", "+380671234567", None)
    assert counts() == before


def test_a_record_in_the_trash_is_not_a_duplicate(
    owner: User, contact: Contact, other: Contact
) -> None:
    contact_delete(actor=owner, contact=contact)

    saved = contact_update(actor=owner, contact=other, data={"phones": ["067 123 45 67"]})

    assert saved.primary_phone == "+380671234567"


@pytest.mark.parametrize(
    ("data", "field", "value"),
    [
        ({"phones": ["044 123 45 67"]}, "phones", "+380441234567"),
        ({"emails": ["Office@Romashka.example"]}, "emails", "office@romashka.example"),
    ],
)
def test_a_company_given_another_companys_channel_is_refused(
    owner: User, company: Company, counts: Any, data: dict[str, Any], field: str, value: str
) -> None:
    # given
    vyshnia = make_company(owner, name="ТОВ Вишня", phones=["044 765 43 21"])
    before, channels, terms = counts(), _channels(vyshnia), _terms(vyshnia)

    # when
    with pytest.raises(DuplicateFound) as caught:
        company_update(actor=owner, company=vyshnia, data={"industry": "Опт", **data})

    # then
    [match] = caught.value.matches
    assert (match.field, match.value, match.record) == (field, value, company)
    vyshnia.refresh_from_db()
    assert vyshnia.industry == ""
    assert _channels(vyshnia) == channels
    assert _terms(vyshnia) == terms
    assert counts() == before
    # and confirmed, it saves
    saved = company_update(actor=owner, company=vyshnia, data=data, allow_duplicate=True)
    assert value in [v for _kind, v in _channels(saved)]


def test_a_company_that_already_shares_a_phone_can_still_be_renamed(
    owner: User, company: Company
) -> None:
    twin = make_company(owner, name="ТОВ Ромашка-2", phones=["044 123 45 67"])

    saved = company_update(
        actor=owner, company=twin, data={"name": "ТОВ Ромашка Плюс", "phones": ["0441234567"]}
    )

    assert saved.name == "ТОВ Ромашка Плюс"


def test_a_company_invisible_to_the_actor_is_not_revealed(outsider: User, company: Company) -> None:
    mine = make_company(outsider, name="ТОВ Чужа")

    with pytest.raises(DuplicateFound) as caught:
        company_update(actor=outsider, company=mine, data={"emails": ["office@romashka.example"]})

    assert [(m.field, m.record) for m in caught.value.matches] == [("emails", None)]


def test_reassigning_records_that_share_phones_still_works(
    lead: User, owner: User, teammate: User, contact: Contact, company: Company
) -> None:
    # given: look-alikes saved anyway
    twin = make_contact(owner, first_name="Інна", phones=["067 123 45 67"])
    company_twin = make_company(owner, name="ТОВ Ромашка-2", phones=["044 123 45 67"])

    # when
    moved = contacts_bulk_reassign(actor=lead, contact_ids=[contact.pk, twin.pk], owner=teammate)
    moved_companies = companies_bulk_reassign(
        actor=lead, company_ids=[company.pk, company_twin.pk], owner=teammate
    )

    # then
    assert (moved, moved_companies) == (2, 2)
    assert set(Contact.objects.values_list("owner_id", flat=True)) == {teammate.pk}
    assert set(Company.objects.values_list("owner_id", flat=True)) == {teammate.pk}
