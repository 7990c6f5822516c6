"""Two posts of one survey at the same moment record one answer (and one detractor task), on
PostgreSQL (row locks) and on SQLite (one writer at a time) alike."""

import threading

import pytest
from django.db import connections

from clientela.activities.models import Task
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyAnswer
from clientela.retention.surveys.services import SurveyUnavailable, survey_answer
from retention.surveys.support import send

pytestmark = pytest.mark.django_db(transaction=True)


def test_racing_posts_record_one_answer(contact: Contact):
    _request, raw = send(contact)
    start = threading.Barrier(4)
    outcomes: list[str] = []

    def post(score: int) -> None:
        try:
            start.wait()
            survey_answer(raw_token=raw, score=score)
            outcomes.append("answered")
        except SurveyUnavailable as exc:
            outcomes.append(exc.reason)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(n,)) for n in (1, 2, 3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["answered", "used", "used", "used"]
    assert SurveyAnswer.objects.count() == 1
    assert Task.objects.count() == 1
