"""Gesture pages: recording from a client or an occasion, editing, deleting, the list, the
client panel, the report, and who may see which."""

from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from clientela.accounts.models import User
from clientela.contacts.models import Contact
from clientela.core.extensions import actions_for
from clientela.occasions.models import Gesture
from clientela.occasions.services_gestures import gesture_create
from conftest import client_for, make_contact
from occasions.agenda_support import make_occasion

NEW = reverse("occasions:gesture_new")
LIST = reverse("occasions:gesture_list")
REPORT = reverse("occasions:gesture_report")

FORM = {
    "kind": "flowers",
    "date": "2026-03-08",
    "status": "done",
    "cost": "1 250,50",
    "currency": "UAH",
    "response": "",
    "occasion": "",
    "notes": "Тюльпани",
}


def record(actor: User, contact: Contact, **data: Any) -> Gesture:
    data.setdefault("kind", "flowers")
    data.setdefault("date", "2026-03-08")
    return gesture_create(actor=actor, data={"contact": contact.pk, **data})


def test_record_a_gesture_from_the_contact(owner: User, contact: Contact) -> None:
    page = client_for(owner).get(f"{NEW}?contact={contact.pk}&kind=postcard")
    assert page.status_code == 200
    assert '<option value="postcard" selected>' in page.content.decode()

    answer = client_for(owner).post(f"{NEW}?contact={contact.pk}", {**FORM, "user": str(owner.pk)})
    assert answer.status_code == 302
    assert answer["Location"] == reverse("contacts:detail", args=[contact.pk])
    gesture = Gesture.objects.get()
    assert (gesture.contact_id, gesture.kind, gesture.cost) == (
        contact.pk,
        "flowers",
        Decimal("1250.50"),
    )
    assert gesture.user_id == owner.pk


def test_bad_cost_is_shown_next_to_the_field_and_nothing_saved(
    owner: User, contact: Contact
) -> None:
    answer = client_for(owner).post(
        f"{NEW}?contact={contact.pk}", {**FORM, "cost": "-3", "user": str(owner.pk)}
    )
    assert answer.status_code == 200
    form = answer.context["form"]
    assert list(form.errors) == ["cost"]
    assert not Gesture.objects.exists()


def test_record_for_an_occasion_prefills_it(owner: User, contact: Contact) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    page = client_for(owner).get(f"{NEW}?occasion={birthday.pk}")
    assert page.status_code == 200
    assert f'<option value="{birthday.pk}" selected>' in page.content.decode()
    answer = client_for(owner).post(
        f"{NEW}?occasion={birthday.pk}",
        {**FORM, "occasion": str(birthday.pk), "user": str(owner.pk)},
    )
    assert answer.status_code == 302
    gesture = Gesture.objects.get()
    assert (gesture.contact_id, gesture.occasion_id) == (contact.pk, birthday.pk)


def test_without_a_client_the_page_offers_to_find_one(owner: User, contact: Contact) -> None:
    page = client_for(owner).get(f"{NEW}?q=Шевченко")
    assert page.status_code == 200
    assert f"?contact={contact.pk}" in page.content.decode()


def test_the_client_search_keeps_the_kind_asked_for(owner: User, contact: Contact) -> None:
    html = client_for(owner).get(f"{NEW}?q=Шевченко&kind=postcard").content.decode()

    assert '<input type="hidden" name="kind" value="postcard">' in html
    assert f"?contact={contact.pk}&amp;kind=postcard" in html


def test_outsider_gets_404_and_viewer_403_on_the_new_page(
    outsider: User, viewer: User, contact: Contact
) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    assert client_for(outsider).get(f"{NEW}?contact={contact.pk}").status_code == 404
    assert client_for(outsider).get(f"{NEW}?occasion={birthday.pk}").status_code == 404
    assert client_for(viewer).get(f"{NEW}?contact={contact.pk}").status_code == 403
    answer = client_for(viewer).post(f"{NEW}?contact={contact.pk}", {**FORM, "user": ""})
    assert answer.status_code == 403
    assert not Gesture.objects.exists()


def test_edit_and_delete(owner: User, outsider: User, viewer: User, contact: Contact) -> None:
    gesture = record(owner, contact, status="planned")
    edit = reverse("occasions:gesture_edit", args=[gesture.pk])
    delete = reverse("occasions:gesture_delete", args=[gesture.pk])
    assert client_for(outsider).get(edit).status_code == 404
    assert client_for(outsider).post(delete).status_code == 404
    assert client_for(viewer).get(edit).status_code == 403

    page = client_for(owner).get(edit)
    assert page.status_code == 200
    version = page.context["version"]
    answer = client_for(owner).post(
        edit,
        {
            **FORM,
            "status": "done",
            "response": "thanked",
            "user": str(owner.pk),
            "expected_updated_at": version,
        },
    )
    assert answer.status_code == 302
    gesture.refresh_from_db()
    assert (gesture.status, gesture.response) == ("done", "thanked")

    stale = client_for(owner).post(
        edit, {**FORM, "user": str(owner.pk), "expected_updated_at": version}
    )
    assert stale.status_code == 409

    assert client_for(owner).get(delete).status_code == 200
    assert client_for(owner).post(delete).status_code == 302
    assert not Gesture.objects.filter(pk=gesture.pk).exists()


def test_list_shows_only_what_the_user_sees(
    owner: User, outsider: User, lead: User, contact: Contact
) -> None:
    record(owner, contact, notes="Тюльпани для Олени")
    theirs = make_contact(outsider, first_name="Борис", last_name="Лисенко")
    record(outsider, theirs, notes="Коньяк для Бориса")
    mine = client_for(owner).get(LIST).content.decode()
    assert "Тюльпани для Олени" in mine
    assert "Коньяк для Бориса" not in mine
    theirs_page = client_for(outsider).get(LIST).content.decode()
    assert "Коньяк для Бориса" in theirs_page
    assert "Тюльпани для Олени" not in theirs_page
    assert "Тюльпани для Олени" in client_for(lead).get(LIST).content.decode()
    partial = client_for(owner).get(
        f"{LIST}?kind=flowers", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert partial.status_code == 200
    assert "<html" not in partial.content.decode()
    assert client_for(owner).get(f"{LIST}?kind=balloon").status_code == 400


@pytest.mark.parametrize("rows", [1, 30])
def test_list_queries_do_not_grow_with_rows(
    owner: User, contact: Contact, rows: int, django_assert_num_queries: Any
) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    for _n in range(rows):
        record(owner, contact, occasion=birthday.pk)
    browser = client_for(owner)
    browser.get(LIST)  # the session and the user are loaded once
    with django_assert_num_queries(4):
        page = browser.get(LIST)
    assert len(page.context["page"].items) == rows


def test_contact_page_has_the_panel_with_totals_and_the_action(
    owner: User, viewer: User, contact: Contact
) -> None:
    record(owner, contact, cost="100", currency="UAH", notes="Торт")
    record(owner, contact, cost="5", currency="EUR")
    page = client_for(owner).get(reverse("contacts:detail", args=[contact.pk])).content.decode()
    assert 'id="gestures"' in page
    assert "Торт" in page
    assert "100.00 UAH" in page or "100,00 UAH" in page
    assert "5.00 EUR" in page or "5,00 EUR" in page
    assert f"{NEW}?contact={contact.pk}" in page
    viewer_page = client_for(viewer).get(reverse("contacts:detail", args=[contact.pk]))
    assert 'id="gestures"' in viewer_page.content.decode()
    assert f"{NEW}?contact={contact.pk}" not in viewer_page.content.decode()


def test_actions_for_contact_company_and_occasion_rows(
    owner: User, viewer: User, contact: Contact
) -> None:
    birthday = make_occasion(contact, month=5, day=17)
    links = {a.url for a in actions_for("occasion_row", owner, birthday)}
    assert f"{NEW}?occasion={birthday.pk}" in links
    assert f"{NEW}?contact={contact.pk}" in {a.url for a in actions_for("contact", owner, contact)}
    assert not [a for a in actions_for("occasion_row", viewer, birthday) if "gesture" in a.key]


@pytest.mark.parametrize(
    ("persona", "sees_owners"),
    [
        ("owner", True),
        ("teammate", False),
        ("lead", True),
        ("outsider", False),
        ("admin", True),
        ("viewer", True),
    ],
)
def test_report_page_for_each_persona(
    request: pytest.FixtureRequest, contact: Contact, owner: User, persona: str, sees_owners: bool
) -> None:
    record(owner, contact, cost="123.45", currency="EUR", date="2026-02-01")
    user = request.getfixturevalue(persona)
    page = client_for(user).get(f"{REPORT}?date_from=2026-01-01&date_to=2026-12-31")
    assert page.status_code == 200
    assert (page.context["report"].spent == {"EUR": Decimal("123.45")}) is sees_owners
    assert (contact.first_name in page.content.decode()) is sees_owners


def test_report_defaults_to_this_year_and_refuses_a_bad_period(owner: User) -> None:
    page = client_for(owner).get(REPORT)
    report = page.context["report"]
    assert (report.date_from.month, report.date_from.day) == (1, 1)
    assert (report.date_to.month, report.date_to.day) == (12, 31)
    bad = client_for(owner).get(f"{REPORT}?date_from=2026-05-01&date_to=2026-01-01")
    assert bad.status_code == 400


def test_report_page_queries_do_not_grow_with_gestures(
    owner: User, contact: Contact, django_assert_max_num_queries: Any
) -> None:
    browser = client_for(owner)
    browser.get(REPORT)
    for n in range(40):
        client = contact if n % 2 else make_contact(owner, first_name=f"Client{n}")
        gesture_create(
            actor=owner,
            data={"contact": client.pk, "kind": "gift", "cost": str(n), "date": "2026-04-01"},
        )
    with django_assert_max_num_queries(6):
        assert browser.get(f"{REPORT}?date_from=2026-01-01&date_to=2026-12-31").status_code == 200


# --- the calendar feed page ----------------------------------------------------------------


def test_calendar_address_is_shown_once_and_can_be_revoked(owner: User) -> None:
    browser = client_for(owner)
    settings_page = browser.get(reverse("accounts:settings")).content.decode()
    assert reverse("occasions:calendar_feed") in settings_page

    made = browser.post(reverse("occasions:calendar_feed_create"))
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    url = made.context["new_url"]
    assert url.startswith("http://testserver/calendar/clcal_")
    assert url.endswith(".ics")
    path = url.removeprefix("http://testserver")
    assert browser.get(path).status_code == 200

    again = browser.get(reverse("occasions:calendar_feed")).content.decode()
    assert url not in again

    feed = made.context["active"]
    revoked = browser.post(reverse("occasions:calendar_feed_revoke", args=[feed.pk]))
    assert revoked.status_code == 302
    assert browser.get(path).status_code == 404


def test_someone_elses_feed_cannot_be_revoked(owner: User, outsider: User) -> None:
    made = client_for(owner).post(reverse("occasions:calendar_feed_create"))
    feed = made.context["active"]
    answer = client_for(outsider).post(reverse("occasions:calendar_feed_revoke", args=[feed.pk]))
    assert answer.status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
