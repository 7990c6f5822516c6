"""Survey tokens: stored only as a hash, answered once, expiring, opened with no login, and
opening nothing else; a forged, reused or expired token gets a polite page with no data."""

import datetime
import hashlib
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.core.models import OutgoingEmail
from clientela.retention.surveys.models import SurveyAnswer, SurveyRequest
from clientela.retention.surveys.services import SurveyUnavailable, survey_answer
from retention.surveys.support import send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def english_contact(owner: User) -> Contact:
    from conftest import make_contact

    return make_contact(
        owner,
        first_name="Olena",
        last_name="Shevchenko",
        language="en",
        emails=["olena@example.com"],
        phones=["067 555 12 34"],
        notes="Secret note about Olena",
    )


def test_only_the_hash_of_the_token_is_stored(english_contact: Contact):
    request, raw = send(english_contact)
    assert request.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    stored = SurveyRequest.objects.filter(pk=request.pk).values()[0]
    assert raw not in {str(value) for value in stored.values()}
    assert len(raw) >= 40


def test_the_link_opens_without_login_and_the_answer_is_recorded_once(english_contact: Contact):
    request, raw = send(english_contact)
    anonymous = Client(enforce_csrf_checks=True)

    page = anonymous.get(f"/s/{raw}/")
    assert page.status_code == 200
    assert b'type="radio"' in page.content
    assert b'value="10"' in page.content
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cache-Control"] == "no-store"
    # no client data on the page
    assert b"Olena" not in page.content
    assert b"Shevchenko" not in page.content
    token = anonymous.cookies["csrftoken"].value

    answered = anonymous.post(
        f"/s/{raw}/", {"score": "9", "comment": "Great", "csrfmiddlewaretoken": token}
    )
    assert answered.status_code == 200
    assert b'id="survey-thanks"' in answered.content
    answer = SurveyAnswer.objects.get(request=request)
    assert (answer.score, answer.comment, answer.is_detractor) == (9, "Great", False)
    assert answer.owner_id == english_contact.owner_id
    request.refresh_from_db()
    assert request.status == SurveyRequest.Status.ANSWERED

    # used again: a polite page, nothing recorded twice
    again = anonymous.post(f"/s/{raw}/", {"score": "0", "csrfmiddlewaretoken": token})
    assert again.status_code == 200
    assert b'data-reason="used"' in again.content
    assert SurveyAnswer.objects.count() == 1
    assert SurveyAnswer.objects.get().score == 9
    assert "_auth_user_id" not in anonymous.session


def test_a_post_without_csrf_token_is_refused(english_contact: Contact):
    _request, raw = send(english_contact)
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(f"/s/{raw}/", {"score": "9"})
    assert response.status_code == 403
    assert not SurveyAnswer.objects.exists()


def test_the_service_refuses_a_second_answer(english_contact: Contact):
    _request, raw = send(english_contact)
    survey_answer(raw_token=raw, score=8)
    with pytest.raises(SurveyUnavailable) as refused:
        survey_answer(raw_token=raw, score=2)
    assert refused.value.reason == "used"
    assert SurveyAnswer.objects.count() == 1


def test_an_expired_link_records_nothing(english_contact: Contact):
    request, raw = send(english_contact)
    SurveyRequest.objects.filter(pk=request.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    client = Client()
    page = client.get(f"/s/{raw}/")
    assert page.status_code == 410
    assert b'data-reason="expired"' in page.content
    posted = client.post(f"/s/{raw}/", {"score": "10"})
    assert posted.status_code == 410
    assert b"Olena" not in posted.content
    assert not SurveyAnswer.objects.exists()
    with pytest.raises(SurveyUnavailable) as refused:
        survey_answer(raw_token=raw, score=10)
    assert refused.value.reason == "expired"


def test_the_link_expires_after_the_policy_days(english_contact: Contact):
    request, _raw = send(english_contact)
    assert request.sent_at is not None
    assert request.expires_at is not None
    assert request.expires_at - request.sent_at == datetime.timedelta(days=14)


@pytest.mark.parametrize(
    "token",
    [
        "forged-token-that-was-never-issued-0000000000",
        "x",
        "a" * 300,
    ],
)
def test_forged_and_unknown_tokens_look_the_same(english_contact: Contact, token: str):
    send(english_contact)
    client = Client()
    page = client.get(f"/s/{token}/")
    posted = client.post(f"/s/{token}/", {"score": "10"})
    for response in (page, posted):
        assert response.status_code == 404
        assert b'data-reason="unknown"' in response.content
        assert b"Olena" not in response.content
    assert not SurveyAnswer.objects.exists()


def test_a_scheduled_request_has_no_token_to_guess(english_contact: Contact):
    from retention.surveys.support import schedule

    schedule(english_contact, send_at=timezone.now() + datetime.timedelta(days=3))
    assert SurveyRequest.objects.get().token_hash is None
    assert Client().get("/s/None/").status_code == 404


def test_a_bad_score_is_refused_with_the_field_named(english_contact: Contact):
    _request, raw = send(english_contact, kind="csat")
    client = Client()
    response = client.post(f"/s/{raw}/", {"score": "9"})  # CSAT goes to 5
    assert response.status_code == 400
    assert b"score-errors" in response.content
    empty = client.post(f"/s/{raw}/", {"comment": "no score"})
    assert empty.status_code == 400
    assert not SurveyAnswer.objects.exists()


def test_the_token_opens_no_other_page(english_contact: Contact, owner: User):
    _request, raw = send(english_contact)
    client = Client()
    assert client.get(f"/s/{raw}/").status_code == 200
    # after opening the survey, the visitor is still nobody
    for url in [
        "/",
        f"/contacts/{english_contact.pk}/",
        "/surveys/",
        f"/surveys/new/?contact={english_contact.pk}",
        "/my-day/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/accounts/login/" in response["Location"], url
    assert client.get("/api/v1/surveys/answers").status_code == 401
    assert client.get(f"/api/v1/contacts/{english_contact.pk}").status_code == 401
    assert client.get(f"/s/{raw}/anything/").status_code == 404


def test_the_opt_out_link_stops_surveys_for_good(english_contact: Contact):
    request, raw = send(english_contact)
    email = OutgoingEmail.objects.get(pk=request.email_id)
    assert f"/s/{raw}/stop/" in email.body
    client = Client(enforce_csrf_checks=True)
    page = client.get(f"/s/{raw}/stop/")
    assert page.status_code == 200
    assert b"Olena" not in page.content
    done = client.post(
        f"/s/{raw}/stop/", {"csrfmiddlewaretoken": client.cookies["csrftoken"].value}
    )
    assert done.status_code == 200
    assert english_contact.survey_opt_out.by_client is True
    assert Client().get("/s/forged-token-forged-token-forged-token/stop/").status_code == 404
