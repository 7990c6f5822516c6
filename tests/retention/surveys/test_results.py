"""Results maths checked against numbers computed by hand; the selectors for other apps; the
query counts of the results page, the panel and the API list."""

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.retention.surveys.models import SurveyAnswer
from clientela.retention.surveys.selectors import (
    LastAnswer,
    last_answers,
    nps_trend,
    result_filters_clean,
    survey_results,
)
from conftest import client_for, make_contact
from retention.surveys.support import schedule

pytestmark = pytest.mark.django_db


def answered(contact: Contact, kind: str, score: int, when: datetime.datetime) -> SurveyAnswer:
    request = schedule(contact, kind, status="answered", sent_at=when)
    return SurveyAnswer.objects.create(
        request=request,
        kind=kind,
        contact=contact,
        owner_id=contact.owner_id,
        team_id=contact.team_id,
        score=score,
        is_detractor=(score <= 6) if kind == "nps" else (score <= 2),
        answered_at=when,
    )


def _now() -> datetime.datetime:
    return timezone.now().replace(microsecond=0)


def test_nps_and_csat_by_hand(owner: User, teammate: User, lead: User):
    now = _now()
    mine = make_contact(owner, emails=["a@example.com"])
    theirs = make_contact(teammate, emails=["b@example.com"])
    # owner: NPS 10, 9, 8, 3 → 2 promoters, 1 detractor of 4 → (2 − 1) / 4 = 25
    for score in (10, 9, 8, 3):
        answered(mine, "nps", score, now)
    # teammate: NPS 0, 6, 7 → 0 promoters, 2 detractors of 3 → −66.67 → −67
    for score in (0, 6, 7):
        answered(theirs, "nps", score, now)
    # CSAT 5, 4, 2 (owner) and 1 (teammate): average 12 / 4 = 3.0, satisfied 2 of 4 = 50 %
    for score in (5, 4, 2):
        answered(mine, "csat", score, now)
    answered(theirs, "csat", 1, now)

    results = survey_results(lead, result_filters_clean(lead, {}))
    # all: promoters 2, detractors 3 of 7 → −14.29 → −14
    assert (results.total.nps, results.total.nps_count) == (-14, 7)
    assert (results.total.promoters, results.total.passives, results.total.detractors) == (2, 2, 3)
    assert results.total.csat_average == 3.0
    assert results.total.csat_satisfied_percent == 50.0
    by_manager = {user.pk: score for user, score in results.by_manager}
    assert by_manager[owner.pk].nps == 25
    assert by_manager[teammate.pk].nps == -67
    assert by_manager[owner.pk].csat_average == round(11 / 3, 2)
    assert by_manager[teammate.pk].csat_satisfied_percent == 0.0

    # the owner sees only its own clients' answers
    own = survey_results(owner, result_filters_clean(owner, {}))
    assert (own.total.nps, own.total.nps_count, own.total.csat_count) == (25, 4, 3)
    # a manager filter and a kind filter
    filtered = survey_results(
        lead, result_filters_clean(lead, {"manager": str(teammate.pk), "kind": "csat"})
    )
    assert (filtered.total.nps_count, filtered.total.csat_count) == (0, 1)


def test_months_and_the_nps_trend(owner: User):
    client = make_contact(owner, emails=["c@example.com"])
    now = timezone.localtime(_now())
    this_month = now.replace(day=1, hour=12, minute=0, second=0)
    last_month = (this_month - datetime.timedelta(days=1)).replace(day=15)
    for score in (10, 10, 2):  # (2 − 1) / 3 = 33.3 → 33
        answered(client, "nps", score, this_month)
    answered(client, "nps", 5, last_month)  # −100
    answered(client, "csat", 5, last_month)  # not NPS: not in the trend

    trend = nps_trend(owner, months=3)
    assert [month for month, _nps, _n in trend][-1] == this_month.date()
    assert trend[-1][1:] == (33, 3)
    assert trend[-2][1:] == (-100, 1)
    assert trend[-3][1:] == (None, 0)
    assert len(trend) == 3

    results = survey_results(owner, result_filters_clean(owner, {}))
    months = dict(results.by_month)
    assert months[this_month.date()].nps == 33
    assert months[last_month.date().replace(day=1)].csat_average == 5.0


def test_last_answers_one_query(owner: User, django_assert_num_queries: Any):
    first = make_contact(owner, emails=["d@example.com"])
    second = make_contact(owner, emails=["e@example.com"])
    never = make_contact(owner, emails=["f@example.com"])
    old = _now() - datetime.timedelta(days=40)
    answered(first, "nps", 10, old)
    latest = answered(first, "csat", 1, _now())
    answered(second, "nps", 8, old)
    with django_assert_num_queries(1):
        found = last_answers([first.pk, second.pk, never.pk])
    assert found[first.pk] == LastAnswer("csat", 1, latest.answered_at, True)
    assert found[second.pk].score == 8
    assert not found[second.pk].is_detractor
    assert never.pk not in found


def test_pages_cost_a_bounded_number_of_queries(owner: User, contact: Contact):
    client = client_for(owner)
    urls = ["/surveys/", f"/contacts/{contact.pk}/", "/api/v1/surveys/answers"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            found.append(len(queries))
        return found

    for n in range(2):
        answered(contact, "nps", n, _now() - datetime.timedelta(minutes=n))
    counts()  # the first visit creates other apps' settings rows once
    with_two = counts()
    for n in range(2, 20):
        answered(contact, "nps", n % 11, _now() - datetime.timedelta(minutes=n))
    assert counts() == with_two


def test_bad_filters_name_the_field(owner: User):
    client = client_for(owner)
    assert client.get("/surveys/?date_from=yesterday").status_code == 400
    assert client.get("/surveys/?kind=likert").status_code == 400
    response = client.get("/api/v1/surveys/results?date_from=2025-13-01")
    assert response.status_code == 400
    assert "date_from" in response.content.decode()
