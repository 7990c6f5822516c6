"""PATCH answers an email or phone already in use the way POST does, and takes the same switch."""

import pytest
from api_support import ApiClient, api_as, error_fields

from clientela.contacts.models import Company, Contact
from conftest import make_company, make_contact


@pytest.fixture
def other(owner):
    return make_contact(owner, first_name="Інна", last_name="Бойко", phones=["050 111 22 33"])


def test_patch_with_another_contacts_email_answers_like_post(owner, contact, other):
    api = api_as(owner)
    sent = {"emails": ["OLENA.SHEVCHENKO@example.com"]}

    created = api.post("/contacts", {"first_name": "Інна", **sent})
    changed = api.patch(f"/contacts/{other.pk}", {"last_name": "Коваль", **sent})

    assert changed.status_code == created.status_code == 409
    assert changed.json() == created.json()
    assert changed.json()["duplicates"] == [
        {"field": "emails", "value": "olena.shevchenko@example.com", "id": contact.pk}
    ]
    assert set(error_fields(changed)) == {"emails"}
    other.refresh_from_db()
    assert (other.last_name, other.primary_email) == ("Бойко", "")


def test_patch_duplicate_of_an_invisible_contact_has_no_id(outsider, contact):
    mine = make_contact(outsider, first_name="Інна")

    response = api_as(outsider).patch(f"/contacts/{mine.pk}", {"phones": ["+380 67 123 4567"]})

    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {"field": "phones", "value": "+380671234567", "id": None}
    ]
    assert Contact.objects.filter(primary_phone="+380671234567").count() == 1


@pytest.mark.parametrize(
    ("query", "body"), [("?allow_duplicate=true", {}), ("", {"allow_duplicate": True})]
)
def test_patch_allowing_the_duplicate_saves(owner, contact, other, query, body):
    response = api_as(owner).patch(
        f"/contacts/{other.pk}{query}", {"phones": ["050 111 22 33", "067 123 45 67"], **body}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["phones"] == ["+380501112233", "+380671234567"]
    assert Contact.objects.filter(channels__value="+380671234567").count() == 2


def test_patch_of_a_contact_that_already_shares_a_phone_is_not_refused(owner, contact):
    twin = make_contact(owner, first_name="Інна", phones=["067 123 45 67"])

    response = api_as(owner).patch(
        f"/contacts/{twin.pk}", {"first_name": "Ірина", "phones": ["+380671234567"]}
    )

    assert response.status_code == 200, response.json()
    assert response.json()["first_name"] == "Ірина"


def test_patch_company_with_another_companys_phone(owner, company):
    vyshnia = make_company(owner, name="ТОВ Вишня")
    api = api_as(owner)

    refused = api.patch(f"/companies/{vyshnia.pk}", {"phones": ["044 123 45 67"]})
    allowed = api.patch(f"/companies/{vyshnia.pk}?allow_duplicate=true", {"phones": ["0441234567"]})

    assert refused.status_code == 409
    assert refused.json()["duplicates"] == [
        {"field": "phones", "value": "+380441234567", "id": company.pk}
    ]
    assert allowed.status_code == 200, allowed.json()
    assert Company.objects.filter(primary_phone="+380441234567").count() == 2


def test_openapi_describes_the_switch_and_the_answer_of_patch(db):
    spec = ApiClient().get("/openapi.json").json()

    for path in ["/api/v1/contacts/{contact_id}", "/api/v1/companies/{company_id}"]:
        patch = spec["paths"][path]["patch"]
        assert "allow_duplicate" in [p["name"] for p in patch["parameters"] if p["in"] == "query"]
        conflict = patch["responses"]["409"]["content"]["application/json"]["schema"]["$ref"]
        assert conflict.endswith("/ChangeConflictOut")
        body = patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        assert "allow_duplicate" in spec["components"]["schemas"][body.split("/")[-1]]["properties"]
    answer = spec["components"]["schemas"]["ChangeConflictOut"]
    assert "duplicates" in answer["properties"]
    assert "duplicates" not in answer.get("required", [])
