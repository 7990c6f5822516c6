"""Client health over JSON: one contact's health and the at-risk list (read only).

Mounted at /api/v1/ by clientela.api; visibility as everywhere: a contact the caller may not
see is 404.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from clientela.accounts.api import RecordId, actor, error_responses
from clientela.retention.health import selectors
from clientela.retention.health.explanations import NO_PURCHASES, NOT_ENOUGH_HISTORY, explain
from clientela.retention.health.schemas import AtRiskListOut, AtRiskQuery, HealthOut

router = Router(tags=["client health"])


def health_out(view: selectors.ContactHealthView) -> dict[str, Any]:
    health = view.health
    contact = view.contact
    base: dict[str, Any] = {
        "contact_id": contact.pk,
        "contact": str(contact),
        "owner": str(contact.owner),
        "enough_history": view.enough_history,
        "at_risk": view.at_risk,
        "score": None,
        "level": None,
        "p_alive": None,
        "expected_purchases_90d": None,
        "expected_value_per_purchase": None,
        "value_at_stake": None,
        "currency": None,
        "purchases": 0,
        "last_purchase": None,
        "reasons": [],
        "computed_at": None,
    }
    if health is None:
        return base | {"status": "no_purchases", "explanation": str(NO_PURCHASES)}
    base |= {
        "status": health.status,
        "purchases": health.purchases,
        "last_purchase": health.last_purchase,
        "computed_at": health.computed_at,
    }
    if not view.scored:
        return base | {"explanation": str(NOT_ENOUGH_HISTORY)}
    return base | {
        "score": health.score,
        "level": health.level,
        "p_alive": health.p_alive,
        "expected_purchases_90d": health.expected_purchases,
        "expected_value_per_purchase": health.expected_value,
        "value_at_stake": health.value_at_stake,
        "currency": health.currency or None,
        "reasons": health.reasons,
        "explanation": explain(health.reasons, now=timezone.now()),
    }


@router.get("/health/contacts/{contact_id}", response={200: HealthOut, **error_responses(401, 404)})
def contact_health(request: HttpRequest, contact_id: RecordId) -> Any:
    """The health of one contact the caller sees."""
    return health_out(selectors.contact_health(actor(request), contact_id))


@router.get("/health/at-risk", response={200: AtRiskListOut, **error_responses(400, 401)})
def at_risk(request: HttpRequest, query: Query[AtRiskQuery]) -> Any:
    """Clients below the threshold the caller sees, most value at stake first."""
    user = actor(request)
    found = selectors.at_risk_filtered(user, owner=query.owner, team=query.team)
    threshold = selectors.HealthSettings.current().threshold
    fit = selectors.rhythm_fit()
    items = [
        health_out(selectors.ContactHealthView(contact, contact.health, fit, threshold))
        for contact in found[query.offset : query.offset + query.limit]
    ]
    return {
        "count": found.count(),
        "threshold": threshold,
        "fitted_at": fit.fitted_at if fit else None,
        "enough_history": bool(fit and fit.enough_history),
        "items": items,
    }
