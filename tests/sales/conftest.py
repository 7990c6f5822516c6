"""Fixtures for the sales tests: a pipeline with every kind of stage, a second pipeline, a
lost reason, and row counts to prove that a refused write saved nothing."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from clientela.accounts.models import User
from clientela.core.models import AuditEvent
from clientela.sales.models import (
    Deal,
    DealSearchTerm,
    DealStageChange,
    LostReason,
    Pipeline,
    Purchase,
    Stage,
)
from clientela.sales.services import lost_reason_create, pipeline_create, stage_create


@dataclass
class Stages:
    pipeline: Pipeline
    new: Stage
    offer: Stage
    won: Stage
    lost: Stage


@pytest.fixture
def sales(admin: User) -> Stages:
    """The default pipeline: New (10 %), Offer (50 %), Won, Lost."""
    pipeline = pipeline_create(actor=admin, name="Продажі")
    return Stages(
        pipeline=pipeline,
        new=stage_create(actor=admin, pipeline=pipeline, name="Новий", probability=10),
        offer=stage_create(actor=admin, pipeline=pipeline, name="Пропозиція", probability=50),
        won=stage_create(actor=admin, pipeline=pipeline, name="Виграно", kind="won"),
        lost=stage_create(actor=admin, pipeline=pipeline, name="Програно", kind="lost"),
    )


@pytest.fixture
def other_stage(admin: User, sales: Stages) -> Stage:
    """A stage of a second pipeline, which no deal of `sales` may move to."""
    other = pipeline_create(actor=admin, name="Сервіс")
    return stage_create(actor=admin, pipeline=other, name="Заявка")


@pytest.fixture
def reason(admin: User) -> LostReason:
    return lost_reason_create(actor=admin, name="Дорого")


def table_counts() -> dict[str, int]:
    """Rows in every table a deal or purchase write touches, trashed records included."""
    return {
        "Deal": Deal.all_objects.count(),
        "DealStageChange": DealStageChange.objects.count(),
        "DealSearchTerm": DealSearchTerm.objects.count(),
        "Purchase": Purchase.all_objects.count(),
        "AuditEvent": AuditEvent.objects.count(),
    }


@pytest.fixture
def counts() -> Callable[[], dict[str, int]]:
    return table_counts
