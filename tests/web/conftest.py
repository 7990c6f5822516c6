"""Fixtures for page tests: static files without a manifest, custom fields, form input."""

from collections.abc import Callable
from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import CustomFieldDefinition
from clientela.contacts.services import custom_field_define


@pytest.fixture(autouse=True)
def page_test_settings(settings: Any) -> None:
    # Assertions read English text; the language tests switch languages explicitly.
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def contact_fields(admin: User) -> list[CustomFieldDefinition]:
    """One custom field of each type on contacts."""
    entity = CustomFieldDefinition.Entity.CONTACT
    return [
        custom_field_define(
            actor=admin,
            data={"entity": entity, "key": "budget", "label": "Бюджет", "field_type": "number"},
        ),
        custom_field_define(
            actor=admin,
            data={"entity": entity, "key": "visit", "label": "Візит", "field_type": "date"},
        ),
        custom_field_define(
            actor=admin,
            data={
                "entity": entity,
                "key": "size",
                "label": "Розмір",
                "field_type": "choice",
                "choices": ["S", "M", "L"],
            },
        ),
        custom_field_define(
            actor=admin,
            data={"entity": entity, "key": "nick", "label": "Прізвисько", "field_type": "text"},
        ),
    ]


@pytest.fixture
def contact_input() -> Callable[..., dict[str, Any]]:
    """The POST body of the contact form, as a person fills it in."""

    def build(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "first_name": "Андрій",
            "middle_name": "Іванович",
            "last_name": "Коваленко",
            "birth_day": "",
            "birth_month": "",
            "birth_year": "",
            "language": "uk",
            "company": "",
            "job_title": "",
            "lifecycle": "lead",
            "source": "",
            "phones": "",
            "emails": "",
            "address": "",
            "tags": "",
            "notes": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


@pytest.fixture
def company_input() -> Callable[..., dict[str, Any]]:
    def build(**overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "name": "ТОВ Вишня",
            "legal_id": "",
            "industry": "",
            "website": "",
            "phones": "",
            "emails": "",
            "address": "",
            "tags": "",
            "notes": "",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build
