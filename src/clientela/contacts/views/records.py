"""The pages contacts and companies share: create, edit, delete, restore, history.

Each page takes a `RecordKind`, which names the services, selectors, form and wording of one
kind of record, so the two kinds behave alike without two copies of every view.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise

from clientela.accounts.models import User
from clientela.accounts.visibility import assignable_users
from clientela.contacts.channels import format_phone
from clientela.contacts.custom_fields import custom_field_definitions
from clientela.contacts.forms import RecordForm
from clientela.contacts.selectors import ListFilters
from clientela.contacts.views.common import (
    Record,
    bad_request,
    current_user,
    history_entries,
    parse_expected_updated_at,
    require_writer,
)
from clientela.core.errors import DuplicateFound, DuplicateMatch, EditConflict
from clientela.core.pagination import Page


@dataclass(frozen=True)
class RecordKind:
    name: str  # "contact" or "company": template names and URL names derive from it
    entity: str  # CustomFieldDefinition.Entity
    form_class: type[RecordForm]
    get: Callable[[User, Any], Record]
    trashed_get: Callable[[User, Any], Record]
    create: Callable[[User, dict[str, Any], bool], Record]
    update: Callable[[User, Record, dict[str, Any], datetime.datetime | None, bool], Record]
    delete: Callable[[User, Record], None]
    restore: Callable[[User, Record], None]
    list_page: Callable[[User, ListFilters, str | None], Page]
    count: Callable[[User, ListFilters], tuple[int, bool]]
    sorts: dict[str, list[str]]
    bulk_tag: Callable[[User, list[int], list[str], list[str]], int]
    bulk_reassign: Callable[[User, list[int], User], int]
    url_list: str
    url_create: str
    url_bulk: str
    url_detail: str
    url_edit: str
    url_delete: str
    url_history: str
    url_restore: str
    title_list: Promise
    title_new: Promise
    msg_bulk_done: Callable[[int], str]
    msg_created: Promise
    msg_updated: Promise
    msg_deleted: Promise
    msg_restored: Promise

    def detail_url(self, record: Record) -> str:
        return reverse(self.url_detail, args=[record.pk])


@dataclass(frozen=True)
class DuplicateView:
    value: str  # as people write it: "067 123 4567", not "+380671234567"
    record: Record | None  # None: a record the user may not see


def _duplicate_views(matches: list[DuplicateMatch]) -> list[DuplicateView]:
    return [
        DuplicateView(format_phone(m.value) if m.field == "phones" else m.value, m.record)
        for m in matches
    ]


def owners_for(user: User) -> list[User]:
    return list(assignable_users(user).only("id", "username", "first_name", "last_name"))


def _form_page(
    request: HttpRequest,
    kind: RecordKind,
    form: RecordForm,
    *,
    record: Record | None = None,
    duplicates: list[DuplicateMatch] | None = None,
    conflict: bool = False,
    version: str = "",
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "contacts/record_form.html",
        {
            "kind": kind,
            "form": form,
            "record": record,
            "duplicates": _duplicate_views(duplicates or []),
            "conflict": conflict,
            "version": version,
        },
        status=status,
    )


def record_create(
    request: HttpRequest, kind: RecordKind, initial: dict[str, Any] | None = None
) -> HttpResponse:
    """A new record; on a duplicate phone or email, the form asks before saving anyway."""
    user = current_user(request)
    require_writer(user)
    definitions = custom_field_definitions(kind.entity)
    owners = owners_for(user)
    if request.method != "POST":
        form = kind.form_class(
            user=user, owners=owners, definitions=definitions, initial=initial or {}
        )
        return _form_page(request, kind, form)
    form = kind.form_class(request.POST, user=user, owners=owners, definitions=definitions)
    duplicates: list[DuplicateMatch] = []
    if form.is_valid():
        allow_duplicate = request.POST.get("allow_duplicate") == "1"
        try:
            record = kind.create(user, form.service_data(), allow_duplicate)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DuplicateFound as exc:
            duplicates = exc.matches
        else:
            messages.success(request, str(kind.msg_created) % {"name": record})
            return redirect(kind.detail_url(record))
    return _form_page(request, kind, form, duplicates=duplicates)


def record_edit(request: HttpRequest, kind: RecordKind, pk: int) -> HttpResponse:
    """Edit a record; a save over someone else's newer change is refused with a clear notice.

    A phone or email the edit adds that another record has is shown first, as on creation,
    and saved only when the user confirms.
    """
    user = current_user(request)
    record = kind.get(user, pk)
    require_writer(user)
    definitions = custom_field_definitions(kind.entity)
    owners = owners_for(user)
    if request.method != "POST":
        form = kind.form_class(user=user, owners=owners, definitions=definitions, record=record)
        return _form_page(request, kind, form, record=record, version=record.updated_at.isoformat())
    form = kind.form_class(
        request.POST, user=user, owners=owners, definitions=definitions, record=record
    )
    version = request.POST.get("expected_updated_at", "")
    try:
        expected = parse_expected_updated_at(version)
    except ValidationError as exc:
        return bad_request(request, exc)
    duplicates: list[DuplicateMatch] = []
    if form.is_valid():
        allow_duplicate = request.POST.get("allow_duplicate") == "1"
        try:
            record = kind.update(user, record, form.service_data(), expected, allow_duplicate)
        except ValidationError as exc:
            form.add_service_errors(exc)
        except DuplicateFound as exc:
            duplicates = exc.matches
        except EditConflict:
            # Show the user's own input again; saving once more knowingly replaces the newer
            # version, so the form now carries that version.
            fresh = kind.get(user, pk)
            return _form_page(
                request,
                kind,
                form,
                record=fresh,
                conflict=True,
                version=fresh.updated_at.isoformat(),
                status=409,
            )
        else:
            messages.success(request, str(kind.msg_updated) % {"name": record})
            return redirect(kind.detail_url(record))
    # The version stays the one the form was loaded with: nothing was saved, so confirming
    # a duplicate is not taken for a conflict.
    return _form_page(request, kind, form, record=record, duplicates=duplicates, version=version)


def record_delete(request: HttpRequest, kind: RecordKind, pk: int) -> HttpResponse:
    """Ask, then move the record to the trash."""
    user = current_user(request)
    record = kind.get(user, pk)
    require_writer(user)
    if request.method == "POST":
        kind.delete(user, record)
        messages.success(request, str(kind.msg_deleted) % {"name": record})
        return redirect(kind.url_list)
    return render(request, "contacts/confirm_delete.html", {"kind": kind, "record": record})


def record_restore(request: HttpRequest, kind: RecordKind, pk: int) -> HttpResponse:
    user = current_user(request)
    record = kind.trashed_get(user, pk)
    kind.restore(user, record)
    messages.success(request, str(kind.msg_restored) % {"name": record})
    return redirect(kind.detail_url(record))


def record_history(request: HttpRequest, kind: RecordKind, pk: int) -> HttpResponse:
    user = current_user(request)
    record = kind.get(user, pk)
    definitions = custom_field_definitions(kind.entity)
    return render(
        request,
        "contacts/history.html",
        {"kind": kind, "record": record, "entries": history_entries(record, definitions)},
    )
