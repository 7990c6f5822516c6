"""Demo experiments for `clientela demo`: called once its purchases and client health exist.

One finished experiment, "Postcard vs 1 % discount vs nothing", run by the first team lead over
the team's clients three months ago, with outcomes drawn from fixed rates (purchases recorded
through the sales service after each client's assignment), and one running experiment, a call
to at-risk clients against nothing, started three weeks ago. Made through the services like
the rest of the demo; the past (when it started, when tasks and gestures were done) is dated
back with plain updates, which only the demo does.
"""

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import F
from django.utils import timezone

from clientela.accounts.models import Role, User
from clientela.activities.models import Task
from clientela.occasions.models import Gesture
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.services import (
    experiment_create,
    experiment_finish,
    experiment_start,
)
from clientela.retention.health.selectors import at_risk_contacts
from clientela.sales.services import purchase_create

# The chance a client of each arm buys again within the window (the demo's "truth").
FINISHED_RATES = {"Листівка": 0.30, "Знижка 1 %": 0.42, "Нічого": 0.18}


def _date_back(experiment: Experiment, days: int) -> datetime.date:
    now = timezone.now() - datetime.timedelta(days=days)
    day = timezone.localdate(now)
    end = day + datetime.timedelta(days=experiment.window_days)
    assignments = Assignment.objects.filter(experiment=experiment)
    assignments.update(assigned_at=now, assigned_on=day, window_ends_on=end)
    Experiment.objects.filter(pk=experiment.pk).update(started_at=now, created_at=now)
    task_ids = assignments.exclude(task=None).values("task_id")
    Task.objects.filter(pk__in=task_ids).update(
        due_date=day, created_at=now, done_at=now + datetime.timedelta(days=2), done_by=F("owner")
    )
    gesture_ids = assignments.exclude(gesture=None).values("gesture_id")
    Gesture.objects.filter(pk__in=gesture_ids).update(
        date=day + datetime.timedelta(days=2), status=Gesture.Status.DONE, created_at=now
    )
    return day


def _buy(
    rng: random.Random, actor: User, assignment: Assignment, rate: float, latest: datetime.date
) -> bool:
    if rng.random() >= rate:
        return False
    first = assignment.assigned_on + datetime.timedelta(days=1)
    last = min(assignment.window_ends_on, latest)
    if last < first:
        return False
    day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    data: dict[str, Any] = {
        "contact": assignment.contact_id,
        "date": day,
        "amount": Decimal(rng.randrange(800, 9000, 50)),
        "currency": "UAH",
        "description": "Повторне замовлення",
    }
    if assignment.arm.gesture_kind == "voucher":
        data["discount_percent"] = Decimal("1")
    purchase_create(actor=actor, data=data)
    return True


def experiments_demo(rng: random.Random | None = None) -> dict[str, int]:
    """Create the two demo experiments; {"experiments", "clients", "purchases"}."""
    rng = rng or random.Random(20260511)
    leads = list(User.objects.filter(role=Role.LEAD, is_active=True).order_by("pk"))
    if not leads:
        return {"experiments": 0, "clients": 0, "purchases": 0}
    today = timezone.localdate()
    purchases = 0

    # A finished experiment: started 100 days ago, a 60-day window, finished since.
    lead = leads[0]
    finished = experiment_create(
        actor=lead,
        data={
            "name": "Листівка vs знижка 1 % vs нічого",
            "hypothesis": "Особиста листівка утримує клієнтів не гірше за знижку і дешевше.",
            "filters": {},
            "window_days": 60,
            "stratify_by_owner": True,
            "seed": 20240917,
            "arms": [
                {
                    "name": "Листівка",
                    "gesture_kind": "postcard",
                    "creates_task": True,
                    "cost": Decimal("60"),
                },
                {
                    "name": "Знижка 1 %",
                    "gesture_kind": "voucher",
                    "creates_task": True,
                    "cost": Decimal("45"),
                },
                {"name": "Нічого", "is_control": True},
            ],
        },
    )
    finished = experiment_start(actor=lead, experiment=finished)
    _date_back(finished, 100)
    rows = Assignment.objects.filter(experiment=finished).select_related("arm").order_by("pk")
    for assignment in rows:
        if _buy(rng, lead, assignment, FINISHED_RATES[assignment.arm.name], today):
            purchases += 1
    finished = experiment_finish(actor=lead, experiment=finished)
    Experiment.objects.filter(pk=finished.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=30)
    )
    clients = rows.count()

    # A running experiment: a call to the at-risk clients of the second team, three weeks in.
    runner = leads[1] if len(leads) > 1 else lead
    at_risk = at_risk_contacts(runner).count() >= 6
    running = experiment_create(
        actor=runner,
        data={
            "name": "Дзвінок клієнтам під загрозою vs нічого",
            "hypothesis": "Дзвінок менеджера повертає клієнтів, що віддаляються.",
            "filters": {},
            "at_risk_only": at_risk,
            "window_days": 45,
            "stratify_by_owner": True,
            "arms": [
                {"name": "Дзвінок", "gesture_kind": "call", "creates_task": True},
                {"name": "Нічого", "is_control": True},
            ],
        },
    )
    running = experiment_start(actor=runner, experiment=running)
    _date_back(running, 21)
    rows = Assignment.objects.filter(experiment=running).select_related("arm").order_by("pk")
    for assignment in rows:
        rate = 0.22 if assignment.arm.gesture_kind else 0.12
        if _buy(rng, runner, assignment, rate, today):
            purchases += 1
    return {"experiments": 2, "clients": clients + rows.count(), "purchases": purchases}
