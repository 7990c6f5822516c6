"""Gestures over JSON."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from ninja import Query, Status

from clientela.accounts.api import BadQuery, RecordId, actor, error_responses
from clientela.core.pagination import Page
from clientela.occasions import (
    selectors_api,
    selectors_gestures,
    services_gestures,
)
from clientela.occasions.api._common import (
    GESTURES,
    READ_ERRORS,
    WRITE_ERRORS,
    router,
)
from clientela.occasions.schemas import (
    GestureIn,
    GestureListQuery,
    GestureOut,
    GesturePageOut,
    GesturePatchIn,
)

# --- gestures -----------------------------------------------------------------------------------


@router.get(
    "/gestures",
    response={200: GesturePageOut, **error_responses(400, 401)},
    tags=GESTURES,
    summary="Gestures for the clients you see",
)
def gesture_list(request: HttpRequest, query: Query[GestureListQuery]) -> Page:
    """Newest first, one page at a time (follow `next_cursor`)."""
    who = actor(request)
    try:
        filters = selectors_gestures.gesture_filters_clean(
            who, query.model_dump(exclude={"cursor", "limit"})
        )
        return selectors_api.gesture_page(who, filters, cursor=query.cursor, size=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get(
    "/gestures/{gesture_id}",
    response={200: GestureOut, **READ_ERRORS},
    tags=GESTURES,
    summary="One gesture",
)
def gesture_detail(request: HttpRequest, gesture_id: RecordId) -> Any:
    return selectors_gestures.gesture_get(actor(request), gesture_id)


@router.post(
    "/gestures",
    response={201: GestureOut, **error_responses(401, 403, 422)},
    tags=GESTURES,
    summary="Record a gesture",
)
def gesture_create(request: HttpRequest, payload: GestureIn) -> Status:
    """Something done for a client (postcard, flowers, a voucher…), with what it cost."""
    with transaction.atomic():
        gesture = services_gestures.gesture_create(
            actor=actor(request), data=payload.model_dump(exclude_unset=True)
        )
        out = GestureOut.from_orm(gesture)
    return Status(201, out)


@router.patch(
    "/gestures/{gesture_id}",
    response={200: GestureOut, **WRITE_ERRORS, **error_responses(409)},
    tags=GESTURES,
    summary="Change a gesture",
)
def gesture_update(request: HttpRequest, gesture_id: RecordId, payload: GesturePatchIn) -> Any:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first."""
    who = actor(request)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    with transaction.atomic():
        gesture = services_gestures.gesture_update(
            actor=who,
            gesture=selectors_gestures.gesture_get(who, gesture_id),
            data=data,
            expected_updated_at=expected,
        )
        return GestureOut.from_orm(gesture)


@router.delete(
    "/gestures/{gesture_id}",
    response={204: None, **WRITE_ERRORS},
    tags=GESTURES,
    summary="Delete a gesture recorded by mistake",
)
def gesture_delete(request: HttpRequest, gesture_id: RecordId) -> Status:
    """The audit log keeps what it was; a gesture that did not happen is better `cancelled`."""
    who = actor(request)
    with transaction.atomic():
        services_gestures.gesture_delete(
            actor=who, gesture=selectors_gestures.gesture_get(who, gesture_id)
        )
    return Status(204, None)
