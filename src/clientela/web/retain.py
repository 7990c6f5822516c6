"""The "retain" part of the dashboard and its own page: complaints, satisfaction, clients at
risk, running experiments and discounts waiting for a decision.

Each figure comes from its app's selector, already narrowed to what the user may see; the
block costs a fixed number of queries whatever the size of the firm.
"""

from typing import Any

from clientela.accounts.models import User
from clientela.retention.complaints.selectors import complaint_summary
from clientela.retention.discounts.selectors import pending_approvals
from clientela.retention.experiments.selectors import running_experiments
from clientela.retention.health.selectors import at_risk_summary
from clientela.retention.surveys.selectors import nps_trend


def retain_summary(user: User, *, months: int = 6) -> dict[str, Any]:
    trend = nps_trend(user, months)
    answered = [(month, nps, count) for month, nps, count in trend if nps is not None]
    return {
        "complaints": complaint_summary(user),
        "nps_trend": [
            # NPS runs from -100 to 100; a bar's length is its distance from 0.
            {"month": month, "nps": nps, "answers": count, "size": abs(nps or 0)}
            for month, nps, count in trend
        ],
        "nps_last": answered[-1] if answered else None,
        "at_risk": at_risk_summary(user),
        "experiments": running_experiments(user),
        "approvals": pending_approvals(user),
    }
