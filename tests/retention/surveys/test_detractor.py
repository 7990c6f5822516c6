"""A detractor's answer creates a task for the contact's owner at once; others do not."""

import pytest

from clientela.accounts.models import User
from clientela.activities.models import Task
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyAnswer
from clientela.retention.surveys.services import survey_answer
from retention.surveys.support import send

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "score", "detractor"),
    [
        ("nps", 0, True),
        ("nps", 6, True),
        ("nps", 7, False),
        ("nps", 10, False),
        ("csat", 1, True),
        ("csat", 2, True),
        ("csat", 3, False),
        ("csat", 5, False),
    ],
)
def test_detractors_get_a_task_due_today_for_the_owner(
    owner: User, contact: Contact, kind: str, score: int, detractor: bool
):
    from clientela.accounts.zones import user_today

    _request, raw = send(contact, kind=kind)
    answer = survey_answer(raw_token=raw, score=str(score), comment="Довго чекали")
    assert answer.is_detractor is detractor
    tasks = list(Task.objects.filter(contact=contact))
    if not detractor:
        assert tasks == []
        assert answer.task is None
        return
    assert len(tasks) == 1
    task = tasks[0]
    assert task.origin == "survey"
    assert answer.task_id == task.pk
    assert task.owner_id == owner.pk
    assert task.due_date == user_today(owner)
    assert f" {score} " in task.title
    assert task.notes == "Довго чекали"
    assert task.urgent


def test_a_detractor_task_goes_to_the_current_owner(
    owner: User, teammate: User, lead: User, contact: Contact
):
    from clientela.contacts.services import contact_update

    _request, raw = send(contact)
    contact_update(actor=lead, contact=contact, data={"owner": teammate.pk})
    answer = survey_answer(raw_token=raw, score=3)
    assert answer.owner_id == teammate.pk
    assert Task.objects.get().owner_id == teammate.pk


def test_a_failed_task_leaves_no_answer(owner: User, contact: Contact, monkeypatch):
    from clientela.retention.surveys import services

    _request, raw = send(contact)

    def broken(*args, **kwargs):
        raise RuntimeError("task store down")

    monkeypatch.setattr(services, "_detractor_task", broken)
    with pytest.raises(RuntimeError):
        survey_answer(raw_token=raw, score=1)
    assert not SurveyAnswer.objects.exists()
    monkeypatch.undo()
    survey_answer(raw_token=raw, score=1)
    assert SurveyAnswer.objects.count() == 1
    assert Task.objects.count() == 1
