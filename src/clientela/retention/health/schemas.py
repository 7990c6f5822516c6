"""Input and output shapes of the client health API."""

import datetime
from decimal import Decimal

from ninja import Field, Schema


class HealthOut(Schema):
    contact_id: int
    contact: str
    owner: str
    status: str = Field(
        description="`scored`, `history` (the firm's history is too short: no numbers) or "
        "`no_purchases` (the contact has bought nothing yet: no numbers)."
    )
    enough_history: bool
    score: int | None
    level: str | None = Field(description="`good`, `watch` or `at_risk`; null without a score.")
    at_risk: bool
    p_alive: float | None = Field(description="Probability the client is still active, 0–1.")
    expected_purchases_90d: float | None
    expected_value_per_purchase: Decimal | None
    value_at_stake: Decimal | None = Field(
        description="Expected value per purchase × purchases in 12 months if still active × "
        "(1 − p_alive), in `currency`."
    )
    currency: str | None
    purchases: int
    last_purchase: datetime.date | None
    explanation: str = Field(description="The reasons in plain words, in the caller's language.")
    reasons: list[dict[str, object]]
    computed_at: datetime.datetime | None


class AtRiskQuery(Schema):
    owner: int | None = None
    team: int | None = None
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=1_000_000)


class AtRiskListOut(Schema):
    count: int
    threshold: int
    fitted_at: datetime.datetime | None
    enough_history: bool
    items: list[HealthOut]
