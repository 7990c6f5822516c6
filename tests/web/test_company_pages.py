"""Company pages: create, edit, delete, restore, history; the contact form's company box."""

import re

from clientela.contacts.models import Company
from clientela.core.models import AuditEvent
from conftest import client_for, make_company, make_contact


def test_create_company(owner, company_input):
    data = company_input(
        phones="044 123 45 67", emails="info@vyshnia.example", website="vyshnia.example", tags="Опт"
    )
    response = client_for(owner).post("/companies/new/", data)
    company = Company.objects.get(name="ТОВ Вишня")
    assert response.status_code == 302
    assert response["Location"] == f"/companies/{company.pk}/"
    assert company.website == "https://vyshnia.example"
    assert company.primary_phone == "+380441234567"
    html = client_for(owner).get(response["Location"]).content.decode()
    assert 'href="tel:+380441234567"' in html
    assert 'href="mailto:info@vyshnia.example"' in html
    assert ">Опт<" in html


def test_company_bad_input_is_named_and_nothing_saved(owner, company_input):
    client = client_for(owner)
    for overrides, field in [
        ({"name": ""}, "name"),
        ({"phones": "12"}, "phones"),
        ({"emails": "no at sign"}, "emails"),
        ({"website": "http://"}, "website"),
    ]:
        html = client.post("/companies/new/", company_input(**overrides)).content.decode()
        assert re.search(rf'id="id_{field}_error"', html), field
    assert not Company.all_objects.exists()


def test_duplicate_company_email_asks_first(owner, company, company_input):
    client = client_for(owner)
    data = company_input(emails="office@romashka.example")
    html = client.post("/companies/new/", data).content.decode()
    assert f'href="/companies/{company.pk}/"' in html
    assert Company.objects.count() == 1
    assert client.post("/companies/new/", {**data, "allow_duplicate": "1"}).status_code == 302
    assert Company.objects.count() == 2


def test_edit_company_conflict_and_success(owner, lead, company, company_input):
    client = client_for(owner)
    version = company.updated_at.isoformat()
    # a stale version is refused
    make_contact(lead)  # unrelated activity does not matter
    from clientela.contacts.services import company_update

    company_update(actor=lead, company=company, data={"industry": "Торгівля"})
    response = client.post(
        f"/companies/{company.pk}/edit/",
        company_input(name="ТОВ Ромашка-2", expected_updated_at=version),
    )
    assert response.status_code == 409
    company.refresh_from_db()
    assert company.name == "ТОВ Ромашка"
    # the current version saves
    data = company_input(name="ТОВ Ромашка-2", expected_updated_at=company.updated_at.isoformat())
    assert client.post(f"/companies/{company.pk}/edit/", data).status_code == 302
    company.refresh_from_db()
    assert company.name == "ТОВ Ромашка-2"
    html = client.get(f"/companies/{company.pk}/history/").content.decode()
    assert re.search(r"Name</th><td><del>ТОВ Ромашка</del></td><td><ins>ТОВ Ромашка-2</ins>", html)
    assert re.search(r"Industry</th><td><del>Торгівля</del></td><td><ins>—</ins>", html)


def test_delete_and_restore_company(owner, company):
    client = client_for(owner)
    assert client.post(f"/companies/{company.pk}/delete/").status_code == 302
    assert client.get(f"/companies/{company.pk}/").status_code == 404
    assert f'action="/companies/{company.pk}/restore/"' in client.get("/trash/").content.decode()
    assert client.post(f"/companies/{company.pk}/restore/").status_code == 302
    assert client.get(f"/companies/{company.pk}/").status_code == 200
    actions = list(
        AuditEvent.objects.filter(object_id=company.pk, content_type__model="company").values_list(
            "action", flat=True
        )
    )
    assert actions == ["restore", "delete", "create"]


def test_company_suggestions_for_the_contact_form(owner, outsider, company):
    make_company(outsider, name="ТОВ Ромашка Чужа")
    html = client_for(owner).get("/companies/suggest/", {"company": "ромаш"}).content.decode()
    assert html.count("<option") == 1
    assert 'value="ТОВ Ромашка"' in html


def test_ambiguous_company_name_asks_for_the_number(owner, contact_input):
    first = make_company(owner, name="ТОВ Двійник")
    second = make_company(owner, name="ТОВ Двійник")
    client = client_for(owner)
    html = client.post("/contacts/new/", contact_input(company="ТОВ Двійник")).content.decode()
    assert re.search(r'id="id_company_error"', html)
    response = client.post("/contacts/new/", contact_input(company=f"ТОВ Двійник #{second.pk}"))
    assert response.status_code == 302
    assert first.contacts.count() == 0
    assert second.contacts.count() == 1
