"""What the discount API takes in and gives out."""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import RecordId, Text, Timestamp
from clientela.retention.discounts.models import DiscountRequest


class _StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class RefOut(Schema):
    id: int
    name: str


def _ref(obj: Any, name: str) -> dict[str, Any] | None:
    related = getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None
    return None if related is None else {"id": related.pk, "name": str(related)}


class RequestIn(_StrictIn):
    subject: Text = Field(description="`deal` or `purchase`.")
    contact: RecordId | None = Field(None, description="For a record not saved yet.")
    company: RecordId | None = None
    deal: RecordId | None = Field(None, description="The deal (or the deal a purchase closes).")
    purchase: RecordId | None = None
    discount_percent: Decimal
    amount: Decimal = Field(description="The price the client pays, after the discount.")
    cost: Decimal | None = None
    currency: Text | None = Field(None, description="By default the record's, else UAH.")
    reason: Text


class DecisionIn(_StrictIn):
    note: Text = ""


class RequestListQuery(Schema):
    status: Text = Field("", description="`pending`, `approved`, `rejected`, `cancelled`, `used`.")


class RequestOut(Schema):
    id: int
    subject: str
    status: str
    requested_by: RefOut
    contact: RefOut | None
    company: RefOut | None
    deal: RefOut | None
    purchase: RefOut | None
    discount_percent: Decimal
    amount: Decimal
    cost: Decimal | None
    currency: str
    limit_percent: Decimal | None
    reason: str
    decided_by: RefOut | None
    decided_at: Timestamp | None
    decision_note: str
    valid_until: datetime.date | None
    created_at: Timestamp

    @staticmethod
    def resolve_requested_by(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "requested_by")

    @staticmethod
    def resolve_contact(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_deal(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "deal")

    @staticmethod
    def resolve_purchase(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "purchase")

    @staticmethod
    def resolve_decided_by(obj: DiscountRequest) -> dict[str, Any] | None:
        return _ref(obj, "decided_by")


class RequestListOut(Schema):
    to_decide: list[RequestOut] = Field(description="Pending requests the caller may decide.")
    others: list[RequestOut]


class RuleOut(Schema):
    lifecycle: str
    tag: str | None
    max_percent: Decimal

    @staticmethod
    def resolve_tag(obj: Any) -> str | None:
        return obj.tag.name if obj.tag_id else None


class PolicyOut(Schema):
    active: bool = Field(description="False until an administrator saves a policy: no limits.")
    manager_max_percent: Decimal | None
    lead_max_percent: Decimal | None
    admin_max_percent: Decimal | None
    margin_floor_percent: Decimal | None
    approval_days: int
    rules: list[RuleOut]


class ReportQuery(Schema):
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


class MoneyOut(Schema):
    currency: str
    amount: Decimal


class ReportRowOut(Schema):
    id: int = Field(description="The user or client id (0 for the total).")
    name: str
    purchases: int
    average_percent: Decimal
    max_percent: Decimal
    discount_given: list[MoneyOut] = Field(description="Σ amount × d / (100 − d), per currency.")
    within: int
    approved: int
    unapproved: int
    below_floor: int

    @staticmethod
    def resolve_id(obj: Any) -> int:
        return int(obj.key)

    @staticmethod
    def resolve_name(obj: Any) -> str:
        return str(obj.label)

    @staticmethod
    def resolve_discount_given(obj: Any) -> list[dict[str, Any]]:
        return [{"currency": c, "amount": a} for c, a in obj.money_list]


class ReportOut(Schema):
    date_from: datetime.date | None
    date_to: datetime.date | None
    total: ReportRowOut
    by_manager: list[ReportRowOut]
    by_client: list[ReportRowOut]
