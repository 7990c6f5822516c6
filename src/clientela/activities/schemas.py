"""What the activities API takes in and gives out: one input and one output shape per endpoint.

Input shapes only type-check; the services decide what is valid (kind, client, times, ranges)
so the API, the pages and imports answer alike. A call's duration is `duration_seconds`.
Times are ISO-8601 with their offset; a time sent without an offset is the caller's local
time. A PATCH changes only the fields sent.
"""

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import RecordId, Text, Timestamp
from clientela.activities.models import Activity, Task


class _StrictIn(Schema):
    # A misspelt field is an error naming it, not a change silently left undone.
    model_config = ConfigDict(extra="forbid")


class RefOut(Schema):
    id: int
    name: str


def _ref(obj: Any, name: str) -> dict[str, Any] | None:
    related = getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None
    return None if related is None else {"id": related.pk, "name": str(related)}


_CURSOR = Field(None, description="`next_cursor` or `previous_cursor` of the page before.")
_LIMIT = Field(50, ge=1, le=200, description="Rows per page.")
_VERSION = Field(
    None, description="The `updated_at` the change is based on; a newer record answers 409."
)


# --- activities --------------------------------------------------------------------------------


class ActivityListQuery(Schema):
    kind: Text | None = Field(None, description="`call`, `meeting`, `email` or `note`.")
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    deal: Text | None = Field(None, description="A deal id.")
    user: Text | None = Field(None, description="Who did it: a user id, or `me`.")
    since: Text | None = Field(None, description="From this day (YYYY-MM-DD), your time zone.")
    until: Text | None = Field(None, description="Up to and including this day (YYYY-MM-DD).")
    sort: Text = Field("-started", description="One of `-started`, `started`, `-created`.")
    cursor: Text | None = _CURSOR
    limit: int = _LIMIT


class _ActivityFields(_StrictIn):
    contact: RecordId | None = Field(None, description="A contact id; a contact or a company.")
    company: RecordId | None = Field(None, description="A company id.")
    deal: RecordId | None = Field(
        None, description="A deal id; alone, the deal's contact and company are taken."
    )
    subject: Text | None = None
    body: Text | None = None
    started_at: datetime.datetime | None = Field(
        None,
        description="When it happened (a meeting: when it starts); by default now. Calls, "
        "emails and notes cannot lie in the future.",
    )
    user: RecordId | None = Field(
        None, description="Who did it; by default the caller (a lead may log for its team)."
    )
    direction: Text | None = Field(None, description="Calls and emails: `out` or `in`.")
    duration_seconds: int | None = Field(None, description="Calls: how long, in seconds.")
    outcome: Text | None = Field(
        None,
        description="Calls: `talked`, `no_answer`, `busy`, `voicemail`, `call_back`, "
        "`wrong_number`.",
    )
    mood: int | None = Field(None, description="Calls: the client's mood, 1 (angry) to 5.")
    draining: int | None = Field(None, description="Calls: how draining, 1 (easy) to 5.")
    ended_at: datetime.datetime | None = Field(None, description="Meetings: when it ends.")
    place: Text | None = Field(None, description="Meetings.")
    attendees: Text | None = Field(None, description="Meetings.")
    email_address: Text | None = Field(None, description="Emails: written to or from.")


class ActivityIn(_ActivityFields):
    kind: Text = Field(description="`call`, `meeting`, `email` or `note`.")


class ActivityPatchIn(_ActivityFields):
    kind: Text | None = Field(None, description="Cannot change; log a new activity instead.")
    expected_updated_at: datetime.datetime | None = _VERSION


class ActivityOut(Schema):
    id: int
    kind: str
    contact: RefOut | None
    company: RefOut | None
    deal: RefOut | None
    subject: str
    body: str
    started_at: Timestamp
    user: RefOut = Field(description="Who did it.")
    owner: RefOut = Field(description="The client's owner.")
    direction: str | None
    duration_seconds: int | None
    outcome: str | None
    mood: int | None
    draining: int | None
    ended_at: Timestamp | None
    place: str
    attendees: str
    email_address: str
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Activity) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Activity) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_deal(obj: Activity) -> dict[str, Any] | None:
        return _ref(obj, "deal")

    @staticmethod
    def resolve_user(obj: Activity) -> dict[str, Any] | None:
        return _ref(obj, "user")

    @staticmethod
    def resolve_owner(obj: Activity) -> dict[str, Any] | None:
        return _ref(obj, "owner")

    @staticmethod
    def resolve_direction(obj: Activity) -> str | None:
        return obj.direction or None

    @staticmethod
    def resolve_outcome(obj: Activity) -> str | None:
        return obj.outcome or None

    @staticmethod
    def resolve_duration_seconds(obj: Activity) -> int | None:
        return None if obj.duration is None else int(obj.duration.total_seconds())


class ActivityPageOut(Schema):
    items: list[ActivityOut]
    next_cursor: str | None
    previous_cursor: str | None


# --- tasks -------------------------------------------------------------------------------------


class TaskListQuery(Schema):
    owner: Text | None = Field(None, description="The assignee: a user id, or `me`.")
    status: Text = Field("open", description="`open`, `done` or `all`.")
    due_before: Text | None = Field(None, description="Due on this day or earlier.")
    due_after: Text | None = Field(None, description="Due on this day or later.")
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    deal: Text | None = Field(None, description="A deal id.")
    sort: Text = Field("due", description="One of `due`, `-due`, `-created`.")
    cursor: Text | None = _CURSOR
    limit: int = _LIMIT


class MyDayQuery(Schema):
    upcoming_days: int = Field(7, ge=0, le=60, description="How many days ahead `upcoming` looks.")
    limit: int = Field(100, ge=1, le=200, description="Tasks per list at most.")


class _TaskFields(_StrictIn):
    notes: Text | None = None
    due_time: datetime.time | None = Field(None, description="HH:MM, the assignee's local time.")
    urgent: bool | None = None
    owner: RecordId | None = Field(None, description="The assignee; by default the caller.")
    contact: RecordId | None = None
    company: RecordId | None = None
    deal: RecordId | None = None


class TaskIn(_TaskFields):
    title: Text
    due_date: datetime.date


class TaskPatchIn(_TaskFields):
    title: Text | None = None
    due_date: datetime.date | None = None
    expected_updated_at: datetime.datetime | None = _VERSION


class TaskOut(Schema):
    id: int
    title: str
    notes: str
    due_date: datetime.date
    due_time: datetime.time | None
    urgent: bool
    owner: RefOut = Field(description="The assignee.")
    contact: RefOut | None
    company: RefOut | None
    deal: RefOut | None
    done: bool
    done_at: Timestamp | None
    done_by: RefOut | None
    origin: str = Field(
        description="What made the task: `manual`, `follow_up`, `handover`, `reminder`, "
        "`complaint`, `survey`, `playbook` or `experiment`."
    )
    created_by: RefOut | None = Field(description="Null for a task the system created.")
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_owner(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "owner")

    @staticmethod
    def resolve_contact(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_deal(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "deal")

    @staticmethod
    def resolve_done(obj: Task) -> bool:
        return obj.is_done

    @staticmethod
    def resolve_done_by(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "done_by")

    @staticmethod
    def resolve_created_by(obj: Task) -> dict[str, Any] | None:
        return _ref(obj, "created_by")


class TaskPageOut(Schema):
    items: list[TaskOut]
    next_cursor: str | None
    previous_cursor: str | None


class MyDayOut(Schema):
    today: datetime.date = Field(description="Today in the caller's time zone.")
    overdue: list[TaskOut] = Field(
        description="Open tasks due before today, or today at a time already passed."
    )
    due_today: list[TaskOut]
    upcoming: list[TaskOut]
    done_today: list[TaskOut]
    calls_today: list[ActivityOut] = Field(description="The calls the caller made today.")
