"""Tomorrow's name day in a real browser: seen on the dashboard, greeted from there, the email
received by a real SMTP server, and the greeting on the client's timeline.

Selectors use ids and addresses rather than words, so the test holds in every language.
"""

import datetime
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from clientela.accounts.models import User
from clientela.occasions.models import Greeting, Occasion, OccasionKind
from clientela.occasions.services import client_dates_set
from conftest import PASSWORD, make_contact
from core.conftest import free_port, start_smtp, use_smtp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page: Any, base: str, user: User) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_greet_tomorrows_name_day_from_the_dashboard(
    live_server: Any, browser_page: Any, owner: User, settings: Any, screenshot: Any
):
    page = browser_page
    base = live_server.url
    port = free_port()
    use_smtp(settings, port)
    controller, inbox = start_smtp(port)
    try:
        # the default templates, as the data migration installs them (a transactional test
        # before this one may have emptied the table)
        seed = importlib.import_module("clientela.occasions.migrations.0002_greeting_templates")
        seed.add_templates(apps, None)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        olena = make_contact(
            owner,
            first_name="Олена",
            middle_name="Петрівна",
            last_name="Шевченко",
            language="uk",
            emails=["olena@example.com"],
        )
        client_dates_set(
            actor=owner,
            client=olena,
            data={"name_day_month": tomorrow.month, "name_day_day": tomorrow.day},
        )
        name_day = Occasion.objects.get(contact=olena, kind=OccasionKind.NAME_DAY)
        _log_in(page, base, owner)

        # the dashboard shows tomorrow's name day, with the way to greet
        greet = f'a[href^="/occasions/greetings/new/"][href*="occasion={name_day.pk}"]'
        page.wait_for_selector(greet)
        screenshot(page, "dashboard-occasions.png")
        page.click(greet)

        # the greeting comes from the name-day template in the client's language, and the
        # preview shows it as Олена will read it
        page.wait_for_selector("#greeting-form")
        assert "{formal_name}" in page.input_value("#id_body")
        page.click("#greeting-form button[name=action][value=preview]")
        page.wait_for_selector("#greeting-preview:has-text('Олена Петрівна')")
        screenshot(page, "greeting-form.png")
        # for tomorrow's name day the greeting is set to go tomorrow; the manager sends it now
        assert page.is_checked("#greeting-form input[name=when][value=on_day]")
        page.check("#greeting-form input[name=when][value=now]")
        page.click("#greeting-form button[name=action][value=send]")
        page.wait_for_selector(".message.success")

        # the outbox sends it through the worker, once, to the real SMTP server
        call_command("worker", "--batch")
        assert len(inbox.messages) == 1
        message = inbox.messages[0]
        assert message["To"] == "olena@example.com"
        assert message["Content-Language"] == "uk"
        greeting = Greeting.objects.get(contact=olena)
        assert greeting.occasion == name_day

        # and the client's timeline tells of it
        page.goto(f"{base}/contacts/{olena.pk}/")
        entry = page.locator("#timeline .tl-greeting")
        entry.wait_for()
        assert greeting.subject in entry.inner_text()
    finally:
        controller.stop()
