"""Greetings to a company: sent to its own address, only as a personal greeting, for its own
occasions, with its name in the placeholders, and through a real SMTP server."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.contacts.services.companies import company_delete
from clientela.core.models import AuditEvent, OutgoingEmail
from clientela.core.tasks import send_email_task
from clientela.occasions.greetings import greeting_values, render_greeting
from clientela.occasions.models import Greeting, Occasion
from clientela.occasions.selectors_greetings import greeting_language
from clientela.occasions.services_greetings import KIND_HEADER, greeting_send
from conftest import make_company, make_contact
from occasions.agenda_support import make_occasion
from occasions.conftest import Inbox

SUBJECT = "Вітаємо, {formal_name}!"
BODY = "{last_name}Команда {company}: {occasion}.\n\n{manager_name}"


def founding_day(company: Company) -> Occasion:
    return make_occasion(company, month=4, day=12, kind="custom", label="день заснування")


def email_of(greeting: Greeting) -> OutgoingEmail:
    return OutgoingEmail.objects.get(pk=greeting.email_id or 0)


def send(actor: User, company: Company, **data: Any) -> Greeting:
    data.setdefault("subject", SUBJECT)
    data.setdefault("body", BODY)
    data.setdefault("language", "uk")
    return greeting_send(actor=actor, company=company, **data)


def test_a_personal_greeting_goes_to_the_companys_own_address(
    sender: User, company: Company
) -> None:
    occasion = founding_day(company)

    greeting = send(sender, company, occasion=occasion)

    assert greeting.company_id == company.pk
    assert greeting.contact_id is None
    assert (greeting.owner_id, greeting.team_id) == (company.owner_id, company.team_id)
    assert greeting.to_email == "office@romashka.example"
    assert greeting.status == Greeting.Status.QUEUED
    assert greeting.occasion_kind == "custom"
    assert greeting.subject == "Вітаємо, ТОВ Ромашка!"
    assert greeting.body == "Команда ТОВ Ромашка: день заснування.\n\nІрина Коваль"
    queued = email_of(greeting)
    assert queued.to == "office@romashka.example"
    assert queued.headers[KIND_HEADER] == "personal"
    assert queued.reply_to == "iryna@firm.example"
    event = AuditEvent.objects.get(
        object_id=greeting.pk, content_type__model="greeting", action="create"
    )
    assert event.changes["company"] == [None, "ТОВ Ромашка"]
    assert "contact" not in event.changes


def test_a_greeting_to_a_company_on_the_day_waits_for_its_moment(
    sender: User, company: Company
) -> None:
    moment = timezone.now() + datetime.timedelta(days=3)

    greeting = send(sender, company, send_at=moment)

    assert greeting.status == Greeting.Status.SCHEDULED
    assert greeting.send_at == moment
    queued = email_of(greeting)
    assert queued.send_after == moment
    assert send_email_task.call(queued.pk) == "skipped"


def test_a_company_without_an_address_is_refused_on_its_field(sender: User) -> None:
    silent = make_company(sender, name="ТОВ Тиша", phones=["044 000 00 00"])

    with pytest.raises(ValidationError) as error:
        send(sender, silent)

    assert error.value.message_dict["company"] == [
        "ТОВ Тиша has no email address: log a call or record a postcard instead."
    ]
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_marketing_greeting_to_a_company_is_refused(sender: User, company: Company) -> None:
    with pytest.raises(ValidationError) as error:
        send(sender, company, personal=False)

    [problem] = error.value.message_dict["personal"]
    assert "ТОВ Ромашка is a company" in problem
    assert "marketing" in problem
    assert "personal greeting" in problem
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_an_occasion_of_another_client_is_refused(
    sender: User, company: Company, contact: Contact
) -> None:
    other = make_company(sender, name="ТОВ Інша", emails=["info@other.example"])
    of_other_company = founding_day(other)
    of_contact = make_occasion(contact, month=1, day=2)

    for occasion in (of_other_company, of_contact):
        with pytest.raises(ValidationError) as error:
            send(sender, company, occasion=occasion)
        assert error.value.message_dict["occasion"] == ["This occasion is not the company's."]
    with pytest.raises(ValidationError) as error:
        greeting_send(
            actor=sender,
            contact=contact,
            subject="Hi",
            body="Hi",
            language="uk",
            occasion=founding_day(company),
        )
    assert error.value.message_dict["occasion"] == ["This occasion is not the contact's."]
    assert not Greeting.objects.exists()


def test_a_company_out_of_sight_or_in_the_trash_is_refused(
    sender: User, outsider: User, teammate: User, viewer: User, company: Company
) -> None:
    for stranger in (outsider, teammate):  # a manager sees only their own clients
        with pytest.raises(ValidationError) as error:
            send(stranger, company)
        assert error.value.message_dict["company"] == ["There is no such company."]
    with pytest.raises(PermissionDenied):
        send(viewer, company)

    company_delete(actor=sender, company=company)
    with pytest.raises(ValidationError) as error:
        send(sender, company)
    assert "company" in error.value.message_dict
    assert not Greeting.objects.exists()


def test_exactly_one_client_is_greeted(sender: User, company: Company, contact: Contact) -> None:
    with pytest.raises(TypeError):
        greeting_send(actor=sender, subject="Hi", body="Hi", language="uk")
    with pytest.raises(TypeError):
        greeting_send(
            actor=sender, contact=contact, company=company, subject="Hi", body="Hi", language="uk"
        )
    assert not Greeting.objects.exists()


@pytest.mark.parametrize(
    ("language", "occasion", "dear"),
    [
        ("uk", "річниця нашої співпраці", "Шановні"),
        ("en", "anniversary of our work together", "Dear"),
    ],
)
def test_a_companys_placeholders_are_its_name(
    sender: User, company: Company, language: str, occasion: str, dear: str
) -> None:
    values = greeting_values(company, sender=sender, language=language, occasion_kind="anniversary")

    assert values == {
        "dear": dear,
        "first_name": "ТОВ Ромашка",
        "formal_name": "ТОВ Ромашка",
        "last_name": "",
        "company": "ТОВ Ромашка",
        "manager_name": "Ірина Коваль",
        "occasion": occasion,
    }
    text = render_greeting("Dear {first_name}!", "{last_name}{company}, {occasion}", values)
    assert (text.subject, text.body) == ("Dear ТОВ Ромашка!", f"ТОВ Ромашка, {occasion}")


def test_a_company_is_greeted_in_the_firms_language(settings: Any, company: Company) -> None:
    person = make_contact(company.owner, language="ru")

    settings.LANGUAGE_CODE = "uk"
    assert greeting_language(company) == "uk"
    settings.LANGUAGE_CODE = "en"
    assert greeting_language(company) == "en"
    assert greeting_language(person) == "ru"  # a contact keeps their own


def test_the_companys_greeting_reaches_its_address_through_smtp(
    smtp: Inbox, sender: User, company: Company
) -> None:
    greeting = send(sender, company, occasion=founding_day(company))

    assert send_email_task.call(email_of(greeting).pk) == "sent"

    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["office@romashka.example"]
    assert message["To"] == "office@romashka.example"
    assert message["Subject"] == "Вітаємо, ТОВ Ромашка!"
    assert message["Content-Language"] == "uk"
    assert message[KIND_HEADER] == "personal"
    assert message["Reply-To"] == "iryna@firm.example"
    assert "Ірина Коваль" in str(message["From"])
    assert "greetings@firm.example" in message["From"]
    assert "Команда ТОВ Ромашка: день заснування." in message.get_content()
    greeting.refresh_from_db()
    assert greeting.status == Greeting.Status.SENT
