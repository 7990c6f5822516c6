"""Complaint services: defaults, deadlines, transitions, validation naming fields, rights."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from clientela.core.models import AuditEvent
from clientela.retention.complaints import services
from clientela.retention.complaints.models import Complaint, ComplaintPolicy
from clientela.retention.complaints.signals import complaint_resolved
from conftest import make_company, make_contact
from retention.complaints.conftest import hours_ago, make_complaint
from sales.support import make_deal, make_purchase

pytestmark = pytest.mark.django_db


def _events(complaint: Complaint, action: str) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(
            content_type__model="complaint", object_id=complaint.pk, action=action
        ).order_by("id")
    )


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_new_complaint_takes_client_owner_company_and_policy_deadline(owner):
    company = make_company(owner, name="ТОВ Ромашка")
    person = make_contact(owner, first_name="Іван", company=company.pk)
    received = hours_ago(2)

    complaint = make_complaint(owner, person, severity="critical", received_at=received)

    assert complaint.company_id == company.pk
    assert complaint.owner_id == owner.pk
    assert complaint.team_id == owner.team_id
    assert complaint.status == "new"
    assert complaint.deadline == received.astimezone(datetime.UTC) + datetime.timedelta(hours=4)
    assert len(_events(complaint, "create")) == 1


def test_default_severity_is_normal_with_72_hours(owner, contact):
    complaint = make_complaint(owner, contact)
    assert complaint.severity == "normal"
    assert complaint.deadline - complaint.received_at == datetime.timedelta(hours=72)


def test_policy_hours_set_the_deadline(owner, admin, contact):
    services.complaint_policy_update(actor=admin, data={"low_hours": 10})
    complaint = make_complaint(owner, contact, severity="low")
    assert complaint.deadline - complaint.received_at == datetime.timedelta(hours=10)


def test_only_an_admin_changes_the_policy_and_bad_hours_name_the_field(owner, admin):
    with pytest.raises(PermissionDenied):
        services.complaint_policy_update(actor=owner, data={"low_hours": 10})
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_policy_update(actor=admin, data={"high_hours": 0, "low_hours": "x"})
    assert set(_errors(excinfo)) == {"high_hours", "low_hours"}
    assert ComplaintPolicy.current().high_hours == 24


def test_changing_severity_recomputes_the_deadline(owner, complaint):
    assert complaint.deadline - complaint.received_at == datetime.timedelta(hours=24)

    changed = services.complaint_update(
        actor=owner, complaint=complaint, data={"severity": "critical"}
    )

    assert changed.deadline - changed.received_at == datetime.timedelta(hours=4)
    [event] = _events(complaint, "update")
    assert event.changes["severity"] == ["High", "Critical"]


def test_deal_or_purchase_of_another_client_is_refused_naming_the_field(owner, contact, sales):
    other = make_contact(owner, first_name="Петро", last_name="Іваненко")
    foreign_deal = make_deal(owner, other, title="Чужа угода")
    foreign_purchase = make_purchase(owner, other, timezone.localdate())
    before = Complaint.all_objects.count()

    with pytest.raises(ValidationError) as excinfo:
        make_complaint(owner, contact, deal=foreign_deal.pk, purchase=foreign_purchase.pk)

    assert set(_errors(excinfo)) == {"deal", "purchase"}
    assert "another client" in _errors(excinfo)["deal"][0]
    assert Complaint.all_objects.count() == before


def test_deal_of_the_same_client_is_linked_and_a_deal_alone_names_its_client(owner, deal):
    complaint = services.complaint_create(
        actor=owner,
        data={"deal": deal.pk, "channel": "email", "category": "service", "description": "Х"},
    )
    assert complaint.deal_id == deal.pk
    assert complaint.contact_id == deal.contact_id


def test_missing_and_unknown_values_are_named(owner, contact):
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_create(
            actor=owner,
            data={"channel": "pigeon", "category": "", "severity": "awful", "description": " "},
        )
    assert set(_errors(excinfo)) == {"contact", "channel", "category", "severity", "description"}


def test_received_in_the_future_is_refused(owner, contact):
    with pytest.raises(ValidationError) as excinfo:
        make_complaint(owner, contact, received_at=timezone.now() + datetime.timedelta(days=1))
    assert set(_errors(excinfo)) == {"received_at"}


def test_full_life_new_in_progress_resolved_closed(
    owner, complaint, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, complaint, actor, **kwargs):
        sent.append((complaint.pk, actor.pk, complaint.status))

    complaint_resolved.connect(receiver)
    try:
        services.complaint_start(actor=owner, complaint=complaint)
        assert complaint.status == "in_progress"
        with pytest.raises(ValidationError) as excinfo:
            services.complaint_resolve(actor=owner, complaint=complaint, resolution="  ")
        assert set(_errors(excinfo)) == {"resolution"}
        with django_capture_on_commit_callbacks(execute=True):
            services.complaint_resolve(actor=owner, complaint=complaint, resolution="Передзвонили")
        services.complaint_close(actor=owner, complaint=complaint)
    finally:
        complaint_resolved.disconnect(receiver)

    complaint.refresh_from_db()
    assert complaint.status == "closed"
    assert complaint.resolution == "Передзвонили"
    assert complaint.resolved_by_id == owner.pk
    assert complaint.closed_at is not None
    assert sent == [(complaint.pk, owner.pk, "resolved")]


def test_resolved_signal_waits_for_the_commit(owner, complaint, django_capture_on_commit_callbacks):
    services.complaint_start(actor=owner, complaint=complaint)
    sent = []

    def receiver(sender, complaint, actor, **kwargs):
        sent.append(complaint.pk)

    complaint_resolved.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            services.complaint_resolve(actor=owner, complaint=complaint, resolution="Так")
        assert sent == []
        for callback in callbacks:
            callback()
    finally:
        complaint_resolved.disconnect(receiver)
    assert sent == [complaint.pk]


@pytest.mark.parametrize(
    ("service", "kwargs"),
    [
        (services.complaint_resolve, {"resolution": "Так"}),
        (services.complaint_close, {}),
        (services.complaint_reopen, {"reason": "Знову"}),
    ],
)
def test_invalid_transitions_from_new_are_refused_with_a_clear_message(
    owner, complaint, service, kwargs
):
    with pytest.raises(ValidationError) as excinfo:
        service(actor=owner, complaint=complaint, **kwargs)
    assert "this one is new" in _errors(excinfo)["status"][0]
    complaint.refresh_from_db()
    assert complaint.status == "new"


def test_starting_twice_is_refused(owner, complaint):
    services.complaint_start(actor=owner, complaint=complaint)
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_start(actor=owner, complaint=complaint)
    assert "in progress" in _errors(excinfo)["status"][0]


def test_reopen_needs_a_reason_and_gives_a_new_deadline_from_now(owner, contact):
    complaint = make_complaint(owner, contact, severity="high", received_at=hours_ago(100))
    services.complaint_start(actor=owner, complaint=complaint)
    services.complaint_resolve(actor=owner, complaint=complaint, resolution="Замінили")
    with pytest.raises(ValidationError) as excinfo:
        services.complaint_reopen(actor=owner, complaint=complaint, reason="")
    assert set(_errors(excinfo)) == {"reason"}

    before = timezone.now()
    services.complaint_reopen(actor=owner, complaint=complaint, reason="Знову зламалось")

    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert complaint.reopen_count == 1
    assert complaint.resolved_at is None
    assert complaint.reopened_at >= before
    assert complaint.deadline == complaint.reopened_at + datetime.timedelta(hours=24)
    assert not complaint.is_overdue()
    event = _events(complaint, "update")[-1]
    assert event.changes["reopen_reason"] == [None, "Знову зламалось"]


def test_closed_complaint_reopens(owner, complaint):
    services.complaint_start(actor=owner, complaint=complaint)
    services.complaint_resolve(actor=owner, complaint=complaint, resolution="Так")
    services.complaint_close(actor=owner, complaint=complaint)
    services.complaint_reopen(actor=owner, complaint=complaint, reason="Ні")
    complaint.refresh_from_db()
    assert (complaint.status, complaint.closed_at) == ("in_progress", None)


def test_viewer_cannot_write_and_outsider_cannot_see(viewer, outsider, owner, contact, complaint):
    with pytest.raises(PermissionDenied):
        services.complaint_start(actor=viewer, complaint=complaint)
    with pytest.raises(PermissionDenied):
        make_complaint(viewer, contact)
    with pytest.raises(Http404):
        services.complaint_start(actor=outsider, complaint=complaint)
    complaint.refresh_from_db()
    assert complaint.status == "new"


def test_compensation_gesture_is_recorded_for_the_client_and_linked(owner, complaint):
    gesture = services.complaint_compensation_record(
        actor=owner, complaint=complaint, data={"cost": "250", "currency": "UAH"}
    )
    complaint.refresh_from_db()
    assert complaint.compensation_id == gesture.pk
    assert gesture.kind == "voucher"
    assert gesture.contact_id == complaint.contact_id
    assert str(gesture.cost) == "250.00"


def test_bad_compensation_saves_nothing(owner, complaint):
    from clientela.occasions.models import Gesture

    with pytest.raises(ValidationError) as excinfo:
        services.complaint_compensation_record(
            actor=owner, complaint=complaint, data={"cost": "-5"}
        )
    assert "cost" in _errors(excinfo)
    assert Gesture.objects.count() == 0


def test_linking_a_gesture_of_another_client_is_refused(owner, complaint):
    from clientela.occasions.services_gestures import gesture_create

    other = make_contact(owner, first_name="Петро", last_name="Іваненко")
    foreign = gesture_create(actor=owner, data={"contact": other.pk, "kind": "flowers"})
    own = gesture_create(actor=owner, data={"contact": complaint.contact_id, "kind": "gift"})

    with pytest.raises(ValidationError) as excinfo:
        services.complaint_compensation_link(actor=owner, complaint=complaint, gesture=foreign.pk)
    assert set(_errors(excinfo)) == {"compensation"}

    services.complaint_compensation_link(actor=owner, complaint=complaint, gesture=own.pk)
    complaint.refresh_from_db()
    assert complaint.compensation_id == own.pk


def test_complaint_follows_its_client_on_handover(admin, teammate, contact, complaint):
    from clientela.contacts.services import contact_update

    contact_update(actor=admin, contact=contact, data={"owner": teammate.pk})

    complaint.refresh_from_db()
    assert complaint.owner_id == teammate.pk


def test_trash_and_restore(owner, outsider, complaint):
    services.complaint_delete(actor=owner, complaint=complaint)
    assert not Complaint.objects.filter(pk=complaint.pk).exists()
    with pytest.raises(PermissionDenied):
        services.complaint_restore(actor=outsider, complaint=complaint)
    services.complaint_restore(actor=owner, complaint=complaint)
    assert Complaint.objects.filter(pk=complaint.pk).exists()
