"""Calls, meetings, emails, notes and tasks over JSON: parse, call one service or selector.

Every read goes through the selectors (what the caller may see, or 404); every write goes
through the services inside one transaction, together with building its answer, so a failure
anywhere leaves nothing saved. Mounted at /api/v1/ by clientela.api.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from clientela.accounts.api import BadQuery, RecordId, actor, error_responses
from clientela.accounts.models import User
from clientela.activities import selectors, services
from clientela.activities.schemas import (
    ActivityIn,
    ActivityListQuery,
    ActivityOut,
    ActivityPageOut,
    ActivityPatchIn,
    MyDayOut,
    MyDayQuery,
    TaskIn,
    TaskListQuery,
    TaskOut,
    TaskPageOut,
    TaskPatchIn,
)
from clientela.activities.selectors.activities import ActivityFilters
from clientela.activities.selectors.tasks import TaskFilters
from clientela.core.pagination import Page

router = Router(tags=["activities and tasks"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)
EDIT_ERRORS = {**WRITE_ERRORS, **error_responses(409)}
# The API's names for the services' fields.
_API_FIELDS = {"duration": "duration_seconds"}


def _activity_data(payload: ActivityIn | ActivityPatchIn) -> tuple[dict[str, Any], Any]:
    """The fields the client sent, named as the services name them, and the version it saw."""
    data = payload.model_dump(exclude_unset=True)
    if "duration_seconds" in data:
        data["duration"] = data.pop("duration_seconds")
    return data, data.pop("expected_updated_at", None)


@contextmanager
def _api_names() -> Iterator[None]:
    """Report a refused value under the name the client sent it by."""
    try:
        yield
    except ValidationError as exc:
        if not hasattr(exc, "error_dict"):
            raise
        renamed = {
            _API_FIELDS.get(field, field): messages
            for field, messages in exc.message_dict.items()
            if field != NON_FIELD_ERRORS
        }
        if NON_FIELD_ERRORS in exc.message_dict:
            renamed[NON_FIELD_ERRORS] = exc.message_dict[NON_FIELD_ERRORS]
        raise ValidationError(renamed) from exc


def _page(
    clean: Callable[[User, dict[str, Any]], ActivityFilters | TaskFilters],
    read: Callable[..., Page],
    who: User,
    query: ActivityListQuery | TaskListQuery,
) -> Page:
    try:
        filters = clean(who, query.model_dump(exclude={"cursor", "limit"}))
        return read(who, filters, cursor=query.cursor, limit=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


# --- activities --------------------------------------------------------------------------------


@router.get("/activities", response={200: ActivityPageOut, **error_responses(400, 401)})
def activity_list(request: HttpRequest, query: Query[ActivityListQuery]) -> Page:
    """Activities the caller may see, newest first, one page at a time (follow `next_cursor`)."""
    return _page(selectors.activity_filters_clean, selectors.activity_list, actor(request), query)


@router.get("/activities/{activity_id}", response={200: ActivityOut, **READ_ERRORS})
def activity_detail(request: HttpRequest, activity_id: RecordId) -> Any:
    return selectors.activity_get(actor(request), activity_id)


@router.post("/activities", response={201: ActivityOut, **error_responses(401, 403, 422)})
def activity_create(request: HttpRequest, payload: ActivityIn) -> Status:
    """Log a call, meeting, email or note with a contact and/or company the caller sees."""
    data, _version = _activity_data(payload)
    with _api_names(), transaction.atomic():
        activity = services.activity_create(actor=actor(request), data=data)
        out = ActivityOut.from_orm(activity)
    return Status(201, out)


@router.patch("/activities/{activity_id}", response={200: ActivityOut, **EDIT_ERRORS})
def activity_update(
    request: HttpRequest, activity_id: RecordId, payload: ActivityPatchIn
) -> ActivityOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first."""
    who = actor(request)
    data, expected = _activity_data(payload)
    with _api_names(), transaction.atomic():
        activity = services.activity_update(
            actor=who,
            activity=selectors.activity_get(who, activity_id),
            data=data,
            expected_updated_at=expected,
        )
        return ActivityOut.from_orm(activity)


@router.delete("/activities/{activity_id}", response={204: None, **WRITE_ERRORS})
def activity_delete(request: HttpRequest, activity_id: RecordId) -> Status:
    """Move to the trash; its owner, who did it or an administrator can restore it."""
    who = actor(request)
    with transaction.atomic():
        services.activity_delete(actor=who, activity=selectors.activity_get(who, activity_id))
    return Status(204, None)


@router.post("/activities/{activity_id}/restore", response={200: ActivityOut, **WRITE_ERRORS})
def activity_restore(request: HttpRequest, activity_id: RecordId) -> ActivityOut:
    who = actor(request)
    with transaction.atomic():
        activity = selectors.trashed_activity_get(who, activity_id)
        services.activity_restore(actor=who, activity=activity)
        return ActivityOut.from_orm(activity)


# --- tasks -------------------------------------------------------------------------------------


@router.get("/tasks", response={200: TaskPageOut, **error_responses(400, 401)})
def task_list(request: HttpRequest, query: Query[TaskListQuery]) -> Page:
    """Tasks the caller may see, open ones soonest due first by default, one page at a time."""
    return _page(selectors.task_filters_clean, selectors.task_list, actor(request), query)


@router.get("/tasks/my-day", response={200: MyDayOut, **error_responses(400, 401)})
def task_my_day(request: HttpRequest, query: Query[MyDayQuery]) -> Any:
    """The caller's day in its time zone: overdue, today's and upcoming tasks, what got done
    today and the calls made today."""
    return selectors.my_day(actor(request), upcoming_days=query.upcoming_days, limit=query.limit)


@router.get("/tasks/{task_id}", response={200: TaskOut, **READ_ERRORS})
def task_detail(request: HttpRequest, task_id: RecordId) -> Any:
    return selectors.task_get(actor(request), task_id)


@router.post("/tasks", response={201: TaskOut, **error_responses(401, 403, 422)})
def task_create(request: HttpRequest, payload: TaskIn) -> Status:
    """A task for the caller or (`owner`) for someone the caller may give records to."""
    with transaction.atomic():
        task = services.task_create(
            actor=actor(request), data=payload.model_dump(exclude_unset=True)
        )
        out = TaskOut.from_orm(task)
    return Status(201, out)


@router.patch("/tasks/{task_id}", response={200: TaskOut, **EDIT_ERRORS})
def task_update(request: HttpRequest, task_id: RecordId, payload: TaskPatchIn) -> TaskOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first."""
    who = actor(request)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    with transaction.atomic():
        task = services.task_update(
            actor=who,
            task=selectors.task_get(who, task_id),
            data=data,
            expected_updated_at=expected,
        )
        return TaskOut.from_orm(task)


@router.post("/tasks/{task_id}/complete", response={200: TaskOut, **WRITE_ERRORS})
def task_complete(request: HttpRequest, task_id: RecordId) -> TaskOut:
    """Mark the task done now by the caller; a task already done stays as it was."""
    who = actor(request)
    with transaction.atomic():
        task = services.task_complete(actor=who, task=selectors.task_get(who, task_id))
        return TaskOut.from_orm(task)


@router.post("/tasks/{task_id}/reopen", response={200: TaskOut, **WRITE_ERRORS})
def task_reopen(request: HttpRequest, task_id: RecordId) -> TaskOut:
    who = actor(request)
    with transaction.atomic():
        task = services.task_reopen(actor=who, task=selectors.task_get(who, task_id))
        return TaskOut.from_orm(task)


@router.delete("/tasks/{task_id}", response={204: None, **WRITE_ERRORS})
def task_delete(request: HttpRequest, task_id: RecordId) -> Status:
    """Move to the trash; the assignee, its creator or an administrator can restore it."""
    who = actor(request)
    with transaction.atomic():
        services.task_delete(actor=who, task=selectors.task_get(who, task_id))
    return Status(204, None)


@router.post("/tasks/{task_id}/restore", response={200: TaskOut, **WRITE_ERRORS})
def task_restore(request: HttpRequest, task_id: RecordId) -> TaskOut:
    who = actor(request)
    with transaction.atomic():
        task = selectors.trashed_task_get(who, task_id)
        services.task_restore(actor=who, task=task)
        return TaskOut.from_orm(task)
