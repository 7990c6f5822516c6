"""Pipelines, deals, the board and purchases over JSON: parse, call one service or selector.

Every read goes through the selectors (what the caller may see, or 404); every write goes
through the services inside one transaction, together with building its answer, so a failure
anywhere leaves nothing saved. Mounted at /api/v1/ by clientela.api.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from clientela.accounts.api import (
    BadQuery,
    ErrorOut,
    FieldErrorOut,
    RecordId,
    actor,
    error_responses,
)
from clientela.contacts.selectors import company_get, contact_get
from clientela.core.errors import EditConflict
from clientela.core.pagination import Page
from clientela.sales import selectors, services
from clientela.sales.schemas import (
    BoardOut,
    BoardQuery,
    DealIn,
    DealListQuery,
    DealOut,
    DealPageOut,
    DealPatchIn,
    MoveIn,
    PipelineOut,
    PurchaseIn,
    PurchaseListQuery,
    PurchaseOut,
    PurchasePageOut,
    PurchasePatchIn,
    RefOut,
    RhythmOut,
    RhythmQuery,
    StageSpanOut,
    StageTimeOut,
)

router = Router(tags=["sales"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)


# --- pipelines and the board -------------------------------------------------------------------


@router.get("/pipelines", response={200: list[PipelineOut], **error_responses(401)})
def pipeline_list(request: HttpRequest) -> Any:
    """Every pipeline with its stages in order."""
    actor(request)
    return selectors.pipelines_all()


@router.get("/pipelines/{pipeline_id}/board", response={200: BoardOut, **READ_ERRORS})
def pipeline_board(request: HttpRequest, pipeline_id: RecordId, query: Query[BoardQuery]) -> Any:
    """The kanban: per stage the count, the sum per currency and the first cards."""
    who = actor(request)
    pipeline = selectors.pipeline_get(pipeline_id)
    try:
        filters = selectors.deal_filters_clean(who, query.model_dump(exclude={"cards"}))
    except ValidationError as exc:
        raise BadQuery(exc) from exc
    return selectors.board(who, pipeline, filters, cards=query.cards)


@router.get(
    "/pipelines/{pipeline_id}/stage-times", response={200: list[StageTimeOut], **READ_ERRORS}
)
def pipeline_stage_times(request: HttpRequest, pipeline_id: RecordId) -> Any:
    """How long the deals the caller sees stayed in each stage, on average (finished stays)."""
    who = actor(request)
    pipeline = selectors.pipeline_get(pipeline_id)
    times = selectors.pipeline_stage_times(who, pipeline)
    answer = []
    for stage in pipeline.stages.all():
        spent = times[stage.pk].average
        answer.append(
            {
                "stage": stage.pk,
                "name": stage.name,
                "deals": times[stage.pk].deals,
                "average_seconds": int(spent.total_seconds()) if spent is not None else None,
            }
        )
    return answer


@router.get("/lost-reasons", response={200: list[RefOut], **error_responses(401)})
def lost_reason_list(request: HttpRequest) -> Any:
    """The reasons a lost deal can be given."""
    actor(request)
    return selectors.lost_reasons_active()


# --- deals -------------------------------------------------------------------------------------


@router.get("/deals", response={200: DealPageOut, **error_responses(400, 401)})
def deal_list(request: HttpRequest, query: Query[DealListQuery]) -> Page:
    """Deals the caller may see, one page at a time (follow `next_cursor`)."""
    who = actor(request)
    try:
        filters = selectors.deal_filters_clean(who, query.model_dump())
        return selectors.deal_list(who, filters, cursor=query.cursor, size=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get("/deals/{deal_id}", response={200: DealOut, **READ_ERRORS})
def deal_detail(request: HttpRequest, deal_id: RecordId) -> Any:
    return selectors.deal_get(actor(request), deal_id)


@router.get("/deals/{deal_id}/stages", response={200: list[StageSpanOut], **READ_ERRORS})
def deal_stages(request: HttpRequest, deal_id: RecordId) -> Any:
    """The stages the deal went through, with who moved it and the time spent in each."""
    return selectors.deal_stage_history(selectors.deal_get(actor(request), deal_id))


@router.post("/deals", response={201: DealOut, **error_responses(401, 403, 422)})
def deal_create(request: HttpRequest, payload: DealIn) -> Status:
    with transaction.atomic():
        deal = services.deal_create(
            actor=actor(request), data=payload.model_dump(exclude_unset=True)
        )
        out = DealOut.from_orm(deal)
    return Status(201, out)


@router.patch("/deals/{deal_id}", response={200: DealOut, **WRITE_ERRORS, **error_responses(409)})
def deal_update(request: HttpRequest, deal_id: RecordId, payload: DealPatchIn) -> DealOut:
    """Change only the fields sent; with `expected_updated_at`, refuse (409) if someone was first."""
    who = actor(request)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    with transaction.atomic():
        deal = services.deal_update(
            actor=who,
            deal=selectors.deal_get(who, deal_id),
            data=data,
            expected_updated_at=expected,
        )
        return DealOut.from_orm(deal)


@router.post(
    "/deals/{deal_id}/move", response={200: DealOut, **WRITE_ERRORS, **error_responses(409)}
)
def deal_move(request: HttpRequest, deal_id: RecordId, payload: MoveIn) -> Any:
    """Move the deal to another stage of its pipeline.

    A lost stage needs `lost_reason`; a won stage may record the `purchase` at once. Send
    `expected_stage` (the stage you saw): if someone moved the deal since, the answer is 409
    and nothing changes.
    """
    who = actor(request)
    purchase = payload.purchase.model_dump(exclude_unset=True) if payload.purchase else None
    try:
        with transaction.atomic():
            deal = services.deal_move_stage(
                deal=selectors.deal_get(who, deal_id),
                stage=payload.stage,
                actor=who,
                lost_reason=payload.lost_reason,
                expected_stage=payload.expected_stage,
                purchase=purchase,
            )
            return DealOut.from_orm(deal)
    except EditConflict as exc:
        # The conflict is about the stage the caller saw, not about `expected_updated_at`.
        return Status(
            409,
            ErrorOut(
                detail=str(exc),
                errors=[FieldErrorOut(field="expected_stage", messages=[str(exc)])],
            ),
        )


@router.delete("/deals/{deal_id}", response={204: None, **WRITE_ERRORS})
def deal_delete(request: HttpRequest, deal_id: RecordId) -> Status:
    """Move to the trash; the owner or an administrator can restore it."""
    who = actor(request)
    with transaction.atomic():
        services.deal_delete(actor=who, deal=selectors.deal_get(who, deal_id))
    return Status(204, None)


@router.post("/deals/{deal_id}/restore", response={200: DealOut, **WRITE_ERRORS})
def deal_restore(request: HttpRequest, deal_id: RecordId) -> DealOut:
    who = actor(request)
    with transaction.atomic():
        deal = selectors.trashed_deal_get(who, deal_id)
        services.deal_restore(actor=who, deal=deal)
        return DealOut.from_orm(deal)


# --- purchases ---------------------------------------------------------------------------------


@router.get("/purchases", response={200: PurchasePageOut, **error_responses(400, 401)})
def purchase_list(request: HttpRequest, query: Query[PurchaseListQuery]) -> Page:
    """Purchases the caller may see, newest first, one page at a time."""
    who = actor(request)
    try:
        filters = selectors.purchase_filters_clean(who, query.model_dump())
        return selectors.purchase_list(who, filters, cursor=query.cursor, size=query.limit)
    except ValidationError as exc:
        raise BadQuery(exc) from exc


@router.get("/purchases/rhythm", response={200: RhythmOut, **error_responses(400, 401, 404)})
def purchase_rhythm(request: HttpRequest, query: Query[RhythmQuery]) -> Any:
    """How a contact or a company buys: count, totals, average interval, overdue to buy again."""
    who = actor(request)
    if (query.contact is None) == (query.company is None):
        raise BadQuery(ValidationError({"contact": [_("Give a contact or a company.")]}))
    if query.contact is not None:
        return selectors.purchase_rhythm(who, contact=contact_get(who, query.contact))
    return selectors.purchase_rhythm(who, company=company_get(who, query.company))


@router.get("/purchases/{purchase_id}", response={200: PurchaseOut, **READ_ERRORS})
def purchase_detail(request: HttpRequest, purchase_id: RecordId) -> Any:
    return selectors.purchase_get(actor(request), purchase_id)


@router.post("/purchases", response={201: PurchaseOut, **error_responses(401, 403, 422)})
def purchase_create(request: HttpRequest, payload: PurchaseIn) -> Status:
    data = payload.model_dump(exclude_unset=True)
    with transaction.atomic():
        purchase = services.purchase_create(actor=actor(request), data=data)
        out = PurchaseOut.from_orm(purchase)
    return Status(201, out)


@router.patch(
    "/purchases/{purchase_id}", response={200: PurchaseOut, **WRITE_ERRORS, **error_responses(409)}
)
def purchase_update(
    request: HttpRequest, purchase_id: RecordId, payload: PurchasePatchIn
) -> PurchaseOut:
    who = actor(request)
    data = payload.model_dump(exclude_unset=True)
    expected = data.pop("expected_updated_at", None)
    with transaction.atomic():
        purchase = services.purchase_update(
            actor=who,
            purchase=selectors.purchase_get(who, purchase_id),
            data=data,
            expected_updated_at=expected,
        )
        return PurchaseOut.from_orm(purchase)


@router.delete("/purchases/{purchase_id}", response={204: None, **WRITE_ERRORS})
def purchase_delete(request: HttpRequest, purchase_id: RecordId) -> Status:
    who = actor(request)
    with transaction.atomic():
        services.purchase_delete(actor=who, purchase=selectors.purchase_get(who, purchase_id))
    return Status(204, None)


@router.post("/purchases/{purchase_id}/restore", response={200: PurchaseOut, **WRITE_ERRORS})
def purchase_restore(request: HttpRequest, purchase_id: RecordId) -> PurchaseOut:
    who = actor(request)
    with transaction.atomic():
        purchase = selectors.trashed_purchase_get(who, purchase_id)
        services.purchase_restore(actor=who, purchase=purchase)
        return PurchaseOut.from_orm(purchase)
