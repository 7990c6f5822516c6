"""Greetings: template placeholders, rendering in three languages, consent, scheduling, the
send through a real SMTP server, cancelling, and the status written as the email changes."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.core.mail import MAX_ATTEMPTS, email_retry_now, email_send, emails_sweep
from clientela.core.models import AuditEvent, OutgoingEmail
from clientela.core.tasks import send_email_task
from clientela.occasions.agenda import next_celebration
from clientela.occasions.greetings import (
    greeting_values,
    patronymic_gender,
    placeholder_problems,
    render_greeting,
)
from clientela.occasions.models import Greeting, GreetingTemplate
from clientela.occasions.services_greetings import (
    KIND_HEADER,
    greeting_cancel,
    greeting_send,
    greeting_template_create,
    greeting_template_deactivate,
    greeting_template_update,
)
from conftest import client_for, make_company, make_contact
from occasions.conftest import Inbox, free_port, smtp_settings

# the default greeting templates, as the data migration installs them
pytestmark = pytest.mark.usefixtures("default_greeting_templates")

TEMPLATE = {
    "name": "Birthday, short",
    "occasion_kind": "birthday",
    "language": "uk",
    "subject": "З днем народження, {first_name}!",
    "body": "Шановна {formal_name}!\n\n{manager_name}",
}


def send(actor: User, contact: Contact, **data: Any) -> Greeting:
    data.setdefault("subject", TEMPLATE["subject"])
    data.setdefault("body", TEMPLATE["body"])
    data.setdefault("language", "uk")
    return greeting_send(actor=actor, contact=contact, **data)


# --- placeholders ---------------------------------------------------------------------------


def test_known_placeholders_pass_and_a_typo_is_named() -> None:
    assert placeholder_problems("{first_name} {formal_name} {last_name} {company}") == []
    assert placeholder_problems("{manager_name}, {occasion}, {{literal}}") == []

    problems = placeholder_problems("Dear {frist_name}")
    assert len(problems) == 1
    assert "{frist_name}" in problems[0]
    assert "{first_name}" in problems[0]  # says what is allowed
    assert "{first_name.upper}" in placeholder_problems("{first_name.upper}")[0]
    assert placeholder_problems("{first_name!r}")
    assert placeholder_problems("{}")


@pytest.mark.parametrize(
    ("patronymic", "gender"),
    [
        ("Петрівна", "f"), ("Андріївна", "f"), ("Петровна", "f"), ("Сергеевна", "f"),
        ("Ильинична", "f"), ("Никитична", "f"), ("Petrivna", "f"), ("Ali kyzy", "f"),
        ("Петрович", "m"), ("Андрійович", "m"), ("Сергеевич", "m"), ("Ильич", "m"),
        ("Petrovych", "m"), ("Sergeevich", "m"), ("Али оглы", "m"),
        ("", ""), ("Smith", ""), ("—", ""),
    ],
)  # fmt: skip
def test_the_patronymic_tells_how_to_address_the_client(patronymic: str, gender: str) -> None:
    assert patronymic_gender(patronymic) == gender


@pytest.mark.parametrize(
    ("language", "middle_name", "opening"),
    [
        ("uk", "Петрівна", "Шановна Олена Петрівна!"),
        ("uk", "Петрович", "Шановний Олена Петрович!"),
        ("uk", "", "Шановна(ий) Олена!"),
        ("ru", "Петровна", "Уважаемая Олена Петровна!"),
        ("ru", "", "Уважаемая(ый) Олена!"),
        ("en", "Петрівна", "Dear Олена Шевченко!"),
    ],
)
def test_dear_agrees_with_the_client(
    owner: User, language: str, middle_name: str, opening: str
) -> None:
    contact = make_contact(owner, first_name="Олена", last_name="Шевченко", middle_name=middle_name)
    values = greeting_values(contact, sender=owner, language=language, occasion_kind="birthday")

    assert render_greeting("x", "{dear} {formal_name}!", values).body == opening


def test_the_default_templates_open_with_dear() -> None:
    for template in GreetingTemplate.objects.filter(language__in=["uk", "ru"]):
        assert "(ий)" not in template.body, template.name
        assert "(ый)" not in template.body, template.name
    assert GreetingTemplate.objects.filter(body__startswith="{dear} {formal_name}").count() >= 8


def test_a_broken_brace_is_refused() -> None:
    for text in ("Dear {first_name", "Dear first_name}", "{"):
        problems = placeholder_problems(text)
        assert problems, text
        assert "brace" in problems[0], text


def test_saving_a_template_names_the_placeholder_and_the_field(lead: User) -> None:
    data = {**TEMPLATE, "subject": "Hi {first_name", "body": "Dear {frist_name},"}

    with pytest.raises(ValidationError) as error:
        greeting_template_create(actor=lead, data=data)

    errors = error.value.message_dict
    assert set(errors) == {"subject", "body"}
    assert "brace" in errors["subject"][0]
    assert "{frist_name}" in errors["body"][0]
    assert not GreetingTemplate.objects.filter(name=TEMPLATE["name"]).exists()


def test_leads_and_admins_keep_templates_managers_and_viewers_cannot(
    lead: User, admin: User, owner: User, viewer: User
) -> None:
    for user in (owner, viewer):
        with pytest.raises(PermissionDenied):
            greeting_template_create(actor=user, data=TEMPLATE)

    made = greeting_template_create(actor=lead, data=TEMPLATE)
    changed = greeting_template_update(
        actor=admin, template=made, data={"subject": "Вітаю, {formal_name}!"}
    )
    assert changed.subject == "Вітаю, {formal_name}!"
    with pytest.raises(ValidationError) as error:
        greeting_template_update(actor=admin, template=made, data={"body": "{frist_name}"})
    assert "{frist_name}" in error.value.message_dict["body"][0]
    greeting_template_deactivate(actor=lead, template=made)

    made.refresh_from_db()
    assert made.active is False
    assert made.body == TEMPLATE["body"]
    actions = list(
        AuditEvent.objects.filter(object_id=made.pk, content_type__model="greetingtemplate")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "update", "update"]


def test_default_templates_come_with_the_firm(db: Any) -> None:
    found = {
        (t.occasion_kind, t.language)
        for t in GreetingTemplate.objects.filter(active=True)
        if not placeholder_problems(t.subject) and not placeholder_problems(t.body)
    }
    for kind in ("birthday", "name_day", "anniversary"):
        for language in ("uk", "ru", "en"):
            assert (kind, language) in found


# --- rendering --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "formal", "occasion"),
    [
        ("uk", "Олена Петрівна", "день народження"),
        ("ru", "Олена Петрівна", "день рождения"),
        ("en", "Olena Shevchenko", "birthday"),
    ],
)
def test_rendering_in_each_language(
    sender: User, language: str, formal: str, occasion: str
) -> None:
    company = make_company(sender, name="Ромашка")
    first = "Olena" if language == "en" else "Олена"
    last = "Shevchenko" if language == "en" else "Шевченко"
    contact = make_contact(
        sender, first_name=first, last_name=last, middle_name="Петрівна", company=company.pk
    )
    values = greeting_values(contact, sender=sender, language=language, occasion_kind="birthday")

    text = render_greeting(
        "{occasion}: {formal_name}",
        "{first_name} {last_name}, {company}. {manager_name}",
        values,
    )

    assert text.subject == f"{occasion}: {formal}"
    assert text.body == f"{first} {last}, Ромашка. Ірина Коваль"


def test_every_default_template_renders_for_a_contact(sender: User, contact: Contact) -> None:
    for template in GreetingTemplate.objects.all():
        values = greeting_values(
            contact, sender=sender, language=template.language, occasion_kind=template.occasion_kind
        )
        text = render_greeting(template.subject, template.body, values)
        assert "{" not in text.subject + text.body
        assert "Ірина Коваль" in text.body


def test_29_february_is_celebrated_on_the_firms_day_in_other_years() -> None:
    today = datetime.date(2027, 2, 1)
    assert next_celebration(2, 29, today, "02-28") == datetime.date(2027, 2, 28)
    assert next_celebration(2, 29, today, "03-01") == datetime.date(2027, 3, 1)
    assert next_celebration(1, 5, today, "02-28") == datetime.date(2028, 1, 5)


# --- sending: consent, no email, scheduling --------------------------------------------------


def test_a_personal_greeting_needs_no_marketing_consent_and_says_so(
    sender: User, contact: Contact
) -> None:
    assert contact.marketing_consent is False

    greeting = send(sender, contact)

    assert greeting.personal
    assert greeting.status == Greeting.Status.QUEUED
    assert greeting.subject == "З днем народження, Олена!"
    assert greeting.body.startswith("Шановна Олена Петрівна!")
    queued = OutgoingEmail.objects.get(pk=greeting.email_id)
    assert queued.headers[KIND_HEADER] == "personal"
    assert queued.language == "uk"
    assert queued.purpose == "greeting"
    assert queued.reply_to == "iryna@firm.example"
    assert queued.to == "olena.shevchenko@example.com"
    assert AuditEvent.objects.filter(object_id=greeting.pk, action="create").exists()


def test_a_marketing_greeting_without_consent_is_refused(sender: User, contact: Contact) -> None:
    with pytest.raises(ValidationError) as error:
        send(sender, contact, personal=False)

    assert "marketing" in error.value.message_dict["personal"][0]
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_marketing_greeting_with_consent_is_marked_marketing(sender: User) -> None:
    agreed = make_contact(sender, emails=["a@example.com"], marketing_consent=True)

    greeting = send(sender, agreed, personal=False)

    assert OutgoingEmail.objects.get(pk=greeting.email_id).headers[KIND_HEADER] == "marketing"


def test_a_contact_without_email_cannot_be_emailed(sender: User) -> None:
    silent = make_contact(sender, phones=["067 000 00 00"])

    with pytest.raises(ValidationError) as error:
        send(sender, silent, body="{frist_name}")

    errors = error.value.message_dict
    assert "no email address" in errors["contact"][0]
    assert "{frist_name}" in errors["body"][0]  # every bad field at once
    assert not Greeting.objects.exists()


def test_a_viewer_and_a_stranger_cannot_send(
    viewer: User, outsider: User, contact: Contact
) -> None:
    with pytest.raises(PermissionDenied):
        send(viewer, contact)
    with pytest.raises(ValidationError) as error:
        send(outsider, contact)
    assert "contact" in error.value.message_dict


def test_a_greeting_scheduled_at_a_local_time_goes_at_that_moment(
    sender: User, contact: Contact
) -> None:
    zone = zoneinfo.ZoneInfo("America/New_York")
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=10)
    moment = datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=zone)

    greeting = send(sender, contact, send_at=moment)

    queued = OutgoingEmail.objects.get(pk=greeting.email_id)
    assert greeting.status == Greeting.Status.SCHEDULED
    assert greeting.send_at == queued.send_after == moment
    assert queued.send_after.astimezone(zone).hour == 9
    # Not due yet: the send task leaves it alone.
    assert send_email_task.call(queued.pk) == "skipped"


def test_a_moment_in_the_past_is_refused(sender: User, contact: Contact) -> None:
    with pytest.raises(ValidationError) as error:
        send(sender, contact, send_at=timezone.now() - datetime.timedelta(hours=2))
    assert "send_at" in error.value.message_dict


# --- the real send ----------------------------------------------------------------------------


def test_the_greeting_reaches_the_smtp_server_in_the_clients_language(
    smtp: Inbox, sender: User
) -> None:
    client = make_contact(
        sender,
        first_name="Елена",
        middle_name="Петровна",
        language="ru",
        emails=["elena@example.com"],
    )
    greeting = send(
        sender,
        client,
        language="ru",
        subject="С днём рождения, {formal_name}!",
        body="Уважаемая {formal_name}!\n\n{manager_name}",
    )

    assert send_email_task.call(greeting.email_id) == "sent"

    [message] = smtp.messages
    assert smtp.envelopes[0].rcpt_tos == ["elena@example.com"]
    assert message["Content-Language"] == "ru"
    assert message[KIND_HEADER] == "personal"
    assert message["Subject"] == "С днём рождения, Елена Петровна!"
    assert message["Reply-To"] == "iryna@firm.example"
    assert "Ірина Коваль" in str(message["From"])
    assert "greetings@firm.example" in message["From"]
    assert "Уважаемая Елена Петровна!" in message.get_content()
    greeting.refresh_from_db()
    assert greeting.status == Greeting.Status.SENT


def test_a_scheduled_greeting_is_sent_when_its_moment_comes(
    smtp: Inbox, sender: User, contact: Contact
) -> None:
    moment = timezone.now() + datetime.timedelta(hours=3)
    greeting = send(sender, contact, send_at=moment)

    assert email_send(greeting.email_id) == "skipped"
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.SCHEDULED
    assert email_send(greeting.email_id, now=moment + datetime.timedelta(seconds=1)) == "sent"

    assert [m["Content-Language"] for m in smtp.messages] == ["uk"]
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.SENT


def test_smtp_down_keeps_the_greeting_queued_with_the_error(
    settings: Any, sender: User, contact: Contact
) -> None:
    smtp_settings(settings, free_port())  # nothing listens there
    greeting = send(sender, contact)

    assert send_email_task.call(greeting.email_id) == "retry"

    shown = Greeting.objects.select_related("email").get(pk=greeting.pk)
    assert shown.status == Greeting.Status.QUEUED
    assert shown.email is not None
    assert shown.email.last_error
    page = client_for(sender).get(f"/contacts/{contact.pk}/", HTTP_ACCEPT_LANGUAGE="uk")
    assert page.status_code == 200
    assert "ще не надіслано, повторимо: поштовий сервер недоступний" in page.content.decode()

    # Every attempt fails: after the last one the greeting is failed, with its email.
    for _attempt in range(MAX_ATTEMPTS - 1):
        OutgoingEmail.objects.filter(pk=greeting.email_id).update(send_after=timezone.now())
        email_send(greeting.email_id)
    assert OutgoingEmail.objects.get(pk=greeting.email_id).status == "failed"
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.FAILED

    # "Retry now" puts it back in the queue, and the greeting with it.
    assert email_retry_now(OutgoingEmail.objects.get(pk=greeting.email_id)) is True
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.QUEUED


def test_a_send_cut_off_mid_way_fails_the_greeting_too(
    smtp: Inbox, sender: User, contact: Contact
) -> None:
    greeting = send(sender, contact)
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutgoingEmail.objects.filter(pk=greeting.email_id).update(status="sending", send_after=long_ago)
    other = send(sender, contact)  # still queued and due: the sweep sends it

    counts = emails_sweep(now=timezone.now() + datetime.timedelta(minutes=5))

    assert counts["stuck"] == 1
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.FAILED
    assert Greeting.objects.get(pk=other.pk).status == Greeting.Status.SENT
    assert len(smtp.messages) == 1


def test_a_failing_receiver_rolls_the_email_change_back(
    sender: User, contact: Contact, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The greeting's status is written in the email's transaction: both or neither."""
    from clientela.occasions import receivers

    greeting = send(sender, contact)

    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(receivers.Greeting.objects, "filter", broken)
    with pytest.raises(RuntimeError):
        email_send(greeting.email_id)
    assert OutgoingEmail.objects.get(pk=greeting.email_id).status == "queued"
    assert Greeting.objects.get(pk=greeting.pk).status == Greeting.Status.QUEUED


# --- cancelling -------------------------------------------------------------------------------


def test_a_scheduled_greeting_can_be_cancelled_until_it_goes(
    sender: User, teammate: User, contact: Contact
) -> None:
    later = timezone.now() + datetime.timedelta(days=1)
    greeting = send(sender, contact, send_at=later)
    email_id = greeting.email_id

    with pytest.raises(ValidationError):
        greeting_cancel(actor=teammate, greeting=greeting)  # a manager sees only their own
    cancelled = greeting_cancel(actor=sender, greeting=greeting)

    assert cancelled.status == Greeting.Status.CANCELLED
    assert cancelled.email_id is None
    assert not OutgoingEmail.objects.filter(pk=email_id).exists()
    assert send_email_task.call(email_id) == "skipped"


def test_a_greeting_on_its_way_cannot_be_cancelled(sender: User, contact: Contact) -> None:
    now_sent = send(sender, contact)
    with pytest.raises(ValidationError) as error:
        greeting_cancel(actor=sender, greeting=now_sent)
    assert "status" in error.value.message_dict

    later = send(sender, contact, send_at=timezone.now() + datetime.timedelta(hours=1))
    OutgoingEmail.objects.filter(pk=later.email_id).update(status="sending")
    with pytest.raises(ValidationError):
        greeting_cancel(actor=sender, greeting=later)
    assert OutgoingEmail.objects.filter(pk=later.email_id).exists()
