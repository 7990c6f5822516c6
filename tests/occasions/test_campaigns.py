"""Holiday greeting campaigns: the segment (the contact list's filters), marketing consent and
email, templates per language, the time on the day, the confirmation step, access, queries."""

import datetime
import zoneinfo
from typing import Any
from urllib.parse import urlencode

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clientela.accounts.models import User
from clientela.contacts.models import Contact, Tag
from clientela.contacts.selectors import ListFilters
from clientela.core.models import AuditEvent, OutgoingEmail
from clientela.occasions.agenda import holidays_between
from clientela.occasions.models import Greeting, GreetingTemplate
from clientela.occasions.services_campaigns import (
    CAMPAIGN_LIMIT,
    campaign_plan,
    campaign_send,
)
from clientela.occasions.services_greetings import KIND_HEADER
from conftest import client_for, make_contact

# the default greeting templates, as the data migration installs them
pytestmark = pytest.mark.usefixtures("default_greeting_templates")

NEW = "/occasions/campaigns/new/"
# The confirmation page: session, user, tags, owners, templates, the segment, the clients it
# already greeted that day, one more, and the firm's settings and dates for the holiday's name —
# the same for 3 clients or 30.
QUERIES = 10
# Sending: the segment, the clients already greeted that day, the holiday's name (the firm's
# settings and dates), one INSERT each of the emails, the greetings and the audit events, and
# four savepoints — for 3 clients or 30.
SEND_QUERIES = 11
KYIV = zoneinfo.ZoneInfo("Europe/Kyiv")


@pytest.fixture
def holiday_templates(db: Any) -> dict[str, GreetingTemplate]:
    texts = {
        "uk": ("Зі святом, {formal_name}!", "{first_name}, вітаємо! {manager_name}"),
        "ru": ("С праздником, {formal_name}!", "{first_name}, поздравляем!"),
        "en": ("Happy holidays, {first_name}!", "Dear {formal_name}, season's greetings."),
    }
    return {
        language: GreetingTemplate.objects.create(
            name=f"Holiday {language}",
            occasion_kind="holiday",
            language=language,
            subject=subject,
            body=body,
        )
        for language, (subject, body) in texts.items()
    }


def client_(owner: User, **data: Any) -> Contact:
    """A client who agreed to marketing email and has an address, unless told otherwise."""
    data.setdefault("marketing_consent", True)
    data.setdefault("emails", [f"{data.get('first_name', 'c')}{Contact.objects.count()}@ex.com"])
    data.setdefault("language", "uk")
    return make_contact(owner, **data)


def vip_tag() -> int:
    return Tag.objects.get(name="VIP").pk


def the_day() -> datetime.date:
    return timezone.now().astimezone(KYIV).date() + datetime.timedelta(days=10)


def query(day: datetime.date | None = None, **data: Any) -> dict[str, Any]:
    return {"holiday": (day or the_day()).isoformat(), "name": "Різдво", "time": "09:00", **data}


def review_url(templates: dict[str, GreetingTemplate], **data: Any) -> str:
    params = query(**data) | {f"template_{k}": t.pk for k, t in templates.items()}
    return f"{NEW}?{urlencode(params | {'review': 1})}"


def post_data(templates: dict[str, GreetingTemplate], expected: int, **data: Any) -> dict:
    return (
        query(**data)
        | {f"template_{k}": t.pk for k, t in templates.items()}
        | {"expected": expected}
    )


# --- the service -------------------------------------------------------------------------------


def test_the_segment_by_tag_and_skipping_without_consent_or_email(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    vip = client_(owner, first_name="Оксана", tags=["VIP"])
    client_(owner, first_name="Іван", tags=["VIP"], marketing_consent=False)
    client_(owner, first_name="Петро", tags=["VIP"], emails=[])
    client_(owner, first_name="Марко", tags=["other"])
    client_(owner, first_name="Зоя", tags=["VIP"], language="en")
    client = client_for(owner)

    page = client.get(review_url(holiday_templates, tag=vip_tag()))

    html = page.content.decode()
    assert page.status_code == 200
    assert page.context["plan"].count == 2
    assert 'name="expected" value="2"' in html
    assert 'data-reason="no_consent">1 —' in html
    assert 'data-reason="no_email">1 —' in html
    assert "Марко" not in html
    assert "Оксана" in html
    assert "Зоя" in html
    assert not Greeting.objects.exists()

    response = client.post(NEW, post_data(holiday_templates, 2, tag=vip_tag()))

    assert response.status_code == 302
    greetings = Greeting.objects.order_by("to_email")
    assert {g.contact_id for g in greetings} == {vip.pk, Contact.objects.get(first_name="Зоя").pk}
    assert all(g.occasion_kind == "holiday" and g.occasion_id is None for g in greetings)
    assert all(not g.personal for g in greetings)
    for email in OutgoingEmail.objects.all():
        assert email.headers[KIND_HEADER] == "marketing"


def test_each_client_gets_the_template_of_their_language(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    uk = client_(owner, first_name="Олена", middle_name="Петрівна", language="uk")
    ru = client_(owner, first_name="Ольга", language="ru")
    en = client_(owner, first_name="Anna", last_name="Smith", language="en")

    greetings = campaign_send(
        actor=owner,
        filters=ListFilters(),
        templates=dict(holiday_templates),
        day=the_day(),
        time=datetime.time(9, 0),
    )

    by_contact = {g.contact_id: g for g in greetings}
    assert by_contact[uk.pk].template == holiday_templates["uk"]
    assert by_contact[uk.pk].subject == "Зі святом, Олена Петрівна!"
    assert by_contact[ru.pk].subject.startswith("С праздником")
    assert by_contact[ru.pk].language == "ru"
    assert by_contact[en.pk].subject == "Happy holidays, Anna!"
    assert by_contact[en.pk].body == "Dear Anna Smith, season's greetings."


def test_a_language_without_a_template_is_skipped_with_the_reason(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner, first_name="Ольга", language="ru")
    uk = client_(owner, first_name="Олена", language="uk")
    templates: dict[str, GreetingTemplate | None] = {
        "uk": holiday_templates["uk"],
        "ru": None,
        "en": None,
    }

    plan = campaign_plan(actor=owner, filters=ListFilters(), templates=templates)

    assert [c.pk for c, _t in plan.recipients] == [uk.pk]
    assert [(s.contact.first_name, s.reason) for s in plan.skipped] == [("Ольга", "no_template")]


def test_a_second_campaign_of_the_same_holiday_greets_only_those_not_yet_greeted(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    first = client_(owner, first_name="Олена")
    bounced = client_(owner, first_name="Ірина")
    send = {
        "actor": owner,
        "filters": ListFilters(),
        "templates": dict(holiday_templates),
        "time": datetime.time(9, 0),
    }
    campaign_send(**send, day=the_day())
    Greeting.objects.filter(contact=bounced).update(status=Greeting.Status.FAILED)
    later = client_(owner, first_name="Зоя")

    plan = campaign_plan(
        actor=owner, filters=ListFilters(), templates=dict(holiday_templates), day=the_day()
    )
    again = campaign_send(**send, day=the_day())
    other_day = campaign_send(**send, day=the_day() + datetime.timedelta(days=1))

    assert [(s.contact.pk, s.reason) for s in plan.skipped] == [(first.pk, "greeted")]
    assert plan.skipped[0].reason_label == "already greeted for this holiday"
    assert {g.contact_id for g in again} == {bounced.pk, later.pk}
    assert {g.holiday for g in again} == {the_day()}
    assert len(other_day) == 3
    assert Greeting.objects.filter(contact=first).count() == 2


def test_a_campaign_of_a_holiday_everyone_received_is_refused(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner, first_name="Олена")
    send = {
        "actor": owner,
        "filters": ListFilters(),
        "templates": dict(holiday_templates),
        "day": the_day(),
        "time": datetime.time(9, 0),
    }
    campaign_send(**send)

    with pytest.raises(ValidationError) as error:
        campaign_send(**send)

    assert "recipients" in error.value.message_dict
    assert Greeting.objects.count() == 1


def test_the_default_is_the_holiday_template_of_each_language(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    GreetingTemplate.objects.filter(occasion_kind="holiday", language="ru").update(active=False)
    client_(owner, first_name="Ольга", language="ru")

    page = client_for(owner).get(f"{NEW}?{urlencode(query())}")

    form = page.context["form"]
    assert form["template_uk"].value() == holiday_templates["uk"].pk
    assert form["template_ru"].value() in ("", None)
    assert form["template_en"].value() == holiday_templates["en"].pk


def test_a_new_firm_has_a_holiday_template_in_each_language(owner: User) -> None:
    """The migration installs them, so a first campaign reaches clients of every language."""
    page = client_for(owner).get(f"{NEW}?{urlencode(query())}")

    form = page.context["form"]
    for language in ("uk", "ru", "en"):
        chosen = GreetingTemplate.objects.get(pk=form[f"template_{language}"].value())
        assert (chosen.occasion_kind, chosen.language) == ("holiday", language)


def test_it_is_scheduled_on_the_holiday_at_the_senders_local_time(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    owner.time_zone = "Europe/Kyiv"
    owner.save()
    client_(owner)
    day = the_day()

    client_for(owner).post(NEW, post_data(holiday_templates, 1, day=day, time="10:30"))

    greeting = Greeting.objects.get()
    expected = datetime.datetime.combine(day, datetime.time(10, 30), tzinfo=KYIV)
    assert greeting.send_at == expected
    assert greeting.status == Greeting.Status.SCHEDULED
    assert greeting.email is not None
    assert greeting.email.send_after == expected


def test_a_moment_already_past_sends_now(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner)
    yesterday = timezone.now().astimezone(KYIV).date() - datetime.timedelta(days=1)

    response = client_for(owner).post(NEW, post_data(holiday_templates, 1, day=yesterday))

    assert response.status_code == 302
    assert Greeting.objects.get().status == Greeting.Status.QUEUED


def test_one_audit_event_per_greeting(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner)
    client_(owner)
    before = AuditEvent.objects.count()

    campaign_send(
        actor=owner,
        filters=ListFilters(),
        templates=dict(holiday_templates),
        day=the_day(),
        time=datetime.time(9),
    )

    assert AuditEvent.objects.count() - before == 2


def test_nothing_is_created_until_the_sender_confirms(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner)
    client = client_for(owner)

    review = client.get(review_url(holiday_templates))
    cancelled = client.get("/occasions/")

    assert review.status_code == cancelled.status_code == 200
    assert 'href="/occasions/"' in review.content.decode()  # the Cancel link
    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_a_segment_that_changed_after_the_review_is_not_sent(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner)
    client_(owner)

    response = client_for(owner).post(NEW, post_data(holiday_templates, 1))

    assert response.status_code == 200
    assert 'name="expected" value="2"' in response.content.decode()
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not Greeting.objects.exists()


def test_the_campaign_is_all_or_nothing(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    client_(owner, first_name="Перша", last_name="Антоненко", language="uk")
    client_(owner, first_name="Друга", last_name="Яковенко", language="ru")
    # The second client's template was broken behind the form's back (saved bypassing its
    # service): the first greeting is already written when the second one fails.
    broken = holiday_templates["ru"]
    GreetingTemplate.objects.filter(pk=broken.pk).update(subject="{oops}")
    broken.refresh_from_db()

    with pytest.raises(ValidationError):
        campaign_send(
            actor=owner,
            filters=ListFilters(),
            templates=dict(holiday_templates),
            day=the_day(),
            time=datetime.time(9),
        )

    assert not Greeting.objects.exists()
    assert not OutgoingEmail.objects.exists()


def test_more_than_the_limit_is_refused_with_a_clear_message(
    owner: User, holiday_templates: dict[str, GreetingTemplate], monkeypatch: Any
) -> None:
    from clientela.occasions import services_campaigns

    monkeypatch.setattr(services_campaigns, "CAMPAIGN_LIMIT", 2)
    for _n in range(3):
        client_(owner)

    with pytest.raises(ValidationError) as error:
        campaign_send(
            actor=owner,
            filters=ListFilters(),
            templates=dict(holiday_templates),
            day=the_day(),
            time=datetime.time(9),
        )

    assert "2" in error.value.message_dict["recipients"][0]
    assert not Greeting.objects.exists()
    assert CAMPAIGN_LIMIT == 2000


def test_a_viewer_cannot_send_through_the_service(
    viewer: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    with pytest.raises(PermissionDenied):
        campaign_send(
            actor=viewer,
            filters=ListFilters(),
            templates=dict(holiday_templates),
            day=the_day(),
            time=datetime.time(9),
        )


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status", "sees"),
    [
        ("owner", 200, True),
        ("teammate", 200, False),
        ("lead", 200, True),
        ("outsider", 200, False),
        ("admin", 200, True),
        ("viewer", 403, False),
    ],
)
def test_access_by_persona(
    request: Any,
    owner: User,
    holiday_templates: dict[str, GreetingTemplate],
    persona: str,
    status: int,
    sees: bool,
) -> None:
    client_(owner, first_name="Видима")
    user: User = request.getfixturevalue(persona)
    client = client_for(user)

    page = client.get(f"{NEW}?{urlencode(query())}")
    review = client.get(review_url(holiday_templates))
    sent = client.post(NEW, post_data(holiday_templates, 1))

    assert page.status_code == review.status_code == status
    if status == 200:
        assert ("Видима" in review.content.decode()) is sees
    assert sent.status_code == (302 if sees else status)
    assert Greeting.objects.filter(sender=user).count() == (1 if sees else 0)


def test_the_agenda_links_each_holiday_for_writers_only(
    owner: User, viewer: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    from clientela.occasions.models import FirmDate

    day = timezone.now().astimezone(timezone.get_default_timezone()).date()
    FirmDate.objects.create(name="Firm day", month=day.month, day=day.day)

    mine = client_for(owner).get("/occasions/").content.decode()
    theirs = client_for(viewer).get("/occasions/").content.decode()

    assert f"{NEW}?holiday={day.isoformat()}&amp;name=Firm%20day" in mine
    assert NEW not in theirs


# --- queries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_confirmation_costs_the_same_queries_for_3_or_30_clients(
    owner: User,
    holiday_templates: dict[str, GreetingTemplate],
    django_assert_num_queries: Any,
    count: int,
) -> None:
    for n in range(count):
        client_(owner, first_name=f"К{n}", language=("uk", "ru", "en")[n % 3], tags=["VIP"])
    client = client_for(owner)
    url = review_url(holiday_templates, tag=vip_tag())
    client.get(url)

    with django_assert_num_queries(QUERIES):
        page = client.get(url)

    assert page.context["plan"].count == count
    assert f'name="expected" value="{count}"' in page.content.decode()


def test_occasion_names_the_holiday_in_each_clients_language(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    for template in holiday_templates.values():
        template.subject = "{occasion}"
        template.save()
    uk = client_(owner, first_name="Олена", language="uk")
    en = client_(owner, first_name="Anna", language="en")
    christmas = datetime.date(timezone.localdate().year + 1, 12, 25)
    expected = {
        language: holidays_between(
            christmas, christmas + datetime.timedelta(days=1), language=language
        )
        for language in ("uk", "en")
    }
    assert all(len(found) == 1 for found in expected.values())

    greetings = campaign_send(
        actor=owner,
        filters=ListFilters(),
        templates=dict(holiday_templates),
        day=christmas,
        time=datetime.time(9, 0),
        holiday_name=expected["uk"][0].name,  # as the agenda's link fills it in
    )

    by_contact = {g.contact_id: g for g in greetings}
    assert by_contact[uk.pk].subject == expected["uk"][0].name
    assert by_contact[en.pk].subject == expected["en"][0].name
    assert expected["uk"][0].name != expected["en"][0].name
    assert "holiday" not in by_contact[en.pk].subject


def test_a_typed_name_of_a_day_that_is_no_holiday_goes_to_every_language(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    for template in holiday_templates.values():
        template.subject = "{occasion}"
        template.save()
    client_(owner, first_name="Anna", language="en")
    (greeting,) = campaign_send(
        actor=owner,
        filters=ListFilters(),
        templates=dict(holiday_templates),
        day=datetime.date(timezone.localdate().year + 1, 11, 3),
        time=datetime.time(9, 0),
        holiday_name="День компанії",
    )
    assert greeting.subject == "День компанії"


@pytest.mark.parametrize("count", [3, 30])
def test_sending_costs_the_same_queries_for_3_or_30_clients(
    owner: User,
    holiday_templates: dict[str, GreetingTemplate],
    django_assert_num_queries: Any,
    count: int,
) -> None:
    """Emails, greetings and audit events are written in bulk: no query per recipient."""
    for n in range(count):
        client_(owner, first_name=f"К{n}", language=("uk", "ru", "en")[n % 3])
    ContentType.objects.get_for_model(Greeting)  # cached per process, whichever test runs first

    with django_assert_num_queries(SEND_QUERIES):
        greetings = campaign_send(
            actor=owner,
            filters=ListFilters(),
            templates=dict(holiday_templates),
            day=the_day(),
            time=datetime.time(9),
            expected=count,
        )

    assert len(greetings) == count
    assert OutgoingEmail.objects.count() == count
    assert {g.email_id for g in greetings} == set(
        OutgoingEmail.objects.values_list("pk", flat=True)
    )
    assert AuditEvent.objects.filter(action="create", object_repr__startswith="Зі святом").count()


def test_the_confirmation_shows_the_holidays_name_as_it_will_be_sent(
    owner: User, holiday_templates: dict[str, GreetingTemplate]
) -> None:
    for template in holiday_templates.values():
        template.subject = "Вітаю: {occasion}"
        template.save()
    client_(owner, first_name="Олена", language="uk")

    review = client_for(owner).get(review_url(holiday_templates, name="День фірми"))

    page = review.content.decode()
    assert "Вітаю: День фірми" in page
    assert "Вітаю: свято" not in page
