"""Greeting a company from its page and from the agenda: the send page with ?company= and with a
company's occasion, the company's "Greetings" panel and action, and the company's timeline."""

import datetime
from typing import Any

import pytest
from django.test import RequestFactory
from django.utils import timezone

from clientela.accounts.models import User
from clientela.activities.timeline import timeline
from clientela.contacts.models import Company, Contact
from clientela.core.extensions import actions_for
from clientela.core.models import OutgoingEmail
from clientela.occasions.models import Greeting, GreetingTemplate, Occasion
from clientela.occasions.services_greetings import KIND_HEADER, greeting_send
from clientela.occasions.views.greetings import client_greetings
from conftest import client_for, make_company
from occasions.agenda_support import make_occasion

# the default greeting templates, as the data migration installs them
pytestmark = pytest.mark.usefixtures("default_greeting_templates")

NEW = "/occasions/greetings/new/"


def new_url(company: Company) -> str:
    return f"{NEW}?company={company.pk}"


def company_url(company: Company) -> str:
    return f"/companies/{company.pk}/"


def founding_day(company: Company, day: datetime.date | None = None) -> Occasion:
    day = day or datetime.date(2000, 4, 12)
    return make_occasion(
        company, month=day.month, day=day.day, kind="custom", label="день заснування"
    )


def form_data(**data: Any) -> dict[str, Any]:
    return {
        "language": "uk",
        "subject": "Вітаємо, {formal_name}!",
        "body": "Команда {company}, зі святом!\n{manager_name}",
        "personal": "on",
        "when": "now",
        "action": "send",
        **data,
    }


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
def test_the_company_send_page_by_persona(
    request: Any, company: Company, persona: str, status: int
) -> None:
    user: User = request.getfixturevalue(persona)

    shown = client_for(user).get(new_url(company))
    sent = client_for(user).post(new_url(company), form_data())

    assert shown.status_code == status
    assert sent.status_code == (302 if status == 200 else status)
    assert Greeting.objects.filter(company=company).count() == (1 if status == 200 else 0)


def test_the_page_greets_the_company_by_name_in_the_firms_language(
    settings: Any, owner: User, company: Company
) -> None:
    settings.LANGUAGE_CODE = "ru"
    occasion = make_occasion(company, month=5, day=21, kind="anniversary", year=2015)

    response = client_for(owner).get(new_url(company))

    assert response.status_code == 200
    form = response.context["form"]
    chosen = GreetingTemplate.objects.get(pk=form.initial["template"])
    assert (chosen.occasion_kind, chosen.language) == ("anniversary", "ru")
    assert form.initial["language"] == "ru"
    assert form.initial["personal"] is True
    assert (form.initial["day"].month, form.initial["day"].day) == (5, 21)
    assert response.context["occasion"] == occasion


def test_a_company_occasion_opens_the_page_for_that_day(owner: User, company: Company) -> None:
    occasion = founding_day(company)

    response = client_for(owner).get(f"{NEW}?occasion={occasion.pk}")

    assert response.status_code == 200
    content = response.content.decode()
    assert "A greeting to ТОВ Ромашка" in content
    assert "Back to the company" in content
    assert f'href="{company_url(company)}"' in content
    assert "ТОВ Ромашка is a company" in content  # only a personal greeting can go
    assert "{last_name} is left empty" in content
    assert response.context["client"] == company
    assert response.context["occasion"] == occasion
    day = response.context["form"].initial["day"]
    assert (day.month, day.day) == (4, 12)
    assert f'action="{NEW}?occasion={occasion.pk}"' in content


def test_another_managers_company_occasion_is_not_found(outsider: User, company: Company) -> None:
    occasion = founding_day(company)

    assert client_for(outsider).get(f"{NEW}?occasion={occasion.pk}").status_code == 404
    assert client_for(outsider).get(f"{NEW}?company=nonsense").status_code == 404


def test_the_preview_fills_in_the_companys_name(owner: User, company: Company) -> None:
    response = client_for(owner).post(
        new_url(company),
        form_data(action="preview", body="[{last_name}] {first_name} / {company}"),
        HTTP_HX_REQUEST="true",
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "Вітаємо, ТОВ Ромашка!" in content
    assert "[] ТОВ Ромашка / ТОВ Ромашка" in content
    assert "office@romashka.example" in content
    assert not Greeting.objects.exists()


def test_send_for_the_founding_day_goes_back_to_the_company_page(
    owner: User, company: Company
) -> None:
    occasion = founding_day(company)
    client = client_for(owner)

    response = client.post(
        f"{NEW}?occasion={occasion.pk}", form_data(body="Зі святом: {occasion}!")
    )

    assert response.status_code == 302
    assert response["Location"] == company_url(company)
    greeting = Greeting.objects.get()
    assert (greeting.company_id, greeting.contact_id) == (company.pk, None)
    assert greeting.occasion == occasion
    assert greeting.body == "Зі святом: день заснування!"
    assert OutgoingEmail.objects.get(pk=greeting.email_id or 0).headers[KIND_HEADER] == "personal"
    page = client.get(company_url(company)).content.decode()
    assert "The greeting to ТОВ Ромашка is on its way." in page
    assert 'id="greetings"' in page
    assert "Вітаємо, ТОВ Ромашка!" in page
    assert "tl-greeting" in page


def test_send_on_the_day_from_the_company_page(owner: User, company: Company) -> None:
    day = timezone.localdate() + datetime.timedelta(days=4)

    response = client_for(owner).post(
        new_url(company), form_data(when="on_day", day=day.isoformat(), time="10:15")
    )

    assert response.status_code == 302
    greeting = Greeting.objects.get()
    assert greeting.status == Greeting.Status.SCHEDULED
    assert greeting.send_at.astimezone(timezone.get_default_timezone()).time() == datetime.time(
        10, 15
    )


def test_a_marketing_greeting_to_a_company_is_refused_on_the_form(
    owner: User, company: Company
) -> None:
    response = client_for(owner).post(new_url(company), form_data(personal=""))

    assert response.status_code == 200
    [problem] = response.context["form"].errors["personal"]
    assert "ТОВ Ромашка is a company" in problem
    assert "ТОВ Ромашка is a company" in response.content.decode()
    assert not Greeting.objects.exists()


def test_a_company_without_email_gets_a_call_or_a_postcard_instead(owner: User) -> None:
    silent = make_company(owner, name="ТОВ Тиша", phones=["044 000 00 00"])
    client = client_for(owner)

    content = client.get(new_url(silent)).content.decode()

    assert 'value="send"' not in content
    assert "ТОВ Тиша has no email address" in content
    assert f"/activities/call/new/?company={silent.pk}" in content
    assert f"/occasions/gestures/new/?company={silent.pk}&amp;kind=postcard" in content
    refused = client.post(new_url(silent), form_data())
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [
        "Company: ТОВ Тиша has no email address: log a call or record a postcard instead."
    ]
    assert "log a call or record a postcard instead" in refused.content.decode()
    assert not Greeting.objects.exists()
    panel = client.get(company_url(silent)).content.decode()
    assert "No email address to send a greeting to." in panel
    assert f"/activities/call/new/?company={silent.pk}" in panel


# --- the company's page, panel and agenda row ----------------------------------------------------


def test_the_company_page_offers_a_greeting(owner: User, viewer: User, company: Company) -> None:
    on_company = [a for a in actions_for("company", owner, company) if a.key.startswith("greet")]

    assert [a.url for a in on_company] == [new_url(company)]
    assert not [a for a in actions_for("company", viewer, company) if a.key.startswith("greet")]
    page = client_for(owner).get(company_url(company)).content.decode()
    assert 'id="greetings"' in page
    assert "No greetings yet." in page
    assert new_url(company) in page
    read_only = client_for(viewer).get(company_url(company)).content.decode()
    assert 'id="greetings"' in read_only
    assert new_url(company) not in read_only


def test_a_company_occasion_row_offers_a_greeting_that_opens(owner: User, company: Company) -> None:
    day = timezone.localdate() + datetime.timedelta(days=2)  # the owner keeps the firm's zone
    if (day.month, day.day) == (2, 29):
        pytest.skip("29 February moves around")
    occasion = founding_day(company, day)
    url = f"{NEW}?occasion={occasion.pk}"

    on_row = [a for a in actions_for("occasion_row", owner, occasion) if a.key.startswith("greet")]
    agenda = client_for(owner).get("/occasions/").content.decode()

    assert [a.url for a in on_row] == [url]
    assert "день заснування" in agenda
    assert f'href="{url}"' in agenda
    opened = client_for(owner).get(url)
    assert opened.status_code == 200
    assert opened.context["form"].initial["day"] == day


def test_cancel_from_the_company_panel_goes_back_to_the_company(
    owner: User, company: Company
) -> None:
    client = client_for(owner)
    day = timezone.localdate() + datetime.timedelta(days=5)
    client.post(new_url(company), form_data(when="on_day", day=day.isoformat(), time="09:00"))
    greeting = Greeting.objects.get()
    assert (
        f"/occasions/greetings/{greeting.pk}/cancel/"
        in client.get(company_url(company)).content.decode()
    )

    response = client.post(f"/occasions/greetings/{greeting.pk}/cancel/")

    assert response.status_code == 302
    assert response["Location"] == company_url(company)
    greeting.refresh_from_db()
    assert greeting.status == Greeting.Status.CANCELLED


def test_the_company_panel_costs_one_query_however_many_greetings(
    owner: User, company: Company, contact: Contact, django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/")
    request.user = owner
    greeting_send(actor=owner, contact=contact, subject="Hi", body="Hi", language="uk")
    send = client_for(owner).post
    send(new_url(company), form_data())
    with django_assert_num_queries(1):
        one = client_greetings(request, company)
    for _ in range(7):
        send(new_url(company), form_data())
    with django_assert_num_queries(1):
        many = client_greetings(request, company)

    assert one is not None
    assert many is not None
    assert len(one["greetings"]) == 1
    assert len(many["greetings"]) == 5
    assert {g.company_id for g in many["greetings"]} == {company.pk}
    assert many["new_url"] == new_url(company)


# --- the timeline ---------------------------------------------------------------------------------


def test_the_companys_greeting_is_on_the_companys_timeline_only(
    owner: User, outsider: User, company: Company, contact: Contact
) -> None:
    to_company = greeting_send(
        actor=owner, company=company, subject="Вітаємо, {company}!", body="Hi", language="uk"
    )
    to_person = greeting_send(actor=owner, contact=contact, subject="Hi", body="Hi", language="uk")

    on_company = timeline(owner, company=company, kinds=["greeting"]).entries
    on_person = timeline(owner, contact=contact, kinds=["greeting"]).entries

    assert [e.obj.pk for e in on_company] == [to_company.pk]
    assert [e.obj.pk for e in on_person] == [to_person.pk]
    assert on_company[0].status == "queued"
    assert on_company[0].actor == owner
    assert not timeline(outsider, company=company, kinds=["greeting"]).entries


def test_the_timeline_entry_of_a_companys_greeting_renders_and_links_right(
    owner: User, company: Company
) -> None:
    greeting_send(
        actor=owner, company=company, subject="Вітаємо, {company}!", body="Hi", language="uk"
    )

    response = client_for(owner).get(f"/timeline/page/?company={company.pk}&kind=greeting")

    content = response.content.decode()
    assert response.status_code == 200
    entry = content[content.index('class="tl-entry tl-greeting"') :]
    entry = entry[: entry.index("</li>")]
    assert "Greeting to office@romashka.example" in entry
    assert "“Вітаємо, ТОВ Ромашка!”" in entry
    assert "/contacts/" not in entry  # it names no person
    assert f"?company={company.pk}&amp;kind=greeting" in content
