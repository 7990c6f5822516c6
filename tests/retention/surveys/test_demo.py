"""The demo data: answers through the real service, spread over the past, some detractor
tasks and some requests still waiting."""

import random

import pytest
from django.utils import timezone

from clientela.accounts.models import User
from clientela.retention.surveys.demo import seed_surveys
from clientela.retention.surveys.models import SurveyAnswer, SurveyRequest
from conftest import make_contact

pytestmark = pytest.mark.django_db


def test_seed_surveys_makes_a_history(owner: User):
    contacts = [make_contact(owner, emails=[f"c{n}@example.com"]) for n in range(6)]
    made = seed_surveys(random.Random(7), contacts, answers=30)
    assert made == 30
    answers = SurveyAnswer.objects.all()
    assert answers.count() == 30
    assert all(a.answered_at <= timezone.now() for a in answers)
    assert len({a.answered_at.date() for a in answers}) > 5
    detractors = answers.filter(is_detractor=True)
    assert detractors.exists()
    assert all(a.task_id for a in detractors)
    assert SurveyRequest.objects.filter(status="scheduled").count() == 6
