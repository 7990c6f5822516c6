"""What the sales API takes in and gives out: one input and one output shape per endpoint.

Input shapes only type-check; the services decide what is valid (client, currency, amounts,
stages) so the API, the pages and imports answer alike. Amounts are decimal strings in and
out ("1500.00"): a JSON float would lose cents. A PATCH changes only the fields sent.
"""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import RecordId, Text, Timestamp
from clientela.sales.models import Deal, Purchase
from clientela.sales.selectors import BoardColumn, PurchaseRhythm, StageSpan


class _StrictIn(Schema):
    # A misspelt field is an error naming it, not a change silently left undone.
    model_config = ConfigDict(extra="forbid")


class RefOut(Schema):
    id: int
    name: str


class StageOut(Schema):
    id: int
    name: str
    kind: str = Field(description="`open`, `won` or `lost`.")
    probability: int
    position: int
    active: bool = Field(description="A retired stage is not offered for moves.")


class PipelineOut(Schema):
    id: int
    name: str
    is_default: bool
    active: bool = Field(description="A retired pipeline takes no new deals.")
    stages: list[StageOut]

    @staticmethod
    def resolve_stages(obj: Any) -> list[Any]:
        return list(obj.stages.all())


def _ref(obj: Any, name: str) -> dict[str, Any] | None:
    related = getattr(obj, name) if getattr(obj, f"{name}_id") is not None else None
    return None if related is None else {"id": related.pk, "name": str(related)}


# --- deals -------------------------------------------------------------------------------------


class DealListQuery(Schema):
    pipeline: Text | None = Field(None, description="A pipeline id.")
    stage: Text | None = Field(None, description="A stage id.")
    owner: Text | None = Field(None, description="A user id, or `me`.")
    team: Text | None = Field(None, description="A team id, or `mine`.")
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    status: Text | None = Field(None, description="`open`, `won` or `lost`.")
    q: Text = Field("", max_length=100, description="Words of the title.")
    sort: Text = Field(
        "-created",
        description="One of `-created`, `created`, `-updated`, `title`, `-title`, `-value`, `value`, "
        "`board`. Value sorts compare amounts whatever their currency.",
    )
    cursor: Text | None = Field(
        None, description="`next_cursor` or `previous_cursor` of the page before."
    )
    limit: int = Field(50, ge=1, le=200, description="Rows per page.")


class BoardQuery(Schema):
    owner: Text | None = Field(None, description="A user id, or `me`.")
    team: Text | None = Field(None, description="A team id, or `mine`.")
    q: Text = Field("", max_length=100, description="Words of the title.")
    cards: int = Field(20, ge=1, le=100, description="Cards per column.")


class _DealFields(_StrictIn):
    contact: RecordId | None = Field(None, description="A contact id; a contact or a company.")
    company: RecordId | None = Field(None, description="A company id.")
    value: Decimal = Field(
        Decimal(0),
        description='The price the client pays, after the discount; a decimal string, e.g. "1500.00".',
    )
    currency: Text = Field("UAH", description="ISO 4217: UAH, EUR, USD, PLN, …")
    discount_percent: Decimal | None = Field(
        None, description="0–100; within the discount policy, or approved by a lead."
    )
    cost: Decimal | None = Field(None, description="What the deal costs the firm, same currency.")
    expected_close: datetime.date | None = None
    source: Text = ""
    probability: int | None = Field(None, description="0–100; by default the stage's.")
    owner: RecordId | None = Field(None, description="A user id; by default the caller.")


class DealIn(_DealFields):
    title: Text
    pipeline: RecordId | None = Field(None, description="By default the default pipeline.")
    stage: RecordId | None = Field(None, description="By default the first open stage.")
    lost_reason: RecordId | None = Field(None, description="Required for a lost stage.")


class DealPatchIn(_DealFields):
    title: Text | None = None
    lost_reason: RecordId | None = Field(None, description="Only for a lost deal.")
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )


class PurchaseDetailsIn(_StrictIn):
    date: datetime.date | None = Field(None, description="By default today.")
    amount: Decimal | None = Field(None, description="By default the deal's value.")
    currency: Text | None = Field(None, description="By default the deal's currency.")
    description: Text = ""
    discount_percent: Decimal | None = Field(None, description="0–100.")
    cost: Decimal | None = Field(None, description="What it costs the firm, same currency.")


class MoveIn(_StrictIn):
    stage: RecordId = Field(description="A stage of the deal's pipeline.")
    expected_stage: RecordId | None = Field(
        None,
        description="The stage the caller saw the deal in; if someone moved it since, 409.",
    )
    lost_reason: RecordId | None = Field(None, description="Required for a lost stage.")
    purchase: PurchaseDetailsIn | None = Field(
        None, description="For a won stage: record the purchase in the same step."
    )


class DealListItemOut(Schema):
    id: int
    title: str
    contact: RefOut | None
    company: RefOut | None
    value: Decimal
    currency: str
    expected_close: datetime.date | None
    source: str
    pipeline: int
    stage: StageOut
    lost_reason: RefOut | None
    probability: int
    owner: RefOut
    stage_changed_at: Timestamp
    closed_at: Timestamp | None
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Deal) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Deal) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_lost_reason(obj: Deal) -> dict[str, Any] | None:
        return _ref(obj, "lost_reason")

    @staticmethod
    def resolve_owner(obj: Deal) -> dict[str, Any] | None:
        return _ref(obj, "owner")

    @staticmethod
    def resolve_pipeline(obj: Deal) -> int:
        return obj.pipeline_id


class DealOut(DealListItemOut):
    discount_percent: Decimal | None = Field(description="The value is the price after it.")
    cost: Decimal | None = Field(description="What the deal costs the firm, same currency.")


class DealPageOut(Schema):
    items: list[DealListItemOut]
    next_cursor: str | None
    previous_cursor: str | None


class StageSpanOut(Schema):
    stage: RefOut
    entered_at: Timestamp
    left_at: Timestamp | None
    actor: RefOut | None
    seconds: int = Field(description="Time spent in the stage; up to now for the current one.")

    @staticmethod
    def resolve_stage(obj: StageSpan) -> dict[str, Any]:
        return {"id": obj.stage.pk, "name": obj.stage.name}

    @staticmethod
    def resolve_actor(obj: StageSpan) -> dict[str, Any] | None:
        return None if obj.actor is None else {"id": obj.actor.pk, "name": str(obj.actor)}

    @staticmethod
    def resolve_seconds(obj: StageSpan) -> int:
        return int(obj.duration.total_seconds())


class BoardColumnOut(Schema):
    stage: StageOut
    count: int
    totals: dict[str, Decimal] = Field(description="The sum of the values per currency.")
    cards: list[DealListItemOut]
    more: bool
    next_cursor: str | None = Field(
        description="For the rest: GET /deals?stage=<id>&sort=board&cursor=<this>."
    )

    @staticmethod
    def resolve_more(obj: BoardColumn) -> bool:
        return obj.more


class BoardOut(Schema):
    pipeline: RefOut
    columns: list[BoardColumnOut]

    @staticmethod
    def resolve_pipeline(obj: Any) -> dict[str, Any]:
        return {"id": obj.pipeline.pk, "name": obj.pipeline.name}


# --- purchases ---------------------------------------------------------------------------------


class PurchaseListQuery(Schema):
    contact: Text | None = Field(None, description="A contact id.")
    company: Text | None = Field(None, description="A company id.")
    deal: Text | None = Field(None, description="A deal id.")
    owner: Text | None = Field(None, description="A user id, or `me`.")
    sort: Text = Field("-date", description="One of `-date`, `date`, `-created`.")
    cursor: Text | None = None
    limit: int = Field(50, ge=1, le=200)


class RhythmQuery(Schema):
    contact: RecordId | None = Field(None, description="A contact id; or give a company.")
    company: RecordId | None = Field(None, description="A company id.")


class _PurchaseFields(_StrictIn):
    contact: RecordId | None = Field(None, description="A contact id; a contact or a company.")
    company: RecordId | None = Field(None, description="A company id.")
    deal: RecordId | None = Field(None, description="The deal it closed, if any.")
    currency: Text = Field("UAH", description="ISO 4217: UAH, EUR, USD, PLN, …")
    description: Text = Field("", description="What was bought.")
    discount_percent: Decimal | None = Field(
        None, description="0–100; within the discount policy, or approved by a lead."
    )
    cost: Decimal | None = Field(None, description="What it costs the firm, same currency.")


class PurchaseIn(_PurchaseFields):
    date: datetime.date
    amount: Decimal = Field(
        description='The price the client pays, after the discount; e.g. "1500.00".'
    )


class PurchasePatchIn(_PurchaseFields):
    date: datetime.date | None = None
    amount: Decimal | None = None
    expected_updated_at: datetime.datetime | None = Field(
        None, description="The `updated_at` the change is based on; a newer record answers 409."
    )


class PurchaseOut(Schema):
    id: int
    contact: RefOut | None
    company: RefOut | None
    deal: RefOut | None
    date: datetime.date
    amount: Decimal
    currency: str
    description: str
    discount_percent: Decimal | None
    cost: Decimal | None
    owner: RefOut
    created_at: Timestamp
    updated_at: Timestamp

    @staticmethod
    def resolve_contact(obj: Purchase) -> dict[str, Any] | None:
        return _ref(obj, "contact")

    @staticmethod
    def resolve_company(obj: Purchase) -> dict[str, Any] | None:
        return _ref(obj, "company")

    @staticmethod
    def resolve_deal(obj: Purchase) -> dict[str, Any] | None:
        return _ref(obj, "deal")

    @staticmethod
    def resolve_owner(obj: Purchase) -> dict[str, Any] | None:
        return _ref(obj, "owner")


class PurchasePageOut(Schema):
    items: list[PurchaseOut]
    next_cursor: str | None
    previous_cursor: str | None


class RhythmOut(Schema):
    count: int
    totals: dict[str, Decimal] = Field(description="The sum of the amounts per currency.")
    first_date: datetime.date | None
    last_date: datetime.date | None
    purchase_days: int = Field(description="Distinct days with a purchase.")
    average_interval_days: Decimal | None = Field(
        description="Mean days between purchase days; null below three purchase days."
    )
    days_since_last: int | None
    expected_next: datetime.date | None
    overdue: bool = Field(description="More than 1.5 × the average interval since the last.")

    @staticmethod
    def resolve_totals(obj: PurchaseRhythm) -> dict[str, Decimal]:
        return obj.totals


class StageTimeOut(Schema):
    stage: int
    name: str
    deals: int = Field(description="Stays in the stage that have ended (the deal moved on).")
    average_seconds: int | None = Field(description="Their average length; null without any.")
