"""Companies over the API: the same set of operations as contacts."""

import pytest
from api_support import api_as, error_fields

from clientela.contacts.models import Company
from conftest import make_company


def test_create_company_and_read_it_back(owner):
    api = api_as(owner)

    response = api.post(
        "/companies",
        {
            "name": "ТОВ Вишня",
            "legal_id": "12345678",
            "website": "https://vyshnia.example",
            "phones": ["044 765 43 21"],
            "emails": ["Office@Vyshnia.example"],
            "tags": ["partner"],
        },
    )

    assert response.status_code == 201, response.json()
    body = api.get(f"/companies/{response.json()['id']}").json()
    assert body["name"] == "ТОВ Вишня"
    assert body["phones"] == ["+380447654321"]
    assert body["emails"] == ["office@vyshnia.example"]
    assert body["tags"] == ["partner"]
    assert body["owner"]["id"] == owner.pk


def test_patch_company_changes_only_the_fields_sent(owner, company):
    response = api_as(owner).patch(f"/companies/{company.pk}", {"industry": "Логістика"})

    assert response.status_code == 200, response.json()
    company.refresh_from_db()
    assert company.industry == "Логістика"
    assert company.name == "ТОВ Ромашка"
    assert response.json()["phones"] == ["+380441234567"]


def test_company_with_bad_website_names_the_field(owner):
    response = api_as(owner).post("/companies", {"name": "X", "website": "not a url"})

    assert response.status_code == 422
    assert "website" in error_fields(response)
    assert not Company.objects.exists()


def test_company_duplicate_phone_is_a_conflict(owner, company):
    response = api_as(owner).post("/companies", {"name": "Twin", "phones": ["+380441234567"]})

    assert response.status_code == 409
    assert response.json()["duplicates"] == [
        {"field": "phones", "value": "+380441234567", "id": company.pk}
    ]


def test_delete_and_restore_company(owner, company):
    api = api_as(owner)

    assert api.delete(f"/companies/{company.pk}").status_code == 204
    assert api.get(f"/companies/{company.pk}").status_code == 404
    assert api.post(f"/companies/{company.pk}/restore").status_code == 200
    assert api.get(f"/companies/{company.pk}").status_code == 200


def test_company_bulk_tag_and_reassign(lead, owner, teammate):
    firms = [make_company(owner, name=f"F{i}") for i in range(3)]
    api = api_as(lead)
    ids = [f.pk for f in firms]

    assert api.post("/companies/bulk/tag", {"ids": ids, "add": ["hot"]}).json() == {"count": 3}
    assert api.post("/companies/bulk/reassign", {"ids": ids, "owner": teammate.pk}).json() == {
        "count": 3
    }

    for firm in firms:
        firm.refresh_from_db()
        assert firm.owner == teammate
        assert list(firm.tags.values_list("name", flat=True)) == ["hot"]


def test_company_filters_and_sorting(lead, owner):
    acme = make_company(owner, name="Acme", tags=["vip"])
    zeta = make_company(lead, name="Zeta")
    api = api_as(lead)

    def ids(params):
        response = api.get("/companies", params)
        assert response.status_code == 200, response.json()
        return [item["id"] for item in response.json()["items"]]

    assert ids({"sort": "name"}) == [acme.pk, zeta.pk]
    assert ids({"sort": "-name"}) == [zeta.pk, acme.pk]
    assert ids({"owner": "me"}) == [zeta.pk]
    assert ids({"tag": "vip"}) == [acme.pk]
    assert ids({"q": "zet"}) == [zeta.pk]


@pytest.mark.parametrize("sort", ["name", "-created"])
def test_walking_company_pages_sees_each_once(owner, sort):
    made = {make_company(owner, name=f"Firm {i % 3}").pk for i in range(11)}
    api = api_as(owner)
    seen, cursor = [], None
    while True:
        page = api.get(
            "/companies", {"limit": 4, "sort": sort} | ({"cursor": cursor} if cursor else {})
        ).json()
        seen.extend(item["id"] for item in page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert sorted(seen) == sorted(made)
