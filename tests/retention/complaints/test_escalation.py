"""Escalation of overdue complaints: once per deadline, a task and an email for each lead of
the team (administrators when the team has none), sent through a real SMTP server."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from clientela.accounts.models import Role
from clientela.activities.models import Task
from clientela.core.jobs import run_due_jobs
from clientela.core.models import OutgoingEmail
from clientela.retention.complaints import services
from clientela.retention.complaints.models import Complaint
from conftest import UserFactory
from retention.complaints.conftest import hours_ago, make_complaint

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("keep_signals")]


def test_overdue_complaint_is_escalated_once_to_the_lead_by_task_and_email(
    smtp, owner, lead, admin, contact
):
    # given a lead who reads Ukrainian and a critical complaint received 7 hours ago (4 h allowed)
    lead.email = "lead@example.com"
    lead.language = "uk"
    lead.save()
    complaint = make_complaint(owner, contact, severity="critical", received_at=hours_ago(7))
    on_time = make_complaint(owner, contact, severity="low", received_at=hours_ago(7))

    # when the scheduler ticks twice
    first = run_due_jobs()
    second = run_due_jobs()

    # then the complaint was escalated once, to the lead, and not the one still on time
    assert first["complaints_escalate"] == "1 escalated"
    assert second["complaints_escalate"] == "0 escalated"
    complaint.refresh_from_db()
    assert complaint.escalated_at is not None
    assert list(complaint.escalated_to.all()) == [lead]
    assert Complaint.objects.get(pk=on_time.pk).escalated_at is None
    tasks = list(Task.objects.filter(owner=lead))
    assert len(tasks) == 1
    assert tasks[0].urgent
    assert tasks[0].origin == "complaint"
    assert tasks[0].contact_id == contact.pk
    assert contact.first_name in tasks[0].title
    assert not Task.objects.filter(owner=admin).exists()

    call_command("worker", "--batch")
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "lead@example.com"
    assert message["Content-Language"] == "uk"
    body = message.get_content()
    assert f"/complaints/{complaint.pk}/" in body
    assert "Замовлення привезли" in body
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT


def test_team_without_a_lead_escalates_to_the_administrators(smtp, owner, admin, contact):
    admin.email = "admin@example.com"
    admin.save()
    complaint = make_complaint(owner, contact, severity="critical", received_at=hours_ago(5))

    services.complaints_escalate(timezone.now())

    assert list(Complaint.objects.get(pk=complaint.pk).escalated_to.all()) == [admin]
    assert Task.objects.filter(owner=admin, urgent=True).count() == 1
    assert list(OutgoingEmail.objects.values_list("to", flat=True)) == ["admin@example.com"]


def test_a_new_deadline_is_escalated_again_but_a_resolved_complaint_is_not(owner, lead, contact):
    complaint = make_complaint(owner, contact, severity="critical", received_at=hours_ago(30))
    assert services.complaints_escalate(timezone.now()) == "1 escalated"

    # a new severity gives a new deadline, also past: escalated again, once
    services.complaint_update(actor=owner, complaint=complaint, data={"severity": "high"})
    assert services.complaints_escalate(timezone.now()) == "1 escalated"
    assert services.complaints_escalate(timezone.now()) == "0 escalated"
    assert Task.objects.filter(owner=lead).count() == 2

    # resolved: nothing to escalate, whatever the deadline
    services.complaint_update(actor=owner, complaint=complaint, data={"severity": "critical"})
    services.complaint_start(actor=owner, complaint=complaint)
    services.complaint_resolve(actor=owner, complaint=complaint, resolution="Вирішено")
    assert services.complaints_escalate(timezone.now()) == "0 escalated"


def test_two_workers_escalate_one_deadline_once(owner, lead, contact):
    complaint = make_complaint(owner, contact, severity="critical", received_at=hours_ago(5))
    now = timezone.now()

    results = [services.complaint_escalate(complaint.pk, now) for _ in range(2)]

    assert results == [True, False]
    assert Task.objects.filter(owner=lead).count() == 1


def test_not_yet_overdue_and_inactive_leads(owner, lead, admin, contact):
    second = UserFactory(username="lead2", role=Role.LEAD, team=owner.team)
    second.is_active = False
    second.save()
    complaint = make_complaint(owner, contact, severity="critical", received_at=hours_ago(3))
    later = timezone.now() + datetime.timedelta(hours=2)

    assert services.complaints_escalate(timezone.now()) == "0 escalated"
    assert services.complaints_escalate(later) == "1 escalated"
    assert list(Complaint.objects.get(pk=complaint.pk).escalated_to.all()) == [lead]
