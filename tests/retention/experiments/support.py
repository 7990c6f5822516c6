"""Helpers for the experiment tests: experiments made through the services, clients in bulk,
and dating an experiment's assignments back (only tests and the demo do that)."""

import datetime
from decimal import Decimal
from typing import Any

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.services import experiment_create
from conftest import make_contact

POSTCARD = {
    "name": "Postcard",
    "gesture_kind": "postcard",
    "creates_task": True,
    "cost": Decimal("40.00"),
    "currency": "UAH",
}
DISCOUNT = {"name": "Discount 1 %", "gesture_kind": "voucher", "cost": Decimal("25.00")}
NOTHING = {"name": "No gesture", "is_control": True}


def make_experiment(
    actor: User, *, arms: list[dict[str, Any]] | None = None, **data: Any
) -> Experiment:
    data.setdefault("name", "Postcard vs nothing")
    data.setdefault("window_days", 30)
    data.setdefault("filters", {"tag": "experiment"})
    return experiment_create(
        actor=actor, data={**data, "arms": arms if arms is not None else [POSTCARD, NOTHING]}
    )


def make_clients(owner: User, count: int, *, tag: str = "experiment") -> list[Contact]:
    return [
        make_contact(owner, first_name=f"Клієнт{i}", last_name=owner.username, tags=[tag])
        for i in range(count)
    ]


def date_back(experiment: Experiment, days: int) -> datetime.date:
    """Move the experiment's assignments `days` days into the past; the new assignment day."""
    assignments = Assignment.objects.filter(experiment=experiment)
    first = assignments.first()
    assert first is not None
    day = first.assigned_on - datetime.timedelta(days=days)
    assignments.update(
        assigned_on=day, window_ends_on=day + datetime.timedelta(days=experiment.window_days)
    )
    return day
