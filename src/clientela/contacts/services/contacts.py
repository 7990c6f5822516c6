"""Writing contacts: create, update, trash, restore, and bulk tag or reassign."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.contacts.services._records import (
    _create,
    _reassign,
    _reassign_many,
    _restore,
    _retag,
    _trash,
    _update,
)


@transaction.atomic
def contact_create(*, actor: User, data: dict[str, Any], allow_duplicate: bool = False) -> Contact:
    """A new contact owned by `data["owner"]` (default: actor).

    Raises ValidationError naming each bad field, DuplicateFound when an email or phone is in
    use and `allow_duplicate` is false; nothing is saved in either case.
    """
    record = _create(actor=actor, model=Contact, data=data, allow_duplicate=allow_duplicate)
    assert isinstance(record, Contact)
    return record


@transaction.atomic
def contact_update(
    *,
    actor: User,
    contact: Contact,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
    allow_duplicate: bool = False,
) -> Contact:
    """Change the fields present in `data`; refuses with EditConflict if the record moved on.

    Raises DuplicateFound when a phone or email the change adds is in use on another record
    and `allow_duplicate` is false; nothing is saved then.
    """
    record = _update(
        actor=actor,
        record=contact,
        data=data,
        expected_updated_at=expected_updated_at,
        allow_duplicate=allow_duplicate,
    )
    assert isinstance(record, Contact)
    return record


@transaction.atomic
def contact_delete(*, actor: User, contact: Contact) -> None:
    """Move to the trash; everything about the contact stays and can be restored."""
    _trash(actor=actor, record=contact)


@transaction.atomic
def contact_restore(*, actor: User, contact: Contact) -> None:
    _restore(actor=actor, record=contact)


@transaction.atomic
def contacts_bulk_tag(
    *,
    actor: User,
    contact_ids: Iterable[int],
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> int:
    """Add and remove tags on the visible contacts among `contact_ids`; returns how many."""
    return _retag(actor=actor, model=Contact, ids=contact_ids, add=add, remove=remove)


@transaction.atomic
def contacts_bulk_reassign(*, actor: User, contact_ids: Iterable[int], owner: User | int) -> int:
    return _reassign(actor=actor, model=Contact, ids=contact_ids, owner=owner)


@transaction.atomic
def contacts_transfer(*, actor: User, moves: Mapping[int, User]) -> list[Contact]:
    """Give each contact of `moves` (id: new owner) the actor may see to its new owner, in
    bulk, recorded in each one's history as a transfer; returns those moved, as they were."""
    return _reassign_many(actor=actor, model=Contact, moves=moves, action="transfer")  # type: ignore[return-value]
