"""Reads of tasks: filters, list pages, single tasks and the trash."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet, TimeField, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from clientela.accounts.models import User
from clientela.activities.models import Task
from clientela.activities.selectors._common import (
    _choice_or_error,
    _date_or_error,
    _sort,
)
from clientela.activities.services import TASK_RELATED
from clientela.core.ids import id_or_404 as _int_or_404
from clientela.core.ids import id_or_error as _int_or_error
from clientela.core.pagination import Page, keyset_page

# A task without a time comes after the timed ones of its day (it is due "some time today").
# The keyset needs a value that is never NULL: the annotation `due_at_time`.
TASK_SORTS = {
    "due": ["due_date", "due_at_time", "id"],
    "-due": ["-due_date", "-due_at_time", "-id"],
    "-created": ["-created_at", "-id"],
}
TASK_STATUSES = ["open", "done", "all"]


@dataclass(frozen=True)
class TaskFilters:
    owner: int | None = None
    status: str = "open"
    due_before: datetime.date | None = None  # due on this day or earlier
    due_after: datetime.date | None = None  # due on this day or later
    contact: int | None = None
    company: int | None = None
    deal: int | None = None
    sort: str = "due"


def task_filters_clean(user: User, params: dict[str, Any]) -> TaskFilters:
    """Parse task filters from a query string; a bad value is a ValidationError naming it."""
    owner_raw = params.get("owner")
    return TaskFilters(
        owner=user.pk if owner_raw == "me" else _int_or_error("owner", owner_raw),
        status=_choice_or_error("status", params.get("status"), TASK_STATUSES, "open") or "open",
        due_before=_date_or_error("due_before", params.get("due_before")),
        due_after=_date_or_error("due_after", params.get("due_after")),
        contact=_int_or_error("contact", params.get("contact")),
        company=_int_or_error("company", params.get("company")),
        deal=_int_or_error("deal", params.get("deal")),
        sort=_sort(params, TASK_SORTS, "due"),
    )


def with_due_order(queryset: QuerySet[Task]) -> QuerySet[Task]:
    """`queryset` with `due_at_time`: the due time, or the end of the day for an untimed task."""
    end_of_day = Value(datetime.time.max, output_field=TimeField())
    return queryset.annotate(due_at_time=Coalesce("due_time", end_of_day))


def tasks_filtered(user: User, filters: TaskFilters) -> QuerySet[Task]:
    queryset: QuerySet[Task] = Task.objects.visible_to(user)
    for name in ("owner", "contact", "company", "deal"):
        value = getattr(filters, name)
        if value is not None:
            queryset = queryset.filter(**{f"{name}_id": value})
    if filters.status == "open":
        queryset = queryset.filter(done_at__isnull=True)
    elif filters.status == "done":
        queryset = queryset.filter(done_at__isnull=False)
    if filters.due_before is not None:
        queryset = queryset.filter(due_date__lte=filters.due_before)
    if filters.due_after is not None:
        queryset = queryset.filter(due_date__gte=filters.due_after)
    return queryset


def task_list(
    user: User, filters: TaskFilters, *, cursor: str | None = None, limit: int | None = 50
) -> Page:
    """One page of tasks, soonest due first by default: one query, assignee and client joined."""
    return keyset_page(
        with_due_order(tasks_filtered(user, filters)).select_related(*TASK_RELATED),
        order=TASK_SORTS[filters.sort],
        cursor=cursor,
        size=limit or settings.LIST_PAGE_SIZE,
    )


def task_get(user: User, pk: Any) -> Task:
    """A task the user may see, not in the trash, with its assignee and client; else 404."""
    task = (
        Task.objects.visible_to(user)
        .select_related(*TASK_RELATED)
        .filter(pk=_int_or_404(pk))
        .first()
    )
    if task is None:
        raise Http404
    return task


def trashed_task_get(user: User, pk: Any) -> Task:
    """A task in the trash that the user may restore: its assignee's or creator's, or any for
    an administrator."""
    task = (
        Task.all_objects.trashed().select_related(*TASK_RELATED).filter(pk=_int_or_404(pk)).first()
    )
    if task is None or not (user.is_admin or user.pk in (task.owner_id, task.created_by_id)):
        raise Http404
    return task


def trash_tasks(user: User, limit: int = 200) -> list[Task]:
    """Trashed tasks the user may restore (see `trashed_task_get`), newest first."""
    queryset = Task.all_objects.trashed().select_related("owner", "deleted_by")
    if not user.is_admin:
        queryset = queryset.filter(Q(owner=user) | Q(created_by=user))
    return list(queryset.order_by("-deleted_at", "-id")[:limit])
