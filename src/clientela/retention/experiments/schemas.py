"""What the experiments API takes in and gives out.

Input shapes only type-check; the services decide what is valid (the filters as the contact
list takes them, the arms, the window), so the API and the pages answer alike.
"""

import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict

from clientela.accounts.api import Text
from clientela.retention.experiments.models import Experiment
from clientela.retention.experiments.results import Results


class _StrictIn(Schema):
    model_config = ConfigDict(extra="forbid")


class ArmIn(_StrictIn):
    name: Text
    is_control: bool = False
    gesture_kind: Text = Field(
        "", description="A gesture kind (`postcard`, `voucher`, …) or empty."
    )
    creates_task: bool = Field(False, description="A task for each client's owner.")
    greeting_template: int | None = Field(
        None,
        description="A greeting template (id, in use) sent by email to each client with an "
        "email address and marketing consent when the experiment starts, in the client's "
        "language where the template's occasion has one; null: none.",
    )
    cost: Decimal = Field(Decimal(0), description="Cost per client.")
    currency: Text = Field("UAH", description="ISO 4217 code.")


class ExperimentIn(_StrictIn):
    name: Text
    hypothesis: Text = ""
    filters: dict[str, Text] = Field(
        default_factory=dict,
        description="The contact list's filters: `owner` (an id or `me`), `tag` (an id or a "
        "name), `lifecycle`, `company`, `q`.",
    )
    at_risk_only: bool = False
    window_days: int = Field(60, description="The outcome: a purchase within this many days.")
    stratify_by_owner: bool = True
    seed: int | None = Field(None, description="Empty: drawn when the experiment starts.")
    arms: list[ArmIn] = Field(default_factory=list)


class RefOut(Schema):
    id: int
    name: str


class ArmOut(Schema):
    id: int
    name: str
    is_control: bool
    gesture_kind: str
    creates_task: bool
    greeting_template: int | None = Field(description="The greeting template sent, or null.")
    cost: Decimal
    currency: str


class VersusOut(Schema):
    difference: float
    difference_low: float
    difference_high: float
    p_value: float
    p_adjusted: float
    test: str = Field(description="`z` (two-proportion z-test) or `fisher` (exact test).")
    significant: bool
    verdict: str


class ArmResultOut(Schema):
    arm: int
    name: str
    is_control: bool
    assigned: int
    n: int = Field(description="Clients whose window has ended.")
    retained: int
    pending: int = Field(description="Clients still in the window.")
    emails_sent: int = Field(description="Clients sent the arm's greeting email.")
    emails_not_sent_no_email: int = Field(description="Not sent: no email address.")
    emails_not_sent_no_consent: int = Field(description="Not sent: no marketing consent.")
    rate: float | None
    rate_low: float | None
    rate_high: float | None
    cost_total: Decimal
    cost_per_retained: Decimal | None
    cost_per_extra_retained: Decimal | None
    currency: str
    versus_control: VersusOut | None


class ResultsOut(Schema):
    verdict: str
    more_clients_per_arm_needed: int | None
    holm_adjusted: bool
    assigned: int
    pending: int
    arms: list[ArmResultOut]


class ExperimentSummaryOut(Schema):
    id: int
    name: str
    status: str
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    clients: int


class ExperimentOut(Schema):
    id: int
    name: str
    hypothesis: str
    status: str
    filters: dict[str, Any]
    at_risk_only: bool
    window_days: int
    stratify_by_owner: bool
    seed: int | None
    created_by: RefOut
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    arms: list[ArmOut]
    results: ResultsOut | None


def results_out(results: Results) -> dict[str, Any]:
    return {
        "verdict": results.verdict,
        "more_clients_per_arm_needed": results.more_needed,
        "holm_adjusted": results.adjusted,
        "assigned": results.assigned,
        "pending": results.pending,
        "arms": [
            {
                "arm": row.arm.pk,
                "name": row.arm.name,
                "is_control": row.arm.is_control,
                "assigned": row.counts.assigned,
                "n": row.counts.n,
                "retained": row.counts.retained,
                "pending": row.counts.pending,
                "emails_sent": row.counts.sent,
                "emails_not_sent_no_email": row.counts.no_email,
                "emails_not_sent_no_consent": row.counts.no_consent,
                "rate": row.rate,
                "rate_low": row.interval.low if row.interval else None,
                "rate_high": row.interval.high if row.interval else None,
                "cost_total": row.cost_total,
                "cost_per_retained": row.cost_per_retained,
                "cost_per_extra_retained": row.cost_per_extra,
                "currency": row.arm.currency,
                "versus_control": None
                if row.versus is None
                else {
                    "difference": row.versus.difference,
                    "difference_low": row.versus.interval.low,
                    "difference_high": row.versus.interval.high,
                    "p_value": row.versus.p_value,
                    "p_adjusted": row.versus.p_adjusted,
                    "test": row.versus.test,
                    "significant": row.versus.significant,
                    "verdict": row.versus.verdict,
                },
            }
            for row in results.arms
        ],
    }


def experiment_out(experiment: Experiment, results: Results | None) -> dict[str, Any]:
    return {
        "id": experiment.pk,
        "name": experiment.name,
        "hypothesis": experiment.hypothesis,
        "status": experiment.status,
        "filters": experiment.filters or {},
        "at_risk_only": experiment.at_risk_only,
        "window_days": experiment.window_days,
        "stratify_by_owner": experiment.stratify_by_owner,
        "seed": experiment.seed,
        "created_by": {"id": experiment.created_by_id, "name": str(experiment.created_by)},
        "started_at": experiment.started_at,
        "finished_at": experiment.finished_at,
        "arms": [
            {
                "id": arm.pk,
                "name": arm.name,
                "is_control": arm.is_control,
                "gesture_kind": arm.gesture_kind,
                "creates_task": arm.creates_task,
                "greeting_template": arm.greeting_template_id,
                "cost": arm.cost,
                "currency": arm.currency,
            }
            for arm in experiment.arms.all()
        ],
        "results": results_out(results) if results is not None else None,
    }
