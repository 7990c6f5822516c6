"""Creating, starting and finishing experiments: refusals with their reason, the random
assignment (reproducible from the seed, balanced per owner), the tasks and gestures made."""

from collections import Counter
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.activities.models import Task
from clientela.core.models import AuditEvent
from clientela.occasions.models import Gesture
from clientela.retention.experiments.allocation import allocate
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.services import (
    experiment_finish,
    experiment_start,
    experiment_update,
)
from conftest import UserFactory
from retention.experiments.support import NOTHING, POSTCARD, make_clients, make_experiment


def _reason(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_one_arm_is_refused_with_the_reason(lead, owner) -> None:
    make_clients(owner, 3)
    experiment = make_experiment(lead, arms=[NOTHING])
    with pytest.raises(ValidationError) as caught:
        experiment_start(actor=lead, experiment=experiment)
    assert "at least two arms" in _reason(caught.value)
    assert "this one has 1" in _reason(caught.value)
    assert not Assignment.objects.exists()
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.DRAFT


def test_no_control_arm_is_refused(lead, owner) -> None:
    make_clients(owner, 3)
    experiment = make_experiment(
        lead, arms=[POSTCARD, {"name": "Flowers", "gesture_kind": "flowers"}]
    )
    with pytest.raises(ValidationError) as caught:
        experiment_start(actor=lead, experiment=experiment)
    assert "Mark one arm as the control" in _reason(caught.value)
    assert not Task.objects.exists()


def test_no_eligible_client_is_refused(lead, owner, outsider) -> None:
    make_clients(owner, 2, tag="other")
    make_clients(outsider, 2)  # tagged, but in another team: the lead does not see them
    experiment = make_experiment(lead)
    with pytest.raises(ValidationError) as caught:
        experiment_start(actor=lead, experiment=experiment)
    assert caught.value.message_dict.keys() == {"filters"}
    assert "No client is eligible" in _reason(caught.value)


def test_a_manager_or_viewer_cannot_create_or_start(owner, viewer, lead) -> None:
    make_clients(owner, 1)
    for user in (owner, viewer):
        with pytest.raises(PermissionDenied):
            make_experiment(user)
    experiment = make_experiment(lead)
    with pytest.raises(PermissionDenied):
        experiment_start(actor=owner, experiment=experiment)


def test_bad_input_names_the_field_and_row(lead) -> None:
    with pytest.raises(ValidationError) as caught:
        make_experiment(
            lead,
            window_days=0,
            filters={"tag": "no such tag", "colour": "red"},
            arms=[POSTCARD, {**NOTHING, "cost": "-1"}, {**NOTHING, "name": "Again"}],
        )
    errors = caught.value.message_dict
    assert "window_days" in errors
    assert "filters" in errors  # the unknown key
    assert "arms.1.cost" in errors
    assert errors["arms"] == ["Only one arm can be the control."]
    assert not Experiment.objects.exists()
    with pytest.raises(ValidationError) as caught:
        make_experiment(lead, filters={"tag": "nope"})
    assert "filters.tag" in caught.value.message_dict


def test_start_creates_tasks_and_planned_gestures_with_the_arms_cost(lead, owner) -> None:
    clients = make_clients(owner, 6)
    experiment = make_experiment(lead, name="Postcard vs 1 %", seed=42)
    before = AuditEvent.objects.count()
    experiment_start(actor=lead, experiment=experiment)
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.RUNNING
    assert experiment.started_at is not None
    assert experiment.started_by == lead
    assignments = list(Assignment.objects.filter(experiment=experiment).select_related("arm"))
    assert {a.contact_id for a in assignments} == {c.pk for c in clients}
    per_arm = Counter(a.arm.name for a in assignments)
    assert per_arm == {"Postcard": 3, "No gesture": 3}
    postcard = [a for a in assignments if a.arm.name == "Postcard"]
    tasks = Task.objects.filter(pk__in=[a.task_id for a in postcard])
    assert tasks.count() == 3
    first = next(a for a in postcard)
    task = Task.objects.get(pk=first.task_id)
    assert task.owner == owner
    assert task.contact_id == first.contact_id
    assert task.origin == "experiment"
    assert task.title == (
        f"Send a postcard to Клієнт{clients.index(first.contact)} {owner.username}"
        " — experiment “Postcard vs 1 %”"
    )
    gestures = Gesture.objects.filter(pk__in=[a.gesture_id for a in postcard])
    assert gestures.count() == 3
    assert {(g.status, g.cost, g.kind, g.owner_id) for g in gestures} == {
        ("planned", Decimal("40.00"), "postcard", owner.pk)
    }
    control = [a for a in assignments if a.arm.is_control]
    assert all(a.task_id is None and a.gesture_id is None for a in control)
    # The start and every task and gesture are in the history.
    assert AuditEvent.objects.count() - before == 1 + 3 + 3


def test_start_twice_is_refused_and_started_setup_cannot_change(lead, owner) -> None:
    make_clients(owner, 2)
    experiment = make_experiment(lead)
    experiment_start(actor=lead, experiment=experiment)
    with pytest.raises(ValidationError, match="already started"):
        experiment_start(actor=lead, experiment=experiment)
    with pytest.raises(ValidationError, match="Only a draft"):
        experiment_update(actor=lead, experiment=experiment, data={"window_days": 10})
    experiment_finish(actor=lead, experiment=experiment)
    experiment.refresh_from_db()
    assert experiment.status == Experiment.Status.FINISHED
    assert experiment.finished_at
    with pytest.raises(ValidationError, match="Only a running"):
        experiment_finish(actor=lead, experiment=experiment)


def _arms_by_client(experiment: Experiment) -> dict[int, str]:
    return dict(
        Assignment.objects.filter(experiment=experiment).values_list("contact_id", "arm__name")
    )


def test_same_seed_and_clients_give_the_same_assignment(lead, owner, teammate) -> None:
    make_clients(owner, 9)
    make_clients(teammate, 8)
    first = make_experiment(lead, name="A", seed=123456789)
    second = make_experiment(lead, name="B", seed=123456789)
    other = make_experiment(lead, name="C", seed=987654321)
    for experiment in (first, second, other):
        experiment_start(actor=lead, experiment=experiment)
    assert _arms_by_client(first) == _arms_by_client(second)
    assert _arms_by_client(first) != _arms_by_client(other)


def test_a_seed_is_drawn_and_recorded_when_none_is_given(lead, owner) -> None:
    make_clients(owner, 4)
    experiment = make_experiment(lead)
    assert experiment.seed is None
    experiment_start(actor=lead, experiment=experiment)
    experiment.refresh_from_db()
    assert experiment.seed is not None
    assert 0 <= experiment.seed < 2**63
    # The recorded seed reproduces the assignment.
    clients = Assignment.objects.filter(experiment=experiment).order_by("contact_id")
    pairs = [(a.contact_id, a.owner_id) for a in clients]
    dealt = allocate(pairs, arms=2, seed=experiment.seed, stratify=True)
    names = ["Postcard", "No gesture"]
    assert {c: names[i] for c, i in dealt.items()} == _arms_by_client(experiment)


def test_stratified_assignment_balances_the_arms_per_owner(lead, team_a) -> None:
    owners = [UserFactory(username=f"m{i}", team=team_a) for i in range(4)]
    for owner, count in zip(owners, [7, 5, 4, 9], strict=True):
        make_clients(owner, count)
    three_arms = [POSTCARD, {"name": "Flowers", "gesture_kind": "flowers"}, NOTHING]
    experiment = make_experiment(lead, arms=three_arms, seed=5, stratify_by_owner=True)
    experiment_start(actor=lead, experiment=experiment)
    per_owner = Counter(
        Assignment.objects.filter(experiment=experiment).values_list("owner_id", "arm_id")
    )
    arm_ids = list(experiment.arms.values_list("pk", flat=True))
    for owner in owners:
        counts = [per_owner[(owner.pk, arm)] for arm in arm_ids]
        assert max(counts) - min(counts) <= 1, (owner, counts)


def test_allocation_without_strata_balances_the_whole_and_is_seeded() -> None:
    clients = [(pk, pk % 3) for pk in range(1, 101)]
    dealt = allocate(clients, arms=3, seed=1, stratify=False)
    sizes = Counter(dealt.values())
    assert max(sizes.values()) - min(sizes.values()) <= 1
    assert dealt == allocate(list(reversed(clients)), arms=3, seed=1, stratify=False)
    assert dealt != allocate(clients, arms=3, seed=2, stratify=False)
    with pytest.raises(ValueError, match="two arms"):
        allocate(clients, arms=1, seed=1, stratify=False)


def test_only_clients_the_starter_sees_are_frozen(lead, owner, outsider) -> None:
    mine = make_clients(owner, 3)
    make_clients(outsider, 3)  # another team: the lead does not see them
    experiment = make_experiment(lead)
    experiment_start(actor=lead, experiment=experiment)
    assert set(_arms_by_client(experiment)) == {c.pk for c in mine}


def test_at_risk_only_narrows_to_the_health_apps_at_risk_clients(lead, owner) -> None:
    from clientela.retention.health.models import ClientHealth, HealthSettings, HealthStatus

    clients = make_clients(owner, 4)
    threshold = HealthSettings.current().threshold
    for client, score in zip(clients, [threshold - 10, threshold - 1, threshold, 95], strict=True):
        ClientHealth.objects.create(
            contact=client, status=HealthStatus.SCORED, score=score, computed_at=timezone.now()
        )
    experiment = make_experiment(lead, at_risk_only=True, seed=3)
    experiment_start(actor=lead, experiment=experiment)
    assert set(_arms_by_client(experiment)) == {clients[0].pk, clients[1].pk}
