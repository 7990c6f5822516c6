"""Writing companies: create, update, trash, restore, and bulk tag or reassign."""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import transaction

from clientela.accounts.models import User
from clientela.contacts.models import Company
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
def company_create(*, actor: User, data: dict[str, Any], allow_duplicate: bool = False) -> Company:
    record = _create(actor=actor, model=Company, data=data, allow_duplicate=allow_duplicate)
    assert isinstance(record, Company)
    return record


@transaction.atomic
def company_update(
    *,
    actor: User,
    company: Company,
    data: dict[str, Any],
    expected_updated_at: datetime.datetime | None = None,
    allow_duplicate: bool = False,
) -> Company:
    """Change the fields present in `data`, like `contact_update` does for a contact."""
    record = _update(
        actor=actor,
        record=company,
        data=data,
        expected_updated_at=expected_updated_at,
        allow_duplicate=allow_duplicate,
    )
    assert isinstance(record, Company)
    return record


@transaction.atomic
def company_delete(*, actor: User, company: Company) -> None:
    _trash(actor=actor, record=company)


@transaction.atomic
def company_restore(*, actor: User, company: Company) -> None:
    _restore(actor=actor, record=company)


@transaction.atomic
def companies_bulk_tag(
    *,
    actor: User,
    company_ids: Iterable[int],
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> int:
    return _retag(actor=actor, model=Company, ids=company_ids, add=add, remove=remove)


@transaction.atomic
def companies_bulk_reassign(*, actor: User, company_ids: Iterable[int], owner: User | int) -> int:
    return _reassign(actor=actor, model=Company, ids=company_ids, owner=owner)


@transaction.atomic
def companies_transfer(*, actor: User, moves: Mapping[int, User]) -> list[Company]:
    """Give each company of `moves` (id: new owner) the actor may see to its new owner, in
    bulk, recorded in each one's history as a transfer; returns those moved, as they were."""
    return _reassign_many(actor=actor, model=Company, moves=moves, action="transfer")  # type: ignore[return-value]
