"""Discount requests, the report and the policy over JSON: parse, call one service or selector.

Mounted at /api/v1/ by clientela.api; errors take its one shape.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from clientela.accounts.api import BadQuery, RecordId, actor, error_responses
from clientela.retention.discounts import selectors, services
from clientela.retention.discounts.limits import policy_current
from clientela.retention.discounts.models import DiscountPolicy
from clientela.retention.discounts.schemas import (
    DecisionIn,
    PolicyOut,
    ReportOut,
    ReportQuery,
    RequestIn,
    RequestListOut,
    RequestListQuery,
    RequestOut,
)

router = Router(tags=["discounts"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)


@router.get("/discount-requests", response={200: RequestListOut, **error_responses(400, 401)})
def request_list(request: HttpRequest, query: Query[RequestListQuery]) -> Any:
    """Requests the caller may decide, then the others they see (the latest 100 of each)."""
    try:
        return selectors.request_list(actor(request), query.status)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get("/discount-requests/{request_id}", response={200: RequestOut, **READ_ERRORS})
def request_detail(request: HttpRequest, request_id: RecordId) -> Any:
    return selectors.request_get(actor(request), request_id)


@router.post("/discount-requests", response={201: RequestOut, **error_responses(401, 403, 422)})
def request_create(request: HttpRequest, payload: RequestIn) -> Status:
    """Ask for a discount above the caller's limit (or a margin below the floor)."""
    with transaction.atomic():
        filed = services.request_create(actor=actor(request), data=payload.model_dump())
        out = RequestOut.from_orm(filed)
    return Status(201, out)


def _act(request: HttpRequest, request_id: int, action: str, note: str = "") -> RequestOut:
    who = actor(request)
    with transaction.atomic():
        found = selectors.request_get(who, request_id)
        if action == "approve":
            done = services.request_approve(actor=who, request=found, note=note)
        elif action == "reject":
            done = services.request_reject(actor=who, request=found, note=note)
        else:
            done = services.request_cancel(actor=who, request=found)
        return RequestOut.from_orm(done)


@router.post("/discount-requests/{request_id}/approve", response={200: RequestOut, **WRITE_ERRORS})
def request_approve(request: HttpRequest, request_id: RecordId, payload: DecisionIn) -> RequestOut:
    """A lead of the requester's team (not the requester) or an administrator."""
    return _act(request, request_id, "approve", payload.note)


@router.post("/discount-requests/{request_id}/reject", response={200: RequestOut, **WRITE_ERRORS})
def request_reject(request: HttpRequest, request_id: RecordId, payload: DecisionIn) -> RequestOut:
    return _act(request, request_id, "reject", payload.note)


@router.post("/discount-requests/{request_id}/cancel", response={200: RequestOut, **WRITE_ERRORS})
def request_cancel(request: HttpRequest, request_id: RecordId) -> RequestOut:
    """The requester withdraws a pending or approved, unused request."""
    return _act(request, request_id, "cancel")


@router.get("/discounts/report", response={200: ReportOut, **error_responses(400, 401)})
def report(request: HttpRequest, query: Query[ReportQuery]) -> Any:
    """Discounts against policy, by manager and client, for purchases the caller sees."""
    try:
        return selectors.discount_report(actor(request), query.date_from, query.date_to)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get("/discounts/policy", response={200: PolicyOut, **error_responses(401)})
def policy(request: HttpRequest) -> dict[str, Any]:
    """The policy every user works under (readable by all signed-in users)."""
    actor(request)
    saved = policy_current()
    shown = saved or DiscountPolicy(
        manager_max_percent=None, lead_max_percent=None, admin_max_percent=None
    )
    return {
        "active": saved is not None,
        "manager_max_percent": shown.manager_max_percent,
        "lead_max_percent": shown.lead_max_percent,
        "admin_max_percent": shown.admin_max_percent,
        "margin_floor_percent": shown.margin_floor_percent,
        "approval_days": shown.approval_days,
        "rules": selectors.segment_rules() if saved is not None else [],
    }
