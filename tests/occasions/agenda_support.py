"""Occasions made directly for the agenda tests (whatever the contact's computed dates)."""

from typing import Any

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.occasions.models import Occasion
from conftest import make_contact


def bare_contact(owner: User, **data: Any) -> Contact:
    """A contact with no occasions of its own (any computed ones are removed)."""
    data.setdefault("first_name", "Zoryslava")
    found = make_contact(owner, **data)
    Occasion.objects.filter(contact=found).delete()
    return found


def make_occasion(
    client: Contact | Company,
    *,
    month: int,
    day: int,
    kind: str = "birthday",
    year: int | None = None,
    label: str = "",
) -> Occasion:
    is_contact = isinstance(client, Contact)
    return Occasion.objects.create(
        contact=client if is_contact else None,
        company=None if is_contact else client,
        owner_id=client.owner_id,
        team_id=client.team_id,
        kind=kind,
        month=month,
        day=day,
        year=year,
        label=label,
        manual=True,
    )
