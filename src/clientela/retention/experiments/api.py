"""Gesture experiments over JSON: list, read with results, create a draft, start, finish.

Reads go through the selectors (what the caller may see, or 404); writes through the services
in one transaction. Mounted at /api/v1/ by clientela.api.
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from clientela.accounts.api import RecordId, actor, error_responses
from clientela.retention.experiments import selectors, services
from clientela.retention.experiments.results import experiment_results
from clientela.retention.experiments.schemas import (
    ExperimentIn,
    ExperimentOut,
    ExperimentSummaryOut,
    experiment_out,
)

router = Router(tags=["experiments"])

READ_ERRORS = error_responses(401, 404)
WRITE_ERRORS = error_responses(401, 403, 404, 422)


@router.get("/experiments", response={200: list[ExperimentSummaryOut], **error_responses(401)})
def experiment_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The experiments the caller sees, newest first."""
    return [
        {
            "id": e.pk,
            "name": e.name,
            "status": e.status,
            "started_at": e.started_at,
            "finished_at": e.finished_at,
            "clients": e.client_count,  # type: ignore[attr-defined]
        }
        for e in selectors.experiment_list(actor(request))
    ]


@router.get("/experiments/{experiment_id}", response={200: ExperimentOut, **READ_ERRORS})
def experiment_detail(request: HttpRequest, experiment_id: RecordId) -> dict[str, Any]:
    """The setup and the results: per-arm rates, each arm against the control, a verdict."""
    experiment = selectors.experiment_get(actor(request), experiment_id)
    return experiment_out(experiment, experiment_results(experiment))


@router.post("/experiments", response={201: ExperimentOut, **error_responses(401, 403, 422)})
def experiment_create(request: HttpRequest, payload: ExperimentIn) -> Status:
    """A draft experiment (team leads and administrators)."""
    who = actor(request)
    with transaction.atomic():
        created = services.experiment_create(actor=who, data=payload.model_dump())
        experiment = selectors.experiment_get(who, created.pk)
        out = experiment_out(experiment, None)
    return Status(201, out)


@router.post("/experiments/{experiment_id}/start", response={200: ExperimentOut, **WRITE_ERRORS})
def experiment_start(request: HttpRequest, experiment_id: RecordId) -> dict[str, Any]:
    """Freeze the eligible clients and deal them to the arms; 422 says why it cannot start."""
    who = actor(request)
    with transaction.atomic():
        services.experiment_start(
            actor=who, experiment=selectors.experiment_get(who, experiment_id)
        )
        experiment = selectors.experiment_get(who, experiment_id)
        return experiment_out(experiment, experiment_results(experiment))


@router.post("/experiments/{experiment_id}/finish", response={200: ExperimentOut, **WRITE_ERRORS})
def experiment_finish(request: HttpRequest, experiment_id: RecordId) -> dict[str, Any]:
    who = actor(request)
    with transaction.atomic():
        services.experiment_finish(
            actor=who, experiment=selectors.experiment_get(who, experiment_id)
        )
        experiment = selectors.experiment_get(who, experiment_id)
        return experiment_out(experiment, experiment_results(experiment))
