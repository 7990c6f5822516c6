"""A client's dates: computed occasions, the dates set by hand, custom dates, the panel."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from clientela.accounts.models import User
from clientela.contacts.models import Company, Contact
from clientela.contacts.services import contact_delete, contact_restore, contact_update
from clientela.core.models import AuditEvent, FirmSettings
from clientela.occasions.models import ClientDates, Occasion
from clientela.occasions.services import (
    client_dates_set,
    custom_date_add,
    custom_date_edit,
    custom_date_remove,
)
from clientela.sales.services import purchase_delete
from conftest import client_for, make_company, make_contact
from sales.support import make_purchase

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(settings: Any) -> None:
    settings.LANGUAGE_CODE = "en"


def computed(client: Contact | Company) -> dict[str, tuple[int, int, int | None]]:
    field = "contact" if isinstance(client, Contact) else "company"
    rows = Occasion.objects.filter(**{field: client}, manual=False)
    return {row.kind: (row.month, row.day, row.year) for row in rows}


def update(actor: User, contact: Contact, **data: Any) -> Contact:
    return contact_update(actor=actor, contact=contact, data=data, expected_updated_at=None)  # type: ignore[return-value]


def panel_html(user: User, client: Contact | Company) -> str:
    name = "contacts:detail" if isinstance(client, Contact) else "contacts:company_detail"
    response = client_for(user).get(reverse(name, args=[client.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('id="client-dates"')
    return html[start : html.index("</section>", start)]


# --- computed occasions -------------------------------------------------------------------------


def test_a_new_contact_gets_its_birthday_and_name_day(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій", birth_day=1, birth_month=3, birth_year=1980)

    assert computed(contact) == {"birthday": (3, 1, 1980), "name_day": (4, 23, None)}
    rows = Occasion.objects.filter(contact=contact)
    assert {(row.owner_id, row.team_id) for row in rows} == {(owner.pk, owner.team_id)}
    name_day = rows.get(kind="name_day")
    assert name_day.mmdd == 423
    assert "Георгій" in name_day.label


def test_the_occasions_follow_a_new_name_and_birthday(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій", birth_day=1, birth_month=3)

    contact = update(owner, contact, first_name="Світлана")
    assert computed(contact)["name_day"] == (3, 20, None)

    contact = update(owner, contact, birth_day=1, birth_month=4, birth_year=1990)
    # Фотинія: 13 February and 20 March; born 1 April, the next is 13 February.
    assert computed(contact) == {"birthday": (4, 1, 1990), "name_day": (2, 13, None)}

    contact = update(owner, contact, birth_day=None, birth_month=None, birth_year=None)
    assert computed(contact) == {"name_day": (3, 20, None)}


def test_a_name_without_a_saint_has_no_name_day_row(owner: User) -> None:
    contact = make_contact(owner, first_name="Снежана", birth_day=5, birth_month=5)

    assert computed(contact) == {"birthday": (5, 5, None)}


def test_the_occasions_follow_a_new_owner(owner: User, lead: User, teammate: User) -> None:
    contact = make_contact(owner, first_name="Олена", birth_day=2, birth_month=2)
    custom_date_add(actor=owner, client=contact, data={"label": "Весілля", "day": 9, "month": 9})

    update(lead, contact, owner=teammate.pk)

    rows = Occasion.objects.filter(contact=contact)
    assert rows.count() == 3
    assert set(rows.values_list("owner_id", flat=True)) == {teammate.pk}


def test_the_firm_and_the_contact_choose_the_calendar(owner: User) -> None:
    firm = FirmSettings.current()
    firm.calendar_tradition = "julian"
    firm.save()
    contact = make_contact(owner, first_name="Юрій")
    assert computed(contact)["name_day"] == (5, 6, None)

    client_dates_set(actor=owner, client=contact, data={"tradition": "new"})

    assert computed(contact)["name_day"] == (4, 23, None)


def test_a_name_day_set_by_hand_wins_and_not_celebrating_removes_it(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій", birth_day=1, birth_month=3)

    client_dates_set(actor=owner, client=contact, data={"name_day_day": 29, "name_day_month": 2})
    assert computed(contact)["name_day"] == (2, 29, None)

    client_dates_set(
        actor=owner,
        client=contact,
        data={"name_day_day": None, "name_day_month": None, "no_name_day": True},
    )
    assert "name_day" not in computed(contact)

    client_dates_set(actor=owner, client=contact, data={"no_name_day": False})
    assert computed(contact)["name_day"] == (4, 23, None)


def test_31_february_is_refused_naming_the_field_and_nothing_is_saved(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")

    with pytest.raises(ValidationError) as error:
        client_dates_set(
            actor=owner,
            client=contact,
            data={"name_day_day": 31, "name_day_month": 2, "client_since": "2030-01-01"},
        )

    assert set(error.value.message_dict) == {"name_day_day", "client_since"}
    assert not ClientDates.objects.filter(contact=contact).exists()
    assert computed(contact)["name_day"] == (4, 23, None)


def test_half_a_name_day_and_a_bad_tradition_are_refused(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")

    with pytest.raises(ValidationError) as error:
        client_dates_set(
            actor=owner, client=contact, data={"name_day_day": 3, "tradition": "gregorian"}
        )

    assert set(error.value.message_dict) == {"name_day_month", "tradition"}


def test_dates_set_are_audited_on_the_client(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")

    client_dates_set(actor=owner, client=contact, data={"client_since": "2019-03-03"})

    event = AuditEvent.objects.filter(object_id=contact.pk, action="update").latest("id")
    assert event.changes == {"client_since": [None, "2019-03-03"]}
    assert event.actor == owner


def test_the_history_page_names_the_dates_changed(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    client_dates_set(
        actor=owner,
        client=contact,
        data={"client_since": "2019-03-03", "name_day_month": 5, "name_day_day": 6},
    )

    client_dates_set(actor=owner, client=contact, data={"tradition": "julian"})
    html = client_for(owner).get(f"/contacts/{contact.pk}/history/").content.decode()
    russian = client_for(owner).get(f"/contacts/{contact.pk}/history/", HTTP_ACCEPT_LANGUAGE="ru")

    assert "Client since" in html
    assert "Name day" in html
    assert "6 May" in html
    assert "Julian calendar" in html
    assert "client_since" not in html
    assert "name_day" not in html
    # recorded as codes and dates, said in the reader's language
    assert "6 мая" in russian.content.decode()


def test_the_anniversary_comes_from_client_since(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")

    client_dates_set(actor=owner, client=contact, data={"client_since": datetime.date(2019, 3, 3)})

    assert computed(contact)["anniversary"] == (3, 3, 2019)


def test_the_anniversary_comes_from_the_first_purchase(owner: User) -> None:
    contact = make_contact(owner, first_name="Снежана")
    company = make_company(owner)
    assert computed(contact) == {}

    later = make_purchase(owner, contact, datetime.date(2022, 5, 10))
    assert computed(contact) == {"anniversary": (5, 10, 2022)}

    earlier = make_purchase(owner, contact, datetime.date(2020, 1, 15), company=company.pk)
    assert computed(contact) == {"anniversary": (1, 15, 2020)}
    assert computed(company) == {"anniversary": (1, 15, 2020)}

    purchase_delete(actor=owner, purchase=earlier)
    assert computed(contact) == {"anniversary": (5, 10, 2022)}
    assert computed(company) == {}

    # "Client since" set by hand wins over the purchases.
    client_dates_set(actor=owner, client=contact, data={"client_since": "2018-06-01"})
    assert computed(contact) == {"anniversary": (6, 1, 2018)}
    assert later.pk


def test_a_trashed_contact_keeps_no_computed_dates_until_restored(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій", birth_day=1, birth_month=3)

    contact_delete(actor=owner, contact=contact)
    assert computed(contact) == {}

    contact_restore(actor=owner, contact=Contact.all_objects.get(pk=contact.pk))
    assert set(computed(contact)) == {"birthday", "name_day"}


# --- custom dates ----------------------------------------------------------------------------------


def test_custom_dates_are_added_kept_by_refreshes_and_removed(owner: User) -> None:
    company = make_company(owner)

    occasion = custom_date_add(
        actor=owner,
        client=company,
        data={"label": "Founding day", "day": 14, "month": 10, "year": 2004},
    )
    make_purchase(owner, company, datetime.date(2021, 2, 2))

    assert Occasion.objects.filter(company=company, manual=True).count() == 1
    assert (occasion.kind, occasion.mmdd, occasion.year) == ("custom", 1014, 2004)

    custom_date_remove(actor=owner, occasion=occasion)

    assert not Occasion.objects.filter(company=company, manual=True).exists()
    assert computed(company) == {"anniversary": (2, 2, 2021)}


def test_a_bad_custom_date_names_every_field(owner: User) -> None:
    contact = make_contact(owner)

    with pytest.raises(ValidationError) as error:
        custom_date_add(
            actor=owner, client=contact, data={"label": "", "day": 31, "month": 4, "year": 1700}
        )

    assert set(error.value.message_dict) == {"label", "day", "year"}
    assert not Occasion.objects.filter(contact=contact, manual=True).exists()


def test_a_custom_date_is_changed_and_the_history_says_from_what(owner: User) -> None:
    contact = make_contact(owner)
    occasion = custom_date_add(
        actor=owner, client=contact, data={"label": "Wedding", "day": 9, "month": 9}
    )

    changed = custom_date_edit(
        actor=owner,
        occasion=occasion,
        data={"label": "Wedding day", "day": 12, "month": 6, "year": 2004},
    )

    row = Occasion.objects.get(pk=occasion.pk)
    assert (row.label, row.month, row.day, row.mmdd, row.year) == ("Wedding day", 6, 12, 612, 2004)
    assert changed.pk == occasion.pk
    event = AuditEvent.objects.filter(object_id=str(contact.pk)).order_by("-id").first()
    assert event is not None
    assert event.changes == {
        "custom_date": [
            {"label": "Wedding", "date": "09-09", "year": None},
            {"label": "Wedding day", "date": "06-12", "year": 2004},
        ]
    }
    page = client_for(owner).get(f"/contacts/{contact.pk}/history/", HTTP_ACCEPT_LANGUAGE="uk")
    assert "Wedding day: 12 червня 2004" in page.content.decode()


def test_a_bad_change_of_a_custom_date_names_the_fields_and_keeps_the_date(owner: User) -> None:
    contact = make_contact(owner)
    occasion = custom_date_add(
        actor=owner, client=contact, data={"label": "Wedding", "day": 9, "month": 9}
    )
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        custom_date_edit(actor=owner, occasion=occasion, data={"label": " ", "day": 31, "month": 4})

    assert set(error.value.message_dict) == {"label", "day"}
    row = Occasion.objects.get(pk=occasion.pk)
    assert (row.label, row.month, row.day) == ("Wedding", 9, 9)
    assert AuditEvent.objects.count() == events


def test_the_same_date_of_the_same_name_is_not_added_twice(owner: User) -> None:
    contact = make_contact(owner)
    first = custom_date_add(
        actor=owner, client=contact, data={"label": "Весілля", "day": 9, "month": 9}
    )
    other = custom_date_add(
        actor=owner, client=contact, data={"label": "Founding day", "day": 1, "month": 2}
    )

    with pytest.raises(ValidationError) as added:
        custom_date_add(
            actor=owner, client=contact, data={"label": "весілля", "day": 9, "month": 9}
        )
    with pytest.raises(ValidationError) as moved:
        custom_date_edit(
            actor=owner, occasion=other, data={"label": "Весілля", "day": 9, "month": 9}
        )
    custom_date_edit(actor=owner, occasion=first, data={"year": 2004})  # itself: allowed

    assert added.value.message_dict == {
        "label": ["This client already has “весілля” on 9 September."]
    }
    assert set(moved.value.message_dict) == {"label"}
    assert Occasion.objects.filter(contact=contact, manual=True).count() == 2
    assert Occasion.objects.get(pk=first.pk).year == 2004


def test_a_name_day_set_by_hand_shows_no_calendar(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    client_dates_set(actor=owner, client=contact, data={"name_day_month": 1, "name_day_day": 1})

    html = panel_html(owner, contact)

    name_day = html[html.index('class="client-name-day"') :]
    name_day = name_day[: name_day.index("</dd>")]
    assert "set by hand" in name_day
    assert "calendar" not in name_day
    assert " ," not in name_day


def test_computed_dates_cannot_be_changed_as_custom_ones(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    row = Occasion.objects.get(contact=contact, kind="name_day")

    with pytest.raises(Http404):
        custom_date_edit(actor=owner, occasion=row, data={"label": "x", "day": 1, "month": 1})
    response = client_for(owner).get(reverse("occasions:custom_date_edit", args=[row.pk]))

    assert response.status_code == 404
    assert Occasion.objects.get(pk=row.pk).mmdd == 423


def test_computed_dates_cannot_be_removed_as_custom_ones(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    row = Occasion.objects.get(contact=contact, kind="name_day")

    with pytest.raises(Http404):
        custom_date_remove(actor=owner, occasion=row)

    assert Occasion.objects.filter(pk=row.pk).exists()


def test_a_viewer_and_an_outsider_cannot_change_dates(
    owner: User, viewer: User, outsider: User
) -> None:
    contact = make_contact(owner, first_name="Юрій")

    with pytest.raises(PermissionDenied):
        client_dates_set(actor=viewer, client=contact, data={"no_name_day": True})
    with pytest.raises(Http404):
        custom_date_add(actor=outsider, client=contact, data={"label": "x", "day": 1, "month": 1})


# --- the panel ---------------------------------------------------------------------------------------


def test_the_panel_shows_birthday_name_day_and_anniversary(owner: User) -> None:
    today = timezone.localdate()
    contact = make_contact(owner, first_name="Олена", birth_day=21, birth_month=5, birth_year=1985)
    client_dates_set(actor=owner, client=contact, data={"client_since": "2015-07-01"})

    html = panel_html(owner, contact)

    assert date_format(datetime.date(1985, 5, 21), "DATE_FORMAT") in html
    year = today.year if (today.month, today.day) <= (5, 21) else today.year + 1
    next_birthday = date_format(datetime.date(year, 5, 21), "DATE_FORMAT")
    assert f"turns {year - 1985} on {next_birthday}" in html
    assert date_format(datetime.date(2000, 5, 21), "MONTH_DAY_FORMAT") in html
    assert "Equal-to-the-Apostles Emperor Constantine and Empress Helen" in html
    assert "new calendar" in html
    since = date_format(datetime.date(2015, 7, 1), "DATE_FORMAT")
    assert f"client since {since}" in html
    assert "Edit dates" in html


def test_the_panel_says_plainly_when_no_saint_is_known(owner: User) -> None:
    contact = make_contact(owner, first_name="Снежана")

    html = panel_html(owner, contact)

    assert "No saint's day is known for the name Снежана." in html


def test_the_panel_of_a_viewer_offers_no_changes(owner: User, viewer: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    custom_date_add(actor=owner, client=contact, data={"label": "Весілля", "day": 9, "month": 9})

    html = panel_html(viewer, contact)

    assert "Весілля" in html
    assert "Edit dates" not in html
    assert "Add a date" not in html
    assert "Remove" not in html


def test_the_panel_costs_the_same_queries_for_one_and_for_thirty_dates(owner: User) -> None:
    from django.test import RequestFactory

    from clientela.occasions.views.dates import client_dates_panel

    contact = make_contact(owner, first_name="Юрій", birth_day=1, birth_month=3)
    custom_date_add(actor=owner, client=contact, data={"label": "d0", "day": 1, "month": 1})
    request = RequestFactory().get("/")
    request.user = owner
    FirmSettings.current()

    with CaptureQueriesContext(connection) as one:
        client_dates_panel(request, contact)
    for number in range(1, 30):
        custom_date_add(
            actor=owner, client=contact, data={"label": f"d{number}", "day": number, "month": 2}
        )
    with CaptureQueriesContext(connection) as thirty:
        data = client_dates_panel(request, contact)

    assert len(data["view"].custom) == 30
    assert len(one) == len(thirty) <= 3


# --- the pages -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 200),
        ("lead", 200),
        ("admin", 200),
        ("viewer", 403),
        ("teammate", 404),
        ("outsider", 404),
    ],
)
def test_who_may_open_the_edit_dates_page(
    persona: str, status: int, request: pytest.FixtureRequest, owner: User
) -> None:
    contact = make_contact(owner, first_name="Юрій")
    user = request.getfixturevalue(persona)

    url = reverse("occasions:client_dates_edit", args=["contact", contact.pk])
    response = client_for(user).get(url)
    posted = client_for(user).post(url, {"no_name_day": "on"})

    assert response.status_code == status
    assert posted.status_code == (302 if status == 200 else status)
    assert ClientDates.objects.filter(contact=contact, no_name_day=True).exists() == (status == 200)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 302),
        ("lead", 302),
        ("admin", 302),
        ("viewer", 403),
        ("teammate", 404),
        ("outsider", 404),
    ],
)
def test_who_may_add_and_remove_a_custom_date(
    persona: str, status: int, request: pytest.FixtureRequest, owner: User
) -> None:
    contact = make_contact(owner)
    existing = custom_date_add(
        actor=owner, client=contact, data={"label": "A", "day": 1, "month": 1}
    )
    user = request.getfixturevalue(persona)
    browser = client_for(user)

    added = browser.post(
        reverse("occasions:custom_date_add", args=["contact", contact.pk]),
        {"label": "Весілля", "day": 9, "month": 9},
    )
    removed = browser.post(reverse("occasions:custom_date_remove", args=[existing.pk]))

    assert added.status_code == status
    assert removed.status_code == status
    labels = set(
        Occasion.objects.filter(contact=contact, manual=True).values_list("label", flat=True)
    )
    assert labels == ({"Весілля"} if status == 302 else {"A"})


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("owner", 302),
        ("lead", 302),
        ("viewer", 403),
        ("teammate", 404),
        ("outsider", 404),
    ],
)
def test_who_may_change_a_custom_date(
    persona: str, status: int, request: pytest.FixtureRequest, owner: User
) -> None:
    contact = make_contact(owner)
    existing = custom_date_add(
        actor=owner, client=contact, data={"label": "A", "day": 1, "month": 1}
    )
    browser = client_for(request.getfixturevalue(persona))
    url = reverse("occasions:custom_date_edit", args=[existing.pk])

    page = browser.get(url)
    saved = browser.post(url, {"label": "B", "day": 2, "month": 3})

    assert saved.status_code == status
    if status == 302:
        assert page.status_code == 200
        assert 'value="A"' in page.content.decode()
        assert saved["Location"].endswith(f"/contacts/{contact.pk}/#client-dates")
    else:
        assert page.status_code == status
    row = Occasion.objects.get(pk=existing.pk)
    assert (row.label, row.month, row.day) == (("B", 3, 2) if status == 302 else ("A", 1, 1))


def test_the_change_page_of_a_custom_date_shows_the_errors_next_to_the_fields(
    owner: User,
) -> None:
    contact = make_contact(owner)
    existing = custom_date_add(
        actor=owner, client=contact, data={"label": "A", "day": 1, "month": 1}
    )

    response = client_for(owner).post(
        reverse("occasions:custom_date_edit", args=[existing.pk]),
        {"label": "A", "day": 30, "month": 2},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "February has no day 30." in html
    assert 'id="id_day_error"' in html
    assert Occasion.objects.get(pk=existing.pk).mmdd == 101


def test_the_panel_links_each_custom_date_to_its_change_page(owner: User) -> None:
    contact = make_contact(owner)
    existing = custom_date_add(
        actor=owner, client=contact, data={"label": "Весілля", "day": 9, "month": 9}
    )

    html = panel_html(owner, contact)

    assert reverse("occasions:custom_date_edit", args=[existing.pk]) in html
    assert "Change “Весілля”" in html


def test_the_edit_page_shows_the_service_errors_next_to_the_fields(owner: User) -> None:
    contact = make_contact(owner, first_name="Юрій")
    url = reverse("occasions:client_dates_edit", args=["contact", contact.pk])

    response = client_for(owner).post(url, {"name_day_day": 31, "name_day_month": 2})

    assert response.status_code == 400
    html = response.content.decode()
    assert "February has no day 31." in html
    assert 'id="id_name_day_day_error"' in html


def test_an_unknown_client_kind_is_not_found(owner: User) -> None:
    contact = make_contact(owner)

    response = client_for(owner).get(
        reverse("occasions:client_dates_edit", args=["deal", contact.pk])
    )

    assert response.status_code == 404


def test_a_custom_date_added_with_htmx_returns_the_panel(owner: User) -> None:
    contact = make_contact(owner)
    url = reverse("occasions:custom_date_add", args=["contact", contact.pk])

    response = client_for(owner).post(
        url, {"label": "Весілля", "day": 30, "month": 2}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="client-dates"' in html
    assert "February has no day 30." in html


def test_a_company_page_shows_its_dates_without_a_name_day(owner: User) -> None:
    company = make_company(owner)
    custom_date_add(
        actor=owner, client=company, data={"label": "Founding day", "day": 14, "month": 10}
    )

    html = panel_html(owner, company)

    assert "Founding day" in html
    assert "Name day" not in html
    edit = client_for(owner).get(
        reverse("occasions:client_dates_edit", args=["company", company.pk])
    )
    assert edit.status_code == 200
    assert "no_name_day" not in edit.content.decode()


def test_the_refresh_command_recomputes_every_client_and_keeps_custom_dates(
    owner: User,
) -> None:
    from io import StringIO

    from django.core.management import call_command

    contacts = [make_contact(owner, first_name="Юрій", birth_day=d, birth_month=3) for d in (1, 2)]
    company = make_company(owner)
    make_purchase(owner, company, datetime.date(2021, 2, 2))
    custom_date_add(actor=owner, client=contacts[0], data={"label": "A", "day": 1, "month": 1})
    Occasion.objects.filter(manual=False).delete()

    out = StringIO()
    call_command("occasions_refresh", "--batch", "1", stdout=out)

    assert [computed(c) for c in contacts] == [
        {"birthday": (3, 1, None), "name_day": (4, 23, None)},
        {"birthday": (3, 2, None), "name_day": (4, 23, None)},
    ]
    assert computed(company) == {"anniversary": (2, 2, 2021)}
    assert Occasion.objects.filter(manual=True).count() == 1
    assert "contacts: 2" in out.getvalue()
