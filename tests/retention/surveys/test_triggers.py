"""What schedules a survey: a recent purchase (not an imported old one), a resolved
complaint, a manager by hand; the delay, the cool-down, no email, the opt-out."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.complaints.models import Complaint
from clientela.retention.complaints.services import (
    complaint_create,
    complaint_resolve,
    complaint_start,
)
from clientela.retention.complaints.signals import complaint_resolved
from clientela.retention.surveys.models import SurveyOptOut, SurveyRequest
from clientela.retention.surveys.services import (
    survey_opt_out_set,
    survey_request_create,
    surveys_send_due,
)
from conftest import make_contact
from retention.surveys.support import days_ago, policy, send
from sales.support import make_purchase

pytestmark = pytest.mark.django_db


def _purchase(owner: User, contact: Contact, day: datetime.date, capture: Any) -> None:
    with capture(execute=True):
        make_purchase(owner, contact, day)


def test_a_recent_purchase_schedules_a_survey_after_the_delay(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    policy(purchase_delay_days=3, purchase_kind="csat")
    before = timezone.now()
    _purchase(owner, contact, days_ago(1), django_capture_on_commit_callbacks)
    request = SurveyRequest.objects.get()
    assert (request.kind, request.trigger, request.status) == ("csat", "purchase", "scheduled")
    assert request.purchase is not None
    assert request.purchase.contact_id == contact.pk
    assert request.owner_id == owner.pk
    assert request.team_id == owner.team_id
    delay = request.send_at - before
    assert datetime.timedelta(days=3) <= delay < datetime.timedelta(days=3, minutes=1)

    # not due yet: the job sends nothing; three days later it goes out
    assert surveys_send_due(timezone.now()) == {}
    assert surveys_send_due(timezone.now() + datetime.timedelta(days=3, minutes=1)) == {"sent": 1}


def test_an_old_purchase_triggers_nothing(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    _purchase(owner, contact, days_ago(31), django_capture_on_commit_callbacks)
    _purchase(owner, contact, days_ago(400), django_capture_on_commit_callbacks)
    assert not SurveyRequest.objects.exists()
    _purchase(owner, contact, days_ago(30), django_capture_on_commit_callbacks)
    assert SurveyRequest.objects.count() == 1


def test_purchases_are_ignored_when_the_policy_is_off(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    policy(after_purchase=False)
    _purchase(owner, contact, days_ago(0), django_capture_on_commit_callbacks)
    assert not SurveyRequest.objects.exists()


def test_the_cool_down_holds_for_every_trigger(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    policy(cooldown_days=60, purchase_delay_days=0)
    _purchase(owner, contact, days_ago(0), django_capture_on_commit_callbacks)
    # a second purchase while the first survey waits: skipped, with the reason
    _purchase(owner, contact, days_ago(0), django_capture_on_commit_callbacks)
    first, second = SurveyRequest.objects.order_by("id")
    assert (first.status, second.status, second.skip_reason) == (
        "scheduled",
        "skipped",
        "cooldown",
    )
    assert surveys_send_due(timezone.now()) == {"sent": 1}
    # sent 59 days ago: still within the cool-down, by hand too
    SurveyRequest.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=59)
    )
    with pytest.raises(ValidationError) as refused:
        survey_request_create(actor=owner, contact=contact, kind="nps")
    assert "contact" in refused.value.message_dict
    complaint = _complaint(contact)
    complaint_resolved.send(sender=Complaint, complaint=complaint, actor=owner)
    assert SurveyRequest.objects.filter(complaint=complaint).get().skip_reason == "cooldown"
    # 61 days ago: the contact may be asked again
    SurveyRequest.objects.filter(pk=first.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=61)
    )
    again = survey_request_create(actor=owner, contact=contact, kind="nps")
    assert again.status == "scheduled"


def test_a_contact_without_email_is_skipped_with_the_reason(
    owner: User, django_capture_on_commit_callbacks: Any
):
    no_email = make_contact(owner, phones=["067 111 22 33"])
    _purchase(owner, no_email, days_ago(0), django_capture_on_commit_callbacks)
    request = SurveyRequest.objects.get()
    assert (request.status, request.skip_reason) == ("skipped", "no_email")
    assert surveys_send_due(timezone.now() + datetime.timedelta(days=10)) == {}


def test_an_opted_out_contact_is_never_mailed(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    policy(purchase_delay_days=0)
    _purchase(owner, contact, days_ago(0), django_capture_on_commit_callbacks)
    survey_opt_out_set(actor=owner, contact=contact, opted_out=True)
    assert SurveyOptOut.objects.filter(contact=contact).exists()
    assert SurveyRequest.objects.get().skip_reason == "opted_out"
    assert surveys_send_due(timezone.now()) == {}
    with pytest.raises(ValidationError):
        survey_request_create(actor=owner, contact=contact, kind="nps")


def test_an_email_removed_before_the_send_skips_it_then(owner: User, contact: Contact):
    from clientela.contacts.models import Channel

    survey_request_create(actor=owner, contact=contact, kind="nps")
    Channel.objects.filter(contact=contact).delete()
    Contact.objects.filter(pk=contact.pk).update(primary_email="")
    assert surveys_send_due(timezone.now()) == {"skipped": 1}
    assert SurveyRequest.objects.get().skip_reason == "no_email"


def _complaint(contact: Contact) -> Complaint:
    now = timezone.now()
    return Complaint.objects.create(
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        category="service",
        description="Late delivery",
        deadline=now,
        status="resolved",
        resolved_at=now,
    )


def test_a_resolved_complaint_schedules_the_policy_survey(owner: User, contact: Contact):
    policy(complaint_kind="csat", complaint_delay_days=2)
    complaint = _complaint(contact)
    complaint_resolved.send(sender=Complaint, complaint=complaint, actor=owner)
    request = SurveyRequest.objects.get()
    assert (request.trigger, request.kind, request.complaint_id) == (
        "complaint",
        "csat",
        complaint.pk,
    )
    assert request.send_at > timezone.now() + datetime.timedelta(days=1, hours=23)
    # the signal delivered twice schedules one survey
    complaint_resolved.send(sender=Complaint, complaint=complaint, actor=owner)
    assert SurveyRequest.objects.count() == 1


def test_complaints_are_ignored_when_the_policy_is_off(owner: User, contact: Contact):
    policy(after_complaint=False)
    complaint_resolved.send(sender=Complaint, complaint=_complaint(contact), actor=owner)
    assert not SurveyRequest.objects.exists()


def test_a_viewer_cannot_send_a_survey(viewer: User, contact: Contact):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        survey_request_create(actor=viewer, contact=contact, kind="nps")
    assert not SurveyRequest.objects.exists()


def test_a_handover_moves_the_surveys_along(
    owner: User, teammate: User, lead: User, contact: Contact
):
    from clientela.contacts.services import contact_update

    request, _raw = send(contact)
    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})
    request.refresh_from_db()
    assert request.owner_id == teammate.pk


def test_resolving_a_complaint_through_its_services_schedules_a_survey(
    owner: User, contact: Contact, django_capture_on_commit_callbacks: Any
):
    policy(complaint_kind="nps", complaint_delay_days=1)
    complaint = complaint_create(
        actor=owner,
        data={
            "contact": contact.pk,
            "channel": "phone",
            "category": "delivery",
            "severity": "high",
            "description": "Привезли на тиждень пізніше",
        },
    )
    complaint_start(actor=owner, complaint=complaint)
    assert not SurveyRequest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        complaint_resolve(actor=owner, complaint=complaint, resolution="Повернули доставку")
    request = SurveyRequest.objects.get()
    assert (request.trigger, request.kind, request.complaint_id) == (
        "complaint",
        "nps",
        complaint.pk,
    )
