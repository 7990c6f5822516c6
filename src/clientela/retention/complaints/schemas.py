"""What the complaints API takes in and gives out: one input and one output shape per endpoint.

Input shapes only type-check; the services decide what is valid (client, deal, purchase,
choices, transitions) so the API and the pages answer alike. Times are ISO-8601 with their
offset; a time sent without one is the caller's local time. A PATCH changes only the fields
sent.
"""

import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import RecordId, Text, Timestamp
from clientela.retention.complaints.models import Complaint


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


class ComplaintListQuery(Schema):
    status: Text | None = Field(
        None,
        description="`open` (new or in progress, the default), `all`, `new`, `in_progress`, "
        "`resolved` or `closed`.",
    )
    severity: Text | None = Field(None, description="`low`, `normal`, `high` or `critical`.")
    category: Text | None = Field(
        None, description="`product`, `delivery`, `service`, `billing`, `staff` or `other`."
    )
    overdue: bool | None = Field(None, description="Only open complaints past their deadline.")
    owner: Text | None = Field(None, description="Who handles it: a user id, or `me`.")
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    deal: Text | None = Field(None, description="A deal id.")
    purchase: Text | None = Field(None, description="A purchase id.")
    cursor: Text | None = _CURSOR
    limit: int = _LIMIT


class _ComplaintFields(_StrictIn):
    deal: RecordId | None = Field(None, description="A deal of the same client.")
    purchase: RecordId | None = Field(None, description="A purchase of the same client.")
    owner: RecordId | None = Field(
        None, description="Who handles it; by default the client's owner."
    )
    received_at: datetime.datetime | None = Field(None, description="By default now.")
    compensation: RecordId | None = Field(
        None, description="A gesture of the same client given as compensation."
    )


class ComplaintIn(_ComplaintFields):
    contact: RecordId | None = Field(
        None, description="A contact id; a contact or a company (or a deal or purchase) is needed."
    )
    company: RecordId | None = Field(
        None, description="A company id; by default the contact's company."
    )
    channel: Text = Field(
        description="`phone`, `email`, `meeting`, `messenger`, `website`, `social` or `other`."
    )
    category: Text = Field(
        description="`product`, `delivery`, `service`, `billing`, `staff` or `other`."
    )
    severity: Text | None = Field(
        None, description="`low`, `normal` (default), `high`, `critical`."
    )
    description: Text


class ComplaintPatchIn(_ComplaintFields):
    contact: RecordId | None = None
    company: RecordId | None = None
    channel: Text | None = None
    category: Text | None = None
    severity: Text | None = Field(None, description="A new severity moves the deadline.")
    description: Text | None = None
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )


class ResolveIn(_StrictIn):
    resolution: Text = Field(description="How the complaint was resolved.")


class ReopenIn(_StrictIn):
    reason: Text = Field(description="Why the complaint is reopened.")


class CompensationIn(_StrictIn):
    kind: Text | None = Field(None, description="A gesture kind; by default `voucher`.")
    cost: Text | None = Field(None, description="What it costs, e.g. `250.00`.")
    currency: Text | None = None
    date: datetime.date | None = None
    notes: Text | None = None


class ComplaintOut(Schema):
    id: int
    contact: RefOut | None
    company: RefOut | None
    deal: RefOut | None
    purchase: RefOut | None
    channel: str
    category: str
    severity: str
    description: str
    status: str = Field(description="`new`, `in_progress`, `resolved` or `closed`.")
    owner: RefOut = Field(description="Who handles it.")
    received_at: Timestamp
    deadline: Timestamp
    overdue: bool = Field(description="Open and past its deadline.")
    resolution: str
    resolved_at: Timestamp | None
    resolved_by: RefOut | None
    closed_at: Timestamp | None
    reopen_count: int
    escalated_at: Timestamp | None
    compensation: RefOut | None = Field(description="The gesture given as compensation.")
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_deal(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "deal")

    @staticmethod
    def resolve_purchase(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "purchase")

    @staticmethod
    def resolve_owner(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "owner")

    @staticmethod
    def resolve_resolved_by(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "resolved_by")

    @staticmethod
    def resolve_compensation(obj: Complaint) -> dict[str, Any] | None:
        return _ref(obj, "compensation")

    @staticmethod
    def resolve_overdue(obj: Complaint) -> bool:
        return obj.is_overdue()


class ComplaintPageOut(Schema):
    items: list[ComplaintOut]
    next_cursor: str | None
    previous_cursor: str | None


class PolicyOut(Schema):
    critical_hours: int
    high_hours: int
    normal_hours: int
    low_hours: int


class PolicyIn(_StrictIn):
    critical_hours: int | None = None
    high_hours: int | None = None
    normal_hours: int | None = None
    low_hours: int | None = None
