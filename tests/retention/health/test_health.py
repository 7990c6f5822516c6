"""Client health in the database: scoring, not enough history, at-risk list, playbooks, job."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from clientela.activities.models import Task
from clientela.core import jobs
from clientela.core.models import JobRun
from clientela.retention.health import selectors
from clientela.retention.health.explanations import explain
from clientela.retention.health.models import (
    ClientHealth,
    HealthStatus,
    Playbook,
    PlaybookRun,
)
from clientela.retention.health.scoring import ClientSignals, level_of, score_client, staying
from clientela.retention.health.services import health_recompute
from clientela.retention.health.services_playbooks import (
    playbook_create,
    playbook_default_ensure,
)
from clientela.retention.health.tasks import JOB_NAME
from conftest import client_for, make_contact
from retention.health.support import buy, small_firm

pytestmark = pytest.mark.django_db


def test_explanations_read_plainly() -> None:
    now = timezone.make_aware(datetime.datetime(2026, 6, 15, 12))
    reasons = [
        {"code": "rhythm", "days": 140, "usual": 45},
        {"code": "survey", "kind": "nps", "score": 4, "on": "2026-05-15", "detractor": True},
        {"code": "complaints", "open": 1, "overdue": 1},
        {"code": "no_contact", "days": 120},
    ]
    with translation.override("en"):
        text = explain(reasons, now=now)
    assert text == (
        "no purchase for 140 days, usually every 45; NPS 4, 4\xa0weeks ago; "
        "1 open complaint (1 overdue); no contact for 120 days"
    )
    with translation.override("en"):
        assert explain([{"code": "rhythm", "days": 10, "usual": 45}]) == (
            "last purchase 10 days ago, usually every 45"
        )


def test_too_short_a_history_says_not_enough_history(owner: Any) -> None:
    # given: three clients, one buying twice; the firm needs 20 repeat buyers
    first = make_contact(owner, first_name="A")
    buy(owner, first, [100, 50])
    buy(owner, make_contact(owner, first_name="B"), [30])
    # when
    result = health_recompute()
    # then: no numbers, and the page and API say so
    assert not result.enough_history
    health = ClientHealth.objects.get(contact=first)
    assert health.status == HealthStatus.NOT_ENOUGH_HISTORY
    assert health.score is None
    assert health.p_alive is None
    assert health.value_at_stake is None
    answer = client_for(owner).get(f"/api/v1/health/contacts/{first.pk}").json()
    assert answer["status"] == "history"
    assert answer["score"] is None
    assert answer["explanation"].startswith("Not enough history")
    page = client_for(owner).get(reverse("contacts:detail", args=[first.pk]))
    assert "Not enough history" in page.content.decode()
    assert selectors.at_risk_summary(owner)["enough_history"] is False


def test_a_client_without_purchases_has_no_score(owner: Any, contact: Any) -> None:
    answer = client_for(owner).get(f"/api/v1/health/contacts/{contact.pk}").json()
    assert answer["status"] == "no_purchases"
    assert answer["score"] is None
    assert answer["explanation"] == "No purchases yet, so no health score."


def test_scores_and_at_risk_list_by_value_at_stake(owner: Any, admin: Any) -> None:
    clients = small_firm(owner)
    result = health_recompute()
    assert result.enough_history
    assert result.clients == 12
    steady = ClientHealth.objects.get(contact=clients["steady0"])
    gone_big = ClientHealth.objects.get(contact=clients["gone_big"])
    assert steady.score is not None
    assert gone_big.score is not None
    assert steady.score > gone_big.score
    assert steady.p_alive > gone_big.p_alive
    assert gone_big.level == "at_risk"
    assert gone_big.reasons[0]["code"] == "rhythm"
    assert gone_big.reasons[0]["days"] == 460
    # the at-risk list: the big spender who left first, the small one after
    listed = list(selectors.at_risk_contacts(owner))
    names = [c.first_name for c in listed]
    assert names.index("GoneBig") < names.index("GoneSmall")
    stakes = [c.health.value_at_stake for c in listed if c.health.value_at_stake is not None]
    assert stakes == sorted(stakes, reverse=True)
    assert "Steady0" not in names
    summary = selectors.at_risk_summary(owner)
    assert summary["count"] == len(listed)
    assert summary["enough_history"]
    assert [c for c, _ in summary["value_at_stake"]] == ["UAH"]
    # value at stake as documented
    gone = 1 - staying(gone_big.p_alive, 460, gone_big.reasons[0]["usual"])
    assert gone > 1 - gone_big.p_alive  # the quiet rhythm adds to what the model says
    expected = float(gone_big.expected_value) * gone * 52
    assert float(gone_big.value_at_stake) < expected  # times the weekly rate (< 1 a week)
    # the page shows the reason
    page = client_for(owner).get(reverse("health:at_risk")).content.decode()
    assert "GoneBig" in page
    assert "no purchase for 460 days" in page


def test_outsider_sees_nobody_at_risk(owner: Any, outsider: Any) -> None:
    small_firm(owner)
    health_recompute()
    assert selectors.at_risk_contacts(owner).exists()
    assert not selectors.at_risk_contacts(outsider).exists()
    assert selectors.at_risk_summary(outsider)["count"] == 0


def test_playbook_tasks_once_per_entry(owner: Any, admin: Any) -> None:
    clients = small_firm(owner)
    playbook_default_ensure()
    playbook_create(
        actor=admin,
        data={
            "name": "VIP",
            "tag": "",
            "lifecycle": "customer",
            "steps": [{"kind": "visit", "title": "Visit in person", "due_in_days": 3}],
        },
    )
    # when the job runs twice
    first = health_recompute()
    second = health_recompute()
    # then each client who entered the list got the customer playbook's one task, once
    assert first.entered_risk
    assert second.entered_risk == []
    tasks = Task.objects.filter(contact_id__in=first.entered_risk)
    assert tasks.count() == len(first.entered_risk) == first.tasks
    assert {t.title for t in tasks} == {"Visit: Visit in person"}
    assert all(t.owner_id == owner.pk for t in tasks)
    assert {t.origin for t in tasks} == {"playbook"}
    gone = clients["gone_big"]
    assert PlaybookRun.objects.filter(contact=gone).count() == 1
    # a client who leaves the list and enters it again gets the playbook again
    buy(owner, gone, [0], "900.00")  # the client came back today
    health_recompute()
    assert ClientHealth.objects.get(contact=gone).entered_risk_at is None
    health_recompute(now=timezone.now() + datetime.timedelta(days=500))  # and went quiet again
    assert ClientHealth.objects.get(contact=gone).entered_risk_at is not None
    assert PlaybookRun.objects.filter(contact=gone).count() == 2
    assert Task.objects.filter(contact=gone).count() == 2


def test_playbook_for_a_segment_wins_over_the_default(owner: Any, admin: Any) -> None:
    default = playbook_default_ensure()
    lead_book = playbook_create(
        actor=admin,
        data={"name": "Leads", "lifecycle": "lead", "steps": [{"kind": "call", "title": "Call"}]},
    )
    from clientela.retention.health.services_playbooks import playbook_for

    books = list(Playbook.objects.all())
    assert playbook_for(make_contact(owner, lifecycle="lead"), set(), books) == lead_book
    assert playbook_for(make_contact(owner, lifecycle="customer"), set(), books) == default


def test_bad_playbook_names_the_field(admin: Any) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        playbook_create(
            actor=admin,
            data={"name": "", "steps": [{"kind": "dance", "title": "", "due_in_days": 999}]},
        )
    errors = caught.value.message_dict
    assert {"name", "lifecycle", "steps.0.kind", "steps.0.title", "steps.0.due_in_days"} <= set(
        errors
    )
    assert not Playbook.objects.exists()


def test_nightly_job_runs_once_a_day(owner: Any) -> None:
    small_firm(owner)
    now = timezone.now()
    first = jobs.run_due_jobs(now)
    key = f"{JOB_NAME} {timezone.localdate(now):%Y-%m-%d}"
    assert first.get(key) == "done"
    computed = ClientHealth.objects.values_list("computed_at", flat=True).first()
    second = jobs.run_due_jobs(now + datetime.timedelta(minutes=5))
    assert key not in second  # nothing owed: not run again the same day
    assert ClientHealth.objects.values_list("computed_at", flat=True).first() == computed
    assert JobRun.objects.filter(name=JOB_NAME).count() == 1


def test_recompute_costs_a_fixed_number_of_queries(
    owner: Any, django_assert_max_num_queries: Any
) -> None:
    small_firm(owner)
    health_recompute()
    for i in range(10):
        buy(owner, make_contact(owner, first_name=f"More{i}"), [90, 45, 20])
    with django_assert_max_num_queries(60):
        result = health_recompute()
    assert result.clients == 22


def test_a_model_that_sees_no_drop_out_still_flags_a_client_gone_quiet() -> None:
    # A fit with a → 0 says P(alive) = 1 for everyone; the rhythm still tells.
    today = datetime.date(2026, 11, 23)
    quiet, _ = score_client(
        p_alive=1.0,
        repeat_purchases=6,
        days_since_last=561,
        usual_days=74,
        signals=ClientSignals(),
        today=today,
    )
    due, _ = score_client(
        p_alive=1.0,
        repeat_purchases=6,
        days_since_last=60,
        usual_days=74,
        signals=ClientSignals(),
        today=today,
    )
    late, _ = score_client(
        p_alive=1.0,
        repeat_purchases=6,
        days_since_last=148,
        usual_days=74,
        signals=ClientSignals(),
        today=today,
    )
    assert (quiet, late, due) == (30, 65, 100)
    assert level_of(quiet, 40) == "at_risk"
    assert level_of(late, 40) == "watch"
