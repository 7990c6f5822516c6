"""Custom fields: defined by an administrator, validated on every write, errors by field."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clientela.accounts.models import User
from clientela.contacts.models import Contact, CustomFieldDefinition
from clientela.contacts.services import contact_create, contact_update, custom_field_define

from .conftest import define_field


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("nickname", "  Лєна  ", "Лєна"),
        ("budget", "1500", "1500"),
        ("budget", "1 000,50", "1000.5"),
        ("budget", "1\u00a0000", "1000"),
        ("budget", 12.5, "12.5"),
        ("budget", "-3", "-3"),
        ("budget", "1e3", "1000"),
        ("budget", "2.50000000000000000000000000000000000", "2.5"),
        ("budget", "12345678901234567890123456789", "12345678901234567890123456789"),
        ("budget", "0.000001", "0.000001"),
        ("first_met", "2024-03-01", "2024-03-01"),
        ("size", "medium", "medium"),
    ],
)
def test_valid_custom_values_are_stored_in_a_plain_form(
    owner: User, custom_fields: Any, key: str, typed: Any, stored: str
) -> None:
    contact = contact_create(actor=owner, data={"first_name": "Олена", "custom": {key: typed}})

    assert Contact.objects.get(pk=contact.pk).custom == {key: stored}


def test_date_value_may_be_a_date(owner: User, custom_fields: Any) -> None:
    contact = contact_create(
        actor=owner,
        data={"first_name": "Олена", "custom": {"first_met": datetime.date(2023, 12, 31)}},
    )

    assert contact.custom == {"first_met": "2023-12-31"}


@pytest.mark.parametrize(
    ("values", "field"),
    [
        pytest.param({"budget": "a lot"}, "custom.budget", id="number-words"),
        pytest.param({"budget": "NaN"}, "custom.budget", id="number-nan"),
        pytest.param({"budget": "Infinity"}, "custom.budget", id="number-infinity"),
        pytest.param({"budget": "1e999999999"}, "custom.budget", id="number-huge-exponent"),
        pytest.param({"budget": "1e-999999999"}, "custom.budget", id="number-tiny-exponent"),
        pytest.param({"budget": "9" * 40}, "custom.budget", id="number-too-many-digits"),
        pytest.param({"first_met": "2024-02-30"}, "custom.first_met", id="date-impossible"),
        pytest.param({"first_met": "yesterday"}, "custom.first_met", id="date-words"),
        pytest.param({"size": "huge"}, "custom.size", id="choice-not-offered"),
        pytest.param({"size": "Medium"}, "custom.size", id="choice-other-case"),
        pytest.param({"nickname": "x" * 1001}, "custom.nickname", id="text-too-long"),
        pytest.param({"shoe_size": "42"}, "custom.shoe_size", id="unknown-field"),
    ],
)
def test_bad_custom_value_names_its_field_and_saves_nothing(
    owner: User, custom_fields: Any, counts: Any, values: dict[str, Any], field: str
) -> None:
    before = counts()

    with pytest.raises(ValidationError) as caught:
        contact_create(actor=owner, data={"first_name": "Олена", "custom": values})

    assert list(caught.value.message_dict) == [field]
    assert counts() == before


def test_bad_custom_value_on_update_keeps_the_old_values(
    owner: User, custom_fields: Any, counts: Any
) -> None:
    contact = contact_create(actor=owner, data={"first_name": "Олена", "custom": {"size": "small"}})
    before = counts()

    with pytest.raises(ValidationError) as caught:
        contact_update(actor=owner, contact=contact, data={"custom": {"size": "giant"}})

    assert "custom.size" in caught.value.message_dict
    assert Contact.objects.get(pk=contact.pk).custom == {"size": "small"}
    assert counts() == before


def test_required_custom_field_must_be_given_on_create(
    owner: User, admin: User, counts: Any
) -> None:
    define_field(admin, "inn", "text", required=True)
    before = counts()

    for custom in (None, {}, {"inn": "   "}):
        data: dict[str, Any] = {"first_name": "Олена"}
        if custom is not None:
            data["custom"] = custom
        with pytest.raises(ValidationError) as caught:
            contact_create(actor=owner, data=data)
        assert "custom.inn" in caught.value.message_dict

    assert counts() == before


def test_required_custom_field_given_saves(owner: User, admin: User) -> None:
    define_field(admin, "inn", "text", required=True)

    contact = contact_create(actor=owner, data={"first_name": "Олена", "custom": {"inn": "123"}})

    assert contact.custom == {"inn": "123"}


def test_empty_optional_values_are_not_stored(owner: User, custom_fields: Any) -> None:
    contact = contact_create(
        actor=owner,
        data={"first_name": "Олена", "custom": {"nickname": "", "budget": None, "size": "large"}},
    )

    assert contact.custom == {"size": "large"}


def test_company_fields_do_not_apply_to_contacts(owner: User, admin: User) -> None:
    define_field(admin, "vat", "text", entity="company", required=True)

    contact = contact_create(actor=owner, data={"first_name": "Олена"})
    with pytest.raises(ValidationError) as caught:
        contact_create(actor=owner, data={"first_name": "Інна", "custom": {"vat": "UA1"}})

    assert contact.custom == {}
    assert "custom.vat" in caught.value.message_dict


# --- defining fields --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["owner", "lead", "viewer"])
def test_only_an_admin_defines_custom_fields(request: pytest.FixtureRequest, persona: str) -> None:
    with pytest.raises(PermissionDenied):
        define_field(request.getfixturevalue(persona), "nickname", "text")

    assert not CustomFieldDefinition.objects.exists()


def test_a_deactivated_admin_cannot_define_fields(admin: User) -> None:
    admin.is_active = False
    admin.save(update_fields=["is_active"])

    with pytest.raises(PermissionDenied):
        define_field(admin, "nickname", "text")

    assert not CustomFieldDefinition.objects.exists()


def test_choice_field_needs_choices(admin: User) -> None:
    with pytest.raises(ValidationError) as caught:
        define_field(admin, "size", "choice")

    assert "choices" in caught.value.message_dict
    assert not CustomFieldDefinition.objects.exists()


def test_field_key_is_unique_per_entity(admin: User) -> None:
    define_field(admin, "code", "text")
    define_field(admin, "code", "text", entity="company")

    with pytest.raises(ValidationError):
        define_field(admin, "code", "number")

    assert CustomFieldDefinition.objects.filter(key="code").count() == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"key": "has space"}, "key"),
        ({"field_type": "colour"}, "field_type"),
        ({"entity": "deal"}, "entity"),
        ({"label": ""}, "label"),
    ],
)
def test_bad_definition_names_the_field(admin: User, data: dict[str, Any], field: str) -> None:
    base = {"entity": "contact", "key": "nickname", "label": "Nickname", "field_type": "text"}

    with pytest.raises(ValidationError) as caught:
        custom_field_define(actor=admin, data={**base, **data})

    assert field in caught.value.message_dict
    assert not CustomFieldDefinition.objects.exists()
