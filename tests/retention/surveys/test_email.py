"""The survey email over real SMTP: the contact's language, the link, the unsubscribe line."""

from typing import Any

import pytest
from django.core.management import call_command

from clientela.accounts.models import User
from clientela.retention.surveys.services import survey_request_create
from conftest import make_contact
from core.conftest import Inbox, smtp, smtp_port  # noqa: F401
from retention.surveys.support import policy, token_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "How likely are you to recommend"),
        ("uk", None),
        ("ru", None),
    ],
)
def test_the_email_is_in_the_contacts_language_with_its_link(
    owner: User,
    smtp: Inbox,  # noqa: F811
    settings: Any,
    language: str,
    words: str | None,
):
    settings.SITE_URL = "https://crm.example.com"
    policy(firm_name="Ромашка")
    client = make_contact(owner, language=language, emails=[f"{language}@example.com"])
    survey_request_create(actor=owner, contact=client, kind="nps")
    call_command("worker", "--batch")

    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == f"{language}@example.com"
    assert message["Content-Language"] == language
    body = message.get_content()
    token = token_of(body)
    assert f"https://crm.example.com/s/{token}/" in body
    assert f"https://crm.example.com/s/{token}/stop/" in body
    assert "Ромашка" in message["Subject"]
    if words:
        assert words in message["Subject"]
    else:
        # the Ukrainian and Russian catalogues are the lead's; the text must not be English
        # once translated, and is the English source until then
        assert message["Subject"]
    # the token works: the page opens without login
    from django.test import Client

    assert Client().get(f"/s/{token}/").status_code == 200
