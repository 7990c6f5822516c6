"""Logging calls, meetings, emails and notes: validation, the client's owner, audit, rights."""

import datetime
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone, translation

from activities.support import make_activity, make_call
from clientela.activities.models import Activity
from clientela.activities.services import (
    activity_create,
    activity_delete,
    activity_restore,
    activity_update,
)
from clientela.contacts.services import company_update, contact_update
from clientela.core.audit import audit_history
from clientela.core.errors import EditConflict
from conftest import make_company, make_contact

KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


def _refused(actor, data, counts):
    """The fields a refused create names (messages in English); and nothing was written."""
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        activity_create(actor=actor, data=data)
    assert counts() == before
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "call", "direction": "out", "duration": -1}, "duration"),
        (
            {"kind": "call", "direction": "out", "duration": datetime.timedelta(seconds=-1)},
            "duration",
        ),
        ({"kind": "call", "direction": "out", "duration": "five"}, "duration"),
        ({"kind": "call"}, "direction"),
        ({"kind": "call", "direction": "sideways"}, "direction"),
        ({"kind": "call", "direction": "out", "mood": 0}, "mood"),
        ({"kind": "call", "direction": "out", "mood": 6}, "mood"),
        ({"kind": "call", "direction": "out", "draining": 9}, "draining"),
        ({"kind": "call", "direction": "out", "draining": "1.5"}, "draining"),
        ({"kind": "call", "direction": "out", "outcome": "hung_up"}, "outcome"),
        ({"kind": "call", "direction": "out", "started_at": "yesterday"}, "started_at"),
        ({"kind": "call", "direction": "out", "ended_at": "2025-01-01T10:00"}, "ended_at"),
        ({"kind": "note", "duration": 60}, "duration"),
        ({"kind": "note", "direction": "out"}, "direction"),
        ({"kind": "email", "mood": 3}, "mood"),
        ({"kind": "email", "email_address": "not an address"}, "email_address"),
        ({"kind": "meeting", "email_address": "a@example.com"}, "email_address"),
        ({"kind": "visit"}, "kind"),
        ({}, "kind"),
        ({"kind": "note", "colour": "red"}, "colour"),
        ({"kind": "note", "subject": "x" * 201}, "subject"),
        ({"kind": "note", "body": "nul\x00"}, "body"),
        ({"kind": "note", "deal": 2**70}, "deal"),
        ({"kind": "note", "user": "somebody"}, "user"),
    ],
)
def test_bad_value_is_refused_naming_the_field(owner, contact, counts, data, field):
    errors = _refused(owner, {"contact": contact.pk, **data}, counts)

    assert field in errors


def test_meeting_ending_before_it_starts_is_refused(owner, contact, counts):
    start = timezone.now() - datetime.timedelta(hours=2)
    data = {
        "kind": "meeting",
        "contact": contact.pk,
        "started_at": start,
        "ended_at": start - datetime.timedelta(minutes=1),
    }

    assert list(_refused(owner, data, counts)) == ["ended_at"]


def test_call_in_the_future_is_refused_but_a_planned_meeting_is_not(owner, contact, counts):
    later = timezone.now() + datetime.timedelta(days=3)

    errors = _refused(
        owner,
        {"kind": "call", "direction": "out", "contact": contact.pk, "started_at": later},
        counts,
    )
    meeting = make_activity(owner, contact, "meeting", started_at=later, place="Офіс")

    assert errors == {
        "started_at": ["A call that has not happened yet cannot be logged; add a task instead."]
    }
    assert meeting.started_at == later


@pytest.mark.parametrize("kind", ["email", "note"])
def test_email_or_note_in_the_future_is_refused(owner, contact, counts, kind):
    later = timezone.now() + datetime.timedelta(days=2)

    assert list(
        _refused(owner, {"kind": kind, "contact": contact.pk, "started_at": later}, counts)
    ) == ["started_at"]


def test_a_call_later_today_within_a_day_is_accepted(owner, contact):
    # Clocks and time zones a little off: up to a day ahead is not "the future" yet.
    soon = timezone.now() + datetime.timedelta(hours=3)

    assert make_call(owner, contact, started_at=soon).started_at == soon


def test_invisible_contact_company_or_deal_is_refused(owner, outsider, deal, counts):
    theirs = make_contact(outsider, first_name="Чужий")
    their_company = make_company(outsider, name="Чужа")

    errors = _refused(
        owner,
        {"kind": "note", "contact": theirs.pk, "company": their_company.pk},
        counts,
    )
    deal_errors = _refused(outsider, {"kind": "note", "deal": deal.pk}, counts)

    assert errors == {
        "contact": ["There is no such contact."],
        "company": ["There is no such company."],
    }
    assert deal_errors == {"deal": ["There is no such deal."]}


def test_an_activity_needs_a_client(owner, counts):
    assert list(_refused(owner, {"kind": "note", "body": "?"}, counts)) == ["contact"]


def test_every_bad_field_is_named_at_once(owner, counts):
    errors = _refused(owner, {"kind": "call", "duration": -5, "mood": 9, "place": "Офіс"}, counts)

    assert set(errors) == {"direction", "duration", "mood", "place", "contact"}


def test_a_call_with_everything(owner, contact, deal):
    started = datetime.datetime(2025, 3, 14, 9, 30)  # naive: the actor's time zone

    call = activity_create(
        actor=owner,
        data={
            "kind": "call",
            "contact": contact.pk,
            "deal": deal.pk,
            "direction": "in",
            "duration": "245",
            "outcome": "talked",
            "mood": 4,
            "draining": "2",
            "subject": "  Про ремонт ",
            "started_at": started,
        },
    )

    call.refresh_from_db()
    assert call.duration == datetime.timedelta(seconds=245)
    assert (call.mood, call.draining, call.outcome, call.subject) == (4, 2, "talked", "Про ремонт")
    assert call.started_at == started.replace(tzinfo=KYIV)
    assert (call.user, call.owner, call.team) == (owner, owner, owner.team)


def test_iso_strings_and_a_normalised_email(owner, company):
    meeting = make_activity(
        owner,
        company,
        "meeting",
        started_at="2025-03-14T10:00:00+00:00",
        ended_at="2025-03-14T13:30",  # naive: Kyiv, UTC+2 in March
    )
    email = make_activity(owner, company, "email", email_address=" Olena@Example.COM ")

    assert meeting.ended_at - meeting.started_at == datetime.timedelta(hours=1, minutes=30)
    assert email.email_address == "olena@example.com"
    assert email.direction == "out"


def test_only_a_deal_takes_the_deals_client(owner, contact, deal):
    note = make_activity(owner, deal, "note", body="Зателефонувати в понеділок")

    assert (note.contact, note.company, note.deal) == (contact, None, deal)


def test_owner_and_team_are_the_clients_not_the_loggers(owner, lead, contact):
    call = make_call(lead, contact)

    assert (call.user, call.owner, call.team) == (lead, owner, owner.team)


def test_company_client_gives_the_company_owner(owner, teammate, lead):
    company = make_company(teammate, name="Фірма тіммейта")

    note = make_activity(lead, company, "note")

    assert note.owner == teammate


def test_reassigned_contact_takes_its_activities_along(owner, teammate, lead, contact, company):
    calls = [make_call(owner, contact) for _ in range(2)]
    note_of_company = make_activity(owner, company, "note")
    trashed = make_call(owner, contact)
    activity_delete(actor=owner, activity=trashed)

    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})

    moved = Activity.all_objects.filter(pk__in=[c.pk for c in [*calls, trashed]])
    assert {(a.owner_id, a.team_id) for a in moved} == {(teammate.pk, teammate.team_id)}
    note_of_company.refresh_from_db()
    assert note_of_company.owner == owner


def test_reassigned_company_takes_only_its_companys_own_activities(
    owner, teammate, lead, contact, company
):
    with_company_only = make_activity(owner, company, "note")
    with_both = make_call(owner, contact, company=company.pk)

    company_update(actor=lead, company=company, data={"owner": teammate.pk})

    with_company_only.refresh_from_db()
    with_both.refresh_from_db()
    assert with_company_only.owner == teammate
    assert with_both.owner == owner  # the contact's owner wins


def test_changing_the_client_moves_the_owner(owner, teammate, lead, contact):
    theirs = make_contact(teammate, first_name="Тарас")
    call = make_call(lead, contact)

    call = activity_update(actor=lead, activity=call, data={"contact": theirs.pk})

    assert (call.contact, call.owner) == (theirs, teammate)


def test_a_lead_logs_for_its_team_a_manager_only_for_itself(
    owner, teammate, lead, outsider, contact, counts
):
    by_lead = make_call(lead, contact, user=owner.pk)

    errors = _refused(owner, {"kind": "note", "contact": contact.pk, "user": teammate.pk}, counts)
    lead_errors = _refused(
        lead, {"kind": "note", "contact": contact.pk, "user": outsider.pk}, counts
    )

    assert by_lead.user == owner
    assert list(errors) == ["user"]
    assert list(lead_errors) == ["user"]


def test_viewer_cannot_log_change_or_trash(viewer, owner, contact, counts):
    call = make_call(owner, contact)
    before = counts()

    with pytest.raises(PermissionDenied):
        activity_create(actor=viewer, data={"kind": "note", "contact": contact.pk})
    with pytest.raises(PermissionDenied):
        activity_update(actor=viewer, activity=call, data={"subject": "x"})
    with pytest.raises(PermissionDenied):
        activity_delete(actor=viewer, activity=call)

    assert counts() == before


def test_an_activity_not_seen_cannot_be_changed(owner, outsider, contact):
    call = make_call(owner, contact)

    with pytest.raises(Http404):
        activity_update(actor=outsider, activity=call, data={"subject": "x"})
    with pytest.raises(Http404):
        activity_delete(actor=outsider, activity=call)


def test_update_changes_only_what_is_given(owner, contact):
    call = make_call(owner, contact, mood=2, outcome="busy")

    call = activity_update(actor=owner, activity=call, data={"mood": 5, "duration": None})

    call.refresh_from_db()
    assert (call.mood, call.outcome, call.duration, call.direction) == (5, "busy", None, "out")


def test_the_kind_cannot_change(owner, contact):
    call = make_call(owner, contact)

    with pytest.raises(ValidationError) as caught:
        activity_update(actor=owner, activity=call, data={"kind": "note"})
    same = activity_update(actor=owner, activity=call, data={"kind": "call", "subject": "ok"})

    assert list(caught.value.message_dict) == ["kind"]
    assert same.subject == "ok"


def test_a_meeting_moved_after_its_end_is_refused(owner, contact):
    start = timezone.now() - datetime.timedelta(days=1)
    meeting = make_activity(
        owner, contact, "meeting", started_at=start, ended_at=start + datetime.timedelta(hours=1)
    )

    with pytest.raises(ValidationError) as caught:
        activity_update(
            actor=owner,
            activity=meeting,
            data={"started_at": start + datetime.timedelta(hours=2)},
        )

    assert list(caught.value.message_dict) == ["ended_at"]


def test_a_stale_update_is_a_conflict(owner, lead, contact):
    call = make_call(owner, contact)
    seen = call.updated_at
    activity_update(actor=lead, activity=call, data={"subject": "Перший"})

    with pytest.raises(EditConflict):
        activity_update(
            actor=owner, activity=call, data={"subject": "Другий"}, expected_updated_at=seen
        )

    call.refresh_from_db()
    assert call.subject == "Перший"


def test_a_change_that_changes_nothing_keeps_the_version(owner, contact):
    call = make_call(owner, contact, mood=3)
    seen = call.updated_at

    activity_update(actor=owner, activity=call, data={"mood": 3}, expected_updated_at=seen)
    call.refresh_from_db()

    assert call.updated_at == seen
    assert [e.action for e in audit_history(call)] == ["create"]


def test_history_records_create_update_delete_restore(owner, contact):
    call = make_call(owner, contact, mood=2)

    activity_update(actor=owner, activity=call, data={"mood": 4})
    activity_delete(actor=owner, activity=call)
    activity_restore(actor=owner, activity=call)

    events = list(audit_history(call))
    assert [e.action for e in events] == ["restore", "delete", "update", "create"]
    assert events[2].changes == {"mood": [2, 4]}
    assert events[3].changes["duration"] == [None, 300]
    assert all(e.actor == owner for e in events)


def test_trash_hides_and_restore_is_for_the_owner_the_doer_or_an_admin(
    owner, teammate, lead, admin, contact
):
    by_lead = make_call(lead, contact)
    activity_delete(actor=owner, activity=by_lead)

    with pytest.raises(PermissionDenied):
        activity_restore(actor=teammate, activity=by_lead)
    assert not Activity.objects.filter(pk=by_lead.pk).exists()
    activity_restore(actor=lead, activity=by_lead)  # who made the call

    activity_delete(actor=lead, activity=by_lead)
    activity_restore(actor=admin, activity=by_lead)
    assert Activity.objects.filter(pk=by_lead.pk).exists()
