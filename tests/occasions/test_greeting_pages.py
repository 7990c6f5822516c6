"""Greeting pages: templates kept by leads and admins, the send page (template, preview, now or
on the day), the no-email path, the contact's "Greetings" panel and access for every persona."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.core.extensions import actions_for
from clientela.core.models import OutgoingEmail
from clientela.occasions.models import Greeting, GreetingTemplate, Occasion
from clientela.occasions.services_greetings import KIND_HEADER
from clientela.occasions.views.greetings import client_greetings
from conftest import client_for, make_contact
from occasions.agenda_support import make_occasion

# the default greeting templates, as the data migration installs them
pytestmark = pytest.mark.usefixtures("default_greeting_templates")

TEMPLATES = "/occasions/greetings/templates/"
NEW = "/occasions/greetings/new/"


def new_url(contact: Contact) -> str:
    return f"{NEW}?contact={contact.pk}"


def only_occasion(contact: Contact, **data: Any) -> Occasion:
    """The contact's one occasion (the computed ones are removed)."""
    Occasion.objects.filter(contact=contact).delete()
    return make_occasion(contact, **data)


def form_data(**data: Any) -> dict[str, Any]:
    return {
        "language": "uk",
        "subject": "Вітаю, {formal_name}!",
        "body": "{first_name}, зі святом!\n{manager_name}",
        "personal": "on",
        "when": "now",
        "action": "send",
        **data,
    }


# --- templates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "can_edit"),
    [
        ("admin", True),
        ("lead", True),
        ("owner", False),
        ("teammate", False),
        ("outsider", False),
        ("viewer", False),
    ],
)
def test_template_pages_by_persona(request: Any, persona: str, can_edit: bool) -> None:
    user: User = request.getfixturevalue(persona)
    template = GreetingTemplate.objects.first()
    assert template is not None
    client = client_for(user)

    listed = client.get(TEMPLATES)
    new = client.get(f"{TEMPLATES}new/")
    edit = client.get(f"{TEMPLATES}{template.pk}/edit/")
    deactivate = client.post(f"{TEMPLATES}{template.pk}/deactivate/")

    assert listed.status_code == 200
    assert template.name in listed.content.decode()
    assert (f"{TEMPLATES}new/" in listed.content.decode()) is can_edit
    expected = 200 if can_edit else 403
    assert new.status_code == edit.status_code == expected
    assert deactivate.status_code == (302 if can_edit else 403)
    template.refresh_from_db()
    assert template.active is not can_edit


def test_anonymous_is_sent_to_the_login(db: Any) -> None:
    from django.test import Client

    assert Client().get(TEMPLATES).status_code == 302


def test_a_template_with_an_unknown_placeholder_is_refused_on_the_form(lead: User) -> None:
    data = {
        "name": "Весна",
        "occasion_kind": "holiday",
        "language": "uk",
        "subject": "Зі святом, {first_name",
        "body": "Шановна {frist_name}!",
        "active": "on",
    }

    response = client_for(lead).post(f"{TEMPLATES}new/", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert "{frist_name}" in form.errors["body"][0]
    assert "brace" in form.errors["subject"][0]
    assert not GreetingTemplate.objects.filter(name="Весна").exists()

    data |= {"subject": "Зі святом, {first_name}!", "body": "Шановна {formal_name}!"}
    saved = client_for(lead).post(f"{TEMPLATES}new/", data)
    assert saved.status_code == 302
    assert GreetingTemplate.objects.get(name="Весна").occasion_kind == "holiday"


# --- the send page -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("lead", 200),
        ("admin", 200),
        ("teammate", 404),  # a manager sees only their own clients
        ("outsider", 404),
        ("viewer", 403),
    ],
)
def test_the_send_page_by_persona(
    request: Any, contact: Contact, persona: str, status: int
) -> None:
    user: User = request.getfixturevalue(persona)

    shown = client_for(user).get(new_url(contact))
    sent = client_for(user).post(new_url(contact), form_data())

    assert shown.status_code == status
    assert sent.status_code == (302 if status == 200 else status)
    assert Greeting.objects.filter(contact=contact).count() == (1 if status == 200 else 0)


def test_the_page_starts_from_the_occasions_template_in_the_contacts_language(
    owner: User,
) -> None:
    contact = make_contact(owner, middle_name="Петровна", language="ru", emails=["e@example.com"])
    occasion = only_occasion(contact, month=5, day=21, kind="name_day")

    response = client_for(owner).get(f"{NEW}?occasion={occasion.pk}")

    assert response.status_code == 200
    form = response.context["form"]
    chosen = GreetingTemplate.objects.get(pk=form.initial["template"])
    assert (chosen.occasion_kind, chosen.language) == ("name_day", "ru")
    assert form.initial["subject"] == chosen.subject
    assert form.initial["language"] == "ru"
    today = timezone.localdate()
    assert form.initial["day"].month == 5
    assert form.initial["day"].day == 21
    assert form.initial["day"] >= today
    # The date input takes an ISO date, whatever the page's language.
    assert f'value="{form.initial["day"].isoformat()}"' in response.content.decode()


def test_a_greeting_for_a_day_ahead_is_set_to_go_on_that_day(owner: User) -> None:
    """The templates say "today": a greeting for tomorrow's name day goes tomorrow unless the
    manager chooses "now"; one for today's goes now."""
    from clientela.accounts.zones import user_today

    contact = make_contact(owner, emails=["e@example.com"])
    today = user_today(owner)
    tomorrow = today + datetime.timedelta(days=1)
    ahead = only_occasion(contact, month=tomorrow.month, day=tomorrow.day, kind="name_day")

    form = client_for(owner).get(f"{NEW}?occasion={ahead.pk}").context["form"]
    assert (form.initial["when"], form.initial["day"]) == ("on_day", tomorrow)

    ahead.delete()
    on_the_day = only_occasion(contact, month=today.month, day=today.day, kind="name_day")
    form = client_for(owner).get(f"{NEW}?occasion={on_the_day.pk}").context["form"]
    assert form.initial["when"] == "now"


def test_choosing_another_template_reloads_the_text(owner: User, contact: Contact) -> None:
    english = GreetingTemplate.objects.get(occasion_kind="anniversary", language="en")

    response = client_for(owner).post(
        new_url(contact),
        form_data(template=english.pk, action="load", personal=""),
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "occasions/_greeting_form.html"
    form = response.context["form"]
    assert form.initial["subject"] == english.subject
    assert form.initial["language"] == "en"
    assert form.initial["personal"] is False


def test_the_preview_shows_the_text_as_the_client_reads_it(owner: User, contact: Contact) -> None:
    response = client_for(owner).post(
        new_url(contact), form_data(action="preview"), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="greeting-preview"' in content
    assert "<html" not in content
    assert "Вітаю, Олена Петрівна!" in content
    assert "Олена, зі святом!" in content
    assert not Greeting.objects.exists()

    broken = client_for(owner).post(
        new_url(contact), form_data(action="preview", body="{frist_name}"), HTTP_HX_REQUEST="true"
    )
    assert "{frist_name}" in broken.content.decode()


def test_send_now_shows_on_the_contact_page_and_its_timeline(owner: User, contact: Contact) -> None:
    client = client_for(owner)

    response = client.post(new_url(contact), form_data())

    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    greeting = Greeting.objects.get()
    assert greeting.personal
    assert greeting.subject == "Вітаю, Олена Петрівна!"
    assert OutgoingEmail.objects.get(pk=greeting.email_id).headers[KIND_HEADER] == "personal"
    page = client.get(f"/contacts/{contact.pk}/").content.decode()
    assert 'id="greetings"' in page
    assert "Вітаю, Олена Петрівна!" in page
    assert "tl-greeting" in page


def test_a_marketing_greeting_without_consent_is_refused_on_the_form(
    owner: User, contact: Contact
) -> None:
    response = client_for(owner).post(new_url(contact), form_data(personal=""))

    assert response.status_code == 200
    assert "marketing" in response.context["form"].errors["personal"][0]
    assert not Greeting.objects.exists()


def test_send_on_the_day_at_a_local_time_in_the_senders_zone(owner: User, contact: Contact) -> None:
    owner.time_zone = "Asia/Tokyo"
    owner.save(update_fields=["time_zone"])
    zone = zoneinfo.ZoneInfo("Asia/Tokyo")
    day = timezone.now().astimezone(zone).date() + datetime.timedelta(days=3)

    response = client_for(owner).post(
        new_url(contact), form_data(when="on_day", day=day.isoformat(), time="08:30")
    )

    assert response.status_code == 302
    greeting = Greeting.objects.get()
    assert greeting.status == Greeting.Status.SCHEDULED
    expected = datetime.datetime.combine(day, datetime.time(8, 30), tzinfo=zone)
    assert greeting.send_at == expected
    assert greeting.send_at.astimezone(datetime.UTC).hour == 23  # 08:30 in Tokyo
    assert OutgoingEmail.objects.get(pk=greeting.email_id).send_after == expected


def test_on_the_day_needs_a_day_and_a_time(owner: User, contact: Contact) -> None:
    response = client_for(owner).post(new_url(contact), form_data(when="on_day", time=""))

    errors = response.context["form"].errors
    assert "day" in errors
    assert "time" in errors
    assert not Greeting.objects.exists()


def test_a_contact_without_email_gets_a_call_or_a_postcard_instead(owner: User) -> None:
    silent = make_contact(owner, phones=["067 000 00 00"])
    client = client_for(owner)

    content = client.get(new_url(silent)).content.decode()

    assert 'value="send"' not in content
    assert "has no email address" in content
    assert f"/activities/call/new/?contact={silent.pk}" in content
    assert f"/occasions/gestures/new/?contact={silent.pk}&amp;kind=postcard" in content
    refused = client.post(new_url(silent), form_data())
    assert refused.status_code == 200
    assert not Greeting.objects.exists()
    panel = client.get(f"/contacts/{silent.pk}/").content.decode()
    assert "No email address to send a greeting to." in panel


def test_actions_for_a_contact_and_an_occasion_row(
    owner: User, viewer: User, contact: Contact
) -> None:
    occasion = only_occasion(contact, month=1, day=2)

    on_contact = [a for a in actions_for("contact", owner, contact) if a.key.startswith("greet")]
    on_row = [a for a in actions_for("occasion_row", owner, occasion) if a.key.startswith("greet")]

    assert [a.url for a in on_contact] == [new_url(contact)]
    assert [a.url for a in on_row] == [f"{NEW}?occasion={occasion.pk}"]
    assert not [a for a in actions_for("contact", viewer, contact) if a.key.startswith("greet")]
    page = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    assert new_url(contact) in page


def test_another_managers_occasion_is_not_found(outsider: User, contact: Contact) -> None:
    occasion = only_occasion(contact, month=1, day=2)

    assert client_for(outsider).get(f"{NEW}?occasion={occasion.pk}").status_code == 404
    assert client_for(outsider).get(f"{NEW}?contact=nonsense").status_code == 404


def test_cancel_from_the_panel(owner: User, outsider: User, contact: Contact) -> None:
    client = client_for(owner)
    day = timezone.localdate() + datetime.timedelta(days=5)
    client.post(new_url(contact), form_data(when="on_day", day=day.isoformat(), time="09:00"))
    greeting = Greeting.objects.get()

    assert (
        client_for(outsider).post(f"/occasions/greetings/{greeting.pk}/cancel/").status_code == 404
    )
    response = client.post(f"/occasions/greetings/{greeting.pk}/cancel/")

    assert response.status_code == 302
    greeting.refresh_from_db()
    assert greeting.status == Greeting.Status.CANCELLED


def test_the_panel_costs_one_query_however_many_greetings(
    owner: User, contact: Contact, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/")
    request.user = owner
    client = client_for(owner)
    client.post(new_url(contact), form_data())
    with django_assert_num_queries(1):
        one = client_greetings(request, contact)
    for _ in range(7):
        client.post(new_url(contact), form_data())
    with django_assert_num_queries(1):
        many = client_greetings(request, contact)

    assert one is not None
    assert many is not None
    assert len(one["greetings"]) == 1
    assert len(many["greetings"]) == 5
    assert {g.status for g in many["greetings"]} == {"queued"}
