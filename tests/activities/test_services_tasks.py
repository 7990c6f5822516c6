"""Tasks: validation, assignees, completing and reopening, the trash, audit, rights."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from activities.support import days_from_today, make_task
from clientela.activities.models import Task, TaskOrigin
from clientela.activities.services import (
    task_complete,
    task_create,
    task_delete,
    task_reopen,
    task_restore,
    task_update,
)
from clientela.core.audit import audit_history
from clientela.core.errors import EditConflict
from conftest import make_contact


def _refused(actor, data, counts):
    before = counts()
    with pytest.raises(ValidationError) as caught, translation.override("en"):
        task_create(actor=actor, data=data)
    assert counts() == before
    return caught.value.message_dict


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"due_date": "2026-01-01"}, "title"),
        ({"title": "   ", "due_date": "2026-01-01"}, "title"),
        ({"title": "x" * 201, "due_date": "2026-01-01"}, "title"),
        ({"title": "Дзвінок"}, "due_date"),
        ({"title": "Дзвінок", "due_date": "завтра"}, "due_date"),
        ({"title": "Дзвінок", "due_date": "2026-01-01", "due_time": "25:00"}, "due_time"),
        ({"title": "Дзвінок", "due_date": "2026-01-01", "urgent": "maybe"}, "urgent"),
        ({"title": "Дзвінок", "due_date": "2026-01-01", "origin": "follow_up"}, "origin"),
        ({"title": "Дзвінок", "due_date": "2026-01-01", "origin_key": "x"}, "origin_key"),
        ({"title": "Дзвінок", "due_date": "2026-01-01", "contact": 999999}, "contact"),
    ],
)
def test_bad_task_is_refused_naming_the_field(owner, counts, data, field):
    assert field in _refused(owner, data, counts)


def test_title_and_due_date_are_named_together(owner, counts):
    assert set(_refused(owner, {"notes": "?"}, counts)) == {"title", "due_date"}


def test_assignee_must_be_assignable(owner, teammate, lead, outsider, viewer, counts):
    by_manager = _refused(
        owner, {"title": "x", "due_date": "2026-01-01", "owner": teammate.pk}, counts
    )
    to_outsider = _refused(
        lead, {"title": "x", "due_date": "2026-01-01", "owner": outsider.pk}, counts
    )
    to_viewer = _refused(lead, {"title": "x", "due_date": "2026-01-01", "owner": viewer.pk}, counts)

    given = make_task(lead, owner=teammate)

    assert by_manager == {"owner": ["You cannot give tasks to this user."]}
    assert list(to_outsider) == list(to_viewer) == ["owner"]
    assert (given.owner, given.team, given.created_by) == (teammate, teammate.team, lead)


def test_a_task_with_everything(owner, contact, deal):
    task = task_create(
        actor=owner,
        data={
            "title": " Надіслати КП ",
            "notes": "Розмір знижки",
            "due_date": "2026-02-03",
            "due_time": "14:30",
            "urgent": True,
            "deal": deal.pk,
        },
    )

    task.refresh_from_db()
    assert task.title == "Надіслати КП"
    assert (task.due_date, task.due_time) == (datetime.date(2026, 2, 3), datetime.time(14, 30))
    assert task.urgent
    assert (task.contact, task.deal) == (contact, deal)  # the deal's client
    assert (task.owner, task.origin, task.origin_key) == (owner, TaskOrigin.MANUAL, "")


def test_invisible_client_is_refused(owner, outsider, counts):
    theirs = make_contact(outsider, first_name="Чужий")

    errors = _refused(owner, {"title": "x", "due_date": "2026-01-01", "contact": theirs.pk}, counts)

    assert errors == {"contact": ["There is no such contact."]}


def test_complete_is_idempotent_and_reopen_clears(owner, lead):
    task = make_task(owner)

    done = task_complete(actor=lead, task=task)
    first_done_at = done.done_at
    again = task_complete(actor=owner, task=task)
    events_after_complete = len(audit_history(task))
    reopened = task_reopen(actor=owner, task=task)

    assert (done.done_by, again.done_by) == (lead, lead)
    assert again.done_at == first_done_at
    assert events_after_complete == 2  # create + one completion
    reopened.refresh_from_db()
    assert (reopened.done_at, reopened.done_by) == (None, None)


def test_whoever_sees_a_task_and_writes_may_change_it(owner, lead, teammate, outsider, viewer):
    task = make_task(owner)

    changed = task_update(actor=lead, task=task, data={"title": "Від лідера"})
    with pytest.raises(Http404):
        task_update(actor=teammate, task=task, data={"title": "x"})
    with pytest.raises(Http404):
        task_complete(actor=outsider, task=task)
    with pytest.raises(PermissionDenied):
        task_complete(actor=viewer, task=task)
    with pytest.raises(PermissionDenied):
        task_create(actor=viewer, data={"title": "x", "due_date": "2026-01-01"})

    assert changed.title == "Від лідера"


def test_reassigning_moves_the_team(owner, lead, admin, outsider):
    task = make_task(owner)

    task = task_update(actor=admin, task=task, data={"owner": outsider.pk})

    assert (task.owner, task.team) == (outsider, outsider.team)
    with pytest.raises(Http404):
        task_update(actor=lead, task=task, data={"title": "x"})


def test_update_names_bad_fields_and_saves_nothing(owner, counts):
    task = make_task(owner, notes="Старі")
    before = counts()

    with pytest.raises(ValidationError) as caught:
        task_update(actor=owner, task=task, data={"title": "", "due_date": None, "notes": "Нові"})

    task.refresh_from_db()
    assert set(caught.value.message_dict) == {"title", "due_date"}
    assert task.notes == "Старі"
    assert counts() == before


def test_a_stale_update_is_a_conflict(owner, lead):
    task = make_task(owner)
    seen = task.updated_at
    task_update(actor=lead, task=task, data={"due_date": days_from_today(3)})

    with pytest.raises(EditConflict):
        task_update(actor=owner, task=task, data={"title": "x"}, expected_updated_at=seen)


def test_history_of_a_task(owner):
    task = make_task(owner, due_time="09:00")

    task_update(actor=owner, task=task, data={"due_time": None, "urgent": True})
    task_complete(actor=owner, task=task)
    task_delete(actor=owner, task=task)
    task_restore(actor=owner, task=task)

    events = list(audit_history(task))
    assert [e.action for e in events] == ["restore", "delete", "update", "update", "create"]
    assert events[3].changes == {"due_time": ["09:00", None], "urgent": [False, True]}
    assert list(events[2].changes) == ["done_at"]


def test_trash_and_restore(owner, teammate, admin):
    task = make_task(owner)
    task_delete(actor=owner, task=task)

    assert not Task.objects.filter(pk=task.pk).exists()
    with pytest.raises(PermissionDenied):
        task_restore(actor=teammate, task=task)
    task_restore(actor=admin, task=task)
    assert Task.objects.filter(pk=task.pk).exists()
