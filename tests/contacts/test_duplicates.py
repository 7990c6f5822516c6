"""A new record sharing an email or phone with a live one is refused unless the user confirms."""

from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.contacts.services import (
    company_create,
    contact_create,
    contact_delete,
    contact_update,
)
from clientela.core.errors import DuplicateFound
from conftest import make_company, make_contact


@pytest.mark.parametrize(
    ("data", "field", "value"),
    [
        ({"phones": ["(067)123-4567"]}, "phones", "+380671234567"),
        ({"emails": ["OLENA.Shevchenko@example.com"]}, "emails", "olena.shevchenko@example.com"),
    ],
)
def test_duplicate_of_a_visible_contact_names_it_and_saves_nothing(
    owner: User, contact: Contact, counts: Any, data: dict[str, Any], field: str, value: str
) -> None:
    # given
    before = counts()

    # when
    with pytest.raises(DuplicateFound) as caught:
        contact_create(actor=owner, data={"first_name": "Інна", **data})

    # then
    [match] = caught.value.matches
    assert (match.field, match.value, match.record) == (field, value, contact)
    assert counts() == before


def test_duplicate_of_a_contact_the_actor_cannot_see_hides_the_record(
    outsider: User, contact: Contact, counts: Any
) -> None:
    before = counts()

    with pytest.raises(DuplicateFound) as caught:
        contact_create(actor=outsider, data={"first_name": "Інна", "phones": ["0671234567"]})

    [match] = caught.value.matches
    assert match.field == "phones"
    assert match.record is None
    assert counts() == before


def test_every_shared_channel_is_reported(owner: User, contact: Contact) -> None:
    with pytest.raises(DuplicateFound) as caught:
        contact_create(
            actor=owner,
            data={
                "first_name": "Інна",
                "phones": ["067 123 45 67"],
                "emails": ["olena.shevchenko@example.com"],
            },
        )

    assert sorted(m.field for m in caught.value.matches) == ["emails", "phones"]
    assert {m.record for m in caught.value.matches} == {contact}


def test_allowing_the_duplicate_saves_it(owner: User, contact: Contact) -> None:
    twin = contact_create(
        actor=owner,
        data={"first_name": "Інна", "phones": ["067 123 45 67"]},
        allow_duplicate=True,
    )

    assert twin.pk != contact.pk
    assert Contact.objects.filter(primary_phone="+380671234567").count() == 2


def test_a_contact_in_the_trash_is_not_a_duplicate(owner: User, contact: Contact) -> None:
    contact_delete(actor=owner, contact=contact)

    twin = contact_create(actor=owner, data={"first_name": "Інна", "phones": ["067 123 45 67"]})

    assert twin.primary_phone == "+380671234567"


def test_a_company_phone_is_not_a_contact_duplicate(owner: User) -> None:
    make_company(owner, phones=["044 123 45 67"])

    contact = contact_create(actor=owner, data={"first_name": "Інна", "phones": ["0441234567"]})

    assert contact.primary_phone == "+380441234567"


def test_a_company_duplicate_is_reported_for_companies(owner: User, company: Any) -> None:
    with pytest.raises(DuplicateFound) as caught:
        company_create(
            actor=owner, data={"name": "ТОВ Інша", "emails": ["office@romashka.example"]}
        )

    assert [m.record for m in caught.value.matches] == [company]


def test_editing_a_contact_does_not_find_itself_a_duplicate(owner: User, contact: Contact) -> None:
    saved = contact_update(
        actor=owner, contact=contact, data={"phones": ["067 123 45 67", "050 111 22 33"]}
    )

    assert saved.primary_phone == "+380671234567"


def test_duplicate_found_message_lists_the_values(owner: User, contact: Contact) -> None:
    with pytest.raises(DuplicateFound, match=r"\+380671234567"):
        make_contact_without_confirmation(owner)


def make_contact_without_confirmation(owner: User) -> Contact:
    return contact_create(actor=owner, data={"first_name": "Інна", "phones": ["0671234567"]})


def test_make_contact_helper_allows_duplicates(owner: User, contact: Contact) -> None:
    # The shared factory confirms duplicates, so tests may create look-alikes freely.
    twin = make_contact(owner, phones=["067 123 45 67"])

    assert twin.pk != contact.pk
