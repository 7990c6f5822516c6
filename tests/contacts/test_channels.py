"""Phones and emails: parsed, normalised, validated and shown (contacts.channels)."""

import pytest
from django.core.exceptions import ValidationError

from clientela.contacts.channels import (
    clean_emails,
    clean_phones,
    format_phone,
    normalize_email,
    normalize_phone,
)


@pytest.mark.parametrize(
    "typed",
    ["067 123 45 67", "+380671234567", "(067)123-4567", "0671234567", " 067-123-45-67 "],
)
def test_ukrainian_numbers_in_any_format(typed: str) -> None:
    assert normalize_phone(typed) == "+380671234567"


def test_local_number_uses_the_given_region() -> None:
    assert normalize_phone("030 12345678", region="DE") == "+493012345678"


def test_local_number_uses_the_configured_region(settings: object) -> None:
    settings.DEFAULT_PHONE_REGION = "PL"  # type: ignore[attr-defined]

    assert normalize_phone("22 123 45 67") == "+48221234567"


@pytest.mark.parametrize("typed", ["12", "abc", "+380 12 345", "067 123 45 67 89 10", "+"])
def test_not_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_home_numbers_are_shown_nationally_others_internationally() -> None:
    assert format_phone("+380671234567") == "067 123 4567"
    assert format_phone("+16502530000") == "+1 650-253-0000"
    assert format_phone("not a number") == "not a number"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Olena@Example.COM", "olena@example.com"),
        ("  o.petrenko@example.com ", "o.petrenko@example.com"),
        ("ОЛЕНА@приклад.укр", "олена@приклад.укр"),
    ],
)
def test_emails_are_lower_cased(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored


@pytest.mark.parametrize("typed", ["olena", "olena@", "@example.com", "a b@example.com", "a@@b.c"])
def test_not_an_email_is_refused(typed: str) -> None:
    with pytest.raises(ValidationError):
        normalize_email(typed)


def test_lists_drop_blanks_and_repeats() -> None:
    assert clean_phones(["", "  ", "067 123 45 67", "0671234567"]) == ["+380671234567"]
    assert clean_emails(["A@example.com", "a@example.com", ""]) == ["a@example.com"]


def test_list_errors_name_the_list_and_every_bad_value() -> None:
    with pytest.raises(ValidationError) as caught:
        clean_phones(["12", "067 123 45 67", "abc"])

    [(field, messages)] = caught.value.message_dict.items()
    assert field == "phones"
    assert len(messages) == 2
    assert "12" in messages[0]
    assert "abc" in messages[1]
