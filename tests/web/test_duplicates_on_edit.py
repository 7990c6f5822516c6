"""The edit pages ask before giving a record another record's phone or email, as creating does."""

from clientela.contacts.models import Company, Contact
from clientela.core.models import AuditEvent
from conftest import client_for, make_company, make_contact


def test_edit_with_another_clients_email_asks_then_saves_with_the_same_version(
    owner, contact, contact_input
):
    # given: another client of the owner, opened for editing
    other = make_contact(owner, first_name="Андрій", last_name="Коваленко", emails=["a@k.ua"])
    version = other.updated_at.isoformat()
    client = client_for(owner)
    data = contact_input(
        emails="a@k.ua\nOlena.Shevchenko@example.com",
        notes="Друг Олени",
        expected_updated_at=version,
    )

    # when: the first try
    response = client.post(f"/contacts/{other.pk}/edit/", data)

    # then: nothing saved, the existing record linked, a "save anyway" button, the same version
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="/contacts/{contact.pk}/"' in html
    assert "olena.shevchenko@example.com —" in html
    assert 'name="allow_duplicate" value="1"' in html
    assert "Open the existing record, or save your changes anyway." in html
    assert f'name="expected_updated_at" value="{version}"' in html
    assert "Someone else changed this record" not in html
    other.refresh_from_db()
    assert (other.notes, other.primary_email) == ("", "a@k.ua")
    assert not AuditEvent.objects.filter(object_id=other.pk, action="update").exists()

    # when: confirmed
    response = client.post(f"/contacts/{other.pk}/edit/", {**data, "allow_duplicate": "1"})

    # then: saved, with no conflict notice
    assert response.status_code == 302, response.content.decode()
    assert response["Location"] == f"/contacts/{other.pk}/"
    other.refresh_from_db()
    assert other.notes == "Друг Олени"
    emails = list(other.channels.filter(kind="email").values_list("value", flat=True))
    assert emails == ["a@k.ua", "olena.shevchenko@example.com"]
    assert Contact.objects.filter(channels__value="olena.shevchenko@example.com").count() == 2


def test_edit_duplicate_of_an_invisible_record_is_not_revealed(outsider, contact, contact_input):
    mine = make_contact(outsider, first_name="Андрій", last_name="Коваленко")
    data = contact_input(
        emails="olena.shevchenko@example.com", expected_updated_at=mine.updated_at.isoformat()
    )

    html = client_for(outsider).post(f"/contacts/{mine.pk}/edit/", data).content.decode()

    assert "a record you cannot see" in html
    assert f"/contacts/{contact.pk}/" not in html
    assert "Шевченко" not in html
    mine.refresh_from_db()
    assert mine.primary_email == ""


def test_editing_a_record_that_already_shares_a_phone_is_not_asked_again(
    owner, contact, contact_input
):
    twin = make_contact(owner, first_name="Андрій", last_name="Коваленко", phones=["0671234567"])
    data = contact_input(
        phones="067 123 45 67", notes="Брат", expected_updated_at=twin.updated_at.isoformat()
    )

    response = client_for(owner).post(f"/contacts/{twin.pk}/edit/", data)

    assert response.status_code == 302
    twin.refresh_from_db()
    assert twin.notes == "Брат"


def test_company_edit_with_another_companys_phone_asks_first(owner, company, company_input):
    vyshnia = make_company(owner, name="ТОВ Вишня")
    client = client_for(owner)
    data = company_input(phones="044 123 45 67", expected_updated_at=vyshnia.updated_at.isoformat())

    html = client.post(f"/companies/{vyshnia.pk}/edit/", data).content.decode()

    assert f'href="/companies/{company.pk}/"' in html
    assert "044 123 4567" in html
    assert Company.objects.filter(primary_phone="+380441234567").count() == 1
    response = client.post(f"/companies/{vyshnia.pk}/edit/", {**data, "allow_duplicate": "1"})
    assert response.status_code == 302
    assert Company.objects.filter(primary_phone="+380441234567").count() == 2
