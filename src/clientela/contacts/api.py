"""Contacts, companies, tags and search over JSON: parse, call one service or selector, answer.

Every read goes through the selectors (what the caller may see, or 404); every write goes
through the services inside one transaction, together with building its answer, so a failure
anywhere leaves nothing saved.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from clientela.accounts.api import BadQuery, RecordId, actor, error_responses
from clientela.accounts.models import User
from clientela.contacts import selectors, services
from clientela.contacts.schemas import (
    BulkOut,
    BulkReassignIn,
    BulkTagIn,
    ChangeConflictOut,
    CompanyIn,
    CompanyListQuery,
    CompanyOut,
    CompanyPageOut,
    CompanyPatchIn,
    ContactIn,
    ContactListQuery,
    ContactOut,
    ContactPageOut,
    ContactPatchIn,
    DuplicateOut,
    DuplicateQuery,
    SearchOut,
    SearchQuery,
    TagOut,
)
from clientela.core.pagination import Page

contact_router = Router(tags=["contacts"])
company_router = Router(tags=["companies"])
lookup_router = Router(tags=["tags and search"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)


def _changes(
    payload: ContactPatchIn | CompanyPatchIn, query: DuplicateQuery
) -> tuple[dict[str, Any], Any, bool]:
    """The fields the client sent, the `updated_at` its change is based on, and whether
    duplicates are allowed (in the body or the query, as on creation)."""
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    allow = bool(data.pop("allow_duplicate", False)) or query.allow_duplicate
    return data, expected, allow


def _new_record(
    payload: ContactIn | CompanyIn, query: DuplicateQuery
) -> tuple[dict[str, Any], bool]:
    data = payload.model_dump(exclude_unset=True)
    allow = bool(data.pop("allow_duplicate", False)) or query.allow_duplicate
    return data, allow


def _page(
    read: Callable[..., Page],
    sorts: dict[str, list[str]],
    who: User,
    query: ContactListQuery | CompanyListQuery,
) -> Page:
    try:
        filters = selectors.list_filters_clean(who, query.model_dump(), sorts=sorts)
        page = read(who, filters, cursor=query.cursor, size=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc
    return page


# --- contacts ----------------------------------------------------------------------------------


@contact_router.get("", response={200: ContactPageOut, **error_responses(400, 401)})
def contact_list(request: HttpRequest, filters: Query[ContactListQuery]) -> Page:
    """Contacts the caller may see, one page at a time (follow `next_cursor`)."""
    return _page(selectors.contact_list, selectors.CONTACT_SORTS, actor(request), filters)


@contact_router.get("/{contact_id}", response={200: ContactOut, **READ_ERRORS})
def contact_detail(request: HttpRequest, contact_id: RecordId) -> Any:
    return selectors.contact_get(actor(request), contact_id)


@contact_router.post(
    "", response={201: ContactOut, 409: DuplicateOut, **error_responses(401, 403, 422)}
)
def contact_create(
    request: HttpRequest, payload: ContactIn, query: Query[DuplicateQuery]
) -> Status:
    """A new contact. An email or phone already in use answers 409 unless duplicates are allowed."""
    data, allow_duplicate = _new_record(payload, query)
    with transaction.atomic():
        contact = services.contact_create(
            actor=actor(request), data=data, allow_duplicate=allow_duplicate
        )
        out = ContactOut.from_orm(contact)
    return Status(201, out)


@contact_router.patch(
    "/{contact_id}", response={200: ContactOut, 409: ChangeConflictOut, **WRITE_ERRORS}
)
def contact_update(
    request: HttpRequest,
    contact_id: RecordId,
    payload: ContactPatchIn,
    query: Query[DuplicateQuery],
) -> ContactOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first.

    An email or phone the change adds that another record has answers 409 with `duplicates`,
    as on creation, unless duplicates are allowed.
    """
    who = actor(request)
    data, expected, allow_duplicate = _changes(payload, query)
    with transaction.atomic():
        contact = services.contact_update(
            actor=who,
            contact=selectors.contact_get(who, contact_id),
            data=data,
            expected_updated_at=expected,
            allow_duplicate=allow_duplicate,
        )
        return ContactOut.from_orm(contact)


@contact_router.delete("/{contact_id}", response={204: None, **WRITE_ERRORS})
def contact_delete(request: HttpRequest, contact_id: RecordId) -> Status:
    """Move to the trash; the owner or an administrator can restore it."""
    who = actor(request)
    with transaction.atomic():
        services.contact_delete(actor=who, contact=selectors.contact_get(who, contact_id))
    return Status(204, None)


@contact_router.post("/{contact_id}/restore", response={200: ContactOut, **WRITE_ERRORS})
def contact_restore(request: HttpRequest, contact_id: RecordId) -> ContactOut:
    """Bring a contact back from the trash (its owner or an administrator)."""
    who = actor(request)
    with transaction.atomic():
        contact = selectors.trashed_contact_get(who, contact_id)
        services.contact_restore(actor=who, contact=contact)
        return ContactOut.from_orm(contact)


@contact_router.post("/bulk/tag", response={200: BulkOut, **error_responses(401, 403, 422)})
def contacts_bulk_tag(request: HttpRequest, payload: BulkTagIn) -> BulkOut:
    """Add and remove tags on the listed contacts the caller may see."""
    with transaction.atomic():
        count = services.contacts_bulk_tag(
            actor=actor(request), contact_ids=payload.ids, add=payload.add, remove=payload.remove
        )
    return BulkOut(count=count)


@contact_router.post("/bulk/reassign", response={200: BulkOut, **error_responses(401, 403, 422)})
def contacts_bulk_reassign(request: HttpRequest, payload: BulkReassignIn) -> BulkOut:
    """Hand the listed contacts the caller may see to another owner."""
    who = actor(request)
    with transaction.atomic():
        count = services.contacts_bulk_reassign(
            actor=who, contact_ids=payload.ids, owner=payload.owner
        )
    return BulkOut(count=count)


# --- companies ---------------------------------------------------------------------------------


@company_router.get("", response={200: CompanyPageOut, **error_responses(400, 401)})
def company_list(request: HttpRequest, filters: Query[CompanyListQuery]) -> Page:
    """Companies the caller may see, one page at a time (follow `next_cursor`)."""
    return _page(selectors.company_list, selectors.COMPANY_SORTS, actor(request), filters)


@company_router.get("/{company_id}", response={200: CompanyOut, **READ_ERRORS})
def company_detail(request: HttpRequest, company_id: RecordId) -> Any:
    return selectors.company_get(actor(request), company_id)


@company_router.post(
    "", response={201: CompanyOut, 409: DuplicateOut, **error_responses(401, 403, 422)}
)
def company_create(
    request: HttpRequest, payload: CompanyIn, query: Query[DuplicateQuery]
) -> Status:
    """A new company. An email or phone already in use answers 409 unless duplicates are allowed."""
    data, allow_duplicate = _new_record(payload, query)
    with transaction.atomic():
        company = services.company_create(
            actor=actor(request), data=data, allow_duplicate=allow_duplicate
        )
        out = CompanyOut.from_orm(company)
    return Status(201, out)


@company_router.patch(
    "/{company_id}", response={200: CompanyOut, 409: ChangeConflictOut, **WRITE_ERRORS}
)
def company_update(
    request: HttpRequest,
    company_id: RecordId,
    payload: CompanyPatchIn,
    query: Query[DuplicateQuery],
) -> CompanyOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first.

    An email or phone the change adds that another record has answers 409 with `duplicates`,
    as on creation, unless duplicates are allowed.
    """
    who = actor(request)
    data, expected, allow_duplicate = _changes(payload, query)
    with transaction.atomic():
        company = services.company_update(
            actor=who,
            company=selectors.company_get(who, company_id),
            data=data,
            expected_updated_at=expected,
            allow_duplicate=allow_duplicate,
        )
        return CompanyOut.from_orm(company)


@company_router.delete("/{company_id}", response={204: None, **WRITE_ERRORS})
def company_delete(request: HttpRequest, company_id: RecordId) -> Status:
    who = actor(request)
    with transaction.atomic():
        services.company_delete(actor=who, company=selectors.company_get(who, company_id))
    return Status(204, None)


@company_router.post("/{company_id}/restore", response={200: CompanyOut, **WRITE_ERRORS})
def company_restore(request: HttpRequest, company_id: RecordId) -> CompanyOut:
    who = actor(request)
    with transaction.atomic():
        company = selectors.trashed_company_get(who, company_id)
        services.company_restore(actor=who, company=company)
        return CompanyOut.from_orm(company)


@company_router.post("/bulk/tag", response={200: BulkOut, **error_responses(401, 403, 422)})
def companies_bulk_tag(request: HttpRequest, payload: BulkTagIn) -> BulkOut:
    with transaction.atomic():
        count = services.companies_bulk_tag(
            actor=actor(request), company_ids=payload.ids, add=payload.add, remove=payload.remove
        )
    return BulkOut(count=count)


@company_router.post("/bulk/reassign", response={200: BulkOut, **error_responses(401, 403, 422)})
def companies_bulk_reassign(request: HttpRequest, payload: BulkReassignIn) -> BulkOut:
    who = actor(request)
    with transaction.atomic():
        count = services.companies_bulk_reassign(
            actor=who, company_ids=payload.ids, owner=payload.owner
        )
    return BulkOut(count=count)


# --- tags and search ---------------------------------------------------------------------------


@lookup_router.get("/tags", response={200: list[TagOut], **error_responses(401)})
def tag_list(request: HttpRequest) -> Any:
    """Every tag, by name."""
    actor(request)
    return selectors.tags_all()


@lookup_router.get("/search", response={200: SearchOut, **error_responses(400, 401)})
def search(request: HttpRequest, query: Query[SearchQuery]) -> Any:
    """The one search box: contacts and companies the caller may see, by name, phone or email."""
    return selectors.search_everything(actor(request), query.q, limit=query.limit)
