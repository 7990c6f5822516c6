"""Stopping marketing email from the email: the link, the headers, one click, the history."""

import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.contacts.selectors import ListFilters
from clientela.core.mail import email_send
from clientela.core.models import AuditEvent, OutgoingEmail
from clientela.occasions.models import Greeting, GreetingTemplate
from clientela.occasions.services_campaigns import campaign_plan, campaign_send
from clientela.occasions.services_greetings import greeting_send
from clientela.occasions.unsubscribe import SALT, unsubscribe_url
from conftest import make_contact
from occasions.conftest import Inbox

pytestmark = pytest.mark.usefixtures("default_greeting_templates")


def templates() -> dict[str, GreetingTemplate | None]:
    rows = GreetingTemplate.objects.filter(occasion_kind="holiday", active=True)
    return {t.language: t for t in rows.order_by("-name")}


def consenting(owner: User, language: str = "ru") -> Contact:
    return make_contact(
        owner, first_name="Ольга", emails=["olga@example.com"], language=language,
        marketing_consent=True,
    )  # fmt: skip


def send_campaign(owner: User) -> list[Greeting]:
    return campaign_send(
        actor=owner,
        filters=ListFilters(),
        templates=templates(),
        day=datetime.date.today() + datetime.timedelta(days=3),
        time=datetime.time(9, 0),
    )


def path_of(contact: Contact) -> str:
    return urlsplit(unsubscribe_url(contact.pk)).path


def test_a_campaign_email_carries_the_link_in_its_headers_and_text(
    smtp: Inbox, sender: User
) -> None:
    contact = consenting(sender, "ru")
    (greeting,) = send_campaign(sender)
    OutgoingEmail.objects.filter(pk=greeting.email_id).update(send_after=greeting.created_at)

    assert email_send(greeting.email_id) == "sent"

    (message,) = smtp.messages
    link = unsubscribe_url(contact.pk)
    assert message["List-Unsubscribe"] == f"<{link}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    body = message.get_content()
    assert f"Чтобы больше их не получать: {link}" in body
    assert greeting.body not in ("", body)  # the greeting keeps its own text, without the line


def test_a_personal_greeting_has_no_such_link(sender: User) -> None:
    contact = consenting(sender)
    greeting = greeting_send(
        actor=sender, contact=contact, subject="Вітаємо", body="Текст", language="uk"
    )
    email = OutgoingEmail.objects.get(pk=greeting.email_id)
    assert "List-Unsubscribe" not in email.headers
    assert "/greetings/stop/" not in email.body


def test_the_link_asks_in_the_clients_language_and_one_click_withdraws_consent(
    owner: User,
) -> None:
    contact = consenting(owner, "ru")
    browser = Client(enforce_csrf_checks=True)  # a mail program's POST has no CSRF token
    url = path_of(contact)

    asked = browser.get(url)
    stopped = browser.post(url, {"List-Unsubscribe": "One-Click"})
    again = browser.post(url)

    assert asked.status_code == 200
    assert "Больше не получать новости по email?" in asked.content.decode()
    assert stopped.status_code == 200
    assert again.status_code == 200
    contact.refresh_from_db()
    assert (contact.marketing_consent, contact.consent_at) == (False, None)
    (event,) = AuditEvent.objects.filter(object_id=contact.pk, action="update")
    assert event.actor is None
    assert event.changes == {"marketing_consent": [True, False]}
    plan = campaign_plan(actor=owner, filters=ListFilters(), templates=templates())
    assert [(s.contact.pk, s.reason) for s in plan.skipped] == [(contact.pk, "no_consent")]


@pytest.mark.parametrize("token", ["nonsense", "1:forged:sig"])
def test_a_forged_link_is_not_found_and_changes_nothing(owner: User, token: str) -> None:
    contact = consenting(owner)

    response = Client().post(reverse("occasions:unsubscribe", args=[token]))

    assert response.status_code == 404
    contact.refresh_from_db()
    assert contact.marketing_consent is True


def test_a_link_signed_for_something_else_is_not_found(owner: User, settings: Any) -> None:
    from django.core import signing

    contact = consenting(owner)
    other = signing.Signer(salt=SALT + ".other").sign_object(contact.pk)

    assert Client().get(reverse("occasions:unsubscribe", args=[other])).status_code == 404
