"""The demo experiments: a finished one with outcomes and a running one."""

import random

from clientela.retention.experiments.demo import experiments_demo
from clientela.retention.experiments.models import Assignment, Experiment
from clientela.retention.experiments.results import experiment_results
from clientela.sales.models import Purchase
from retention.experiments.support import make_clients


def test_demo_makes_a_finished_and_a_running_experiment(lead, owner, teammate) -> None:
    make_clients(owner, 24)
    make_clients(teammate, 24)
    made = experiments_demo(random.Random(1))
    assert made["experiments"] == 2
    finished = Experiment.objects.get(status=Experiment.Status.FINISHED)
    running = Experiment.objects.get(status=Experiment.Status.RUNNING)
    results = experiment_results(finished)
    assert [r.arm.name for r in results.arms] == ["Листівка", "Знижка 1 %", "Нічого"]
    assert results.pending == 0
    assert sum(r.counts.n for r in results.arms) == 48
    assert sum(r.counts.retained for r in results.arms) > 0
    assert all(r.versus is not None for r in results.arms if not r.arm.is_control)
    # Every demo purchase of the finished experiment is inside its client's window.
    for assignment in Assignment.objects.filter(experiment=finished):
        for purchase in Purchase.objects.filter(contact_id=assignment.contact_id):
            assert assignment.assigned_on < purchase.date
    assert experiment_results(running).pending == 48
    assert made["purchases"] == Purchase.objects.count()
