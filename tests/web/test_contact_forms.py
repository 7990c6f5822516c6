"""Creating, editing, deleting and restoring contacts through the pages."""

import re

import pytest
from django.utils import timezone

from clientela.contacts.models import Contact
from clientela.contacts.services import contact_delete, contact_update
from clientela.core.models import AuditEvent
from conftest import client_for, make_company, make_contact


def _field_errors(html: str, field: str) -> str:
    """The error list rendered next to the input named `field`."""
    match = re.search(rf'id="id_{field}_error"[^>]*>(.*?)</ul>', html, re.S)
    return match.group(1) if match else ""


def test_create_contact_with_local_phone_and_birthday_without_year(owner, contact_input):
    # given
    data = contact_input(
        phones="067 123 45 67\n+48 601 234 567",
        emails="A.Koval@Example.com",
        birth_day="29",
        birth_month="2",
        tags="VIP, Київ",
    )
    # when
    response = client_for(owner).post("/contacts/new/", data)
    # then
    contact = Contact.objects.get(last_name="Коваленко")
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    assert contact.owner == owner
    assert contact.birth_day == 29
    assert contact.birth_month == 2
    assert contact.birth_year is None
    values = list(contact.channels.values_list("value", flat=True))
    assert values == ["a.koval@example.com", "+380671234567", "+48601234567"]
    assert sorted(contact.tags.values_list("name", flat=True)) == ["VIP", "Київ"]
    assert AuditEvent.objects.get(object_id=contact.pk, action="create").channel == "web"


def test_detail_shows_phones_as_tel_links_and_emails_as_mailto(owner, contact):
    html = client_for(owner).get(f"/contacts/{contact.pk}/").content.decode()
    assert 'href="tel:+380671234567"' in html
    assert "067 123 4567" in html
    assert 'href="mailto:olena.shevchenko@example.com"' in html
    assert "Петрівна" in html
    assert ">VIP<" in html


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"phones": "067 123 45 67\nnot a phone"}, "phones", "not a phone"),
        ({"phones": "+380 12"}, "phones", "+380 12"),
        ({"emails": "olena@"}, "emails", "olena@"),
        ({"birth_day": "31", "birth_month": "2"}, "birth_day", ""),
        ({"birth_day": "12", "birth_month": "3", "birth_year": "1812"}, "birth_year", "1900"),
        ({"birth_day": "12", "birth_month": ""}, "birth_day", ""),
        ({"birth_day": "forty"}, "birth_day", ""),
        ({"birth_month": "13", "birth_day": "1"}, "birth_month", ""),
        ({"first_name": ""}, "first_name", ""),
        ({"lifecycle": "zombie"}, "lifecycle", ""),
        ({"company": "Компанія, якої немає"}, "company", "Компанія, якої немає"),
    ],
)
def test_bad_input_is_named_at_its_field_and_nothing_is_saved(
    owner, contact_input, overrides, field, fragment
):
    response = client_for(owner).post("/contacts/new/", contact_input(**overrides))
    html = response.content.decode()
    assert response.status_code == 200
    errors = _field_errors(html, field)
    assert errors, f"no error next to {field}"
    assert fragment in errors
    assert not Contact.all_objects.exists()
    assert not AuditEvent.objects.filter(action="create", content_type__model="contact").exists()


@pytest.mark.parametrize(
    ("key", "value"),
    [("budget", "багато"), ("visit", "2024-02-30"), ("size", "XXL")],
)
def test_bad_custom_value_is_named_at_its_field(owner, contact_input, contact_fields, key, value):
    response = client_for(owner).post("/contacts/new/", contact_input(**{f"custom_{key}": value}))
    assert _field_errors(response.content.decode(), f"custom_{key}")
    assert not Contact.all_objects.exists()


def test_custom_fields_are_rendered_by_type_and_saved(owner, contact_input, contact_fields):
    client = client_for(owner)
    form = client.get("/contacts/new/").content.decode()
    assert 'name="custom_budget"' in form
    assert 'inputmode="decimal"' in form
    assert re.search(r'<input type="date" name="custom_visit"', form)
    assert re.search(
        r'<select name="custom_size"[^>]*>\s*<option value="" selected>—</option>\s*<option value="S">',
        form,
    )
    assert 'name="custom_nick"' in form
    data = contact_input(
        custom_budget="1 500,5", custom_visit="2024-03-01", custom_size="M", custom_nick="Оля"
    )
    response = client.post("/contacts/new/", data)
    assert response.status_code == 302
    contact = Contact.objects.get()
    assert contact.custom == {"budget": "1500.5", "visit": "2024-03-01", "size": "M", "nick": "Оля"}
    detail = client.get(response["Location"]).content.decode()
    assert "Бюджет" in detail
    assert "1,500.5" in detail
    # numbers and dates follow the reader's language
    client.cookies["django_language"] = "uk"
    detail = client.get(response["Location"]).content.decode()
    assert "1\xa0500,5" in detail
    assert "01 березня 2024" in detail


def test_company_is_chosen_by_name(owner, contact_input, company):
    response = client_for(owner).post(
        "/contacts/new/", contact_input(company="тов ромашка", job_title="Бухгалтер")
    )
    assert response.status_code == 302
    assert Contact.objects.get().company == company


def test_company_of_another_team_cannot_be_chosen(owner, outsider, contact_input):
    make_company(outsider, name="ТОВ Чужа")
    response = client_for(owner).post("/contacts/new/", contact_input(company="ТОВ Чужа"))
    assert _field_errors(response.content.decode(), "company")
    assert not Contact.objects.exists()


def test_create_from_company_page_starts_with_the_company(owner, company):
    html = client_for(owner).get(f"/contacts/new/?company={company.pk}").content.decode()
    assert 'value="ТОВ Ромашка"' in html


# --- duplicates ----------------------------------------------------------------------------------


def test_duplicate_phone_shows_existing_record_and_saves_only_when_confirmed(
    owner, contact, contact_input
):
    client = client_for(owner)
    data = contact_input(phones="(067)123-4567")
    # when: the first try
    response = client.post("/contacts/new/", data)
    # then: nothing saved, the existing record linked, a "save anyway" button offered
    html = response.content.decode()
    assert response.status_code == 200
    assert Contact.objects.count() == 1
    assert f'href="/contacts/{contact.pk}/"' in html
    assert "067 123 4567" in html
    assert 'name="allow_duplicate" value="1"' in html
    # when: confirmed
    response = client.post("/contacts/new/", {**data, "allow_duplicate": "1"})
    # then
    assert response.status_code == 302
    assert Contact.objects.count() == 2


def test_duplicate_of_an_invisible_record_is_not_revealed(outsider, contact, contact_input):
    response = client_for(outsider).post(
        "/contacts/new/", contact_input(emails="olena.shevchenko@example.com")
    )
    html = response.content.decode()
    assert "a record you cannot see" in html
    assert f"/contacts/{contact.pk}/" not in html
    assert "Шевченко" not in html
    assert Contact.objects.count() == 1


# --- editing -------------------------------------------------------------------------------------


def test_edit_form_carries_the_version_and_current_values(owner, contact):
    html = client_for(owner).get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert f'name="expected_updated_at" value="{contact.updated_at.isoformat()}"' in html
    assert "067 123 4567" in html
    assert 'value="Петрівна"' in html


def test_edit_saves_and_records_history(owner, contact, contact_input):
    data = contact_input(
        first_name="Олена",
        middle_name="Петрівна",
        last_name="Шевченко-Коваль",
        phones="067 123 45 67\n050 111 22 33",
        emails="olena.shevchenko@example.com",
        tags="VIP",
        expected_updated_at=contact.updated_at.isoformat(),
    )
    response = client_for(owner).post(f"/contacts/{contact.pk}/edit/", data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.last_name == "Шевченко-Коваль"
    assert contact.owner == owner
    event = AuditEvent.objects.filter(object_id=contact.pk, action="update").get()
    assert event.changes["last_name"] == ["Шевченко", "Шевченко-Коваль"]
    assert event.channel == "web"


def test_edit_conflict_is_refused_with_a_clear_message(owner, lead, contact, contact_input):
    loaded_version = contact.updated_at.isoformat()
    # given: the lead saves a change after the owner opened the form
    contact_update(actor=lead, contact=contact, data={"notes": "Дзвонити після 10"})
    # when: the owner saves the old version
    data = contact_input(
        first_name="Олена", last_name="Шевченко", expected_updated_at=loaded_version
    )
    response = client_for(owner).post(f"/contacts/{contact.pk}/edit/", data)
    # then
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else changed this record while you were editing it." in html
    contact.refresh_from_db()
    assert contact.notes == "Дзвонити після 10"
    assert contact.middle_name == "Петрівна"
    # the form keeps what the owner typed and now carries the newer version
    assert 'value="Андрій"' not in html
    assert f'value="{contact.updated_at.isoformat()}"' in html


def test_saving_again_after_a_conflict_replaces_the_other_change(
    owner, lead, contact, contact_input
):
    contact_update(actor=lead, contact=contact, data={"source": "виставка"})
    contact.refresh_from_db()
    data = contact_input(
        first_name="Олена", last_name="Шевченко", expected_updated_at=contact.updated_at.isoformat()
    )
    response = client_for(owner).post(f"/contacts/{contact.pk}/edit/", data)
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.source == ""


def test_edit_with_bad_input_keeps_the_record(owner, contact, contact_input):
    data = contact_input(
        first_name="Олена", phones="123", expected_updated_at=contact.updated_at.isoformat()
    )
    response = client_for(owner).post(f"/contacts/{contact.pk}/edit/", data)
    assert _field_errors(response.content.decode(), "phones")
    contact.refresh_from_db()
    assert contact.last_name == "Шевченко"
    assert contact.primary_phone == "+380671234567"


def test_damaged_version_field_is_a_bad_request(owner, contact, contact_input):
    data = contact_input(expected_updated_at="yesterday")
    assert client_for(owner).post(f"/contacts/{contact.pk}/edit/", data).status_code == 400


def test_edit_keeps_a_company_the_editor_cannot_see(owner, admin, outsider, contact_input):
    # given: an admin linked the owner's contact to a company the owner cannot see
    foreign = make_company(outsider, name="ТОВ Чужа")
    contact = make_contact(owner)
    contact_update(actor=admin, contact=contact, data={"company": foreign.pk})
    contact.refresh_from_db()
    client = client_for(owner)
    form = client.get(f"/contacts/{contact.pk}/edit/").content.decode()
    assert 'value="ТОВ Чужа"' in form
    # when: the owner changes something else
    data = contact_input(
        first_name="Олена",
        last_name="Шевченко",
        company="ТОВ Чужа",
        notes="нове",
        expected_updated_at=contact.updated_at.isoformat(),
    )
    response = client.post(f"/contacts/{contact.pk}/edit/", data)
    # then
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.company == foreign
    assert contact.notes == "нове"


# --- trash ---------------------------------------------------------------------------------------


def test_delete_asks_then_moves_to_trash_and_restore_brings_back(owner, contact):
    client = client_for(owner)
    confirm = client.get(f"/contacts/{contact.pk}/delete/")
    assert confirm.status_code == 200
    assert '<form method="post"' in confirm.content.decode()
    contact.refresh_from_db()
    assert contact.deleted_at is None
    response = client.post(f"/contacts/{contact.pk}/delete/")
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.deleted_at is not None
    assert client.get(f"/contacts/{contact.pk}/").status_code == 404
    trash = client.get("/trash/").content.decode()
    assert "Шевченко Олена Петрівна" in trash
    assert f'action="/contacts/{contact.pk}/restore/"' in trash
    response = client.post(f"/contacts/{contact.pk}/restore/")
    assert response.status_code == 302
    assert response["Location"] == f"/contacts/{contact.pk}/"
    contact.refresh_from_db()
    assert contact.deleted_at is None


def test_admin_trash_lists_everyones_records(owner, admin, outsider):
    mine = make_contact(owner, last_name="Моя")
    theirs = make_contact(outsider, last_name="Чужа")
    contact_delete(actor=owner, contact=mine)
    contact_delete(actor=outsider, contact=theirs)
    owner_trash = client_for(owner).get("/trash/").content.decode()
    assert "Моя" in owner_trash
    assert "Чужа" not in owner_trash
    admin_trash = client_for(admin).get("/trash/").content.decode()
    assert "Моя" in admin_trash
    assert "Чужа" in admin_trash
    assert client_for(admin).post(f"/contacts/{theirs.pk}/restore/").status_code == 302


# --- history -------------------------------------------------------------------------------------


def test_history_shows_who_when_through_what_and_old_to_new_with_labels(
    owner, contact, contact_input
):
    client = client_for(owner)
    data = contact_input(
        first_name="Олена",
        middle_name="Петрівна",
        last_name="Шевченко",
        lifecycle="customer",
        phones="067 123 45 67\n050 111 22 33",
        emails="olena.shevchenko@example.com",
        tags="VIP, Київ",
        birth_day="8",
        birth_month="3",
        language="",
        expected_updated_at=contact.updated_at.isoformat(),
    )
    assert client.post(f"/contacts/{contact.pk}/edit/", data).status_code == 302
    html = client.get(f"/contacts/{contact.pk}/history/").content.decode()
    assert str(owner) in html
    assert ">web<" in html
    # choice fields show their labels, not their keys
    assert re.search(r"Stage</th><td><del>Lead</del></td><td><ins>Customer</ins>", html)
    assert re.search(
        r"Phones</th><td><del>067 123 4567</del></td><td><ins>067 123 4567, 050 111 2233</ins>",
        html,
    )
    assert re.search(r"Tags</th><td><del>VIP</del></td><td><ins>VIP, Київ</ins>", html)
    assert re.search(r"Month of birth</th><td><del>—</del></td><td><ins>March</ins>", html)
    today = timezone.localdate()
    assert str(today.year) in html


def test_history_labels_custom_fields_by_their_label(owner, contact_fields, contact_input):
    client = client_for(owner)
    client.post("/contacts/new/", contact_input(custom_size="L"))
    contact = Contact.objects.get()
    html = client.get(f"/contacts/{contact.pk}/history/").content.decode()
    assert re.search(r"Розмір</th><td><del>—</del></td><td><ins>L</ins>", html)
