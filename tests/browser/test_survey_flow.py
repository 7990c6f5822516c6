"""A satisfaction survey end to end: a purchase schedules it, the worker sends it over real
SMTP, the client opens the emailed link in Chromium without logging in and answers 3, then the
manager logs in and finds the detractor task on My day and the answer on the timeline.

Selectors use ids and addresses rather than words, so the test holds in every language.
"""

import datetime
from typing import Any

import pytest
from django.core.management import call_command

from clientela.accounts.models import User
from clientela.retention.surveys.models import SurveyAnswer, SurveyPolicy, SurveyRequest
from conftest import PASSWORD, make_contact
from core.conftest import free_port, start_smtp, use_smtp
from retention.surveys.support import token_of
from sales.support import make_purchase

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_a_client_answers_and_the_manager_sees_the_detractor_task(
    live_server: Any, browser_page: Any, owner: User, settings: Any, screenshot: Any
):
    page = browser_page
    base = live_server.url
    settings.SITE_URL = base
    port = free_port()
    use_smtp(settings, port)
    controller, inbox = start_smtp(port)
    try:
        policy = SurveyPolicy.current()
        policy.purchase_delay_days = 0
        policy.purchase_kind = "nps"
        policy.save()
        olena = make_contact(
            owner,
            first_name="Olena",
            last_name="Kovalenko",
            language="en",
            emails=["olena@example.com"],
        )
        # the purchase, committed, schedules the survey (transactional test: on_commit runs)
        make_purchase(owner, olena, datetime.date.today())
        assert SurveyRequest.objects.get(contact=olena).status == "scheduled"

        # the worker sends it through the outbox to the real SMTP server
        call_command("worker", "--batch")
        call_command("worker", "--batch")
        assert len(inbox.messages) == 1
        body = inbox.messages[0].get_content()
        link = f"{base}/s/{token_of(body)}/"
        assert link in body

        # the client opens the link, not logged in, and answers 3
        page.goto(link)
        page.wait_for_selector("#survey-form")
        assert "Kovalenko" not in page.content()
        screenshot(page, "survey-answer.png")
        page.check("#survey-form input[name=score][value='3']")
        page.fill("#survey-form textarea[name=comment]", "The delivery was late")
        page.click("#survey-form button[type=submit]")
        page.wait_for_selector("#survey-thanks")
        answer = SurveyAnswer.objects.get(contact=olena)
        assert (answer.score, answer.is_detractor) == (3, True)

        # the manager logs in: the detractor task is on My day, the answer on the timeline
        page.context.clear_cookies()
        _log_in(page, base, owner)
        page.goto(f"{base}/my-day/")
        task_link = page.locator(f'a[href="/tasks/{answer.task_id}/"]')
        task_link.first.wait_for()
        page.goto(f"{base}/contacts/{olena.pk}/")
        entry = page.locator("#timeline .tl-survey_answered")
        entry.wait_for()
        assert "The delivery was late" in entry.inner_text()
        screenshot(page, "survey-timeline.png")
    finally:
        controller.stop()
