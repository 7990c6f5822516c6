"""Helpers for the contacts tests: row counts to prove nothing was saved, custom fields."""

from collections.abc import Callable
from typing import Any

import pytest

from clientela.accounts.models import User
from clientela.contacts.models import (
    Channel,
    Company,
    CompanySearchTerm,
    CompanyTag,
    Contact,
    ContactSearchTerm,
    ContactTag,
    CustomFieldDefinition,
    Tag,
)
from clientela.contacts.services import custom_field_define
from clientela.core.models import AuditEvent


def table_counts() -> dict[str, int]:
    """Rows in every table a contact or company write touches, trashed records included."""
    return {
        "Contact": Contact.all_objects.count(),
        "Company": Company.all_objects.count(),
        "Channel": Channel.objects.count(),
        "ContactSearchTerm": ContactSearchTerm.objects.count(),
        "CompanySearchTerm": CompanySearchTerm.objects.count(),
        "ContactTag": ContactTag.objects.count(),
        "CompanyTag": CompanyTag.objects.count(),
        "Tag": Tag.objects.count(),
        "AuditEvent": AuditEvent.objects.count(),
    }


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    return table_counts


def define_field(admin: User, key: str, field_type: str, **extra: Any) -> CustomFieldDefinition:
    data = {"entity": "contact", "key": key, "label": key.title(), "field_type": field_type}
    return custom_field_define(actor=admin, data={**data, **extra})


@pytest.fixture
def custom_fields(admin: User) -> dict[str, CustomFieldDefinition]:
    """One optional contact field of each type."""
    return {
        "nickname": define_field(admin, "nickname", "text"),
        "budget": define_field(admin, "budget", "number"),
        "first_met": define_field(admin, "first_met", "date"),
        "size": define_field(admin, "size", "choice", choices=["small", "medium", "large"]),
    }
