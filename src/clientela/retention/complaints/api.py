"""Complaints over JSON: parse, call one service or selector.

Every read goes through the selectors (what the caller may see, or 404); every write goes
through the services inside one transaction, together with building its answer, so a failure
anywhere leaves nothing saved. Mounted at /api/v1/ by clientela.api.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Router, Status

from clientela.accounts.api import BadQuery, RecordId, actor, error_responses
from clientela.core.pagination import Page
from clientela.retention.complaints import selectors, services
from clientela.retention.complaints.models import ComplaintPolicy
from clientela.retention.complaints.schemas import (
    CompensationIn,
    ComplaintIn,
    ComplaintListQuery,
    ComplaintOut,
    ComplaintPageOut,
    ComplaintPatchIn,
    PolicyIn,
    PolicyOut,
    ReopenIn,
    ResolveIn,
)

router = Router(tags=["complaints"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)
EDIT_ERRORS = {**WRITE_ERRORS, **error_responses(409)}


@router.get("/complaints", response={200: ComplaintPageOut, **error_responses(400, 401)})
def complaint_list(request: HttpRequest, query: Query[ComplaintListQuery]) -> Page:
    """Complaints the caller may see, soonest deadline first, one page at a time."""
    who = actor(request)
    params = query.model_dump(exclude={"cursor", "limit"})
    if params.get("overdue") is not None:
        params["overdue"] = "true" if params["overdue"] else "false"
    try:
        filters = selectors.complaint_filters_clean(who, params)
        return selectors.complaint_list(who, filters, cursor=query.cursor, limit=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get("/complaints/deadlines", response={200: PolicyOut, **error_responses(401)})
def policy_get(request: HttpRequest) -> Any:
    """Hours to resolve a complaint of each severity."""
    return ComplaintPolicy.current()


@router.patch("/complaints/deadlines", response={200: PolicyOut, **error_responses(401, 403, 422)})
def policy_update(request: HttpRequest, payload: PolicyIn) -> Any:
    """Set the hours of a severity (administrators)."""
    with transaction.atomic():
        return services.complaint_policy_update(
            actor=actor(request), data=payload.model_dump(exclude_unset=True)
        )


@router.get("/complaints/{complaint_id}", response={200: ComplaintOut, **READ_ERRORS})
def complaint_detail(request: HttpRequest, complaint_id: RecordId) -> Any:
    return selectors.complaint_get(actor(request), complaint_id)


@router.post("/complaints", response={201: ComplaintOut, **error_responses(401, 403, 422)})
def complaint_create(request: HttpRequest, payload: ComplaintIn) -> Status:
    """Record a complaint of a contact and/or company (or of a deal's or purchase's client)."""
    who = actor(request)
    with transaction.atomic():
        complaint = services.complaint_create(
            actor=who, data=payload.model_dump(exclude_unset=True)
        )
        out = ComplaintOut.from_orm(selectors.complaint_get(who, complaint.pk))
    return Status(201, out)


@router.patch("/complaints/{complaint_id}", response={200: ComplaintOut, **EDIT_ERRORS})
def complaint_update(
    request: HttpRequest, complaint_id: RecordId, payload: ComplaintPatchIn
) -> ComplaintOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first."""
    who = actor(request)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    with transaction.atomic():
        services.complaint_update(
            actor=who,
            complaint=selectors.complaint_get(who, complaint_id),
            data=data,
            expected_updated_at=expected,
        )
        return ComplaintOut.from_orm(selectors.complaint_get(who, complaint_id))


def _transition(
    request: HttpRequest, complaint_id: int, service: Callable[..., object], **kwargs: Any
) -> ComplaintOut:
    who = actor(request)
    with transaction.atomic():
        service(actor=who, complaint=selectors.complaint_get(who, complaint_id), **kwargs)
        return ComplaintOut.from_orm(selectors.complaint_get(who, complaint_id))


@router.post("/complaints/{complaint_id}/start", response={200: ComplaintOut, **WRITE_ERRORS})
def complaint_start(request: HttpRequest, complaint_id: RecordId) -> ComplaintOut:
    """new → in progress; any other state is refused (422 on `status`)."""
    return _transition(request, complaint_id, services.complaint_start)


@router.post("/complaints/{complaint_id}/resolve", response={200: ComplaintOut, **WRITE_ERRORS})
def complaint_resolve(
    request: HttpRequest, complaint_id: RecordId, payload: ResolveIn
) -> ComplaintOut:
    """in progress → resolved, with how it was resolved."""
    return _transition(
        request, complaint_id, services.complaint_resolve, resolution=payload.resolution
    )


@router.post("/complaints/{complaint_id}/close", response={200: ComplaintOut, **WRITE_ERRORS})
def complaint_close(request: HttpRequest, complaint_id: RecordId) -> ComplaintOut:
    """resolved → closed."""
    return _transition(request, complaint_id, services.complaint_close)


@router.post("/complaints/{complaint_id}/reopen", response={200: ComplaintOut, **WRITE_ERRORS})
def complaint_reopen(
    request: HttpRequest, complaint_id: RecordId, payload: ReopenIn
) -> ComplaintOut:
    """resolved or closed → in progress, with a reason; the deadline counts again from now."""
    return _transition(request, complaint_id, services.complaint_reopen, reason=payload.reason)


@router.post(
    "/complaints/{complaint_id}/compensation", response={200: ComplaintOut, **WRITE_ERRORS}
)
def complaint_compensation(
    request: HttpRequest, complaint_id: RecordId, payload: CompensationIn
) -> ComplaintOut:
    """Record a gesture (a discount voucher by default) for the client as the compensation;
    to link a gesture already recorded, PATCH `compensation`."""
    return _transition(
        request,
        complaint_id,
        services.complaint_compensation_record,
        data=payload.model_dump(exclude_unset=True),
    )


@router.delete("/complaints/{complaint_id}", response={204: None, **WRITE_ERRORS})
def complaint_delete(request: HttpRequest, complaint_id: RecordId) -> Status:
    """Move to the trash; its owner or an administrator can restore it."""
    who = actor(request)
    with transaction.atomic():
        services.complaint_delete(actor=who, complaint=selectors.complaint_get(who, complaint_id))
    return Status(204, None)


@router.post("/complaints/{complaint_id}/restore", response={200: ComplaintOut, **WRITE_ERRORS})
def complaint_restore(request: HttpRequest, complaint_id: RecordId) -> ComplaintOut:
    who = actor(request)
    with transaction.atomic():
        complaint = selectors.trashed_complaint_get(who, complaint_id)
        services.complaint_restore(actor=who, complaint=complaint)
        return ComplaintOut.from_orm(complaint)
