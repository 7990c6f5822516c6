"""The outcome of an experiment: purchases within the window (day N in, day N + 1 out), the
clients still in their window apart, the hand-built results and the dashboard selector."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from scipy.stats import fisher_exact

from clientela.retention.experiments import stats
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.results import experiment_results
from clientela.retention.experiments.selectors import running_experiments
from clientela.retention.experiments.services import experiment_start
from clientela.sales.services import purchase_delete
from retention.experiments.support import date_back, make_clients, make_experiment
from sales.support import make_purchase


def _started(lead, owner, count: int, **data) -> Experiment:
    make_clients(owner, count)
    experiment = make_experiment(lead, seed=7, **data)
    return experiment_start(actor=lead, experiment=experiment)


def _retained(experiment: Experiment) -> int:
    return sum(row.counts.retained for row in experiment_results(experiment).arms)


def test_window_counts_day_n_and_not_day_n_plus_one_nor_day_zero(lead, owner) -> None:
    experiment = _started(lead, owner, 4, window_days=30)
    day = date_back(experiment, 40)  # the window ended ten days ago
    a, b, c, d = [
        x.contact for x in Assignment.objects.filter(experiment=experiment).order_by("pk")
    ]
    make_purchase(owner, a, day + datetime.timedelta(days=30))  # day N: in
    make_purchase(owner, b, day + datetime.timedelta(days=31))  # day N + 1: out
    make_purchase(owner, c, day)  # the assignment day itself: out
    make_purchase(owner, d, day + datetime.timedelta(days=1))  # day 1: in
    results = experiment_results(experiment)
    assert sum(r.counts.n for r in results.arms) == 4
    assert {x.contact_id for x in Assignment.objects.filter(experiment=experiment)} == {
        a.pk,
        b.pk,
        c.pk,
        d.pk,
    }
    assert _retained(experiment) == 2


def test_a_purchase_in_the_trash_does_not_count(lead, owner) -> None:
    experiment = _started(lead, owner, 2, window_days=10)
    day = date_back(experiment, 20)
    client = Assignment.objects.filter(experiment=experiment).first().contact
    purchase = make_purchase(owner, client, day + datetime.timedelta(days=3))
    assert _retained(experiment) == 1
    purchase_delete(actor=owner, purchase=purchase)
    assert _retained(experiment) == 0


def test_the_outcome_does_not_depend_on_the_creator_still_being_here(lead, owner) -> None:
    experiment = _started(lead, owner, 2, window_days=10)
    day = date_back(experiment, 20)
    client = Assignment.objects.filter(experiment=experiment).first().contact
    make_purchase(owner, client, day + datetime.timedelta(days=3))
    lead.is_active = False  # the lead who ran it has left the firm
    lead.save(update_fields=["is_active"])
    experiment.refresh_from_db()

    assert _retained(experiment) == 1


def test_clients_still_in_the_window_are_counted_apart(lead, owner) -> None:
    experiment = _started(lead, owner, 4, window_days=30)
    day = date_back(experiment, 10)
    client = Assignment.objects.filter(experiment=experiment).first().contact
    make_purchase(owner, client, day + datetime.timedelta(days=2))
    results = experiment_results(experiment)
    assert results.pending == 4
    assert all(row.counts.n == 0 and row.counts.retained == 0 for row in results.arms)
    assert results.verdict.startswith("Not enough data yet: no client's window has ended")


def _hand_built(lead, owner, treated: int, control: int, per_arm: int = 10) -> Experiment:
    """`per_arm` clients per arm, of whom `treated` and `control` bought within the window."""
    experiment = _started(lead, owner, 2 * per_arm, window_days=30)
    day = date_back(experiment, 45)
    by_arm: dict[bool, list] = {True: [], False: []}
    for a in Assignment.objects.filter(experiment=experiment).select_related("arm", "contact"):
        by_arm[a.arm.is_control].append(a.contact)
    for contact in by_arm[False][:treated] + by_arm[True][:control]:
        make_purchase(owner, contact, day + datetime.timedelta(days=12))
    return experiment


def test_hand_built_results(lead, owner) -> None:
    experiment = _hand_built(lead, owner, treated=6, control=2)
    results = experiment_results(experiment)
    postcard, nothing = results.arms
    assert (postcard.counts.n, postcard.counts.retained) == (10, 6)
    assert (nothing.counts.n, nothing.counts.retained) == (10, 2)
    assert postcard.rate == pytest.approx(0.6)
    assert str(postcard.cost_total) == "400.00"
    assert str(postcard.cost_per_retained) == "66.67"  # 400 / 6
    assert str(postcard.cost_per_extra) == "100.00"  # 40 per client / 0.4 more retained
    assert nothing.cost_per_extra is None
    assert str(nothing.cost_total) == "0.00"
    versus = postcard.versus
    assert versus is not None
    assert versus.test == "fisher"
    assert versus.p_value == pytest.approx(fisher_exact([[6, 4], [2, 8]]).pvalue)
    assert versus.difference == pytest.approx(0.4)
    needed = stats.sample_size_per_arm(0.6, 0.2)
    assert results.more_needed == needed - 10
    assert results.verdict == (
        f"Not enough data yet: about {needed - 10} more clients per arm needed."
    )


def test_a_clear_difference_gets_a_confident_verdict(lead, owner) -> None:
    experiment = _hand_built(lead, owner, treated=18, control=4, per_arm=20)
    results = experiment_results(experiment)
    assert results.arms[0].versus.test == "z"
    assert results.verdict == "Postcard keeps more clients than No gesture (95 % confidence)."


def test_several_arms_are_holm_adjusted(lead, owner) -> None:
    arms = [
        {"name": "Postcard", "gesture_kind": "postcard"},
        {"name": "Flowers", "gesture_kind": "flowers"},
        {"name": "No gesture", "is_control": True},
    ]
    experiment = _started(lead, owner, 9, arms=arms)
    date_back(experiment, 45)
    results = experiment_results(experiment)
    assert results.adjusted
    raw = [r.versus.p_value for r in results.arms[:2]]
    assert [r.versus.p_adjusted for r in results.arms[:2]] == pytest.approx(stats.holm_adjust(raw))


def test_running_experiments_for_the_dashboard(
    lead, owner, teammate, django_assert_max_num_queries
) -> None:
    experiment = _hand_built(lead, owner, treated=6, control=2)
    rows = running_experiments(lead)
    assert rows == [
        {
            "name": experiment.name,
            "url": f"/experiments/{experiment.pk}/",
            "started_at": experiment.started_at,
            "clients": 20,
            "best_arm": "Postcard",
        }
    ]
    assert [r["name"] for r in running_experiments(owner)] == [experiment.name]
    assert running_experiments(teammate) == []


def test_running_experiments_cost_the_same_queries_for_2_and_8(lead, owner) -> None:
    make_clients(owner, 2)
    counts = []
    for total in (2, 8):
        while Experiment.objects.count() < total:
            experiment = make_experiment(lead, name=f"E{Experiment.objects.count()}")
            experiment_start(actor=lead, experiment=experiment)
        with CaptureQueriesContext(connection) as queries:
            rows = running_experiments(lead)
        assert len(rows) == total
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4
